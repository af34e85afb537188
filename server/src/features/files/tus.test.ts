// Resumable uploads (tus 1.0.0): creation, PATCH in pieces, resuming after dropped connections
// and a restart, rights, quota, reserve, termination and expiry. Real sockets where the network
// is what is tested.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { appendFile, readdir, stat } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../app.js'
import type { Config } from '../../config.js'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'

const KiB = 1024
const MiB = 1024 * KiB
const TUS = { 'tus-resumable': '1.0.0' }
const OFFSET_STREAM = 'application/offset+octet-stream'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const metadata = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',')

function uploadsDir(config: Config): string {
  return path.join(config.dataDir, 'files', 'uploads')
}

async function create(app: FastifyInstance, cookie: string, length: number, meta: Record<string, string> = { filename: 'vidéo.mp4', space: 'household' }) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/files/uploads',
    headers: { cookie, ...TUS, 'upload-length': String(length), 'upload-metadata': metadata(meta) },
  })
}

async function patch(app: FastifyInstance, cookie: string, location: string, offset: number, body: Buffer) {
  return app.inject({
    method: 'PATCH',
    url: location,
    headers: { cookie, ...TUS, 'upload-offset': String(offset), 'content-type': OFFSET_STREAM },
    payload: body,
  })
}

async function head(app: FastifyInstance, cookie: string, location: string) {
  return app.inject({ method: 'HEAD', url: location, headers: { cookie, ...TUS } })
}

/** A second household with one resident. */
async function neighbour(app: FastifyInstance, caretaker: string): Promise<string> {
  const flat = await createFlat(app, caretaker, 'B-3')
  const invite = await createInvite(app, caretaker, flat.id)
  return joinAs(app, invite.code, 'yann', 'Yann')
}

/** An HTTP request over a real socket; the answer's body is read whole. */
function request(port: number, options: http.RequestOptions, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * A PATCH whose client vanishes mid-body: announces every remaining byte, sends only `count` of
 * them, waits until the server has written them, then drops the connection without a word.
 */
async function droppedPatch(port: number, cookie: string, location: string, data: Buffer, offset: number, count: number, partial: string) {
  const socket = net.connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write(
    `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nTus-Resumable: 1.0.0\r\n` +
      `Upload-Offset: ${offset}\r\nContent-Type: ${OFFSET_STREAM}\r\nContent-Length: ${data.length - offset}\r\n\r\n`,
  )
  socket.write(data.subarray(offset, offset + count))
  for (let i = 0; (await stat(partial)).size < offset + count; i++) {
    if (i > 1000) throw new Error('the server never wrote the bytes sent')
    await sleep(5)
  }
  socket.destroy()
}

t.test('OPTIONS tells the version, extensions and largest file, without Tus-Resumable', async (t) => {
  const { app } = await build(t, { filesMaxFileMB: 5 })
  const { resident } = await building(app)
  const res = await app.inject({ method: 'OPTIONS', url: '/api/v1/files/uploads', headers: { cookie: resident } })
  t.equal(res.statusCode, 204)
  t.equal(res.headers['tus-resumable'], '1.0.0')
  t.equal(res.headers['tus-version'], '1.0.0')
  t.equal(res.headers['tus-extension'], 'creation,termination,expiration')
  t.equal(res.headers['tus-max-size'], String(5 * MiB))
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.body, '')
  const anon = await app.inject({ method: 'OPTIONS', url: '/api/v1/files/uploads' })
  t.equal(anon.statusCode, 401)
  t.equal(anon.headers['tus-resumable'], '1.0.0', 'refusals speak tus too')
})

t.test('create, PATCH in pieces: the file appears with its size, and its bytes are the ones sent', async (t) => {
  const { app, config, clock } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  const data = randomBytes(300 * KiB)

  const created = await create(app, resident, data.length)
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.body, '', 'no body')
  const location = created.headers.location as string
  t.match(location, /^\/api\/v1\/files\/uploads\/[0-9a-f-]{36}$/)
  t.equal(created.headers['tus-resumable'], '1.0.0')
  t.equal(created.headers['cache-control'], 'no-store')
  t.equal(created.headers['upload-expires'], new Date(clock.now + 24 * 3_600_000).toUTCString())
  t.notOk(created.headers['palier-file-id'])

  let res = await head(app, resident, location)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['upload-offset'], '0')
  t.equal(res.headers['upload-length'], String(data.length))
  t.equal(res.headers['cache-control'], 'no-store')

  const cuts = [0, 100 * KiB, 100 * KiB + 1, 250 * KiB, data.length]
  for (let i = 0; i < cuts.length - 1; i++) {
    res = await patch(app, resident, location, cuts[i]!, data.subarray(cuts[i], cuts[i + 1]))
    t.equal(res.statusCode, 204, res.body)
    t.equal(res.headers['upload-offset'], String(cuts[i + 1]))
    t.equal(res.headers['tus-resumable'], '1.0.0')
    if (i < cuts.length - 2) {
      t.notOk(res.headers['palier-file-id'], 'not a file until the last byte')
      t.ok(res.headers['upload-expires'])
    }
  }
  const fileId = res.headers['palier-file-id'] as string
  t.match(fileId, /^[0-9a-f-]{36}$/, 'the last PATCH names the file')

  res = await head(app, resident, location)
  t.equal(res.headers['upload-offset'], String(data.length))
  t.equal(res.headers['palier-file-id'], fileId, 'HEAD of a complete upload names the file too')
  // The answer to the last PATCH got lost: its retry adds nothing and learns the file.
  res = await patch(app, resident, location, data.length, Buffer.alloc(0))
  t.equal(res.statusCode, 204)
  t.equal(res.headers['palier-file-id'], fileId)

  const list = await app.inject({ url: '/api/v1/files?space=household', headers: { cookie: resident } })
  t.equal(list.statusCode, 200, list.body)
  const item = (list.json().items as { id: string; name: string; size: number }[]).find((i) => i.id === fileId)
  t.match(item, { name: 'vidéo.mp4', size: data.length })
  const content = await app.inject({ url: `/api/v1/files/${fileId}/content`, headers: { cookie: resident } })
  t.equal(content.statusCode, 200)
  t.equal(sha256(content.rawPayload), sha256(data), 'the download is the bytes sent')
  t.same(await readdir(uploadsDir(config)), [], 'nothing left in uploads/')
})

t.test('a resumable upload interrupted twice completes with the right SHA-256', async (t) => {
  const { app, config } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const data = randomBytes(3 * MiB + 12_345)

  const created = await request(port, {
    method: 'POST',
    path: '/api/v1/files/uploads',
    headers: { cookie: resident, ...TUS, 'upload-length': String(data.length), 'upload-metadata': metadata({ filename: 'fête.mov', space: 'shared' }) },
  })
  t.equal(created.status, 201)
  const location = created.headers.location as string
  const partial = path.join(uploadsDir(config), location.split('/').pop()!)
  const offsetNow = async () => {
    const res = await request(port, { method: 'HEAD', path: location, headers: { cookie: resident, ...TUS } })
    t.equal(res.status, 200)
    t.equal(res.headers['cache-control'], 'no-store')
    return Number(res.headers['upload-offset'])
  }

  await droppedPatch(port, resident, location, data, 0, 1 * MiB + 777, partial)
  t.equal(await offsetNow(), 1 * MiB + 777, 'the bytes before the first drop are kept')
  await droppedPatch(port, resident, location, data, 1 * MiB + 777, 1 * MiB, partial)
  t.equal(await offsetNow(), 2 * MiB + 777, 'and those before the second')

  const offset = 2 * MiB + 777
  const done = await request(
    port,
    { method: 'PATCH', path: location, headers: { cookie: resident, ...TUS, 'upload-offset': String(offset), 'content-type': OFFSET_STREAM } },
    data.subarray(offset),
  )
  t.equal(done.status, 204, done.body.toString())
  t.equal(done.headers['upload-offset'], String(data.length))
  const fileId = done.headers['palier-file-id'] as string
  t.ok(fileId)
  const content = await request(port, { method: 'GET', path: `/api/v1/files/${fileId}/content`, headers: { cookie: resident } })
  t.equal(content.status, 200)
  t.equal(content.body.length, data.length)
  t.equal(sha256(content.body), sha256(data), 'same SHA-256 as the source')
  t.same(await readdir(uploadsDir(config)), [], 'nothing left in uploads/')
})

t.test('a connection that stalls without closing is taken over by the next request', async (t) => {
  const { app, config } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const data = randomBytes(MiB)
  const location = (await create(app, resident, data.length)).headers.location as string
  const partial = path.join(uploadsDir(config), location.split('/').pop()!)

  // Wi-Fi gone without a goodbye: the server still holds the old connection when the phone comes back.
  const stalled = net.connect(port, '127.0.0.1')
  stalled.on('error', () => {})
  const closed = once(stalled, 'close')
  await once(stalled, 'connect')
  stalled.write(
    `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${resident}\r\nTus-Resumable: 1.0.0\r\n` +
      `Upload-Offset: 0\r\nContent-Type: ${OFFSET_STREAM}\r\nContent-Length: ${data.length}\r\n\r\n`,
  )
  stalled.write(data.subarray(0, 300 * KiB))
  while ((await stat(partial)).size < 300 * KiB) await sleep(5)

  const status = await request(port, { method: 'HEAD', path: location, headers: { cookie: resident, ...TUS } })
  t.equal(status.headers['upload-offset'], String(300 * KiB), 'HEAD stops the stalled PATCH and gives what it stored')
  await closed
  t.pass('the stalled connection is dropped')
  const done = await request(
    port,
    { method: 'PATCH', path: location, headers: { cookie: resident, ...TUS, 'upload-offset': String(300 * KiB), 'content-type': OFFSET_STREAM } },
    data.subarray(300 * KiB),
  )
  t.equal(done.status, 204)
  const fileId = done.headers['palier-file-id'] as string
  const content = await app.inject({ url: `/api/v1/files/${fileId}/content`, headers: { cookie: resident } })
  t.equal(sha256(content.rawPayload), sha256(data))
})

t.test('a chunked body that runs past Upload-Length is refused and nothing of it is kept', async (t) => {
  const { app, config } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const location = (await create(app, resident, 1000)).headers.location as string
  const partial = path.join(uploadsDir(config), location.split('/').pop()!)

  const answer = new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'PATCH',
      path: location,
      headers: { cookie: resident, ...TUS, 'upload-offset': '0', 'content-type': OFFSET_STREAM },
    })
    req.on('response', resolve)
    req.on('error', reject)
    req.write(Buffer.alloc(600, 1))
    void (async () => {
      while ((await stat(partial)).size < 600) await sleep(5)
      req.end(Buffer.alloc(600, 2))
    })()
  })
  const res = await answer
  res.resume()
  t.equal(res.statusCode, 400)
  t.equal((await head(app, resident, location)).headers['upload-offset'], '0')
  t.equal((await stat(partial)).size, 0, 'the bytes within the length went too')
  t.equal((await patch(app, resident, location, 0, Buffer.alloc(1000, 3))).statusCode, 204, 'a correct PATCH then completes it')
})

t.test('a restart in the middle: the upload resumes, an unacknowledged tail is dropped, the hash is right', async (t) => {
  const { app, config, clock } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  const data = randomBytes(2 * MiB + 3)
  const created = await create(app, resident, data.length)
  const location = created.headers.location as string
  t.equal((await patch(app, resident, location, 0, data.subarray(0, MiB))).statusCode, 204)
  await app.close()
  // A crash after a write but before its offset was recorded leaves bytes nobody acknowledged.
  const partial = path.join(uploadsDir(config), location.split('/').pop()!)
  await appendFile(partial, Buffer.from('garbage that must not end up in the file'))

  const again = await buildApp(config, { now: () => clock.now })
  t.teardown(() => again.close())
  let res = await head(again, resident, location)
  t.equal(res.statusCode, 200, 'the session and the upload outlive the restart')
  t.equal(res.headers['upload-offset'], String(MiB))
  res = await patch(again, resident, location, MiB, data.subarray(MiB))
  t.equal(res.statusCode, 204, res.body)
  const fileId = res.headers['palier-file-id'] as string
  const content = await again.inject({ url: `/api/v1/files/${fileId}/content`, headers: { cookie: resident } })
  t.equal(sha256(content.rawPayload), sha256(data), 'hash rebuilt from the bytes on disk')
})

t.test('PATCH refusals: wrong offset, wrong type, too many bytes', async (t) => {
  const { app } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  const location = (await create(app, resident, 1000)).headers.location as string
  t.equal((await patch(app, resident, location, 0, Buffer.alloc(400, 1))).statusCode, 204)

  let res = await patch(app, resident, location, 0, Buffer.alloc(10, 2))
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 'PALIER_UPLOAD_OFFSET')
  t.equal(res.headers['tus-resumable'], '1.0.0')
  res = await patch(app, resident, location, 500, Buffer.alloc(10, 2))
  t.equal(res.statusCode, 409)

  res = await app.inject({
    method: 'PATCH',
    url: location,
    headers: { cookie: resident, ...TUS, 'upload-offset': '400', 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(10),
  })
  t.equal(res.statusCode, 415)
  t.equal(res.json().code, 'PALIER_UNSUPPORTED_MEDIA_TYPE')
  res = await app.inject({ method: 'PATCH', url: location, headers: { cookie: resident, ...TUS, 'upload-offset': '400' }, payload: { a: 1 } })
  t.equal(res.statusCode, 415, 'JSON is no upload body')

  res = await patch(app, resident, location, 400, Buffer.alloc(601, 3))
  t.equal(res.statusCode, 400, 'more than announced')
  t.equal(res.json().code, 'PALIER_BAD_REQUEST')
  // Same without a length announced up front (chunked): refused as the excess arrives.
  res = await app.inject({
    method: 'PATCH',
    url: location,
    headers: { cookie: resident, ...TUS, 'upload-offset': '400', 'content-type': OFFSET_STREAM, 'transfer-encoding': 'chunked' },
    payload: Buffer.alloc(700, 3),
  })
  t.equal(res.statusCode, 400)
  t.equal((await head(app, resident, location)).headers['upload-offset'], '400', 'nothing of a refused body is kept')

  res = await app.inject({ method: 'PATCH', url: location, headers: { cookie: resident, ...TUS, 'content-type': OFFSET_STREAM }, payload: Buffer.alloc(1) })
  t.equal(res.statusCode, 400, 'Upload-Offset is required')
})

t.test('only who started an upload sees it', async (t) => {
  const { app } = await build(t, { filesReserveMB: 0 })
  const { caretaker, resident } = await building(app)
  const other = await neighbour(app, caretaker)
  const location = (await create(app, resident, 100, { filename: 'a.txt', space: 'shared' })).headers.location as string
  for (const cookie of [other, caretaker]) {
    t.equal((await head(app, cookie, location)).statusCode, 404)
    const res = await patch(app, cookie, location, 0, Buffer.alloc(100))
    t.equal(res.statusCode, 404)
    t.equal(res.json().code, 'PALIER_NOT_FOUND')
    t.equal((await app.inject({ method: 'DELETE', url: location, headers: { cookie, ...TUS } })).statusCode, 404)
  }
  t.equal((await head(app, resident, location)).headers['upload-offset'], '0', 'untouched')
  const bad = await app.inject({ method: 'HEAD', url: '/api/v1/files/uploads/..%2F..%2Fpalier.sqlite', headers: { cookie: resident, ...TUS } })
  t.equal(bad.statusCode, 400, 'ids are checked before any path is made')
})

t.test('creation refusals: version, size, metadata, rights', async (t) => {
  const { app } = await build(t, { filesReserveMB: 0, filesMaxFileMB: 1 })
  const { resident } = await building(app)

  let res = await app.inject({
    method: 'POST',
    url: '/api/v1/files/uploads',
    headers: { cookie: resident, 'upload-length': '10', 'upload-metadata': metadata({ filename: 'a', space: 'shared' }) },
  })
  t.equal(res.statusCode, 412, 'no Tus-Resumable')
  t.equal(res.headers['tus-version'], '1.0.0')
  t.equal(res.headers['tus-resumable'], '1.0.0')
  t.equal(res.json().code, 'PALIER_BAD_REQUEST', 'the usual error format')
  res = await app.inject({ method: 'HEAD', url: '/api/v1/files/uploads/01890000-0000-7000-8000-000000000000', headers: { cookie: resident, 'tus-resumable': '0.2.2' } })
  t.equal(res.statusCode, 412, 'another version')

  res = await create(app, resident, MiB + 1)
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'PALIER_FILE_TOO_LARGE')
  t.match(res.json().message, /1 Mo/)
  t.equal((await create(app, resident, MiB)).statusCode, 201, 'exactly the largest size is fine')

  res = await create(app, resident, 10, { space: 'shared' })
  t.equal(res.statusCode, 400)
  t.equal(res.json().field, 'filename')
  res = await create(app, resident, 10, { filename: 'a', space: 'attic' })
  t.equal(res.json().field, 'space')
  res = await create(app, resident, 10, { filename: 'a', space: 'shared', parentId: '../etc' })
  t.equal(res.json().field, 'parentId')
  res = await create(app, resident, 10, { filename: '..', space: 'shared' })
  t.equal(res.json().code, 'PALIER_FILE_NAME_INVALID')
  res = await app.inject({
    method: 'POST',
    url: '/api/v1/files/uploads',
    headers: { cookie: resident, ...TUS, 'upload-length': '10', 'upload-metadata': 'filename ###,space c2hhcmVk' },
  })
  t.equal(res.json().field, 'upload-metadata')
  res = await app.inject({ method: 'POST', url: '/api/v1/files/uploads', headers: { cookie: resident, ...TUS, 'upload-metadata': metadata({ filename: 'a', space: 'shared' }) } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().field, 'upload-length')
  res = await app.inject({
    method: 'POST',
    url: '/api/v1/files/uploads',
    headers: { cookie: resident, ...TUS, 'upload-length': '-1', 'upload-metadata': metadata({ filename: 'a', space: 'shared' }) },
  })
  t.equal(res.statusCode, 400)

  res = await create(app, resident, 10, { filename: 'règlement.pdf', space: 'library' })
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'PALIER_LIBRARY_READ_ONLY')
  res = await create(app, resident, 10, { filename: 'a', space: 'shared', parentId: '01890000-0000-7000-8000-000000000000' })
  t.equal(res.statusCode, 404)
})

t.test('the caretaker uploads to the library; an empty file is complete at creation', async (t) => {
  const { app, config } = await build(t, { filesReserveMB: 0 })
  const { caretaker, resident } = await building(app)
  const res = await create(app, caretaker, 0, { filename: 'vide.txt', space: 'library' })
  t.equal(res.statusCode, 201)
  const fileId = res.headers['palier-file-id'] as string
  t.ok(fileId)
  const list = await app.inject({ url: '/api/v1/files?space=library', headers: { cookie: resident } })
  t.match(list.json().items, [{ id: fileId, name: 'vide.txt', size: 0 }])
  t.same(await readdir(uploadsDir(config)), [])
})

t.test('quota: an upload is counted from its creation, and the refusal says what is left', async (t) => {
  const { app } = await build(t, { filesReserveMB: 0, filesHouseholdQuotaMB: 1 })
  const { caretaker, resident } = await building(app)
  t.equal((await create(app, resident, 600 * KiB)).statusCode, 201)
  const res = await create(app, resident, 600 * KiB)
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'PALIER_QUOTA_EXCEEDED')
  t.match(res.json().message, /il reste 424 Ko sur 1 Mo/)
  t.equal((await create(app, caretaker, 600 * KiB, { filename: 'plan.pdf', space: 'shared' })).statusCode, 201, 'the caretaker has no quota')
})

t.test('parallel creations cannot exceed the quota together', async (t) => {
  const { app } = await build(t, { filesReserveMB: 0, filesHouseholdQuotaMB: 1 })
  const { resident } = await building(app)
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => create(app, resident, 300 * KiB, { filename: `p${i}.jpg`, space: 'household' })))
  t.same(
    answers.map((a) => a.statusCode).sort(),
    [201, 201, 201, 413, 413, 413],
  )
})

t.test('under the free-space reserve: no new upload, no more bytes (507), reading goes on', async (t) => {
  const { app, config, clock } = await build(t, { filesReserveMB: 0 })
  const { resident } = await building(app)
  const location = (await create(app, resident, 1000)).headers.location as string
  t.equal((await patch(app, resident, location, 0, Buffer.alloc(500, 7))).statusCode, 204)
  await app.close()

  // The same box, now with a reserve larger than any disk.
  const full = await buildApp({ ...config, filesReserveMB: 1_048_576 }, { now: () => clock.now })
  t.teardown(() => full.close())
  let res = await create(full, resident, 10)
  t.equal(res.statusCode, 507)
  t.equal(res.json().code, 'PALIER_STORAGE_FULL')
  res = await patch(full, resident, location, 500, Buffer.alloc(500, 7))
  t.equal(res.statusCode, 507)
  t.equal(res.headers['tus-resumable'], '1.0.0')
  res = await head(full, resident, location)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['upload-offset'], '500', 'the upload waits, intact')
  t.equal((await full.inject({ url: '/api/v1/files?space=household', headers: { cookie: resident } })).statusCode, 200)
})

t.test('DELETE cancels: the partial file goes and its room comes back', async (t) => {
  const { app, config } = await build(t, { filesReserveMB: 0, filesHouseholdQuotaMB: 1 })
  const { resident } = await building(app)
  const location = (await create(app, resident, 800 * KiB)).headers.location as string
  t.equal((await patch(app, resident, location, 0, randomBytes(100 * KiB))).statusCode, 204)
  t.equal((await readdir(uploadsDir(config))).length, 1)
  t.equal((await create(app, resident, 800 * KiB)).statusCode, 413)

  const res = await app.inject({ method: 'DELETE', url: location, headers: { cookie: resident, ...TUS } })
  t.equal(res.statusCode, 204)
  t.equal(res.headers['tus-resumable'], '1.0.0')
  t.same(await readdir(uploadsDir(config)), [], 'the partial file is gone')
  t.equal((await head(app, resident, location)).statusCode, 404)
  t.equal((await patch(app, resident, location, 100 * KiB, Buffer.alloc(1))).statusCode, 404)
  const again = await create(app, resident, 800 * KiB)
  t.equal(again.statusCode, 201, 'the room is back')
  t.equal((await app.inject({ method: 'DELETE', url: again.headers.location as string, headers: { cookie: resident, ...TUS } })).statusCode, 204)
  t.same(await readdir(uploadsDir(config)), [])
})

t.test('an expired upload is gone: refused at once, its bytes removed by the purge', async (t) => {
  const { app, config, clock } = await build(t, { filesReserveMB: 0, filesUploadExpiryHours: 2 })
  const { resident } = await building(app)
  const location = (await create(app, resident, 1000)).headers.location as string
  let res = await patch(app, resident, location, 0, Buffer.alloc(300, 1))
  t.equal(res.headers['upload-expires'], new Date(clock.now + 2 * 3_600_000).toUTCString(), 'each PATCH pushes the expiry back')
  clock.advance(2 * 3_600_000 + 1)
  t.equal((await head(app, resident, location)).statusCode, 404)
  res = await patch(app, resident, location, 300, Buffer.alloc(300, 1))
  t.equal(res.statusCode, 404)
  await app.close()

  // The purge runs at start-up (and every hour).
  const again = await buildApp(config, { now: () => clock.now })
  t.teardown(() => again.close())
  t.same(await readdir(uploadsDir(config)), [], 'the partial file is removed')
})
