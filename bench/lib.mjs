// Helpers of bench/run.mjs and bench/files.mjs: child processes that are always cleaned up, the
// box started on a fresh data folder and populated through its API, loopback HTTP without
// browser headers, memory readings from /proc, small statistics and the printed tables.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

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

// ---------------------------------------------------------------- the box

export const SETUP = {
  code: 'BENCH-SETUP-CODE-0001',
  caretaker: { login: 'gardien', displayName: 'Gardien', password: 'bench-escalier-fleuri-42' },
  resident: { login: 'locataire', displayName: 'Locataire Bench', password: 'bench-palier-du-troisieme-17' },
}

/**
 * Starts the built box (`node <nodeArgs> <main>`) on the loopback address with a fresh data folder
 * (deleted by cleanup()); `env` adds PALIER_* settings. Resolves once /api/v1/health answers.
 */
export async function startBox({ main, nodeArgs, env = {} }) {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (make build)`)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'palier-bench-'))
  registerTempDir(dataDir)
  // Never read /etc/palier/palier.json of the machine: an empty settings file changes nothing.
  const configFile = path.join(dataDir, 'bench-config.json')
  writeFileSync(configFile, '{}\n')
  const port = await freePort()
  const child = startChild('box', [...nodeArgs, main], {
    PALIER_DATA_DIR: dataDir,
    PALIER_PORT: String(port),
    PALIER_HOST: HOST,
    PALIER_SETUP_CODE: SETUP.code,
    PALIER_LOG_LEVEL: 'warn',
    PALIER_CONFIG: configFile,
    ...env,
  })
  await waitReady(child, port, '/api/v1/health')
  return { child, port, dataDir }
}

export function expectStatus(res, status, what) {
  if (res.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`)
  }
}

/**
 * Through the API, as a script would: caretaker, flat, invitation, resident. Returns the
 * resident's cookie header, /me body and the caretaker's cookie header.
 */
export async function populate(port) {
  const setup = await request(port, 'POST', '/api/v1/setup', { json: { code: SETUP.code, ...SETUP.caretaker } })
  expectStatus(setup, 201, 'POST /api/v1/setup')
  const caretakerCookie = cookieFrom(setup, 'palier')
  if (!caretakerCookie) throw new Error('POST /api/v1/setup set no palier cookie')
  const asCaretaker = { cookie: `palier=${caretakerCookie}` }

  const flat = await request(port, 'POST', '/api/v1/flats', { json: { label: 'Bâtiment A, 3e gauche' }, headers: asCaretaker })
  expectStatus(flat, 201, 'POST /api/v1/flats')

  const invite = await request(port, 'POST', `/api/v1/flats/${flat.body.id}/invites`, { headers: asCaretaker })
  expectStatus(invite, 201, 'POST /api/v1/flats/:id/invites')

  const join = await request(port, 'POST', '/api/v1/join', { json: { code: invite.body.code, ...SETUP.resident } })
  expectStatus(join, 201, 'POST /api/v1/join')
  const residentCookie = cookieFrom(join, 'palier')
  if (!residentCookie) throw new Error('POST /api/v1/join set no palier cookie')
  const headers = { cookie: `palier=${residentCookie}` }

  const me = await request(port, 'GET', '/api/v1/me', { headers })
  expectStatus(me, 200, 'GET /api/v1/me')
  if (me.body.login !== SETUP.resident.login || me.body.role !== 'resident') {
    throw new Error(`GET /api/v1/me answered someone else: ${JSON.stringify(me.body)}`)
  }
  return { headers, meText: JSON.stringify(me.body), caretakerHeaders: asCaretaker }
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

// ---------------------------------------------------------------- printing

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Rows of cells as a text table: first column left-aligned, the others right-aligned, a rule under the header. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  return rows
    .map((r, ri) =>
      r.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ') +
      (ri === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : ''),
    )
    .join('\n')
}

/** (max − min) / median of a series of runs: how much the machine moved under us. */
export const spread = (values) => (Math.max(...values) - Math.min(...values)) / median(values)

export const log = (line) => process.stdout.write(`bench: ${line}\n`)
