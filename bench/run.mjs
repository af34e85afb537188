// `make bench`: three parts, each against a bare baseline measured in the same run. See bench/README.md.
//   http:     how much of a bare Fastify server's throughput the real box keeps on an authenticated
//             request, and how much memory the box holds (this file);
//   exchange: listing search over 20,000 listings of the neighbour exchange against the bare
//             Fastify server (bench/exchange.mjs);
//   files:    upload and download of a 1 GB file through the shared storage against a bare Node
//             server streaming socket → disk and disk → socket (bench/files.mjs).
// `node bench/run.mjs` runs them all; `node bench/run.mjs exchange` (or BENCH_PARTS=exchange) only one.
//
// http part: starts the built box (server/dist/main.js) on a fresh data folder and a bare Fastify
// hello-world (bench/hello.mjs), each as its own process on the loopback address; creates the
// caretaker, a flat, an invitation and a resident; then loads, in alternation,
// hello `GET /` and box `GET /api/v1/me` (resident cookie) with autocannon in this process.
// Exit code: 0 every goal met, 1 a goal missed, 2 the bench itself failed (bad answers, errors).
import autocannon from 'autocannon'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchExchange, exchangePlannedSeconds } from './exchange.mjs'
import { benchFiles, filesPlannedSeconds } from './files.mjs'
import { seedBoard } from './seed-board.mjs'
import {
  HOST,
  cleanup,
  cpuSeconds,
  envInt,
  expectStatus,
  fmt,
  freePort,
  log,
  mb,
  median,
  populate,
  request,
  rssBytes,
  rssDetail,
  sampleRss,
  sleep,
  spread,
  startBox as startBoxWith,
  startChild,
  stopChild,
  table,
  waitReady,
} from './lib.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
// BENCH_BOX_MAIN: another compiled box to measure (a candidate fix, a profiling build).
const BOX_MAIN = path.resolve(process.env.BENCH_BOX_MAIN || path.join(ROOT, 'server/dist/main.js'))
const HELLO_MAIN = path.join(ROOT, 'bench/hello.mjs')
// BENCH_BOX_NODE_ARGS: extra node flags for the box only, e.g. "--cpu-prof --cpu-prof-dir=bench/results/prof".
// By default the flags the box runs with in production (Makefile NODE_FLAGS, the Dockerfile's
// NODE_OPTIONS): a 1 MB young generation and one V8 helper thread keep idle RSS about 25 MB
// lower at no measured cost.
const BOX_NODE_ARGS = (process.env.BENCH_BOX_NODE_ARGS ?? '--max-semi-space-size=1 --v8-pool-size=1').split(/\s+/).filter(Boolean)
const RESULTS = path.join(ROOT, 'bench/results/latest.json')

// Which parts to run: arguments (`node bench/run.mjs files`) or BENCH_PARTS ("http,files").
const ALL_PARTS = ['http', 'exchange', 'files']
const PARTS = (() => {
  const asked = (process.argv.length > 2 ? process.argv.slice(2) : (process.env.BENCH_PARTS ?? '').split(/[\s,]+/)).filter(Boolean)
  const unknown = asked.filter((p) => !ALL_PARTS.includes(p))
  if (unknown.length) {
    process.stderr.write(`bench: unknown part ${unknown.join(', ')}; the parts are ${ALL_PARTS.join(', ')}\n`)
    process.exit(2)
  }
  return asked.length ? ALL_PARTS.filter((p) => asked.includes(p)) : ALL_PARTS
})()

const GOALS = { minThroughputRatio: 0.35, maxIdleRssMb: 80 }

const SETTINGS = {
  duration: envInt('BENCH_DURATION', 5, { max: 600 }), // seconds per measured run
  warmup: envInt('BENCH_WARMUP', 2, { max: 60 }), // seconds, once per server, not counted
  connections: envInt('BENCH_CONNECTIONS', 10, { max: 1000 }),
  pipelining: 1,
  // baseline, box, baseline, box, …: short alternating runs share the machine's mood (other jobs
  // on this 2-core machine move throughput by 2× from one minute to the next).
  rounds: envInt('BENCH_ROUNDS', 4, { max: 20 }),
  startSettleMs: 1000, // pause after start-up before reading the RSS "after start"
  settle: envInt('BENCH_SETTLE', 2, { max: 120 }), // seconds of pause after setup before reading idle RSS
  rssEveryMs: 100,
}

// Everything must end by itself: a watchdog well above the planned time.
const httpPlannedSeconds = SETTINGS.settle + 3 * SETTINGS.warmup + 3 * SETTINGS.rounds * SETTINGS.duration + 30 // + seeding
const watchdogSeconds =
  (PARTS.includes('http') ? httpPlannedSeconds + 3 * SETTINGS.rounds * 3 + 40 : 0) +
  (PARTS.includes('exchange') ? exchangePlannedSeconds() : 0) +
  (PARTS.includes('files') ? filesPlannedSeconds() : 0)
let watchdogLeft = watchdogSeconds
let watchdog = setTimeout(() => fail(`the bench did not finish within ${watchdogLeft} s`), watchdogSeconds * 1000)
watchdog.unref()
const watchdogStarted = Date.now()
// A part that finds a much slower server than planned (the exchange part, timeouts) asks for more time.
function extendWatchdog(seconds) {
  clearTimeout(watchdog)
  watchdogLeft += seconds
  watchdog = setTimeout(() => fail(`the bench did not finish within ${watchdogLeft} s`), watchdogLeft * 1000 - (Date.now() - watchdogStarted))
  watchdog.unref()
}

let current // the autocannon run in progress, stopped on Ctrl-C
let finishing = false

async function fail(message, code = 2) {
  if (finishing) return
  finishing = true
  process.stderr.write(`\nbench: FAILED: ${message}\n`)
  current?.stop?.()
  await cleanup()
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void fail(`interrupted (${signal})`, 130))
}
process.on('uncaughtException', (err) => void fail(err.stack ?? String(err)))
process.on('unhandledRejection', (err) => void fail(err?.stack ?? String(err)))

// ---------------------------------------------------------------- the two servers

const startBox = () => startBoxWith({ main: BOX_MAIN, nodeArgs: BOX_NODE_ARGS })

async function startHello() {
  const port = await freePort()
  const child = startChild('hello', [HELLO_MAIN], { HELLO_PORT: String(port) })
  await waitReady(child, port, '/')
  return { child, port }
}

// ---------------------------------------------------------------- load

/**
 * One autocannon run, in this process. Every answer must be 2xx with the expected body.
 * Also samples the server's RSS and counts the CPU time it spent (user + system).
 */
async function load(target, seconds) {
  const sampler = sampleRss(target.pid, SETTINGS.rssEveryMs)
  const cpu0 = cpuSeconds(target.pid)
  const client0 = process.cpuUsage()
  current = autocannon({
    url: `http://${HOST}:${target.port}${target.path}`,
    headers: target.headers,
    // Several signed-in residents in turn (the board): each request another person's page.
    ...(target.requests ? { requests: target.requests } : { expectBody: target.expectBody }),
    connections: SETTINGS.connections,
    pipelining: SETTINGS.pipelining,
    duration: seconds,
    timeout: 10,
  })
  let result
  try {
    result = await current
  } finally {
    current = undefined
  }
  const serverCpu = cpuSeconds(target.pid) - cpu0
  const client = process.cpuUsage(client0)
  const { peak } = sampler.stop()
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count])),
    peakRssBytes: peak,
    serverCpuSeconds: serverCpu,
    serverCpuUsPerRequest: (serverCpu / result.requests.total) * 1e6,
    serverCpuShare: serverCpu / seconds, // 1 = one core busy all the time
    clientCpuShare: (client.user + client.system) / 1e6 / seconds,
  }
}

function checkRun(name, run) {
  const bad = []
  if (run.requests === 0 || run.ok2xx === 0) bad.push('no request completed')
  if (run.non2xx) bad.push(`${run.non2xx} non-2xx answers`)
  const other = Object.keys(run.statusCodes).filter((code) => code !== '200')
  if (other.length) bad.push(`answers other than 200: ${JSON.stringify(run.statusCodes)}`)
  if (run.errors) bad.push(`${run.errors} errors`)
  if (run.timeouts) bad.push(`${run.timeouts} timeouts`)
  if (run.mismatches) bad.push(`${run.mismatches} answers with an unexpected body`)
  if (bad.length) throw new Error(`${name} under load: ${bad.join(', ')}`)
}

// ---------------------------------------------------------------- report

function summarize(runs, idleDetail, startRss) {
  const idleRss = idleDetail.rss
  return {
    idleRssAnonMb: mb(idleDetail.anon),
    idleRssFileMb: mb(idleDetail.file),
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuUsPerRequest: median(runs.map((r) => r.serverCpuUsPerRequest)),
    startRssMb: mb(startRss),
    idleRssMb: mb(idleRss),
    peakRssMb: mb(Math.max(idleRss, ...runs.map((r) => r.peakRssBytes))),
    runs: runs.map(({ peakRssBytes, ...r }) => ({ ...r, peakRssMb: mb(peakRssBytes) })),
  }
}

// ---------------------------------------------------------------- main

async function benchHttp() {
  const started = Date.now()
  const loadBefore = os.loadavg()
  log('part http: the box\'s API against a bare Fastify server')
  log(
    `${SETTINGS.rounds} rounds × ${SETTINGS.duration} s per server after a ${SETTINGS.warmup} s warm-up, ` +
      `${SETTINGS.connections} connections, pipelining ${SETTINGS.pipelining}; ` +
      `${os.cpus().length} CPUs, load average ${loadBefore[0].toFixed(2)}, Node ${process.version}`,
  )

  const [box, hello] = await Promise.all([startBox(), startHello()])
  log(`box: node ${[...BOX_NODE_ARGS, path.relative(process.cwd(), BOX_MAIN) || BOX_MAIN].join(' ')}`)
  log(`box pid ${box.child.pid} on ${HOST}:${box.port}, hello pid ${hello.child.pid} on ${HOST}:${hello.port}`)
  await sleep(SETTINGS.startSettleMs)
  const startRss = { box: rssBytes(box.child.pid), hello: rssBytes(hello.child.pid) }

  let populated
  try {
    populated = await populate(box.port)
  } catch (err) {
    throw new Error(`${err.message}\n--- last lines of the box's output ---\n${box.child.outputTail()}`)
  }
  const { headers, meText } = populated
  log('caretaker, flat, invitation and resident created')

  await sleep(SETTINGS.settle * 1000)
  const idleDetail = { box: rssDetail(box.child.pid), hello: rssDetail(hello.child.pid) }
  const idle = { box: idleDetail.box?.rss, hello: idleDetail.hello?.rss }
  if (!idle.box || !idle.hello || !startRss.box || !startRss.hello) throw new Error('cannot read VmRSS from /proc (a server exited?)')
  const split = (d) => `${fmt(mb(d.rss), 1)} MB (anon ${fmt(mb(d.anon), 1)} + files ${fmt(mb(d.file), 1)})`
  log(`RSS after start: box ${fmt(mb(startRss.box), 1)} MB, hello ${fmt(mb(startRss.hello), 1)} MB`)
  log(`idle RSS ${SETTINGS.settle} s after setup: box ${split(idleDetail.box)}, hello ${split(idleDetail.hello)}`)

  const seeded = await seedBoard(box.dataDir, path.dirname(BOX_MAIN))
  log(
    `board seeded in ${fmt(seeded.seconds, 1)} s: ${fmt(seeded.counts.notices)} notices, ${fmt(seeded.counts.reads)} read records, ` +
      `${seeded.cookies.length} signed-in residents in 100 flats`,
  )
  const sample = await request(box.port, 'GET', '/api/v1/notices', { headers: { cookie: seeded.cookies[0] } })
  expectStatus(sample, 200, 'GET /api/v1/notices')
  if (!Array.isArray(sample.body.notices) || sample.body.notices.length !== 20 || !sample.body.nextCursor) {
    throw new Error(`GET /api/v1/notices: expected a full first page of 20 with a cursor, got ${JSON.stringify(sample.body).slice(0, 300)}`)
  }
  log(`board first page: ${sample.body.notices.length} notices, ${fmt(JSON.stringify(sample.body).length / 1024, 1)} KB of JSON`)

  const targets = {
    hello: { name: 'baseline (bare Fastify GET /)', port: hello.port, path: '/', headers: {}, expectBody: '{"hello":"world"}', pid: hello.child.pid },
    box: { name: 'box (GET /api/v1/me, resident)', port: box.port, path: '/api/v1/me', headers, expectBody: meText, pid: box.child.pid },
    // The board's first page, each request for another of 300 residents (so never a page made
    // for the person just before), with 10,000 notices and 100,000 read records in the database.
    board: {
      name: 'box (GET /api/v1/notices, 300 residents in turn)',
      port: box.port,
      path: '/api/v1/notices',
      headers: {},
      requests: seeded.cookies.map((cookie) => ({ method: 'GET', path: '/api/v1/notices', headers: { cookie } })),
      pid: box.child.pid,
    },
  }

  for (const key of Object.keys(targets)) {
    log(`warm-up ${key} (${SETTINGS.warmup} s, not counted)`)
    checkRun(`${targets[key].name} warm-up`, await load(targets[key], SETTINGS.warmup))
  }

  const runs = { hello: [], box: [], board: [] }
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    for (const key of Object.keys(targets)) {
      const r = await load(targets[key], SETTINGS.duration)
      try {
        checkRun(targets[key].name, r)
      } catch (err) {
        const child = key === 'hello' ? hello.child : box.child
        if (child.exitCode === null && child.signalCode === null) throw err
        throw new Error(`${err.message}; the server exited (code ${child.exitCode}, signal ${child.signalCode}):\n${child.outputTail()}`)
      }
      runs[key].push(r)
      log(
        `round ${round} ${key.padEnd(5)}: ${fmt(r.reqPerSec).padStart(6)} req/s, p99 ${String(r.p99Ms).padStart(2)} ms, ` +
          `${fmt(r.serverCpuUsPerRequest).padStart(3)} µs CPU/request, server CPU ${fmt(100 * r.serverCpuShare)}%, ` +
          `client CPU ${fmt(100 * r.clientCpuShare)}%, peak RSS ${fmt(mb(r.peakRssBytes), 1)} MB`,
      )
    }
  }
  // Both servers must still be alive at the end (a crash would show up as errors, but be sure).
  for (const c of [box.child, hello.child]) {
    if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${c.benchName} exited during the load:\n${c.outputTail()}`)
  }

  const baseline = summarize(runs.hello, idleDetail.hello, startRss.hello)
  const boxSum = summarize(runs.box, idleDetail.box, startRss.box)
  const boardSum = summarize(runs.board, idleDetail.box, startRss.box)
  const ratio = boxSum.reqPerSec / baseline.reqPerSec
  const boardRatio = boardSum.reqPerSec / baseline.reqPerSec
  const roundRatios = runs.box.map((r, i) => r.reqPerSec / runs.hello[i].reqPerSec)
  const boardRoundRatios = runs.board.map((r, i) => r.reqPerSec / runs.hello[i].reqPerSec)
  const cpuRatio = baseline.cpuUsPerRequest / boxSum.cpuUsPerRequest
  const boardCpuRatio = baseline.cpuUsPerRequest / boardSum.cpuUsPerRequest
  const noise = spread(runs.hello.map((r) => r.reqPerSec))
  const goals = {
    throughputRatio: { goal: `>= ${GOALS.minThroughputRatio}`, value: ratio, pass: ratio >= GOALS.minThroughputRatio },
    boardThroughputRatio: { goal: `>= ${GOALS.minThroughputRatio}`, value: boardRatio, pass: boardRatio >= GOALS.minThroughputRatio },
    boxIdleRssMb: { goal: `< ${GOALS.maxIdleRssMb}`, value: boxSum.idleRssMb, pass: boxSum.idleRssMb < GOALS.maxIdleRssMb },
  }

  console.log()
  console.log(
    table([
      ['', 'req/s (median)', 'p99 (ms)', 'CPU µs/req', 'idle RSS (MB)', 'peak RSS (MB)'],
      ['baseline: bare Fastify GET /', fmt(baseline.reqPerSec), fmt(baseline.p99Ms), fmt(baseline.cpuUsPerRequest), fmt(baseline.idleRssMb, 1), fmt(baseline.peakRssMb, 1)],
      ['box: GET /api/v1/me (resident)', fmt(boxSum.reqPerSec), fmt(boxSum.p99Ms), fmt(boxSum.cpuUsPerRequest), fmt(boxSum.idleRssMb, 1), fmt(boxSum.peakRssMb, 1)],
      ['ratio /me / baseline', fmt(ratio, 2) + '×', '', fmt(cpuRatio, 2) + '×', '', ''],
      ['box: GET /api/v1/notices (board)', fmt(boardSum.reqPerSec), fmt(boardSum.p99Ms), fmt(boardSum.cpuUsPerRequest), '', fmt(boardSum.peakRssMb, 1)],
      ['ratio board / baseline', fmt(boardRatio, 2) + '×', '', fmt(boardCpuRatio, 2) + '×', '', ''],
    ]),
  )
  console.log()
  console.log(`per-round throughput ratios: /me ${roundRatios.map((r) => fmt(r, 2)).join(', ')}; board ${boardRoundRatios.map((r) => fmt(r, 2)).join(', ')}; baseline runs spread ${fmt(100 * noise)}%`)
  if (noise > 0.2) console.log('note: the baseline moved by more than 20% between rounds: the machine is busy, take the ratio with care')
  console.log()
  console.log(`${goals.throughputRatio.pass ? 'PASS' : 'FAIL'}  box throughput ${fmt(ratio, 2)}× the bare server's (goal ≥ ${GOALS.minThroughputRatio}×)`)
  console.log(`${goals.boardThroughputRatio.pass ? 'PASS' : 'FAIL'}  board first page ${fmt(boardRatio, 2)}× the bare server's (goal ≥ ${GOALS.minThroughputRatio}×)`)
  console.log(`${goals.boxIdleRssMb.pass ? 'PASS' : 'FAIL'}  box idle RSS ${fmt(boxSum.idleRssMb, 1)} MB (goal < ${GOALS.maxIdleRssMb} MB)`)

  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    box: { main: BOX_MAIN, nodeArgs: BOX_NODE_ARGS },
    settings: SETTINGS,
    goals,
    pass: Object.values(goals).every((g) => g.pass),
    ratio,
    roundRatios,
    cpuRatio,
    boardRatio,
    boardRoundRatios,
    boardCpuRatio,
    baselineSpread: noise,
    results: { baseline, box: boxSum, board: boardSum },
    seconds: (Date.now() - started) / 1000,
  }
  mkdirSync(path.dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  log(`figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS} (${fmt(report.seconds, 1)} s in all)`)
  // The next part measures on a quiet machine: stop these servers now.
  await Promise.all([stopChild(box.child), stopChild(hello.child)])
  return report.pass
}

async function main() {
  let pass = true
  if (PARTS.includes('http')) pass = (await benchHttp()) && pass
  if (PARTS.includes('exchange')) {
    if (PARTS.includes('http')) console.log()
    pass = (await benchExchange({ boxMain: BOX_MAIN, boxNodeArgs: BOX_NODE_ARGS, load, checkRun, startHello, extendWatchdog })) && pass
  }
  if (PARTS.includes('files')) {
    if (PARTS.includes('http') || PARTS.includes('exchange')) console.log()
    pass = (await benchFiles({ boxMain: BOX_MAIN, boxNodeArgs: BOX_NODE_ARGS })) && pass
  }
  return pass
}

try {
  const pass = await main()
  if (!finishing) {
    finishing = true
    await cleanup()
    clearTimeout(watchdog)
    process.exit(pass ? 0 : 1)
  }
} catch (err) {
  await fail(err.stack ?? String(err))
}
