// Real HTTPS on loopback with a throw-away self-signed certificate: the app listens on HTTP and
// HTTPS at once, like the box with the landlord's certificate.
import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Config } from '../../config.js'
import { enter, lan, phoneLease, type Lan } from '../../../test/portal.js'

const NAME = 'b0042.immeubles.bailleur.test'
const certDir = mkdtempSync(path.join(os.tmpdir(), 'palier-tls-'))
t.teardown(() => rmSync(certDir, { recursive: true, force: true }))
const certFile = path.join(certDir, 'cert.pem')
const keyFile = path.join(certDir, 'key.pem')
execFileSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
  '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${NAME}`, '-addext', `subjectAltName=DNS:${NAME}`,
], { stdio: 'ignore' })
const ca = readFileSync(certFile)

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** One request on a fresh connection, with the Host header a phone would send. */
function call(
  scheme: 'http' | 'https',
  port: number,
  host: string,
  pathname: string,
  options: { method?: string; body?: string; type?: string; cookie?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host }
    if (options.cookie) headers.cookie = options.cookie
    if (options.body !== undefined) {
      headers['content-type'] = options.type ?? 'application/json'
      headers['content-length'] = String(Buffer.byteLength(options.body))
    }
    const req = (scheme === 'https' ? https : http).request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: options.method ?? 'GET',
        headers,
        agent: false,
        // The certificate is checked for real: trusted as its own CA, for the box's name.
        ...(scheme === 'https' ? { ca, servername: NAME } : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

interface Box extends Lan {
  httpPort: number
  httpsPort: number
  origin: string
  httpsAddress: string | null
}

async function box(t: Test, overrides: Partial<Config> = {}): Promise<Box> {
  const httpPort = await freePort()
  const httpsPort = await freePort()
  const l = await lan(t, { port: httpPort, host: '127.0.0.1', httpsName: NAME, tlsCertFile: certFile, tlsKeyFile: keyFile, httpsPort, ...overrides })
  l.writeLeases([phoneLease()])
  await l.app.listen({ port: httpPort, host: '127.0.0.1' })
  const httpsAddress = await l.app.listenHttps()
  return { ...l, httpPort, httpsPort, origin: `https://${NAME}:${httpsPort}`, httpsAddress }
}

t.test('the app listens on HTTP and HTTPS at once', async (t) => {
  const b = await box(t)
  t.equal(b.httpsAddress, `https://127.0.0.1:${b.httpsPort}`)
  const res = await call('https', b.httpsPort, `${NAME}:${b.httpsPort}`, '/api/v1/health')
  t.equal(res.status, 200)
  t.same(JSON.parse(res.body), { status: 'ok', version: '0.1.0' })
  t.equal(res.headers['strict-transport-security'], 'max-age=15552000', 'request.protocol is https: HSTS')
})

t.test('over HTTP, pages redirect to HTTPS; probes, the welcome flow, the captive API and health stay', async (t) => {
  const b = await box(t)
  const host = `palier.lan:${b.httpPort}`
  const portal = `http://palier.lan:${b.httpPort}/bienvenue`

  const home = await call('http', b.httpPort, host, '/')
  t.equal(home.status, 302)
  t.equal(home.headers.location, `${b.origin}/`)
  const me = await call('http', b.httpPort, host, '/api/v1/me?x=1')
  t.equal(me.status, 302)
  t.equal(me.headers.location, `${b.origin}/api/v1/me?x=1`, 'path and query kept')
  const post = await call('http', b.httpPort, host, '/api/v1/session', { method: 'POST', body: '{}' })
  t.equal(post.status, 307, 'method and body kept')
  t.equal(post.headers.location, `${b.origin}/api/v1/session`)

  const welcome = await call('http', b.httpPort, host, '/bienvenue')
  t.equal(welcome.status, 200)
  t.match(welcome.body, '<button type="submit">Entrer</button>')
  const captive = await call('http', b.httpPort, host, '/api/v1/portal/captive')
  t.equal(captive.status, 200)
  t.equal(JSON.parse(captive.body).captive, true)
  t.equal((await call('http', b.httpPort, host, '/api/v1/health')).status, 200)
  const probe = await call('http', b.httpPort, 'connectivitycheck.gstatic.com', '/generate_204')
  t.equal(probe.status, 302)
  t.equal(probe.headers.location, portal, 'the captive sheet opens on HTTP: no certificate question')

  const entered = await call('http', b.httpPort, host, '/bienvenue/entrer', { method: 'POST', body: 'lang=fr', type: 'application/x-www-form-urlencoded' })
  t.equal(entered.status, 303)
  t.equal(entered.headers.location, '/bienvenue/ok?lang=fr')
  const ok = await call('http', b.httpPort, host, '/bienvenue/ok?lang=fr')
  t.equal(ok.status, 200)
  t.match(ok.body, `data-address>${b.origin}/</bdi>`, 'hands over to the HTTPS address')
  t.equal((await call('http', b.httpPort, 'connectivitycheck.gstatic.com', '/generate_204')).status, 204)
  const elsewhere = await call('http', b.httpPort, 'www.example.org', '/')
  t.equal(elsewhere.status, 302)
  t.equal(elsewhere.headers.location, `${b.origin}/`, 'an accepted device is sent to the HTTPS intranet')
})

t.test('RFC 8908 over HTTPS: captive per device, the HTTPS welcome page', async (t) => {
  const b = await box(t)
  const host = `${NAME}:${b.httpsPort}`
  const before = await call('https', b.httpsPort, host, '/api/v1/portal/captive')
  t.equal(before.status, 200)
  t.equal(before.headers['content-type'], 'application/captive+json')
  t.equal(before.headers['cache-control'], 'private')
  t.same(JSON.parse(before.body), { captive: true, 'user-portal-url': `${b.origin}/bienvenue`, 'venue-info-url': `${b.origin}/` })
  await enter(b)
  const after = await call('https', b.httpsPort, host, '/api/v1/portal/captive')
  t.equal(JSON.parse(after.body).captive, false)
})

t.test('over HTTPS the app is served, with secure session cookies', async (t) => {
  const b = await box(t)
  const host = `${NAME}:${b.httpsPort}`
  const home = await call('https', b.httpsPort, host, '/')
  t.notOk(home.status >= 300 && home.status < 400, `no redirect (${home.status})`)
  const setup = await call('https', b.httpsPort, host, '/api/v1/setup', {
    method: 'POST',
    body: JSON.stringify({ code: 'TEST-SETUP-CODE-1234', login: 'gardien', displayName: 'Mme Diallo', password: 'escalier-fleuri-42' }),
  })
  t.equal(setup.status, 201)
  const cookie = [setup.headers['set-cookie'] ?? []].flat()[0] ?? ''
  t.match(cookie, /^__Host-palier=[^;]+;/, 'the __Host- cookie of HTTPS')
  t.match(cookie, /; Secure/)
  t.equal((await call('https', b.httpsPort, host, '/api/v1/network')).status, 401)
  const me = await call('https', b.httpsPort, host, '/api/v1/network', { cookie: cookie.split(';')[0] })
  t.equal(me.status, 200)
  const info = JSON.parse(me.body)
  t.equal(info.residentsUrl, `${b.origin}/`, 'residents are given the HTTPS address')
  t.same(info.https, { name: NAME, origin: b.origin, captiveApiUrl: `${b.origin}/api/v1/portal/captive` })
})

t.test('closing the app closes both servers', async (t) => {
  const b = await box(t)
  t.equal((await call('https', b.httpsPort, `${NAME}:${b.httpsPort}`, '/api/v1/health')).status, 200)
  await b.app.close()
  await t.rejects(call('https', b.httpsPort, NAME, '/api/v1/health'), { code: 'ECONNREFUSED' })
  await t.rejects(call('http', b.httpPort, 'palier.lan', '/api/v1/health'), { code: 'ECONNREFUSED' })
})

t.test('an unusable certificate turns HTTPS off, not the box', async (t) => {
  // The key does not belong to the certificate (a second key).
  const otherKey = path.join(certDir, 'other-key.pem')
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', otherKey], { stdio: 'ignore' })
  const b = await box(t, { tlsKeyFile: otherKey })
  t.equal(b.httpsAddress, null, 'no HTTPS server')
  const host = `palier.lan:${b.httpPort}`
  const home = await call('http', b.httpPort, host, '/api/v1/health')
  t.equal(home.status, 200, 'HTTP pages are served, not redirected')
  t.equal(JSON.parse((await call('http', b.httpPort, host, '/api/v1/portal/captive')).body)['user-portal-url'], `http://palier.lan:${b.httpPort}/bienvenue`)
})

t.test('a missing certificate file turns HTTPS off too', async (t) => {
  const b = await box(t, { tlsCertFile: path.join(certDir, 'absent.pem') })
  t.equal(b.httpsAddress, null)
  t.equal((await call('http', b.httpPort, `palier.lan:${b.httpPort}`, '/')).headers.location, undefined)
})

t.test('without a certificate there is no HTTPS and nothing redirects', async (t) => {
  const l = await lan(t)
  t.equal(await l.app.listenHttps(), null)
  const res = await l.app.inject({ method: 'GET', url: '/api/v1/me', headers: { host: 'palier.lan:8080' } })
  t.equal(res.statusCode, 401)
})
