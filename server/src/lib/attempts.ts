// Failed-attempt limiter for logins and codes, kept in memory (no SD-card write per failure).
// After `freeFailures` failures a key must wait before trying again, twice as long each time
// (1 s, 2 s, 4 s … up to `maxDelayMs`); at `maxPerHour` failures in the last hour it is blocked
// until the oldest of them is an hour old. A success clears the key.
export interface AttemptPolicy {
  freeFailures: number
  maxDelayMs: number
  maxPerHour: number
}

const HOUR = 3_600_000
const MAX_KEYS = 50_000

export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly policy: AttemptPolicy,
    private readonly now: () => number,
  ) {}

  /** Milliseconds the key must still wait before its next attempt (0: go ahead). */
  waitFor(key: string): number {
    const list = this.recent(key)
    if (list.length === 0) return 0
    const now = this.now()
    if (list.length >= this.policy.maxPerHour) return list[0]! + HOUR - now
    const over = list.length - this.policy.freeFailures
    if (over < 0) return 0
    const delay = Math.min(1000 * 2 ** over, this.policy.maxDelayMs)
    return Math.max(0, list[list.length - 1]! + delay - now)
  }

  fail(key: string): void {
    const list = this.recent(key)
    list.push(this.now())
    this.failures.delete(key)
    this.failures.set(key, list) // re-insert: Map order is then least recently failed first
    if (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
  }

  succeed(key: string): void {
    this.failures.delete(key)
  }

  private recent(key: string): number[] {
    const list = this.failures.get(key)
    if (!list) return []
    const since = this.now() - HOUR
    while (list.length && list[0]! <= since) list.shift()
    return list
  }
}
