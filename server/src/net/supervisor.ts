// Keeps one child program running (dnsmasq): restarts it when it dies, waiting longer after each
// quick death (0.5 s, 1 s, 2 s … 30 s) so a broken setup does not spin, and reports its state.
import { spawn, type ChildProcess } from 'node:child_process'
import type { NetLog } from './log.js'
import type { NetStatus } from './plan.js'

export type ChildState = NonNullable<NetStatus['dnsmasq']>

export interface SupervisorOptions {
  /** Names the child in the log. */
  name: string
  command: string
  args: readonly string[]
  log: NetLog
  /** Called on every change of state. */
  onState?: (state: ChildState) => void
  minDelayMs?: number
  maxDelayMs?: number
  /** A child that ran this long was fine: the next restart waits minDelayMs again. */
  stableMs?: number
  /** stop(): SIGTERM, then SIGKILL after this long. */
  killAfterMs?: number
}

export class Supervisor {
  readonly #o: Required<Omit<SupervisorOptions, 'onState'>> & Pick<SupervisorOptions, 'onState'>
  #child: ChildProcess | null = null
  #timer: NodeJS.Timeout | null = null
  #delay: number
  #startedAt = 0
  #wanted = false
  #state: ChildState = { state: 'stopped', pid: null, since: Date.now(), restarts: 0, lastError: null }
  // The last lines the child wrote on stderr: the reason it died is usually there.
  #tail: string[] = []

  constructor(options: SupervisorOptions) {
    this.#o = { minDelayMs: 500, maxDelayMs: 30_000, stableMs: 60_000, killAfterMs: 5_000, ...options }
    this.#delay = this.#o.minDelayMs
  }

  get state(): ChildState {
    return { ...this.#state }
  }

  start(): void {
    if (this.#wanted) return
    this.#wanted = true
    this.#delay = this.#o.minDelayMs
    this.#spawn()
  }

  /** Stops the child (SIGTERM, then SIGKILL) and does not restart it. */
  async stop(): Promise<void> {
    this.#wanted = false
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#kill()
    this.#set({ state: 'stopped', pid: null })
  }

  /** A planned restart (new configuration): not counted as a failure, no waiting. */
  async restart(): Promise<void> {
    await this.stop()
    this.start()
  }

  #set(change: Partial<ChildState>): void {
    const state = change.state ?? this.#state.state
    const since = state !== this.#state.state || change.pid !== undefined ? Date.now() : this.#state.since
    this.#state = { ...this.#state, ...change, since }
    this.#o.onState?.(this.state)
  }

  #spawn(): void {
    this.#timer = null
    this.#tail = []
    const child = spawn(this.#o.command, this.#o.args as string[], { stdio: ['ignore', 'inherit', 'pipe'] })
    this.#child = child
    this.#startedAt = Date.now()
    let pending = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) this.#line(line)
    })
    // Only the current child's end matters: one stopped on purpose (#kill) is no longer current.
    const end = (reason: string) => {
      if (this.#child !== child) return
      if (pending) this.#line(pending)
      pending = ''
      this.#child = null
      this.#exited(reason)
    }
    // A program that cannot start at all (missing, not executable) only emits 'error'. 'close'
    // rather than 'exit': stderr's last lines are read by then.
    child.on('error', (err) => end(`cannot start ${this.#o.command}: ${err.message}`))
    child.on('close', (code, signal) => end(signal ? `killed by ${signal}` : `exited with code ${code}`))
    if (child.pid !== undefined) {
      this.#o.log.info(`${this.#o.name} started`, { childPid: child.pid })
      this.#set({ state: 'running', pid: child.pid })
    }
  }

  #line(line: string): void {
    if (!line.trim()) return
    this.#tail = [...this.#tail.slice(-4), line]
    this.#o.log.info(line, { from: this.#o.name })
  }

  #exited(reason: string): void {
    if (!this.#wanted) return
    // When it gave up by itself, its last line ("failed to create listening socket…") says why.
    const last = this.#tail.at(-1)
    const lastError = last && reason.startsWith('exited') ? `${reason}: ${last}` : reason
    if (Date.now() - this.#startedAt >= this.#o.stableMs) this.#delay = this.#o.minDelayMs
    const delay = this.#delay
    this.#delay = Math.min(this.#o.maxDelayMs, this.#delay * 2)
    this.#o.log.error(`${this.#o.name} stopped; restarting`, { reason: lastError, inMs: delay })
    this.#set({ state: 'restarting', pid: null, restarts: this.#state.restarts + 1, lastError })
    this.#timer = setTimeout(() => this.#spawn(), delay)
  }

  async #kill(): Promise<void> {
    const child = this.#child
    this.#child = null
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => {
      this.#o.log.warn(`${this.#o.name} ignored SIGTERM; killing it`, { childPid: child.pid })
      child.kill('SIGKILL')
    }, this.#o.killAfterMs)
    await gone
    clearTimeout(timer)
  }
}
