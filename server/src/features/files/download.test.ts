import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { BLOB_CSP, sendBlob, type BlobToSend } from './download.js'

// 1000 bytes that all differ from their neighbours: a range off by one shows.
const CONTENT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))
const UPDATED = Date.UTC(2025, 2, 14, 9, 30, 15, 250) // not on a whole second, as Date.now() is
const LAST_MODIFIED = 'Fri, 14 Mar 2025 09:30:15 GMT'

/** A tiny app serving one file from a temporary folder through sendBlob, at GET /blob. */
async function serve(t: Test, content: Buffer = CONTENT, blob: Partial<BlobToSend> = {}): Promise<{ app: FastifyInstance; etag: string }> {
  const dir = t.testdir({ blob: content })
  const sha256 = createHash('sha256').update(content).digest('hex')
  const app = Fastify()
  app.get('/blob', (request, reply) =>
    sendBlob(request, reply, { path: path.join(dir, 'blob'), size: content.length, mime: 'video/mp4', name: 'fête.mp4', sha256, updatedAt: UPDATED, ...blob }),
  )
  await app.ready()
  t.teardown(() => app.close())
  return { app, etag: `"${sha256}"` }
}

const get = (app: FastifyInstance, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') => app.inject({ method, url: '/blob', headers })

t.test('the whole file, with its headers', async (t) => {
  const { app, etag } = await serve(t)
  const res = await get(app)
  t.equal(res.statusCode, 200)
  t.same(res.rawPayload, CONTENT)
  t.match(res.headers, {
    'content-type': 'video/mp4',
    'content-length': '1000',
    etag,
    'last-modified': LAST_MODIFIED,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=0, must-revalidate',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    'content-disposition': `inline; filename="fete.mp4"; filename*=UTF-8''f%C3%AAte.mp4`,
  })
  t.equal(BLOB_CSP, res.headers['content-security-policy'])
  t.notOk(res.headers['content-range'])
})

t.test('Content-Disposition: inline only for safe types, and never when a download is asked', async (t) => {
  const cases: Array<[Partial<BlobToSend>, string]> = [
    [{ mime: 'image/jpeg', name: 'a.jpg' }, 'inline'],
    [{ mime: 'application/pdf', name: 'a.pdf' }, 'inline'],
    [{ mime: 'audio/mpeg', name: 'a.mp3' }, 'inline'],
    [{ mime: 'image/jpeg', name: 'a.jpg', forceDownload: true }, 'attachment'],
    [{ mime: 'text/html', name: 'page.html' }, 'attachment'],
    [{ mime: 'image/svg+xml', name: 'logo.svg' }, 'attachment'],
    [{ mime: 'text/plain; charset=utf-8', name: 'notes.txt' }, 'attachment'],
    [{ mime: 'application/octet-stream', name: 'x.jpg' }, 'attachment'],
  ]
  for (const [blob, kind] of cases) {
    const { app } = await serve(t, CONTENT, blob)
    const res = await get(app)
    t.equal(res.headers['content-disposition']?.toString().split(';')[0], kind, `${blob.mime}${blob.forceDownload ? ' forced' : ''}`)
    t.equal(res.headers['content-type'], blob.mime, 'served as sniffed, charset included')
    t.equal(res.headers['x-content-type-options'], 'nosniff')
  }
  const { app } = await serve(t, CONTENT, { mime: 'text/html', name: 'x"; filename="evil.html\r\n' })
  t.equal(
    (await get(app)).headers['content-disposition'],
    `attachment; filename="x_; filename=_evil.html_"; filename*=UTF-8''x%22%3B%20filename%3D%22evil.html%0D%0A`,
    'a hostile name stays inside its parameter',
  )
})

t.test('previews are cached for a day', async (t) => {
  const { app } = await serve(t, CONTENT, { mime: 'image/jpeg', cache: 'day' })
  t.equal((await get(app)).headers['cache-control'], 'private, max-age=86400')
})

t.test('Range: the exact bytes of one range', async (t) => {
  const { app } = await serve(t)
  const cases: Array<[string, number, number]> = [
    ['bytes=0-0', 0, 0], // first byte
    ['bytes=999-999', 999, 999], // last byte
    ['bytes=999-', 999, 999],
    ['bytes=-1', 999, 999],
    ['bytes=0-', 0, 999],
    ['bytes=10-19', 10, 19],
    ['bytes=250-260', 250, 260], // across the 251-byte pattern
    ['bytes=500-99999', 500, 999], // end clamped
    ['bytes=0-99999999999999999999', 0, 999],
    ['bytes=-100', 900, 999], // suffix
    ['bytes=-1000', 0, 999],
    ['bytes=-5000', 0, 999], // suffix larger than the file
    ['BYTES=3-4', 3, 4], // the unit is case-insensitive
    ['bytes=3-4, ', 3, 4], // an empty list element is no second range
  ]
  for (const [range, start, end] of cases) {
    const res = await get(app, { range })
    t.equal(res.statusCode, 206, range)
    t.equal(res.headers['content-range'], `bytes ${start}-${end}/1000`, range)
    t.equal(res.headers['content-length'], String(end - start + 1), range)
    t.same(res.rawPayload, CONTENT.subarray(start, end + 1), `${range}: the bytes`)
  }
})

t.test('Range: unsatisfiable → 416 with the size', async (t) => {
  const { app } = await serve(t)
  for (const range of ['bytes=1000-', 'bytes=1000-1000', 'bytes=5000-6000', 'bytes=-0']) {
    const res = await get(app, { range })
    t.equal(res.statusCode, 416, range)
    t.equal(res.headers['content-range'], 'bytes */1000', range)
    t.equal(res.rawPayload.length, 0, `${range}: no bytes`)
    t.notOk(res.headers['content-disposition'], 'no file is being sent')
  }
})

t.test('Range: malformed, another unit or several ranges → the whole file', async (t) => {
  const { app } = await serve(t)
  for (const range of ['bytes=abc', 'bytes=5-2', 'items=0-1', 'bytes 0-1', 'bytes=--1', 'bytes=1-2-3', 'bytes=', 'bytes=0x10-20', 'bytes=-', 'bytes=1.5-2', 'bytes=0-1,5-6', 'bytes=0-1, -1', 'bytes=1000-,2000-']) {
    const res = await get(app, { range })
    t.equal(res.statusCode, 200, range)
    t.notOk(res.headers['content-range'], range)
    t.equal(res.headers['content-length'], '1000', range)
    t.same(res.rawPayload, CONTENT, `${range}: every byte`)
  }
})

t.test('a bigger file: a range deep inside it, streamed', async (t) => {
  const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 253))
  const { app } = await serve(t, big)
  const res = await get(app, { range: 'bytes=100000-250000' })
  t.equal(res.statusCode, 206)
  t.equal(res.rawPayload.length, 150_001)
  t.same(res.rawPayload, big.subarray(100_000, 250_001))
  t.same((await get(app)).rawPayload, big)
})

t.test('an empty file', async (t) => {
  const { app } = await serve(t, Buffer.alloc(0))
  const whole = await get(app)
  t.equal(whole.statusCode, 200)
  t.equal(whole.headers['content-length'], '0')
  t.equal(whole.rawPayload.length, 0)
  const from0 = await get(app, { range: 'bytes=0-' })
  t.equal(from0.statusCode, 416, 'no first byte to start from')
  t.equal(from0.headers['content-range'], 'bytes */0')
  const suffix = await get(app, { range: 'bytes=-5' })
  t.equal(suffix.statusCode, 200, 'the last 5 bytes of nothing: the whole (empty) file')
  t.equal(suffix.rawPayload.length, 0)
  const head = await get(app, {}, 'HEAD')
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], '0')
})

t.test('If-None-Match and If-Modified-Since → 304', async (t) => {
  const { app, etag } = await serve(t)
  for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, `"a", W/${etag} , "b"`, '*', ' * ']) {
    const res = await get(app, { 'if-none-match': inm })
    t.equal(res.statusCode, 304, inm)
    t.equal(res.rawPayload.length, 0)
    t.equal(res.headers.etag, etag)
    t.equal(res.headers['cache-control'], 'private, max-age=0, must-revalidate')
    t.notOk(res.headers['content-length'], 'no Content-Length on a 304')
  }
  for (const inm of ['"other"', `"${etag}"`, etag.slice(0, -2) + '"', 'W/"x"', '']) {
    t.equal((await get(app, { 'if-none-match': inm })).statusCode, 200, inm)
  }
  t.equal((await get(app, { 'if-modified-since': LAST_MODIFIED })).statusCode, 304, 'same second')
  t.equal((await get(app, { 'if-modified-since': 'Sat, 15 Mar 2025 00:00:00 GMT' })).statusCode, 304, 'later')
  t.equal((await get(app, { 'if-modified-since': 'Fri, 14 Mar 2025 09:30:14 GMT' })).statusCode, 200, 'a second earlier')
  t.equal((await get(app, { 'if-modified-since': 'yesterday' })).statusCode, 200, 'not a date')
  t.equal((await get(app, { 'if-none-match': '"other"', 'if-modified-since': LAST_MODIFIED })).statusCode, 200, 'If-None-Match decides when both come')
  const range = await get(app, { 'if-none-match': etag, range: 'bytes=0-1' })
  t.equal(range.statusCode, 304, 'a cached copy needs no range either')
  const head = await get(app, { 'if-none-match': etag }, 'HEAD')
  t.equal(head.statusCode, 304)
  t.notOk(head.headers['content-length'], 'no Content-Length on a 304 to HEAD either')
})

t.test('If-Range: the range only for this very version', async (t) => {
  const { app, etag } = await serve(t)
  const cases: Array<[string, number]> = [
    [etag, 206],
    [LAST_MODIFIED, 206],
    ['"other"', 200],
    [`W/${etag}`, 200], // weak tags never match here
    ['Fri, 14 Mar 2025 09:30:16 GMT', 200],
    ['Fri, 14 Mar 2025 09:30:14 GMT', 200],
    ['garbage', 200],
  ]
  for (const [ifRange, status] of cases) {
    const res = await get(app, { range: 'bytes=10-19', 'if-range': ifRange })
    t.equal(res.statusCode, status, ifRange)
    t.same(res.rawPayload, status === 206 ? CONTENT.subarray(10, 20) : CONTENT, `${ifRange}: the bytes`)
  }
  t.equal((await get(app, { 'if-range': '"other"' })).statusCode, 200, 'If-Range without Range')
})

t.test('HEAD: the headers of the GET and no body', async (t) => {
  const { app, etag } = await serve(t)
  const res = await get(app, {}, 'HEAD')
  t.equal(res.statusCode, 200)
  t.equal(res.rawPayload.length, 0)
  t.match(res.headers, {
    'content-length': '1000',
    'content-type': 'video/mp4',
    etag,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'content-disposition': /^inline; /,
  })
  const ranged = await get(app, { range: 'bytes=100-199' }, 'HEAD')
  t.equal(ranged.statusCode, 206)
  t.equal(ranged.headers['content-length'], '100')
  t.equal(ranged.headers['content-range'], 'bytes 100-199/1000')
  t.equal(ranged.rawPayload.length, 0)
  const outside = await get(app, { range: 'bytes=2000-' }, 'HEAD')
  t.equal(outside.statusCode, 416)
  t.equal(outside.headers['content-range'], 'bytes */1000')
})
