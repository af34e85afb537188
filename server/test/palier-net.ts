// Runs the real palier-net (server/src/net/main.ts) inside a namespace of a test LAN, from a JSON
// configuration file the test can rewrite, and reads what it logs and its status file.
import type { Test } from 'tap'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config.js'
import { networkPlan, type NetStatus, type NetworkPlan } from '../src/net/plan.js'
import { waitFor, type Netns } from './netns.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface PalierNet {
  child: ChildProcess
  /** The JSON file named by PALIER_CONFIG. */
  configFile: string
  plan: NetworkPlan
  /** Everything palier-net (and dnsmasq through it) wrote so far, stdout then stderr. */
  output(): string
  /** The parsed status file, or undefined when it does not exist yet. */
  status(): NetStatus | undefined
  /** Rewrites the configuration file (palier-net polls it every second). */
  rewrite(settings: Record<string, unknown>): void
  /** Resolves with the exit code (or signal) once palier-net has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** An environment without the developer's own PALIER_* settings, so only the file counts. */
export function cleanEnv(configFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PALIER_')) env[k] = v
  env.PALIER_CONFIG = configFile
  return env
}

/**
 * Starts palier-net in `ns` with `settings` written to `<dir>/palier.json` (dataDir defaults to
 * `<dir>/data`); stopped with SIGKILL in teardown if the test did not stop it.
 */
export function startPalierNet(t: Test, ns: Netns, dir: string, settings: Record<string, unknown>): PalierNet {
  const configFile = path.join(dir, 'palier.json')
  const write = (s: Record<string, unknown>) => writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), ...s }, null, 2))
  write(settings)
  const env = cleanEnv(configFile)
  const plan = networkPlan(loadConfig(env))
  const child = ns.spawn(process.execPath, ['--import', 'tsx', 'server/src/net/main.ts'], { cwd: ROOT, env })
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return {
    child,
    configFile,
    plan,
    output: () => out + err,
    status() {
      try {
        return JSON.parse(readFileSync(plan.statusFile, 'utf8')) as NetStatus
      } catch {
        return undefined
      }
    },
    rewrite: write,
    exited,
  }
}

/** Waits until palier-net reports dnsmasq running with a pid other than `notPid`. */
export function dnsmasqRunning(net: PalierNet, ms: number, notPid?: number): Promise<NonNullable<NetStatus['dnsmasq']>> {
  return waitFor('dnsmasq running', ms, () => {
    if (net.child.exitCode !== null) throw new Error(`palier-net exited (${net.child.exitCode}):\n${net.output()}`)
    const d = net.status()?.dnsmasq
    return d?.state === 'running' && d.pid !== null && d.pid !== notPid ? d : undefined
  })
}

/** The last 8,000 characters a child wrote (stdout and stderr) and how it ended, for failure messages. */
export function logged(child: ChildProcess, name: string): () => string {
  let out = ''
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-8000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.on('exit', (code, signal) => keep(Buffer.from(`\n[${name} exited: ${code ?? signal}]\n`)))
  return () => out
}

/** Runs one of Palier's TypeScript entry points (`server/src/main.ts`, `server/src/net/main.ts`) inside `ns`. */
export function startNode(ns: Netns, entry: string, name: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = ns.spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env })
  return { child, output: logged(child, name) }
}
