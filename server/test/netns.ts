// A building LAN made of network namespaces, for the captive-network tests: a "box" namespace
// whose bridge `lan0` holds the box's LAN address, one namespace per client ("phone", "crowd"…)
// joined to that bridge by a veth pair (`eth0` on the client side, no address), and optionally
// an "up" namespace joined to the box's `up0` interface (the uplink, never served). Addresses
// exist only inside these namespaces. Everything is removed in teardown, after a failure too,
// with every process still running inside.
import type { Test } from 'tap'
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

export interface Netns {
  readonly name: string
  /** Runs a program inside the namespace and waits for it (never throws on a non-zero exit). */
  run(cmd: string, args: readonly string[], opts?: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string }): Promise<Run>
  /** Starts a long-running program inside the namespace; killed in teardown if still running. */
  spawn(cmd: string, args: readonly string[], opts?: SpawnOptions): ChildProcess
}

export interface Lan {
  /** Prefix of every namespace name of this LAN (unique per test process). */
  id: string
  box: Netns
  clients: Record<string, Netns>
  up?: Netns
  /** The box's LAN interface (a bridge) and address. */
  lanInterface: 'lan0'
  lanAddress: string
  prefix: number
  /** The uplink side: `up0` in the box (upAddress), `eth0` in the up namespace (no address). */
  upAddress?: string
}

export interface LanOptions {
  /** Client namespaces to create, e.g. ['phone', 'crowd']. */
  clients: string[]
  /** Also an uplink namespace. */
  uplink?: boolean
  /** Default 10.78.0.1/24 (namespaces are separate worlds: every test may use the same). */
  lanAddress?: string
  prefix?: number
  /** Client namespaces whose /etc/resolv.conf (via /etc/netns/<ns>/) names the box as DNS server. */
  resolvers?: string[]
  /** Static addresses for some clients' eth0, e.g. { crowd: '10.78.0.254/24' }. */
  addresses?: Record<string, string>
}

export function mustBeRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the captive-network tests need root (network namespaces): run them as root, as CI does')
}

function exec(cmd: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args as string[], { timeout: opts.timeoutMs ?? 30_000, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === null ? `\n${err.message}` : '') })
    })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

async function must(cmd: string, args: readonly string[]): Promise<string> {
  const r = await exec(cmd, args)
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`)
  return r.stdout
}

function netns(name: string, children: Set<ChildProcess>): Netns {
  return {
    name,
    run: (cmd, args, opts) => exec('ip', ['netns', 'exec', name, cmd, ...args], opts),
    spawn(cmd, args, opts = {}) {
      const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
      children.add(child)
      child.on('exit', () => children.delete(child))
      return child
    },
  }
}

let counter = 0

/** Creates the LAN; its teardown is registered on `t`. */
export async function makeLan(t: Test, opts: LanOptions): Promise<Lan> {
  mustBeRoot()
  const id = `pl${process.pid}x${counter++}`
  const prefix = opts.prefix ?? 24
  const lanAddress = opts.lanAddress ?? '10.78.0.1'
  const names: string[] = []
  const children = new Set<ChildProcess>()
  const resolvDirs: string[] = []
  const teardown = async () => {
    for (const child of children) child.kill('SIGKILL')
    for (const name of names) {
      // Whatever still runs inside (a daemon that forked) goes with the namespace.
      const pids = (await exec('ip', ['netns', 'pids', name])).stdout.split(/\s+/).filter(Boolean)
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL')
        } catch {
          /* already gone */
        }
      }
      await exec('ip', ['netns', 'del', name])
    }
    for (const dir of resolvDirs) rmSync(dir, { recursive: true, force: true })
  }
  t.teardown(teardown)
  try {
    const add = async (suffix: string) => {
      const name = `${id}-${suffix}`
      await must('ip', ['netns', 'add', name])
      names.push(name)
      await must('ip', ['-n', name, 'link', 'set', 'lo', 'up'])
      return netns(name, children)
    }
    const box = await add('box')
    await must('ip', ['-n', box.name, 'link', 'add', 'lan0', 'type', 'bridge'])
    await must('ip', ['-n', box.name, 'addr', 'add', `${lanAddress}/${prefix}`, 'dev', 'lan0'])
    await must('ip', ['-n', box.name, 'link', 'set', 'lan0', 'up'])
    const clients: Record<string, Netns> = {}
    for (const [i, client] of opts.clients.entries()) {
      const ns = await add(client)
      clients[client] = ns
      const port = `lp${i}`
      await must('ip', ['link', 'add', port, 'netns', box.name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name])
      await must('ip', ['-n', box.name, 'link', 'set', port, 'master', 'lan0'])
      await must('ip', ['-n', box.name, 'link', 'set', port, 'up'])
      await must('ip', ['-n', ns.name, 'link', 'set', 'eth0', 'up'])
      const fixed = opts.addresses?.[client]
      if (fixed) await must('ip', ['-n', ns.name, 'addr', 'add', fixed, 'dev', 'eth0'])
      if (opts.resolvers?.includes(client)) {
        const dir = path.join('/etc/netns', ns.name)
        mkdirSync(dir, { recursive: true })
        writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${lanAddress}\n`)
        resolvDirs.push(dir)
      }
    }
    const lan: Lan = { id, box, clients, lanInterface: 'lan0', lanAddress, prefix }
    if (opts.uplink) {
      const up = await add('up')
      await must('ip', ['link', 'add', 'up0', 'netns', box.name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', up.name])
      await must('ip', ['-n', box.name, 'addr', 'add', '192.0.2.2/24', 'dev', 'up0'])
      await must('ip', ['-n', box.name, 'link', 'set', 'up0', 'up'])
      await must('ip', ['-n', up.name, 'link', 'set', 'eth0', 'up'])
      lan.up = up
      lan.upAddress = '192.0.2.2'
    }
    // The bridge forwards once its ports leave the listening state (no STP: at once).
    return lan
  } catch (err) {
    await teardown()
    throw err
  }
}

/** Polls `check` every 100 ms until it returns a value (not undefined) or `ms` pass. */
export async function waitFor<T>(what: string, ms: number, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
