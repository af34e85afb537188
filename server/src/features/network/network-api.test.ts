import t from 'tap'
import { writeFileSync } from 'node:fs'
import { build, building, setupCaretaker } from '../../../test/helpers.js'
import { PHONE_MAC, PORTAL, enter, lan, phoneLease } from '../../../test/portal.js'

const HOST = { host: 'palier.lan:8080' }
const now = () => Math.floor(Date.now() / 1000)

t.test('RFC 8908: captive until “Entrer”, as application/captive+json, private', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  const before = await l.app.inject({ method: 'GET', url: '/api/v1/portal/captive', headers: HOST })
  t.equal(before.statusCode, 200)
  t.equal(before.headers['content-type'], 'application/captive+json')
  t.equal(before.headers['cache-control'], 'private')
  t.same(JSON.parse(before.body), { captive: true, 'user-portal-url': PORTAL, 'venue-info-url': 'http://palier.lan:8080/' })
  await enter(l)
  const after = await l.app.inject({ method: 'GET', url: '/api/v1/portal/captive', headers: HOST })
  t.same(JSON.parse(after.body), { captive: false, 'user-portal-url': PORTAL, 'venue-info-url': 'http://palier.lan:8080/' })
})

t.test('RFC 8908 outside gateway mode: never captive', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/portal/captive', headers: { host: 'localhost:8080' } })
  t.equal(res.statusCode, 200)
  t.equal(JSON.parse(res.body).captive, false)
  t.equal(JSON.parse(res.body)['user-portal-url'], 'http://localhost:8080/bienvenue')
})

t.test('the caretaker sees the leases, the pool and palier-net’s state', async (t) => {
  // A pool of 10 addresses with 9 in use: nearly exhausted.
  const l = await lan(t, { dhcpRangeStart: '10.78.0.10', dhcpRangeEnd: '10.78.0.19', dhcpStaticLeases: [{ mac: '02:00:00:00:00:fe', ip: '10.78.0.5', name: 'imprimante' }] })
  const caretaker = await setupCaretaker(l.app)
  const leases: [number, string, string, string?][] = [phoneLease()]
  for (let i = 0; i < 9; i++) leases.push([now() + 3600 + i, `02:00:00:00:00:1${i}`, `10.78.0.${10 + i}`, i === 0 ? 'tablette' : undefined])
  leases.push([now() - 60, '02:00:00:00:00:ee', '10.78.0.19']) // expired
  leases.push([0, '02:00:00:00:00:fe', '10.78.0.5', 'imprimante']) // fixed, never expires
  l.writeLeases(leases)
  writeFileSync(
    l.statusFile,
    JSON.stringify({
      mode: 'gateway',
      pid: process.pid,
      updatedAt: l.clock.now - 20_000,
      dnsmasq: { state: 'running', pid: 4242, since: 1_700_000_000_000, restarts: 2, lastError: 'exit 1' },
    }),
  )
  await enter(l)

  const res = await l.app.inject({ method: 'GET', url: '/api/v1/network', headers: { ...HOST, cookie: caretaker } })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.mode, 'gateway')
  t.equal(body.residentsUrl, 'http://palier.lan:8080/')
  t.same(body.addresses, ['http://palier.lan:8080/', 'http://10.78.0.1:8080/'])
  t.equal(body.boxName, 'palier.lan')
  t.equal(body.mdnsName, null)
  t.equal(body.https, null)
  t.same(body.gateway, {
    interface: 'lan0',
    address: '10.78.0.1',
    prefix: 24,
    netmask: '255.255.255.0',
    rangeStart: '10.78.0.10',
    rangeEnd: '10.78.0.19',
    leaseSeconds: 43200,
    staticLeases: 1,
  })
  t.same(body.pool, { size: 10, used: 9, free: 1, use: 0.9, alert: true, devices: 11 })
  t.same(body.palierNet, { present: true, fresh: true, mode: 'gateway', updatedAt: l.clock.now - 20_000 })
  t.same(body.dnsmasq, { state: 'running', pid: 4242, since: 1_700_000_000_000, restarts: 2, lastError: 'exit 1', fresh: true })
  t.equal(body.mdns, null)
  t.equal(body.leases.length, 11, 'unexpired leases only')
  t.same(
    body.leases.map((x: { ip: string }) => x.ip),
    ['10.78.0.5', ...Array.from({ length: 9 }, (_, i) => `10.78.0.${10 + i}`), '127.0.0.1'],
    'by address',
  )
  t.same(body.leases[0], { mac: '02:00:00:00:00:fe', ip: '10.78.0.5', hostname: 'imprimante', expiresAt: null, accepted: false, acceptedAt: null })
  t.equal(body.leases[1].hostname, 'tablette')
  t.equal(body.leases[1].expiresAt, leases[1]![0] * 1000, 'expiry in ms')
  t.same(body.leases[10], { mac: PHONE_MAC, ip: '127.0.0.1', hostname: 'telephone-amina', expiresAt: leases[0]![0] * 1000, accepted: true, acceptedAt: l.clock.now })
  t.same(body.accepted, [{ mac: PHONE_MAC, ip: '127.0.0.1', acceptedAt: l.clock.now, connected: true }])
})

t.test('palier-net’s state is not fresh when it is gone, or runs another mode', async (t) => {
  const l = await lan(t)
  const caretaker = await setupCaretaker(l.app)
  const ask = async () => (await l.app.inject({ method: 'GET', url: '/api/v1/network', headers: { ...HOST, cookie: caretaker } })).json()
  const none = await ask()
  t.same(none.palierNet, { present: false, fresh: false, mode: null, updatedAt: null })
  t.equal(none.dnsmasq, null)
  t.same(none.leases, [], 'no lease file yet')
  t.same(none.pool, { size: 241, used: 0, free: 241, use: 0, alert: false, devices: 0 }, '10.78.0.10–10.78.0.250 by default')
  const dnsmasq = { state: 'running', pid: 1, since: 1, restarts: 0, lastError: null }
  writeFileSync(l.statusFile, JSON.stringify({ mode: 'gateway', pid: process.pid, updatedAt: l.clock.now - 1000, dnsmasq }))
  t.equal((await ask()).palierNet.fresh, true, 'alive and recent')
  // A pid no process has (above the kernel's pid_max).
  writeFileSync(l.statusFile, JSON.stringify({ mode: 'gateway', pid: 99_999_999, updatedAt: l.clock.now - 1000, dnsmasq }))
  const dead = await ask()
  t.equal(dead.palierNet.fresh, false, 'its process is gone')
  t.equal(dead.dnsmasq.fresh, false)
  writeFileSync(l.statusFile, JSON.stringify({ mode: 'gateway', pid: process.pid, updatedAt: l.clock.now - 91_000, dnsmasq }))
  t.equal((await ask()).palierNet.fresh, false, 'no heartbeat for three periods: stale')
  writeFileSync(l.statusFile, JSON.stringify({ mode: 'off', pid: process.pid, updatedAt: l.clock.now }))
  t.equal((await ask()).palierNet.fresh, false, 'palier-net has not taken the new mode yet')
  writeFileSync(l.statusFile, '{ half a file')
  t.equal((await ask()).palierNet.present, false, 'an unreadable status is no status')
})

t.test('host mode: the plain addresses, the .local name, no pool', async (t) => {
  const { app } = await build(t, { networkMode: 'host', buildingName: 'Résidence Les Tilleuls' })
  const caretaker = await setupCaretaker(app)
  const body = (await app.inject({ method: 'GET', url: '/api/v1/network', headers: { host: 'localhost:8080', cookie: caretaker } })).json()
  t.equal(body.mode, 'host')
  t.equal(body.mdnsName, 'residence-les-tilleuls.local')
  t.equal(body.gateway, null)
  t.equal(body.pool, null)
  t.same(body.leases, [])
  t.equal(body.residentsUrl, body.addresses[0])
  t.ok(body.addresses.includes('http://residence-les-tilleuls.local:8080/'), 'the mDNS name is offered')
  const local = body.addresses.indexOf('http://residence-les-tilleuls.local:8080/')
  t.ok(body.addresses.slice(0, local).every((a: string) => /^http:\/\/\d+\.\d+\.\d+\.\d+:8080\/$/.test(a)), 'plain addresses first (old Androids cannot resolve .local)')
})

t.test('the residents’ address as a printable QR code', async (t) => {
  const l = await lan(t)
  const caretaker = await setupCaretaker(l.app)
  const res = await l.app.inject({ method: 'GET', url: '/api/v1/network/qr', headers: { ...HOST, cookie: caretaker } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'image/svg+xml')
  t.match(res.body, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+"/)
  t.match(res.body, /<path [^>]*d="M/)
})

t.test('the caretaker forgets a device: it gets the welcome page again', async (t) => {
  const l = await lan(t)
  const caretaker = await setupCaretaker(l.app)
  l.writeLeases([phoneLease()])
  await enter(l)
  const probe = () => l.app.inject({ method: 'GET', url: '/generate_204', headers: { host: 'connectivitycheck.gstatic.com' } })
  t.equal((await probe()).statusCode, 204)
  const del = await l.app.inject({ method: 'DELETE', url: `/api/v1/network/accepted/${PHONE_MAC.toUpperCase()}`, headers: { ...HOST, cookie: caretaker } })
  t.equal(del.statusCode, 204)
  t.equal((await probe()).statusCode, 302)
  t.equal(JSON.parse((await l.app.inject({ method: 'GET', url: '/api/v1/portal/captive', headers: HOST })).body).captive, true)
  t.equal((l.app.db.prepare('SELECT count(*) AS n FROM portal_clients').get() as { n: number }).n, 0, 'gone from the database too')

  const again = await l.app.inject({ method: 'DELETE', url: `/api/v1/network/accepted/${PHONE_MAC}`, headers: { ...HOST, cookie: caretaker } })
  t.equal(again.statusCode, 404)
  t.same(again.json(), { code: 'PALIER_NOT_FOUND', message: 'Introuvable.' })
  const bad = await l.app.inject({ method: 'DELETE', url: '/api/v1/network/accepted/pas-une-adresse', headers: { ...HOST, cookie: caretaker, 'accept-language': 'en' } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { code: 'PALIER_INVALID_INPUT', message: 'The field “mac” is not valid.', field: 'mac' })
})

t.test('the network API is the caretaker’s', async (t) => {
  const l = await lan(t)
  const { resident } = await building(l.app)
  for (const [method, url] of [['GET', '/api/v1/network'], ['GET', '/api/v1/network/qr'], ['DELETE', `/api/v1/network/accepted/${PHONE_MAC}`]] as const) {
    const anon = await l.app.inject({ method, url, headers: HOST })
    t.equal(anon.statusCode, 401, `${method} ${url} anonymous`)
    const res = await l.app.inject({ method, url, headers: { ...HOST, cookie: resident } })
    t.equal(res.statusCode, 403, `${method} ${url} resident`)
    t.equal(res.json().code, 'PALIER_FORBIDDEN')
  }
})

t.test('the API routes are in the OpenAPI document', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> }
  t.ok(doc.paths['/api/v1/portal/captive']?.get)
  t.ok(doc.paths['/api/v1/network']?.get)
  t.ok(doc.paths['/api/v1/network/qr']?.get)
  t.ok(doc.paths['/api/v1/network/accepted/{mac}']?.delete)
  t.same(doc.paths['/api/v1/network']?.get?.tags, ['network'])
})
