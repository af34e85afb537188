// Part `exchange` of `make bench` (issue 5): listing search over 20,000 listings against the bare
// Fastify hello-world measured in the same run. Goal: at least 0.35× the baseline's throughput.
//
// Starts the built box and bench/hello.mjs, creates the caretaker and a resident through the API,
// seeds 300 households and 20,000 listings straight into the database (bench/seed-exchange.mjs),
// checks each measured query's first page against the seeded data, then loads, in alternation,
// hello `GET /` and one query of `GET /api/v1/exchange/listings` (signed-in residents in turn),
// for each query of QUERIES, over several rounds. See bench/README.md, part exchange.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuSeconds, envInt, fmt, log, mb, median, populate, request, rssDetail, sleep, spread, startBox, stopChild, table } from './lib.mjs'
import { foldedWords, seedExchange } from './seed-exchange.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RESULTS = path.join(ROOT, 'bench/results/exchange.json')
const GOAL = 0.35
const LIMIT = 20 // the route's default page size

// What residents type and pick, each measured on its own: words are matched as prefixes, accents
// and case folded, all of them (AND).
export const QUERIES = [
  { key: 'word', label: 'q=perceuse (one word)', qs: 'q=perceuse', words: ['perceuse'] },
  { key: 'words', label: 'q=cours maths (two words)', qs: 'q=cours%20maths', words: ['cours', 'maths'] },
  { key: 'prefix', label: 'q=pous (prefix)', qs: 'q=pous', words: ['pous'] },
  { key: 'kindq', label: 'q=vélo&kind=lend', qs: `q=${encodeURIComponent('vélo')}&kind=lend`, words: ['velo'], kind: 'lend' },
  { key: 'filter', label: 'kind=give&category=kids', qs: 'kind=give&category=kids', kind: 'give', category: 'kids', order: 'newest' },
  { key: 'closing', label: 'sort=closing', qs: 'sort=closing', order: 'closing' },
  { key: 'newest', label: 'no q (newest first)', qs: '', order: 'newest' },
]

export const SETTINGS = {
  duration: envInt('BENCH_EXCHANGE_DURATION', 3, { max: 600 }), // seconds per measured run
  rounds: envInt('BENCH_EXCHANGE_ROUNDS', 3, { max: 20 }),
  warmup: envInt('BENCH_WARMUP', 2, { max: 60 }),
  listings: envInt('BENCH_EXCHANGE_LISTINGS', 20_000, { max: 1_000_000 }),
  households: 300,
  settle: envInt('BENCH_SETTLE', 2, { max: 120 }),
}

export const exchangePlannedSeconds = () =>
  SETTINGS.settle * 2 + SETTINGS.warmup * (1 + QUERIES.length) + SETTINGS.rounds * QUERIES.length * 2 * SETTINGS.duration + 60

const pathOf = (q) => `/api/v1/exchange/listings${q.qs ? `?${q.qs}` : ''}`

/** The listings a household may see for this query: strict (no hidden one) and lenient (its own hidden ones too). */
function expectedFor(seeded, q, flatId) {
  const blocked = new Set()
  for (const [a, b] of seeded.blockPairs) {
    if (a === flatId) blocked.add(b)
    if (b === flatId) blocked.add(a)
  }
  const strict = []
  const lenient = []
  for (const l of seeded.listings) {
    if (l.status !== 'open' && l.status !== 'reserved') continue
    if (l.expiresAt <= Date.now()) continue
    if (blocked.has(l.flatId)) continue
    if (q.kind && l.kind !== q.kind) continue
    if (q.category && l.category !== q.category) continue
    if (q.words) {
      const words = (l.words ??= foldedWords(`${l.title} ${l.description}`))
      if (!q.words.every((w) => words.some((t) => t.startsWith(w)))) continue
    }
    if (l.hidden && l.flatId !== flatId) continue
    lenient.push(l)
    if (!l.hidden) strict.push(l)
  }
  return { strict, lenient }
}

/** First page of each query, as the first resident, against the seeded data. Throws when wrong. */
async function checkAnswers(port, seeded, viewer) {
  const sizes = {}
  for (const q of QUERIES) {
    // Twice: the second answer's time is the query's latency alone, caches warm (a slow query
    // shows here before the load turns it into timeouts).
    await request(port, 'GET', pathOf(q), { headers: { cookie: viewer.cookie }, timeoutMs: 120_000 })
    const t0 = process.hrtime.bigint()
    const res = await request(port, 'GET', pathOf(q), { headers: { cookie: viewer.cookie }, timeoutMs: 120_000 })
    const latencyMs = Number(process.hrtime.bigint() - t0) / 1e6
    const what = `GET ${pathOf(q)}`
    if (res.status !== 200) throw new Error(`${what}: expected HTTP 200, got ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`)
    const items = res.body?.items
    if (!Array.isArray(items)) throw new Error(`${what}: no items array in ${JSON.stringify(res.body).slice(0, 300)}`)
    const { strict, lenient } = expectedFor(seeded, q, viewer.flatId)
    const allowed = new Set(lenient.map((l) => l.id))
    const stray = items.filter((it) => !allowed.has(it.id))
    if (stray.length) throw new Error(`${what}: ${stray.length} of ${items.length} items should not be there (first: ${JSON.stringify(stray[0]).slice(0, 300)})`)
    const want = Math.min(LIMIT, strict.length)
    if (items.length < want || items.length > Math.min(LIMIT, lenient.length)) {
      throw new Error(`${what}: ${items.length} items on the first page, expected ${want} (${strict.length} listings match)`)
    }
    if (strict.length > LIMIT && !res.body.nextCursor) throw new Error(`${what}: ${strict.length} listings match but there is no nextCursor`)
    // Order, where the contract fixes it: newest = latest written first; closing = soonest expiry first.
    if (q.order) {
      const byId = new Map(lenient.map((l) => [l.id, l]))
      const got = items.map((it) => byId.get(it.id))
      const key = q.order === 'closing' ? (l) => l.expiresAt : (l) => -l.seq
      for (let i = 1; i < got.length; i++) {
        if (key(got[i - 1]) > key(got[i])) throw new Error(`${what}: items not in ${q.order} order (at position ${i})`)
      }
      const best = [...strict].sort((a, b) => key(a) - key(b))[0]
      if (best && key(got[0]) > key(best)) throw new Error(`${what}: the first item is not the ${q.order} one`)
    }
    sizes[q.key] = { items: items.length, matches: strict.length, bytes: JSON.stringify(res.body).length, latencyMs }
  }
  return sizes
}

/** Waits until the process has used less than 2% of a core for half a second (at most 3 minutes). */
async function waitIdle(pid) {
  const deadline = Date.now() + 180_000
  let last = cpuSeconds(pid)
  while (Date.now() < deadline) {
    await sleep(500)
    const now = cpuSeconds(pid)
    if (now === undefined || now - last < 0.01) return
    last = now
  }
  throw new Error('the box stayed busy for 3 minutes after a run')
}

/**
 * @param ctx.load, ctx.checkRun, ctx.startHello from bench/run.mjs (the same autocannon runs as part http)
 * @returns whether the goal was met
 */
export async function benchExchange({ boxMain, boxNodeArgs, load, checkRun, startHello, extendWatchdog = () => {} }) {
  const started = Date.now()
  const loadBefore = os.loadavg()
  log('part exchange: listing search over 20,000 listings against a bare Fastify server')
  log(
    `${SETTINGS.rounds} rounds × ${QUERIES.length} queries × ${SETTINGS.duration} s, each query run right after a baseline run; ` +
      `${os.cpus().length} CPUs, load average ${loadBefore[0].toFixed(2)}`,
  )
  const [box, hello] = await Promise.all([startBox({ main: boxMain, nodeArgs: boxNodeArgs }), startHello()])
  log(`box pid ${box.child.pid} on port ${box.port}, hello pid ${hello.child.pid} on port ${hello.port}`)
  try {
    await sleep(1000)
    let populated
    try {
      populated = await populate(box.port)
    } catch (err) {
      throw new Error(`${err.message}\n--- last lines of the box's output ---\n${box.child.outputTail()}`)
    }
    await sleep(SETTINGS.settle * 1000)
    const beforeSeed = rssDetail(box.child.pid)

    const seeded = await seedExchange(box.dataDir, path.dirname(boxMain), { listings: SETTINGS.listings, households: SETTINGS.households })
    const apiResident = seeded.cookies.find((c) => c.cookie === populated.headers.cookie) ?? {
      cookie: populated.headers.cookie,
      flatId: (await request(box.port, 'GET', '/api/v1/me', { headers: populated.headers })).body.flat?.id,
    }
    const c = seeded.counts
    log(
      `exchange seeded in ${fmt(seeded.seconds, 1)} s: ${fmt(c.listings)} listings (${fmt(c.listed)} on the list), ${fmt(c.households)} households, ` +
        `${fmt(seeded.cookies.length)} signed-in residents, ${fmt(c.conversations)} conversations, ${fmt(c.messages)} messages, ` +
        `${fmt(c.photos)} photo rows, ${fmt(c.blocks)} blocks`,
    )
    await sleep(SETTINGS.settle * 1000)
    const idle = rssDetail(box.child.pid)
    const split = (d) => `${fmt(mb(d.rss), 1)} MB (anon ${fmt(mb(d.anon), 1)} + files ${fmt(mb(d.file), 1)})`
    log(`box idle RSS: ${split(beforeSeed)} after setup, ${split(idle)} ${SETTINGS.settle} s after seeding (before any search)`)

    // The resident made through the API first, then the seeded ones: every request another person.
    const residents = [apiResident, ...seeded.cookies.filter((r) => r.cookie !== apiResident.cookie)]
    const sizes = await checkAnswers(box.port, seeded, residents[0])
    log(
      'first pages checked against the seeded data: ' +
        QUERIES.map((q) => `${q.label} ${sizes[q.key].items} of ${fmt(sizes[q.key].matches)} (${fmt(sizes[q.key].bytes / 1024, 1)} KB)`).join('; '),
    )
    log(`one request alone (latency): ${QUERIES.map((q) => `${q.key} ${fmt(sizes[q.key].latencyMs, 1)} ms`).join(', ')}`)
    const slow = QUERIES.filter((q) => sizes[q.key].latencyMs > 1000)
    if (slow.length) {
      log(`note: ${slow.map((q) => q.label).join(', ')} take over a second alone: expect timeouts under load (counted as no answer, not a bench error)`)
      // The box then finishes up to `connections` requests after each run before the next starts.
      const backlog = slow.reduce((t, q) => t + sizes[q.key].latencyMs / 1000, 0) * 10 * 1.5
      extendWatchdog(Math.ceil(backlog * (SETTINGS.rounds + 1)))
    }

    const helloTarget = { name: 'baseline (bare Fastify GET /)', port: hello.port, path: '/', headers: {}, expectBody: '{"hello":"world"}', pid: hello.child.pid }
    const targets = Object.fromEntries(
      QUERIES.map((q) => [
        q.key,
        {
          name: `box (GET ${pathOf(q)}, residents in turn)`,
          port: box.port,
          path: pathOf(q),
          headers: {},
          requests: residents.map((r) => ({ method: 'GET', path: pathOf(q), headers: { cookie: r.cookie } })),
          pid: box.child.pid,
        },
      ]),
    )
    let timedOut = 0
    const guarded = async (key, target, seconds) => {
      const r = await load(target, seconds)
      // Requests the box had read when autocannon stopped are still answered: wait for them, or
      // the next run (the baseline's) would share the machine with them.
      if (key !== 'hello') await waitIdle(box.child.pid)
      try {
        if (key !== 'hello' && (r.timeouts > 0 || r.requests === 0)) {
          // A search too slow to answer within autocannon's 10 s is the box's failure, not the
          // bench's: count it, keep the completed requests' rate, and let the box finish the
          // requests it had already read before the next run measures anything.
          timedOut += r.timeouts
          log(`${target.name}: ${r.timeouts} requests timed out, ${r.requests} answered in ${seconds} s`)
          checkRun(target.name, { ...r, timeouts: 0, errors: r.errors - r.timeouts, requests: Math.max(1, r.requests), ok2xx: Math.max(1, r.ok2xx) })
        } else checkRun(target.name, r)
      } catch (err) {
        const child = key === 'hello' ? hello.child : box.child
        if (child.exitCode === null && child.signalCode === null) throw err
        throw new Error(`${err.message}; the server exited (code ${child.exitCode}, signal ${child.signalCode}):\n${child.outputTail()}`)
      }
      return r
    }

    log(`warm-up (not counted): hello ${SETTINGS.warmup} s, each query ${SETTINGS.warmup} s`)
    await guarded('hello', helloTarget, SETTINGS.warmup)
    for (const q of QUERIES) await guarded(q.key, targets[q.key], SETTINGS.warmup)

    const runs = { hello: [], ...Object.fromEntries(QUERIES.map((q) => [q.key, []])) }
    const paired = Object.fromEntries(QUERIES.map((q) => [q.key, []])) // box run ÷ the baseline run just before it
    for (let round = 1; round <= SETTINGS.rounds; round++) {
      for (const q of QUERIES) {
        const h = await guarded('hello', helloTarget, SETTINGS.duration)
        const r = await guarded(q.key, targets[q.key], SETTINGS.duration)
        runs.hello.push(h)
        runs[q.key].push(r)
        paired[q.key].push(r.reqPerSec / h.reqPerSec)
        log(
          `round ${round} ${q.label.padEnd(26)}: ${fmt(r.reqPerSec).padStart(6)} req/s (hello ${fmt(h.reqPerSec).padStart(6)}, ` +
            `${fmt(r.reqPerSec / h.reqPerSec, 2)}×), p99 ${r.p99Ms} ms, ${fmt(r.serverCpuUsPerRequest)} µs CPU/request, ` +
            `server CPU ${fmt(100 * r.serverCpuShare)}%, peak RSS ${fmt(mb(r.peakRssBytes), 1)} MB`,
        )
      }
    }
    for (const child of [box.child, hello.child]) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.benchName} exited during the load:\n${child.outputTail()}`)
    }
    await sleep(SETTINGS.settle * 1000)
    const after = rssDetail(box.child.pid)

    const sum = (list) => ({
      reqPerSec: median(list.map((r) => r.reqPerSec)),
      p99Ms: median(list.map((r) => r.p99Ms)),
      cpuUsPerRequest: median(list.map((r) => r.serverCpuUsPerRequest)),
      peakRssMb: mb(Math.max(...list.map((r) => r.peakRssBytes))),
      runs: list.map(({ peakRssBytes, ...r }) => ({ ...r, peakRssMb: mb(peakRssBytes) })),
    })
    const baseline = sum(runs.hello)
    const perQuery = Object.fromEntries(
      QUERIES.map((q) => {
        const s = sum(runs[q.key])
        return [q.key, { ...s, label: q.label, path: pathOf(q), ...sizes[q.key], ratio: s.reqPerSec / baseline.reqPerSec, cpuRatio: baseline.cpuUsPerRequest / s.cpuUsPerRequest, pairedRatios: paired[q.key] }]
      }),
    )
    const searchReqPerSec = median(QUERIES.map((q) => perQuery[q.key].reqPerSec))
    const ratio = searchReqPerSec / baseline.reqPerSec
    const searchCpu = median(QUERIES.map((q) => perQuery[q.key].cpuUsPerRequest))
    const cpuRatio = baseline.cpuUsPerRequest / searchCpu
    const worst = QUERIES.map((q) => perQuery[q.key]).sort((a, b) => a.ratio - b.ratio)[0]
    const noise = spread(runs.hello.map((r) => r.reqPerSec))
    const pass = ratio >= GOAL

    console.log()
    console.log(
      table([
        ['', 'req/s (median)', 'ratio', 'p99 (ms)', 'CPU µs/req', 'CPU ratio', 'items / matches', 'KB', 'peak RSS (MB)'],
        ['baseline: bare Fastify GET /', fmt(baseline.reqPerSec), '', fmt(baseline.p99Ms), fmt(baseline.cpuUsPerRequest), '', '', '', fmt(baseline.peakRssMb, 1)],
        ...QUERIES.map((q) => {
          const s = perQuery[q.key]
          return [`box: ${q.label}`, fmt(s.reqPerSec), fmt(s.ratio, 2) + '×', fmt(s.p99Ms), fmt(s.cpuUsPerRequest), fmt(s.cpuRatio, 2) + '×', `${s.items} / ${fmt(s.matches)}`, fmt(s.bytes / 1024, 1), fmt(s.peakRssMb, 1)]
        }),
        ['median of the queries', fmt(searchReqPerSec), fmt(ratio, 2) + '×', '', fmt(searchCpu), fmt(cpuRatio, 2) + '×', '', '', ''],
      ]),
    )
    console.log()
    console.log(`per-round ratios (each run ÷ the baseline run just before it): ${QUERIES.map((q) => `${q.key} ${paired[q.key].map((r) => fmt(r, 2)).join(', ')}`).join('; ')}`)
    if (timedOut) console.log(`${fmt(timedOut)} search requests timed out (10 s) under load: they count as not answered`)
    console.log(`baseline runs spread ${fmt(100 * noise)}% over ${runs.hello.length} runs`)
    if (noise > 0.2) console.log('note: the baseline moved by more than 20% between runs: the machine is busy, trust the CPU ratio and the per-round ratios more')
    console.log(
      `box RSS: ${fmt(mb(beforeSeed.rss), 1)} MB idle after setup, ${fmt(mb(idle.rss), 1)} MB idle after seeding (anon ${fmt(mb(idle.anon), 1)}), ` +
        `highest under load ${fmt(Math.max(...QUERIES.map((q) => perQuery[q.key].peakRssMb)), 1)} MB, ${fmt(mb(after.rss), 1)} MB ${SETTINGS.settle} s after the load`,
    )
    console.log()
    console.log(`${pass ? 'PASS' : 'FAIL'}  listing search ${fmt(ratio, 2)}× the bare server's (median of ${QUERIES.length} queries; goal ≥ ${GOAL}×)`)
    console.log(`info  slowest query: ${worst.label} ${fmt(worst.ratio, 2)}× (${fmt(worst.reqPerSec)} req/s)`)
    console.log(`info  box idle RSS after seeding ${fmt(mb(idle.rss), 1)} MB (the http part's goal is < 80 MB on an empty box)`)

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavgBefore: loadBefore, loadavgAfter: os.loadavg(), node: process.version },
      box: { main: boxMain, nodeArgs: boxNodeArgs },
      settings: SETTINGS,
      seeded: { ...seeded.counts, seconds: seeded.seconds, residents: residents.length },
      goal: { goal: `>= ${GOAL}`, value: ratio, pass },
      ratio,
      cpuRatio,
      baselineSpread: noise,
      timedOut,
      rss: { idleAfterSetupMb: mb(beforeSeed.rss), idleAfterSeedingMb: mb(idle.rss), idleAfterSeedingAnonMb: mb(idle.anon), afterLoadMb: mb(after.rss) },
      results: { baseline, queries: perQuery },
      seconds: (Date.now() - started) / 1000,
    }
    mkdirSync(path.dirname(RESULTS), { recursive: true })
    writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
    log(`figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS} (${fmt(report.seconds, 1)} s in all)`)
    return pass
  } finally {
    await Promise.all([stopChild(box.child), stopChild(hello.child)])
  }
}
