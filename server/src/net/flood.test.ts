// A DHCP flood against palier-net's dnsmasq: 10,000 DISCOVERs from random MAC addresses, sent
// from the "crowd" namespace, while a real busybox udhcpc in the "phone" namespace asks for a
// lease; then a small pool filled by requests, which the pool state (as the caretaker's console
// shows it) reports as nearly exhausted.
import t from 'tap'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { poolState, readLeases } from './leases.js'
import { makeLan, waitFor, type Netns } from '../../test/netns.js'
import { cleanEnv, dnsmasqRunning, ROOT, startPalierNet } from '../../test/palier-net.js'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { SETUP_CODE, setupCaretaker } from '../../test/helpers.js'

const BOX = '10.78.0.1'
const CROWD = '10.78.0.254'
const GATEWAY = { networkMode: 'gateway', lanInterface: 'lan0', lanAddress: BOX }

interface FloodReport {
  event: 'quarter' | 'done'
  sent: number
  failed: number
  ms: number
}

/** Starts server/test/dhcp-flood.ts in `ns`; `reports` fills as it prints, `ended` resolves with its exit code. */
function flood(ns: Netns, args: string[]): { child: ChildProcess; reports: FloodReport[]; ended: Promise<number | null>; stderr: () => string } {
  const child = ns.spawn(process.execPath, ['--import', 'tsx', 'server/test/dhcp-flood.ts', ...args, '--from', CROWD, '--to', '10.78.0.255'], { cwd: ROOT })
  const reports: FloodReport[] = []
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s
    const lines = out.split('\n')
    out = lines.pop() ?? ''
    for (const line of lines) if (line.trim()) reports.push(JSON.parse(line) as FloodReport)
  })
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s))
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, reports, ended, stderr: () => err }
}

let runs = 0

/**
 * What the caretaker's console shows (GET /api/v1/network) from the web app built on the same
 * settings and data folder as palier-net: it reads dnsmasq's real lease file and status.
 */
let cookie: string | undefined

async function consoleView(configFile: string): Promise<{ pool: unknown; leases: { mac: string; ip: string }[]; dnsmasq: { state: string } | null }> {
  const app = await buildApp(loadConfig(cleanEnv(configFile), { setupCode: SETUP_CODE, logLevel: 'silent' }))
  try {
    // The session made by the first look is still good for the next (same database).
    cookie ??= await setupCaretaker(app)
    const res = await app.inject({ method: 'GET', url: '/api/v1/network', headers: { cookie } })
    if (res.statusCode !== 200) throw new Error(`GET /api/v1/network: ${res.statusCode} ${res.body}`)
    return res.json()
  } finally {
    await app.close()
  }
}

/** busybox udhcpc on eth0: the leased address, or null when no server offered one. */
async function udhcpc(ns: Netns, dir: string, tries: number): Promise<string | null> {
  const out = path.join(dir, `udhcpc-${++runs}.ip`)
  const script = path.join(dir, `udhcpc-${runs}.sh`)
  writeFileSync(script, `#!/bin/sh\n[ "$1" = bound ] && echo "$ip" > ${out}\nexit 0\n`, { mode: 0o755 })
  await ns.run('udhcpc', ['-i', 'eth0', '-f', '-q', '-n', '-t', String(tries), '-T', '1', '-s', script], { timeoutMs: 30_000 })
  return existsSync(out) ? readFileSync(out, 'utf8').trim() : null
}

async function macOf(ns: Netns): Promise<string> {
  return (await ns.run('cat', ['/sys/class/net/eth0/address'])).stdout.trim()
}

t.test('DHCP flood: a real client still gets a lease, and the pool state tells', async (t) => {
  const lan = await makeLan(t, { clients: ['phone', 'crowd'], addresses: { crowd: `${CROWD}/24` } })
  const dir = t.testdir()
  const phone = lan.clients.phone!
  const crowd = lan.clients.crowd!
  const net = startPalierNet(t, lan.box, dir, GATEWAY)
  const dnsmasq = await dnsmasqRunning(net, 20_000)
  await waitFor('dnsmasq answering DNS', 10_000, async () => ((await lan.box.run('dig', [`@${BOX}`, 'ready.test', '+short', '+tries=1', '+time=1'])).stdout.trim() === BOX ? true : undefined))
  const gateway = net.plan.gateway!
  let phoneIp = ''

  await t.test('10,000 DISCOVERs from random MACs: udhcpc gets a lease within 10 s', async (t) => {
    const f = flood(crowd, ['discover', '--count', '10000', '--rate', '2500'])
    await waitFor('a quarter of the flood sent', 15_000, () => {
      if (f.child.exitCode !== null) throw new Error(`the flood tool ended early: ${f.stderr()}`)
      return f.reports.length ? true : undefined
    })
    const askedAt = Date.now()
    t.equal(f.child.exitCode, null, 'the flood is still going when the phone asks')
    const ip = await udhcpc(phone, dir, 10)
    const ms = Date.now() - askedAt
    const floodDone = f.reports.some((r) => r.event === 'done')
    t.comment(`udhcpc got ${ip} in ${ms} ms, ${floodDone ? 'after the flood ended' : 'while the flood was still going'}`)
    t.ok(ip, 'udhcpc got a lease during the flood')
    phoneIp = ip ?? ''
    t.ok(ms < 10_000, `within 10 s (${ms} ms)`)

    t.equal(await f.ended, 0, 'the flood tool ended well')
    const done = f.reports.find((r) => r.event === 'done')!
    t.same({ sent: done.sent, failed: done.failed }, { sent: 10_000, failed: 0 }, `10,000 DISCOVERs sent in ${done.ms} ms`)
    // dnsmasq logs each DISCOVER it handled: the flood did reach it.
    const seen = net.output().match(/DHCPDISCOVER\(lan0\)/g)?.length ?? 0
    t.comment(`dnsmasq logged ${seen} DISCOVERs`)
    t.ok(seen > 1000, 'dnsmasq received the flood')
    t.equal(net.status()?.dnsmasq?.pid, dnsmasq.pid, 'dnsmasq survived it (same process)')
    t.equal(net.status()?.dnsmasq?.restarts, 0)

    // DISCOVERs take no address: the pool holds the phone's lease only.
    const mac = await macOf(phone)
    const leases = readLeases(net.plan.leaseFile)
    t.same(
      leases.map((l) => [l.mac, l.ip]),
      [[mac, ip]],
      'the lease file holds the phone only',
    )
    const pool = poolState(gateway, leases, Math.floor(Date.now() / 1000))
    t.comment(`pool state: ${JSON.stringify(pool)}`)
    t.same(pool, { size: 241, used: 1, free: 240, use: 1 / 241, alert: false, devices: 1 })
    const view = await consoleView(net.configFile)
    t.same(view.pool, pool, 'the caretaker’s console reports the same pool state')
    t.same(view.leases.map((l) => [l.mac, l.ip]), [[mac, ip]], 'and the phone among the devices')
    t.equal(view.dnsmasq?.state, 'running', 'and DHCP/DNS running')
  })

  await t.test('a pool filled by requests raises the alert, and a newcomer gets nothing', async (t) => {
    // 20 addresses, away from the phone's.
    const first = Number(phoneIp.split('.')[3]) < 150 ? 200 : 100
    const [start, end] = [`10.78.0.${first}`, `10.78.0.${first + 19}`]
    net.rewrite({ ...GATEWAY, dhcpRangeStart: start, dhcpRangeEnd: end })
    await dnsmasqRunning(net, 15_000, dnsmasq.pid!)
    const small = { ...gateway, rangeStart: start, rangeEnd: end, poolSize: 20 }
    await waitFor('the new dnsmasq answering', 10_000, async () => ((await lan.box.run('dig', [`@${BOX}`, 'ready.test', '+short', '+tries=1', '+time=1'])).stdout.trim() === BOX ? true : undefined))
    const now = () => Math.floor(Date.now() / 1000)
    t.same(poolState(small, readLeases(net.plan.leaseFile), now()), { size: 20, used: 0, free: 20, use: 0, alert: false, devices: 1 }, 'the phone\'s lease is outside the new pool')

    const f = flood(crowd, ['request', '--addresses', `${start}-${end}`, '--rate', '200'])
    t.equal(await f.ended, 0, `the requests were sent ${f.stderr()}`)
    const pool = await waitFor('the pool full', 10_000, () => {
      const p = poolState(small, readLeases(net.plan.leaseFile), now())
      return p.used === 20 ? p : undefined
    })
    t.comment(`pool state: ${JSON.stringify(pool)}`)
    t.same(pool, { size: 20, used: 20, free: 0, use: 1, alert: true, devices: 21 })
    t.same((await consoleView(net.configFile)).pool, pool, 'the caretaker’s console raises the alert')
    // The alert is real: dnsmasq has nothing left to offer.
    await phone.run('ip', ['link', 'set', 'eth0', 'address', '02:00:00:00:02:01'])
    t.equal(await udhcpc(phone, dir, 3), null, 'a new device gets no lease')
    t.match(net.output(), /no address available/)
  })

  net.child.kill('SIGTERM')
  t.same(await net.exited, { code: 0, signal: null })
})
