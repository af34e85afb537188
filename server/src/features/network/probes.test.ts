import t from 'tap'
import path from 'node:path'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config.js'
import { build } from '../../../test/helpers.js'
import { GATEWAY, PHONE_MAC, PORTAL, enter, lan, phoneLease } from '../../../test/portal.js'

const APPLE = '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>'

/** [Host, path] → what an accepted device must get. */
const ONLINE: { host: string; url: string; status: number; body: string; type?: RegExp; header?: [string, string] }[] = [
  { host: 'connectivitycheck.gstatic.com', url: '/generate_204', status: 204, body: '' },
  { host: 'clients3.google.com', url: '/generate_204', status: 204, body: '' },
  { host: 'www.google.com', url: '/gen_204', status: 204, body: '' },
  { host: 'captive.apple.com', url: '/hotspot-detect.html', status: 200, body: APPLE, type: /^text\/html/ },
  { host: 'www.apple.com', url: '/library/test/success.html', status: 200, body: APPLE, type: /^text\/html/ },
  { host: 'captive.apple.com', url: '/', status: 200, body: APPLE, type: /^text\/html/ },
  { host: 'captive.apple.com', url: '/some/other/path?x=1', status: 200, body: APPLE },
  { host: 'www.msftconnecttest.com', url: '/connecttest.txt', status: 200, body: 'Microsoft Connect Test', type: /^text\/plain/ },
  { host: 'www.msftncsi.com', url: '/ncsi.txt', status: 200, body: 'Microsoft NCSI', type: /^text\/plain/ },
  {
    host: 'detectportal.firefox.com',
    url: '/canonical.html',
    status: 200,
    body: '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>',
    type: /^text\/html/,
  },
  { host: 'detectportal.firefox.com', url: '/success.txt?ipv4', status: 200, body: 'success\n', type: /^text\/plain/ },
  {
    host: 'nmcheck.gnome.org',
    url: '/check_network_status.txt',
    status: 200,
    body: 'NetworkManager is online\n',
    header: ['x-networkmanager-status', 'online'],
  },
  { host: 'connectivity-check.ubuntu.com', url: '/', status: 200, body: 'NetworkManager is online\n', header: ['x-networkmanager-status', 'online'] },
  // A probe path on the box's own name is still a probe.
  { host: 'palier.lan:8080', url: '/generate_204', status: 204, body: '' },
]

t.test('a device not yet accepted gets 302 to the welcome page on every probe, any Host', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  for (const p of ONLINE) {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await l.app.inject({ method, url: p.url, headers: { host: p.host } })
      t.equal(res.statusCode, 302, `${method} ${p.host}${p.url}`)
      t.equal(res.headers.location, PORTAL, `${p.host}${p.url} → portal`)
      t.equal(res.headers['cache-control'], 'no-store', `${p.host}${p.url} not cached`)
      t.equal(res.headers['set-cookie'], undefined, 'no session started')
    }
  }
})

t.test('after “Entrer”, each system gets its own “online” answer', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  t.equal((await enter(l)).statusCode, 303)
  for (const p of ONLINE) {
    const res = await l.app.inject({ method: 'GET', url: p.url, headers: { host: p.host } })
    const what = `${p.host}${p.url}`
    t.equal(res.statusCode, p.status, what)
    t.equal(res.body, p.body, `${what} body`)
    t.equal(res.headers.location, undefined, `${what} no redirect`)
    if (p.type) t.match(res.headers['content-type'], p.type, `${what} type`)
    if (p.header) t.equal(res.headers[p.header[0]], p.header[1], `${what} ${p.header[0]}`)
  }
})

t.test('probes are answered before any session or database work', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  await enter(l)
  // With the database gone, anything that touched it would be a 500.
  l.app.db.close()
  const online = await l.app.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com', cookie: 'palier=not-a-session' } })
  t.equal(online.statusCode, 204)
  l.writeLeases([phoneLease('02:00:00:00:00:01')])
  const captive = await l.app.inject({ method: 'GET', url: '/hotspot-detect.html', headers: { host: 'captive.apple.com' } })
  t.equal(captive.statusCode, 302, 'another MAC on that address: not accepted')
  const health = await l.app.inject({ method: 'GET', url: '/api/v1/health', headers: { host: 'palier.lan:8080' } })
  t.equal(health.statusCode, 500, 'whereas a route does need the database')
})

t.test('other sites’ names go to the welcome page, then to the intranet', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  for (const [host, url] of [['www.google.com', '/'], ['example.org', '/search?q=x'], ['www.msftconnecttest.com', '/redirect']] as const) {
    const res = await l.app.inject({ method: 'GET', url, headers: { host } })
    t.equal(res.statusCode, 302, host)
    t.equal(res.headers.location, PORTAL, host)
    t.equal(res.headers['cache-control'], 'no-store')
  }
  const post = await l.app.inject({ method: 'POST', url: '/api/v1/session', headers: { host: 'evil.example' }, payload: {} })
  t.equal(post.statusCode, 302, 'any method')
  await enter(l)
  const res = await l.app.inject({ method: 'GET', url: '/', headers: { host: 'www.google.com' } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, 'http://palier.lan:8080/', 'accepted: the intranet’s home')
})

t.test('the box’s own names and addresses are served as usual', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  for (const host of ['palier.lan:8080', 'palier.lan', 'PALIER.LAN:8080', '10.78.0.1:8080', '10.78.0.1', 'localhost:8080', '127.0.0.1', '[::1]:8080']) {
    const res = await l.app.inject({ method: 'GET', url: '/api/v1/health', headers: { host } })
    t.equal(res.statusCode, 200, host)
  }
  const welcome = await l.app.inject({ method: 'GET', url: '/bienvenue', headers: { host: 'palier.lan:8080' } })
  t.equal(welcome.statusCode, 200, 'the welcome page itself')
})

t.test('a device with a fixed address is known by the ARP table', async (t) => {
  const l = await lan(t)
  l.writeLeases([])
  l.writeArp([['10.78.0.50', '02:00:00:00:00:50'], ['127.0.0.1', 'B8:27:EB:00:00:01']])
  t.equal((await enter(l)).statusCode, 303)
  t.ok(l.app.network.portal.isAccepted('b8:27:eb:00:00:01'), 'accepted by its (lower-cased) MAC')
  const res = await l.app.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com' } })
  t.equal(res.statusCode, 204)
})

t.test('acceptance is by MAC address and survives a restart', async (t) => {
  const dataDir = t.testdir()
  const config = loadConfig({}, { ...GATEWAY, dataDir, logLevel: 'silent' })
  const first = await buildApp(config, { arpFile: path.join(dataDir, 'arp'), netCheckMs: 0 })
  const { mkdirSync, writeFileSync } = await import('node:fs')
  mkdirSync(path.join(dataDir, 'net'), { recursive: true })
  writeFileSync(path.join(dataDir, 'net', 'dnsmasq.leases'), `${Math.floor(Date.now() / 1000) + 600} ${PHONE_MAC} 127.0.0.1 * *\n`)
  const entered = await first.inject({ method: 'POST', url: '/bienvenue/entrer', headers: { host: 'palier.lan:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'lang=fr' })
  t.equal(entered.statusCode, 303)
  await first.close()

  const second = await buildApp(config, { arpFile: path.join(dataDir, 'arp'), netCheckMs: 0 })
  t.teardown(() => second.close())
  const res = await second.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com' } })
  t.equal(res.statusCode, 204, 'still accepted after the restart')
  // Another device now holds the phone's address: the address alone opens nothing.
  writeFileSync(path.join(dataDir, 'net', 'dnsmasq.leases'), `${Math.floor(Date.now() / 1000) + 600} 02:11:22:33:44:55 127.0.0.1 * *\n`)
  const other = await second.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com' } })
  t.equal(other.statusCode, 302, 'another device at the phone’s former address is not accepted')
})

for (const mode of ['off', 'host'] as const) {
  t.test(`in ${mode} mode the probe paths are ordinary paths`, async (t) => {
    const { app } = await build(t, { networkMode: mode })
    const probe = await app.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com' } })
    t.not(probe.statusCode, 204)
    t.not(probe.statusCode, 302)
    const apple = await app.inject({ method: 'GET', url: '/hotspot-detect.html', headers: { host: 'captive.apple.com' } })
    t.not(apple.body, APPLE)
    t.not(apple.statusCode, 302, 'no redirect for other names either')
    const health = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { host: 'anything.example' } })
    t.equal(health.statusCode, 200)
  })
}
