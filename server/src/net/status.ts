// palier-net's status file (NetStatus), read by the web app for the caretaker's console. Written
// whole into a temporary file then renamed, so a reader never sees half a file.
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import type { NetStatus } from './plan.js'

/**
 * palier-net rewrites the file at least this often, even when nothing changed, so a reader can
 * tell a live status (updatedAt recent) from the last words of a palier-net that is gone.
 */
export const STATUS_HEARTBEAT_MS = 30_000

export function writeStatus(file: string, status: NetStatus): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temp, JSON.stringify(status, null, 2) + '\n')
    renameSync(temp, file)
  } catch (err) {
    rmSync(temp, { force: true })
    throw err
  }
}

/** Keeps the current status and writes it on every change and on each heartbeat. */
export class StatusFile {
  #status: NetStatus
  #timer: NodeJS.Timeout | null = null

  constructor(
    readonly file: string,
    status: Omit<NetStatus, 'updatedAt' | 'pid'>,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.#status = { ...status, pid: process.pid, updatedAt: Date.now() }
  }

  get status(): NetStatus {
    return this.#status
  }

  /** Merges `change` in and writes the file (a failure is reported, never thrown: DHCP goes on). */
  update(change: Partial<Omit<NetStatus, 'pid' | 'updatedAt'>> = {}): void {
    this.#status = { ...this.#status, ...change, pid: process.pid, updatedAt: Date.now() }
    try {
      writeStatus(this.file, this.#status)
    } catch (err) {
      this.onError(err as Error)
    }
  }

  /** Starts the heartbeat (writes at once). */
  start(): void {
    this.update()
    this.#timer ??= setInterval(() => this.update(), STATUS_HEARTBEAT_MS)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }
}
