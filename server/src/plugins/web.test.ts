import t, { type Test } from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { build } from '../../test/helpers.js'

/** The checkout, with a trailing slash: its package.json must never be served. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

const INDEX = '<!doctype html><html lang="fr"><head><title>Palier</title><script type="module" src="/assets/app-abc123.js"></script></head><body><palier-app></palier-app></body></html>\n'
const SW = "self.addEventListener('fetch', () => {}) // service worker\n"
const APP = `${'export const palier = "app";\n'.repeat(50)}console.log(palier)\n`
const SECRET = '{"name": "not-for-browsers", "token": "S3CRET-OUTSIDE-WEBDIR"}\n'

const fixture = {
  // One level above the web folder: what a traversal would reach.
  'package.json': SECRET,
  web: {
    'index.html': INDEX,
    'index.html.gz': gzipSync(INDEX),
    'index.html.br': brotliCompressSync(INDEX),
    'sw.js': SW,
    assets: {
      'app-abc123.js': APP,
      'app-abc123.js.gz': gzipSync(APP),
      'app-abc123.js.br': brotliCompressSync(APP),
    },
  },
}

type Tree = { [name: string]: string | Buffer | Tree }

function writeTree(dir: string, tree: Tree) {
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(tree)) {
    if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(path.join(dir, name), content)
    else writeTree(path.join(dir, name), content)
  }
}

// build() takes the test's directory (t.testdir() empties it on every call) for the data, so
// the site goes in a subfolder of it, written once the app is built.
async function web(t: Test): Promise<FastifyInstance> {
  const site = path.join(t.testdirName, 'site')
  const { app } = await build(t, {}, { webDir: path.join(site, 'web') })
  writeTree(site, fixture)
  return app
}

t.test('/ is the app shell, always revalidated', async (t) => {
  const app = await web(t)
  const res = await app.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 200)
  t.equal(res.body, INDEX)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-cache')
  t.equal(res.headers['content-encoding'], undefined)
})

t.test('the app’s own routes get index.html, query strings included', async (t) => {
  const app = await web(t)
  for (const url of ['/rejoindre?code=ACDE-FGHJ-KMNP', '/rejoindre?code=X', '/logements', '/logements/0190a1b2-0000-7000-8000-000000000000', '/compte/']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    t.equal(res.body, INDEX, url)
    t.equal(res.headers['cache-control'], 'no-cache', url)
  }
})

t.test('the service worker is always revalidated', async (t) => {
  const app = await web(t)
  const res = await app.inject({ method: 'GET', url: '/sw.js' })
  t.equal(res.statusCode, 200)
  t.equal(res.body, SW)
  t.equal(res.headers['cache-control'], 'no-cache')
  t.match(res.headers['content-type'], /^(application|text)\/javascript; charset=utf-8$/)
})

t.test('hashed assets are cached for a year', async (t) => {
  const app = await web(t)
  const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' })
  t.equal(res.statusCode, 200)
  t.equal(res.body, APP)
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
})

t.test('Accept-Encoding: br sends the precompressed .br file', async (t) => {
  const app = await web(t)
  const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'br' } })
  t.equal(asset.statusCode, 200)
  t.equal(asset.headers['content-encoding'], 'br')
  t.ok(asset.rawPayload.equals(fixture.web.assets['app-abc123.js.br']), 'the bytes of app-abc123.js.br')
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.match(asset.headers['vary'], /accept-encoding/i)

  const shell = await app.inject({ method: 'GET', url: '/rejoindre?code=X', headers: { 'accept-encoding': 'br' } })
  t.equal(shell.headers['content-encoding'], 'br')
  t.ok(shell.rawPayload.equals(fixture.web['index.html.br']), 'the bytes of index.html.br')
  t.equal(shell.headers['cache-control'], 'no-cache')
  t.equal(shell.headers['content-type'], 'text/html; charset=utf-8')
})

t.test('Accept-Encoding: gzip sends the precompressed .gz file', async (t) => {
  const app = await web(t)
  const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } })
  t.equal(asset.headers['content-encoding'], 'gzip')
  t.ok(asset.rawPayload.equals(fixture.web.assets['app-abc123.js.gz']), 'the bytes of app-abc123.js.gz')
  const shell = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip, deflate' } })
  t.equal(shell.headers['content-encoding'], 'gzip')
  t.ok(shell.rawPayload.equals(fixture.web['index.html.gz']), 'the bytes of index.html.gz')
})

t.test('br is preferred when both are accepted; a file without variants is sent as is', async (t) => {
  const app = await web(t)
  const both = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(both.headers['content-encoding'], 'br')
  const sw = await app.inject({ method: 'GET', url: '/sw.js', headers: { 'accept-encoding': 'gzip, br' } })
  t.equal(sw.statusCode, 200)
  t.equal(sw.headers['content-encoding'], undefined)
  t.equal(sw.body, SW)
})

t.test('a missing asset is a JSON 404, not the app shell', async (t) => {
  const app = await web(t)
  const res = await app.inject({ method: 'GET', url: '/assets/missing.js' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { code: 'PALIER_NOT_FOUND', message: 'Introuvable.' })
  const br = await app.inject({ method: 'GET', url: '/assets/missing.js', headers: { 'accept-encoding': 'br' } })
  t.equal(br.statusCode, 404)
})

t.test('an unknown API path is a JSON 404, not the app shell', async (t) => {
  const app = await web(t)
  for (const url of ['/api/v1/nope', '/api/v1/nope?x=1', '/api/']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { code: 'PALIER_NOT_FOUND', message: 'Introuvable.' }, url)
  }
})

t.test('the API still answers next to the web app', async (t) => {
  const app = await web(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/health' })
  t.same(res.json(), { status: 'ok', version: '0.1.0' })
})

t.test('path traversal never reaches a file outside the web folder', async (t) => {
  const app = await web(t)
  const attempts = [
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/%2e%2e%2fpackage.json',
    '/..%2fpackage.json',
    '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5cpackage.json',
    '/../../package.json',
    '/%2e%2e/%2e%2e/package.json',
    // Far enough up to reach the file system root, then down to the checkout and /etc.
    `${'/%2e%2e'.repeat(30)}${ROOT}package.json`,
    `${'/..'.repeat(30)}${ROOT}package.json`,
    `${'/%2e%2e'.repeat(30)}/etc/passwd`,
  ]
  for (const url of attempts) {
    for (const encoding of [undefined, 'br']) {
      const res = await app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} })
      const label = `${url}${encoding ? ' (br)' : ''} → ${res.statusCode}`
      t.notMatch(res.body, 'S3CRET', label)
      t.notMatch(res.body, '"name": "palier"', `${label}: not the project's package.json`)
      t.notMatch(res.body, 'root:', `${label}: not /etc/passwd`)
      // Whatever is answered is the app shell or an error, never a server failure.
      t.ok(
        (res.statusCode === 200 && (encoding ? res.rawPayload.equals(fixture.web['index.html.br']) : res.body === INDEX)) ||
          res.statusCode === 400 ||
          res.statusCode === 403 ||
          res.statusCode === 404,
        label,
      )
    }
  }
})

t.test('without a built web app, pages are a JSON 404 and the API works', async (t) => {
  const { app } = await build(t, {}, { webDir: path.join(t.testdirName, 'no-web-dist') })
  const page = await app.inject({ method: 'GET', url: '/' })
  t.equal(page.statusCode, 404)
  t.same(page.json(), { code: 'PALIER_NOT_FOUND', message: 'Introuvable.' })
  const api = await app.inject({ method: 'GET', url: '/api/v1/health' })
  t.equal(api.statusCode, 200)
})
