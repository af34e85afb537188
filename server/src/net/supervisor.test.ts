// The supervisor with real child processes (small Node programs standing in for dnsmasq).
import t from 'tap'
import { jsonLog } from './log.js'
import { Supervisor, type ChildState } from './supervisor.js'

const quiet = jsonLog('test', () => {}, true)

/** A supervisor of `node -e code`, recording every state it reports. */
function supervise(code: string, options: { stableMs?: number; killAfterMs?: number } = {}) {
  const states: (ChildState & { at: number })[] = []
  const lines: string[] = []
  const log = jsonLog('test', (l) => lines.push(l))
  const s = new Supervisor({ name: 'child', command: process.execPath, args: ['-e', code], log, onState: (st) => states.push({ ...st, at: Date.now() }), ...options })
  return { s, states, lines }
}

function until<T>(what: string, ms: number, check: () => T | undefined): Promise<T> {
  const end = Date.now() + ms
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check()
      if (v !== undefined) resolve(v)
      else if (Date.now() > end) reject(new Error(`timed out waiting for ${what}`))
      else setTimeout(tick, 20)
    }
    tick()
  })
}

t.test('a child that keeps dying is restarted after 0.5 s, 1 s, 2 s…', async (t) => {
  const { s, states } = supervise('console.error("bad option at line 3"); process.exit(3)')
  t.teardown(() => s.stop())
  s.start()
  await until('four starts', 10_000, () => (states.filter((x) => x.state === 'running').length >= 4 ? true : undefined))
  await s.stop()
  const starts = states.filter((x) => x.state === 'running').map((x) => x.at)
  const deaths = states.filter((x) => x.state === 'restarting')
  const gaps = deaths.slice(0, 3).map((d, i) => starts[i + 1]! - d.at)
  t.comment(`waits before restarting: ${gaps.join(', ')} ms`)
  t.ok(gaps[0]! >= 480 && gaps[0]! < 900, `first wait ≈ 0.5 s (${gaps[0]})`)
  t.ok(gaps[1]! >= 980 && gaps[1]! < 1500, `second ≈ 1 s (${gaps[1]})`)
  t.ok(gaps[2]! >= 1980 && gaps[2]! < 2600, `third ≈ 2 s (${gaps[2]})`)
  t.equal(deaths[0]!.restarts, 1)
  t.equal(deaths[2]!.restarts, 3)
  t.equal(deaths[0]!.lastError, 'exited with code 3: bad option at line 3', 'the reason, with what the child said last')
  t.equal(states.at(-1)!.state, 'stopped')
  t.equal(s.state.pid, null)
})

t.test('the wait goes back to 0.5 s after a child ran long enough', async (t) => {
  // Runs 400 ms then dies; "stable" here is 300 ms (a minute on the box).
  const { s, states } = supervise('setTimeout(() => process.exit(1), 400)', { stableMs: 300 })
  t.teardown(() => s.stop())
  s.start()
  await until('three starts', 10_000, () => (states.filter((x) => x.state === 'running').length >= 3 ? true : undefined))
  await s.stop()
  const starts = states.filter((x) => x.state === 'running').map((x) => x.at)
  const deaths = states.filter((x) => x.state === 'restarting').map((x) => x.at)
  const gaps = [starts[1]! - deaths[0]!, starts[2]! - deaths[1]!]
  t.ok(gaps.every((g) => g >= 480 && g < 900), `each wait ≈ 0.5 s (${gaps.join(', ')})`)
})

t.test('stop(): SIGTERM, then SIGKILL for a child that ignores it', async (t) => {
  const { s, states, lines } = supervise('process.on("SIGTERM", () => {}); console.error("ready"); setInterval(() => {}, 1000)', { killAfterMs: 800 })
  s.start()
  await until('the child ready', 5_000, () => (lines.some((l) => l.includes('"ready"')) ? true : undefined))
  const pid = s.state.pid!
  const began = Date.now()
  await s.stop()
  const took = Date.now() - began
  t.ok(took >= 750 && took < 2000, `killed after the grace time (${took} ms)`)
  t.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the child is gone')
  t.match(lines.join(''), /ignored SIGTERM; killing it/)
  t.equal(states.at(-1)!.state, 'stopped')
  t.equal(states.at(-1)!.restarts, 0, 'a stop is no failure')

  // A well-behaved child ends on SIGTERM at once.
  const calm = supervise('console.error("ready"); setInterval(() => {}, 1000)')
  calm.s.start()
  await until('the child ready', 5_000, () => (calm.lines.some((l) => l.includes('"ready"')) ? true : undefined))
  const b = Date.now()
  await calm.s.stop()
  t.ok(Date.now() - b < 500, 'stopped at once')
})

t.test('a program that cannot start is retried and says why', async (t) => {
  const s = new Supervisor({ name: 'ghost', command: '/nonexistent/dnsmasq', args: [], log: quiet })
  t.teardown(() => s.stop())
  s.start()
  const state = await until('the failure', 5_000, () => (s.state.state === 'restarting' ? s.state : undefined))
  t.match(state.lastError, /^cannot start \/nonexistent\/dnsmasq: .*ENOENT/)
  t.equal(state.pid, null)
})

t.test('restart() replaces the child without counting a failure', async (t) => {
  const { s, states } = supervise('setInterval(() => {}, 1000)')
  t.teardown(() => s.stop())
  s.start()
  const first = s.state.pid!
  await s.restart()
  t.not(s.state.pid, first)
  t.equal(s.state.state, 'running')
  t.equal(s.state.restarts, 0)
  t.throws(() => process.kill(first, 0), { code: 'ESRCH' })
  // The old child's end, arriving late, starts nothing more.
  await new Promise((r) => setTimeout(r, 800))
  t.equal(states.filter((x) => x.state === 'running').length, 2)
})
