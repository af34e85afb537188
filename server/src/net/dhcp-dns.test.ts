// palier-net in gateway mode, for real: it runs dnsmasq in the box namespace; Debian's DHCP clients
// (ISC dhclient, busybox udhcpc, dhcpcd) and dig run in the phone namespace; a second interface of
// the box plays the uplink, where nothing may answer.
import t, { type Test } from 'tap'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { readLeases } from './leases.js'
import { makeLan, waitFor, type Lan, type Netns } from '../../test/netns.js'
import { cleanEnv, dnsmasqRunning, ROOT, startPalierNet, type PalierNet } from '../../test/palier-net.js'

const BOX = '10.78.0.1'
const GATEWAY = { networkMode: 'gateway', lanInterface: 'lan0', lanAddress: BOX }
const CAPTIVE_API = 'https://b0042.immeubles.bailleur.example/api/v1/portal/captive'

/** What a DHCP client's hook script was told on getting its lease, in one shape for all three. */
interface Lease {
  ip: string
  mask: string
  router: string
  dns: string
  broadcast: string
  leaseSeconds: string
  /** Option 114, when the server sent it. */
  captive?: string
}

function envOf(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).replace(/^'(.*)'$/, '$1')
  }
  return out
}

function hook(file: string, body: string): string {
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  return file
}

let runs = 0

async function setMac(ns: Netns, mac: string): Promise<void> {
  // A fresh start for each client: its own MAC, no address left by the one before.
  await ns.run('ip', ['addr', 'flush', 'dev', 'eth0'])
  const r = await ns.run('ip', ['link', 'set', 'eth0', 'address', mac])
  if (r.code !== 0) throw new Error(`cannot set the MAC: ${r.stderr}`)
}

/** ISC dhclient, with option 114 declared and requested. Stays in the foreground: stopped once bound. */
async function dhclient(ns: Netns, dir: string): Promise<Lease> {
  const id = `dhclient-${++runs}`
  const conf = path.join(dir, `${id}.conf`)
  writeFileSync(
    conf,
    'option captive-portal code 114 = text;\n' +
      'request subnet-mask, broadcast-address, routers, domain-name-servers, dhcp-lease-time, captive-portal;\n' +
      'timeout 20;\n',
  )
  const out = path.join(dir, `${id}.env`)
  const script = hook(path.join(dir, `${id}.sh`), `[ "$reason" = BOUND ] && env > ${out}.part && mv ${out}.part ${out}\nexit 0`)
  const child = ns.spawn('dhclient', ['-d', '-1', '-cf', conf, '-sf', script, '-lf', path.join(dir, `${id}.leases`), '-pf', path.join(dir, `${id}.pid`), 'eth0'])
  let log = ''
  child.stderr?.on('data', (b: Buffer) => (log += b))
  try {
    const env = await waitFor('a lease for dhclient', 20_000, () => (existsSync(out) ? envOf(out) : undefined)).catch((err: Error) => {
      throw new Error(`${err.message}\n${log}`)
    })
    return {
      ip: env.new_ip_address ?? '',
      mask: env.new_subnet_mask ?? '',
      router: env.new_routers ?? '',
      dns: env.new_domain_name_servers ?? '',
      broadcast: env.new_broadcast_address ?? '',
      leaseSeconds: env.new_dhcp_lease_time ?? '',
      ...(env.new_captive_portal ? { captive: env.new_captive_portal } : {}),
    }
  } finally {
    child.kill('SIGKILL')
  }
}

/** dhcpcd 9, with its lease and pid files on a private tmpfs (never the host's /var/lib/dhcpcd). */
async function dhcpcd(ns: Netns, dir: string): Promise<Lease> {
  const id = `dhcpcd-${++runs}`
  const conf = path.join(dir, `${id}.conf`)
  writeFileSync(
    conf,
    'define 114 string captive_portal_uri\n' +
      'option subnet_mask, broadcast_address, routers, domain_name_servers, dhcp_lease_time, captive_portal_uri\n' +
      'ipv4only\nnoipv6rs\n',
  )
  const out = path.join(dir, `${id}.env`)
  const script = hook(path.join(dir, `${id}.sh`), `[ "$reason" = BOUND ] && env > ${out}.part && mv ${out}.part ${out}\nexit 0`)
  // `ip netns exec` gives each command its own mount namespace: these mounts stay inside it.
  const cmd = `mount -t tmpfs palier /var/lib/dhcpcd && mount -t tmpfs palier /run && exec dhcpcd -4 -1 -B -t 20 -f ${conf} -c ${script} eth0`
  const r = await ns.run('sh', ['-c', cmd], { timeoutMs: 30_000 })
  if (!existsSync(out)) throw new Error(`dhcpcd got no lease (${r.code}): ${r.stdout}${r.stderr}`)
  const env = envOf(out)
  return {
    ip: env.new_ip_address ?? '',
    mask: env.new_subnet_mask ?? '',
    router: env.new_routers ?? '',
    dns: env.new_domain_name_servers ?? '',
    broadcast: env.new_broadcast_address ?? '',
    leaseSeconds: env.new_dhcp_lease_time ?? '',
    ...(env.new_captive_portal_uri ? { captive: env.new_captive_portal_uri } : {}),
  }
}

/** busybox udhcpc; its hook puts the address on eth0 so that dig can then talk to the box. */
async function udhcpc(ns: Netns, dir: string, tries = 5): Promise<Lease | null> {
  const id = `udhcpc-${++runs}`
  const out = path.join(dir, `${id}.env`)
  const script = hook(
    path.join(dir, `${id}.sh`),
    `if [ "$1" = bound ]; then env > ${out}; ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface"; fi\nexit 0`,
  )
  const r = await ns.run('udhcpc', ['-i', 'eth0', '-f', '-q', '-n', '-t', String(tries), '-T', '1', '-O', '114', '-s', script], { timeoutMs: 30_000 })
  if (!existsSync(out)) {
    if (r.code === 0) throw new Error(`udhcpc succeeded without calling its script: ${r.stderr}`)
    return null
  }
  const env = envOf(out)
  return {
    ip: env.ip ?? '',
    mask: env.subnet ?? '',
    router: env.router ?? '',
    dns: env.dns ?? '',
    broadcast: env.broadcast ?? '',
    leaseSeconds: env.lease ?? '',
    // busybox hands unknown options over as hex.
    ...(env.opt114 ? { captive: Buffer.from(env.opt114, 'hex').toString('utf8') } : {}),
  }
}

interface Dig {
  status: string
  answers: { name: string; ttl: number; type: string; data: string }[]
  raw: string
}

async function dig(ns: Netns, server: string, name: string, type = 'A', tcp = false): Promise<Dig> {
  const r = await ns.run('dig', [`@${server}`, name, type, '+tries=1', '+time=2', '+noall', '+comments', '+answer', ...(tcp ? ['+tcp'] : [])])
  const status = /status: ([A-Z]+)/.exec(r.stdout)?.[1] ?? `no answer (dig exit ${r.code})`
  const answers = r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith(';'))
    .map((l) => l.split(/\s+/))
    .map(([n, ttl, , type, ...data]) => ({ name: n ?? '', ttl: Number(ttl), type: type ?? '', data: data.join(' ') }))
  return { status, answers, raw: r.stdout + r.stderr }
}

function expectLease(t: Test, lease: Lease | null, what: string, extra: { ip?: string; leaseSeconds?: string; captive?: string } = {}): void {
  t.ok(lease, `${what} got a lease`)
  if (!lease) return
  if (extra.ip) t.equal(lease.ip, extra.ip, `${what}: its static address`)
  else t.match(lease.ip, /^10\.78\.0\.([1-9]\d|1\d\d|2[0-4]\d|250)$/, `${what}: an address of the pool (${lease.ip})`)
  t.equal(lease.mask, '255.255.255.0', `${what}: netmask`)
  t.equal(lease.router, BOX, `${what}: router = the box`)
  t.equal(lease.dns, BOX, `${what}: DNS = the box`)
  t.equal(lease.broadcast, '10.78.0.255', `${what}: broadcast`)
  t.equal(lease.leaseSeconds, extra.leaseSeconds ?? '43200', `${what}: lease time`)
  t.equal(lease.captive, extra.captive, extra.captive ? `${what}: option 114` : `${what}: no option 114`)
}

async function dnsAnswers(t: Test, lan: Lan, ns: Netns): Promise<void> {
  for (const tcp of [false, true]) {
    const how = tcp ? 'TCP' : 'UDP'
    for (const name of ['example.org', 'connectivitycheck.gstatic.com', 'captive.apple.com', 'palier.lan', 'www.msftconnecttest.com']) {
      const d = await dig(ns, lan.lanAddress, name, 'A', tcp)
      t.equal(d.status, 'NOERROR', `${how} ${name}: NOERROR`)
      t.same(d.answers, [{ name: `${name}.`, ttl: 60, type: 'A', data: BOX }], `${how} ${name} → the box, TTL 60`)
    }
    const aaaa = await dig(ns, lan.lanAddress, 'example.org', 'AAAA', tcp)
    t.equal(aaaa.status, 'NOERROR', `${how} AAAA: NOERROR`)
    t.same(aaaa.answers, [], `${how} AAAA: empty`)
    const canary = await dig(ns, lan.lanAddress, 'use-application-dns.net', 'A', tcp)
    t.equal(canary.status, 'NXDOMAIN', `${how} use-application-dns.net: NXDOMAIN`)
    t.same(canary.answers, [])
    const ncsi = await dig(ns, lan.lanAddress, 'dns.msftncsi.com', 'A', tcp)
    t.same(ncsi.answers, [{ name: 'dns.msftncsi.com.', ttl: 60, type: 'A', data: '131.107.255.255' }], `${how} dns.msftncsi.com → 131.107.255.255`)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

t.test('gateway mode: DHCP and DNS on the LAN only, reloads, restarts, stops', async (t) => {
  const lan = await makeLan(t, { clients: ['phone'], uplink: true })
  const dir = t.testdir()
  const phone = lan.clients.phone!
  const up = lan.up!
  // Outside the pool: an address in it may already be leased to another device when it is assigned.
  const staticLease = { mac: '02:00:00:00:01:42', ip: '10.78.0.5', name: 'imprimante' }
  const settings = { ...GATEWAY, dhcpStaticLeases: [staticLease] }
  const net: PalierNet = startPalierNet(t, lan.box, dir, settings)
  const first = await dnsmasqRunning(net, 20_000)
  await waitFor('dnsmasq answering', 10_000, async () => ((await dig(lan.box, BOX, 'ready.test')).answers.length ? true : undefined))
  t.equal(readFileSync(net.plan.dnsmasqConfFile, 'utf8').includes('interface=lan0'), true, 'palier-net wrote the configuration')
  t.same(net.status()?.mode, 'gateway')
  t.equal(first.restarts, 0)

  await t.test('each Debian DHCP client gets a full lease', async (t) => {
    await setMac(phone, '02:00:00:00:01:01')
    expectLease(t, await dhclient(phone, dir), 'dhclient')
    await setMac(phone, '02:00:00:00:01:02')
    expectLease(t, await dhcpcd(phone, dir), 'dhcpcd')
    await setMac(phone, '02:00:00:00:01:03')
    expectLease(t, await udhcpc(phone, dir), 'udhcpc')
    const leases = readLeases(net.plan.leaseFile)
    for (const mac of ['02:00:00:00:01:01', '02:00:00:00:01:02', '02:00:00:00:01:03']) t.ok(leases.some((l) => l.mac === mac), `${mac} is in dnsmasq's lease file`)
  })

  await t.test('a static lease is honoured', async (t) => {
    await setMac(phone, staticLease.mac)
    expectLease(t, await udhcpc(phone, dir), 'udhcpc with the static MAC', { ip: staticLease.ip })
    t.ok(readLeases(net.plan.leaseFile).some((l) => l.mac === staticLease.mac && l.ip === staticLease.ip && l.hostname === 'imprimante'))
  })

  await t.test('DNS from the phone: every name is the box, with the exceptions', async (t) => {
    // The phone holds the static lease's address (set by udhcpc's hook).
    await dnsAnswers(t, lan, phone)
  })

  await t.test('nothing answers on the uplink', async (t) => {
    t.equal(await udhcpc(up, dir, 3), null, 'a DHCP client on the uplink gets no offer')
    await up.run('ip', ['addr', 'add', '192.0.2.3/24', 'dev', 'eth0'])
    await up.run('ip', ['route', 'add', '10.78.0.0/24', 'via', lan.upAddress!])
    // The box is reachable from there (so the silence below is dnsmasq's doing)…
    const ping = await up.run('busybox', ['ping', '-c', '1', '-W', '2', BOX])
    t.equal(ping.code, 0, 'the uplink side reaches the box')
    for (const tcp of [false, true]) {
      // …but neither its uplink address nor its LAN address, asked through the uplink, answers DNS.
      for (const server of [lan.upAddress!, BOX]) {
        const d = await dig(up, server, 'example.org', 'A', tcp)
        t.match(d.status, /^no answer/, `${tcp ? 'TCP' : 'UDP'} DNS to ${server} over the uplink: no answer`)
      }
    }
  })

  const https = {
    httpsName: 'b0042.immeubles.bailleur.example',
    tlsCertFile: path.join(dir, 'cert.pem'),
    tlsKeyFile: path.join(dir, 'key.pem'),
  }
  // palier-net only names them; the web app would read them.
  writeFileSync(https.tlsCertFile, 'not read by palier-net\n')
  writeFileSync(https.tlsKeyFile, 'not read by palier-net\n')
  const moved = { ...staticLease, ip: '10.78.0.6' }
  const second = { ...GATEWAY, dhcpLeaseHours: 2, dhcpStaticLeases: [moved], ...https }
  let current = first

  await t.test('a settings change rewrites and restarts dnsmasq; clients see it (HTTPS: option 114)', async (t) => {
    net.rewrite(second)
    current = await dnsmasqRunning(net, 15_000, first.pid!)
    t.not(current.pid, first.pid, 'dnsmasq was restarted')
    t.equal(current.restarts, 0, 'a planned restart is no failure')
    const conf = readFileSync(net.plan.dnsmasqConfFile, 'utf8')
    t.match(conf, /^dhcp-range=10\.78\.0\.10,10\.78\.0\.250,255\.255\.255\.0,7200$/m)
    t.match(conf, /^dhcp-host=02:00:00:00:01:42,10\.78\.0\.6,imprimante$/m)
    t.match(conf, `dhcp-option-force=114,"${CAPTIVE_API}"`)
    await waitFor('the new dnsmasq answering', 10_000, async () => ((await dig(lan.box, BOX, 'ready.test')).answers.length ? true : undefined))

    await setMac(phone, moved.mac)
    expectLease(t, await udhcpc(phone, dir), 'udhcpc after the change', { ip: moved.ip, leaseSeconds: '7200', captive: CAPTIVE_API })
    await setMac(phone, '02:00:00:00:01:11')
    expectLease(t, await dhclient(phone, dir), 'dhclient with HTTPS', { leaseSeconds: '7200', captive: CAPTIVE_API })
    await setMac(phone, '02:00:00:00:01:12')
    expectLease(t, await dhcpcd(phone, dir), 'dhcpcd with HTTPS', { leaseSeconds: '7200', captive: CAPTIVE_API })
  })

  await t.test('bad settings are refused and the running dnsmasq kept; unchanged settings restart nothing', async (t) => {
    writeFileSync(net.configFile, '{ "networkMode": "gateway", ')
    await waitFor('the refusal in the log', 10_000, () => (/new settings refused/.test(net.output()) ? true : undefined))
    writeFileSync(net.configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), ...second, lanAddress: '10.78.0.300' }))
    await waitFor('the second refusal', 10_000, () => (net.output().match(/new settings refused/g)!.length >= 2 ? true : undefined))
    t.match(net.output(), /lanAddress/, 'the log names the bad setting')
    t.equal(net.status()?.dnsmasq?.pid, current.pid, 'dnsmasq still the same process')
    t.ok(alive(current.pid!))
    t.same((await dig(lan.box, BOX, 'still.there')).answers.map((a) => a.data), [BOX], 'DNS still answers')
    // The same settings again (and SIGHUP): re-read, but dnsmasq's text is unchanged.
    net.rewrite(second)
    await waitFor('a re-read', 10_000, () => (/settings re-read/.test(net.output()) ? true : undefined))
    net.child.kill('SIGHUP')
    await waitFor('the SIGHUP re-read', 10_000, () => (/"why":"SIGHUP"/.test(net.output()) ? true : undefined))
    t.equal(net.status()?.dnsmasq?.pid, current.pid, 'dnsmasq was not restarted')
  })

  await t.test('dnsmasq killed → palier-net restarts it and says so', async (t) => {
    process.kill(current.pid!, 'SIGKILL')
    const again = await dnsmasqRunning(net, 10_000, current.pid!)
    t.equal(again.restarts, 1)
    t.equal(again.lastError, 'killed by SIGKILL')
    const status = net.status()!
    t.equal(status.pid, net.child.pid, 'status.json is palier-net\'s')
    t.ok(Date.now() - status.updatedAt < 10_000, 'and fresh')
    await waitFor('DNS back', 10_000, async () => ((await dig(phone, BOX, 'back.test')).answers.length ? true : undefined))
    current = again
  })

  await t.test('SIGTERM stops palier-net and dnsmasq', async (t) => {
    net.child.kill('SIGTERM')
    const end = await net.exited
    t.same(end, { code: 0, signal: null })
    t.notOk(alive(current.pid!), 'dnsmasq is gone')
    t.equal(net.status()?.dnsmasq?.state, 'stopped')
    const left = (await lan.box.run('ss', ['-Hlun'])).stdout.trim()
    t.equal(left, '', 'nothing listens in the box namespace')
  })
})

t.test('off mode: no dnsmasq, nothing written outside the data folder', async (t) => {
  const lan = await makeLan(t, { clients: [] })
  const dir = t.testdir()
  // Even with a LAN named, "off" starts nothing.
  const net = startPalierNet(t, lan.box, dir, { networkMode: 'off', lanInterface: 'lan0', lanAddress: BOX })
  await waitFor('status.json', 15_000, () => net.status())
  await new Promise((r) => setTimeout(r, 1500))
  t.equal(net.status()?.mode, 'off')
  t.equal(net.status()?.dnsmasq, undefined)
  const pids = execFileSync('ip', ['netns', 'pids', lan.box.name], { encoding: 'utf8' }).trim().split(/\s+/)
  t.same(pids, [String(net.child.pid)], 'palier-net is the only process in the box namespace')
  t.equal((await lan.box.run('ss', ['-Hlun'])).stdout.trim(), '', 'nothing listens')
  t.same(readdirSync(dir, { recursive: true }).map(String).sort(), ['data', 'data/net', 'data/net/status.json', 'palier.json'])
  // Gateway mode starts when the settings say so (the file is watched in off mode too).
  net.rewrite(GATEWAY)
  const d = await dnsmasqRunning(net, 15_000)
  t.equal(net.status()?.mode, 'gateway')
  net.rewrite({ networkMode: 'off' })
  await waitFor('dnsmasq stopped', 15_000, () => (net.status()?.mode === 'off' && !alive(d.pid!) ? true : undefined))
  t.equal(net.status()?.dnsmasq, undefined, 'no dnsmasq in the status once off')
  net.child.kill('SIGTERM')
  t.same(await net.exited, { code: 0, signal: null })
})

t.test('gateway mode without a LAN interface: a settings error, exit code 2', async (t) => {
  const dir = t.testdir()
  const file = path.join(dir, 'palier.json')
  writeFileSync(file, JSON.stringify({ dataDir: path.join(dir, 'data'), networkMode: 'gateway' }))
  // Outside any namespace on purpose: it must stop before touching the network.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/net/main.ts'], { cwd: ROOT, env: cleanEnv(file), stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (b: Buffer) => (err += b))
  const code = await new Promise((resolve) => child.on('exit', resolve))
  t.equal(code, 2)
  t.match(err, /networkMode "gateway" needs lanInterface/)
  t.notOk(existsSync(path.join(dir, 'data')), 'nothing written')
})
