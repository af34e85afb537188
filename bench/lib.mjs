// Helpers of bench/run.mjs: child processes that are always cleaned up, loopback HTTP without
// browser headers, memory readings from /proc, and small statistics.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'

export const HOST = '127.0.0.1'

// ---------------------------------------------------------------- child processes and cleanup

const children = new Set()
const tempDirs = new Set()

/**
 * Starts `node <args>` as a child; keeps the last lines of its output for error messages.
 * Every child is stopped by `cleanup()`, which runs on exit, on signals and on errors.
 */
export function startChild(name, args, env) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const tail = []
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue
      tail.push(line)
      if (tail.length > 40) tail.shift()
    }
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.benchName = name
  child.outputTail = () => tail.join('\n')
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  child.once('exit', () => children.delete(child))
  child.once('error', () => {}) // reported through `exited` / the readiness wait
  children.add(child)
  return child
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await child.exited
  clearTimeout(timer)
}

export function registerTempDir(dir) {
  tempDirs.add(dir)
}

let cleaning
/** Stops every child started here and deletes the temp folders. Safe to call more than once. */
export function cleanup() {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c)))
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
    tempDirs.clear()
  })()
  return cleaning
}

// Last resort when the process ends without going through cleanup() (process.exit elsewhere).
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL')
    } catch {}
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

// ---------------------------------------------------------------- network

/** A port the kernel reports free on the loopback address right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * One HTTP request to the loopback address, with only the headers given (no Origin, no
 * Sec-Fetch-*: the box treats it like curl). Resolves { status, headers, body (parsed JSON or text) }.
 */
export function request(port, method, path, { json, headers = {}, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json))
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path,
        agent: false,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body = text
          try {
            body = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, body })
        })
        res.on('error', reject)
      },
    )
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    if (payload) req.write(payload)
    req.end()
  })
}

/** Polls `GET path` until it answers 200; fails early if the child exits, or after `timeoutMs`. */
export async function waitReady(child, port, path, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  let exited = null
  child.exited.then((e) => (exited = e))
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`${child.benchName} exited (code ${exited.code}, signal ${exited.signal}) before answering:\n${child.outputTail()}`)
    }
    try {
      const res = await request(port, 'GET', path, { timeoutMs: 1000 })
      if (res.status === 200) return
      last = `HTTP ${res.status}`
    } catch (err) {
      last = err.message
    }
    await sleep(100)
  }
  throw new Error(`${child.benchName} did not answer 200 on ${path} within ${timeoutMs} ms (last: ${last}):\n${child.outputTail()}`)
}

/** The value of cookie `name` in a response's set-cookie headers. */
export function cookieFrom(res, name) {
  for (const line of res.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim()
  }
  return undefined
}

// ---------------------------------------------------------------- memory

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status), or undefined if gone. */
export function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** VmRSS and its split: RssAnon (private memory: heaps, stacks) and RssFile (mapped files: node's own binary, .node addons). */
export function rssDetail(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB$`, 'm').exec(status)?.[1] ?? NaN) * 1024
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') }
  } catch {
    return undefined
  }
}

/** Samples the RSS of `pid` every `everyMs` until stop(); stop() returns { peak, samples }. */
export function sampleRss(pid, everyMs = 100) {
  let peak = 0
  let samples = 0
  const take = () => {
    const v = rssBytes(pid)
    if (v !== undefined) {
      samples++
      if (v > peak) peak = v
    }
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      return { peak, samples }
    },
  }
}

// ---------------------------------------------------------------- CPU time

let clockTicks
/** CPU seconds (user + system, all threads) a process has used so far, or undefined if gone. */
export function cpuSeconds(pid) {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
    clockTicks = Number(r.stdout?.trim()) || 100
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicks // utime, stime
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------- small things

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
export const mb = (bytes) => bytes / (1024 * 1024)

export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Positive integer from the environment, or the default. */
export function envInt(name, fallback, { min = 1, max = Infinity } = {}) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`)
  return n
}
