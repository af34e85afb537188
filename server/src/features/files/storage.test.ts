import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, statfsSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { once } from 'node:events'
import path from 'node:path'
import { Readable } from 'node:stream'
import { newId } from '../../lib/ids.js'
import { FileStore } from './storage.js'

const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

/** Whether `stream` ends within `ms` (a drain that never happens fails the test instead of hanging it). */
function endsWithin(stream: Readable, ms = 5000): Promise<boolean> {
  if (stream.readableEnded) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    stream.once('end', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** A fresh store in a temporary folder, initialised. */
async function storeIn(t: Test): Promise<{ store: FileStore; dir: string }> {
  const dir = t.testdir()
  const store = new FileStore(path.join(dir, 'files'))
  await store.init()
  return { store, dir }
}

const tmpFiles = (store: FileStore) => readdirSync(path.join(store.root, '.tmp'))
const blobs = (store: FileStore) => readdirSync(store.root).filter((n) => n !== '.tmp').sort()

/**
 * A source producing `total` bytes in chunks of `chunk` on demand (as a socket does), counting
 * what it produced; chunk i is filled with i & 0xff, `first` (if given) leads.
 */
function generated(total: number, opts: { chunk?: number; first?: Buffer; onRead?: (produced: number) => void } = {}) {
  const size = opts.chunk ?? 64 * 1024
  let produced = 0
  let i = 0
  const hash = createHash('sha256')
  const source = new Readable({
    read() {
      opts.onRead?.(produced)
      if (produced >= total) return void this.push(null)
      let b = Buffer.alloc(Math.min(size, total - produced), i++ & 0xff)
      if (produced === 0 && opts.first) b = Buffer.concat([opts.first, b]).subarray(0, b.length)
      produced += b.length
      hash.update(b)
      this.push(b)
    },
  })
  return { source, produced: () => produced, sha256: () => hash.copy().digest('hex') }
}

t.test('init: the three folders, private to the service; leftovers in .tmp cleared', async (t) => {
  const dir = t.testdir()
  const store = new FileStore(path.join(dir, 'files'))
  t.equal(store.root, path.join(dir, 'files', 'store'))
  t.equal(store.uploadsDir, path.join(dir, 'files', 'uploads'))
  await store.init()
  for (const d of [store.root, path.join(store.root, '.tmp'), store.uploadsDir]) {
    const s = statSync(d)
    t.ok(s.isDirectory(), d)
    t.equal(s.mode & 0o777 & ~0o750, 0, `${d} is not open to others`)
  }
  writeFileSync(path.join(store.root, '.tmp', 'a.part'), 'half a file')
  mkdirSync(path.join(store.root, '.tmp', 'odd'))
  writeFileSync(path.join(store.root, '.tmp', 'odd', 'b'), 'x')
  const id = newId()
  writeFileSync(path.join(store.root, id), 'a real blob')
  await store.init()
  t.same(tmpFiles(store), [], 'a crash’s temporary files are gone')
  t.same(blobs(store), [id], 'real blobs are kept')
})

t.test('write: streams to the store, with size, SHA-256 and the sniffed type', async (t) => {
  const { store } = await storeIn(t)
  const id = newId()
  const body = Buffer.concat([PNG_HEAD, Buffer.alloc(10_000, 7)])
  const blob = await store.write(Readable.from([body.subarray(0, 5), body.subarray(5, 3000), body.subarray(3000)]), id, { maxBytes: 1_000_000 })
  t.same(blob, { size: body.length, sha256: sha256(body), mime: 'image/png' })
  t.same(readFileSync(store.blobPath(id)), body)
  t.equal(statSync(store.blobPath(id)).mode & 0o777 & ~0o640, 0, 'readable by the service only')
  t.same(tmpFiles(store), [])
  t.same(blobs(store), [id])
})

t.test('write: a preview goes next to its file; an empty file is stored too', async (t) => {
  const { store } = await storeIn(t)
  const id = newId()
  await store.write(Readable.from([Buffer.from('text')]), id, { maxBytes: 10 })
  const preview = await store.write(Readable.from([PNG_HEAD]), id, { maxBytes: 100, variant: 'preview' })
  t.equal(preview.mime, 'image/png')
  t.same(blobs(store), [id, `${id}.preview`])
  t.same(readFileSync(store.blobPath(id, 'preview')), PNG_HEAD)
  const empty = newId()
  t.same(await store.write(Readable.from([]), empty, { maxBytes: 10 }), { size: 0, sha256: sha256(''), mime: 'application/octet-stream' })
  t.equal(statSync(store.blobPath(empty)).size, 0)
})

t.test('write: exactly maxBytes is accepted, one more is not', async (t) => {
  const { store } = await storeIn(t)
  const ok = await store.write(generated(1000, { chunk: 100 }).source, newId(), { maxBytes: 1000 })
  t.equal(ok.size, 1000)
  await t.rejects(store.write(generated(1001, { chunk: 100 }).source, newId(), { maxBytes: 1000 }), { code: 'PALIER_FILE_TOO_LARGE' })
})

t.test('write: over the limit → 413 with the limit, temp removed, the rest of the source read and dropped', async (t) => {
  const { store } = await storeIn(t)
  const id = newId()
  const src = generated(3 * 1024 * 1024, { chunk: 16 * 1024 })
  const ended = endsWithin(src.source)
  await t.rejects(store.write(src.source, id, { maxBytes: 1024 * 1024 }), { code: 'PALIER_FILE_TOO_LARGE', statusCode: 413, params: { maxBytes: 1024 * 1024 } })
  t.same(tmpFiles(store), [], 'no temporary file')
  t.same(blobs(store), [], 'no blob')
  t.ok(await ended, 'the source ended')
  t.equal(src.produced(), 3 * 1024 * 1024, 'the whole source was consumed, so an HTTP answer can be delivered')
})

t.test('write: a source destroyed at 50 % → UploadIncompleteError, nothing left behind', async (t) => {
  const { store } = await storeIn(t)
  for (const how of ['with an error', 'without an error (premature close)'] as const) {
    const total = 4 * 1024 * 1024
    const src = generated(total, {
      onRead: (produced) => {
        if (produced >= total / 2) src.source.destroy(how === 'with an error' ? Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) : undefined)
      },
    })
    await t.rejects(store.write(src.source, newId(), { maxBytes: total }), { code: 'PALIER_UPLOAD_INCOMPLETE', statusCode: 400 }, how)
    t.same(tmpFiles(store), [], `${how}: no temporary file`)
    t.same(blobs(store), [], `${how}: no blob`)
  }
  const dead = new Readable({ read() {} })
  dead.destroy()
  await t.rejects(store.write(dead, newId(), { maxBytes: 10 }), { code: 'PALIER_UPLOAD_INCOMPLETE' }, 'a source already closed')
  t.same(tmpFiles(store), [])
})

t.test('write: accept sees the sniffed type; when it throws, its error, temp removed, source drained', async (t) => {
  const { store } = await storeIn(t)
  const seen: string[] = []
  const big = generated(200_000, { first: PNG_HEAD, chunk: 1000 })
  const accepted = newId()
  const blob = await store.write(big.source, accepted, { maxBytes: 1e6, accept: (mime) => void seen.push(mime) })
  t.same(seen, ['image/png'], 'called once, from the first SNIFF_BYTES')
  t.equal(blob.sha256, big.sha256())
  const refused = new Error('not an image')
  const src = generated(500_000, { chunk: 1000 })
  const ended = endsWithin(src.source)
  await t.rejects(
    store.write(src.source, newId(), {
      maxBytes: 1e6,
      accept: (mime) => {
        seen.push(mime)
        throw refused
      },
    }),
    refused,
  )
  t.same(tmpFiles(store), [], 'no temporary file')
  t.ok(await ended, 'the source ended')
  t.equal(src.produced(), 500_000, 'the rest was read and dropped')
  t.same(seen, ['image/png', 'application/octet-stream'])
  const small: string[] = []
  await t.rejects(store.write(Readable.from([Buffer.from('tiny')]), newId(), { maxBytes: 10, accept: (m) => { small.push(m); throw refused } }), refused)
  t.same(small, ['text/plain; charset=utf-8'], 'a file shorter than SNIFF_BYTES is judged at its end')
  t.same(tmpFiles(store), [])
  t.same(blobs(store), [accepted], 'only the accepted file')
})

t.test('write: backpressure — never more than a few MB between the source and the disk', async (t) => {
  const { store } = await storeIn(t)
  const total = 96 * 1024 * 1024
  let ahead = 0
  let part: string | undefined
  const src = generated(total, {
    onRead: (produced) => {
      // How far the source got ahead of what reached the file.
      part ??= tmpFiles(store)[0]
      if (!part || produced % (1024 * 1024) !== 0) return
      ahead = Math.max(ahead, produced - statSync(path.join(store.root, '.tmp', part)).size)
    },
  })
  const blob = await store.write(src.source, newId(), { maxBytes: total })
  t.equal(blob.size, total)
  t.equal(blob.sha256, src.sha256())
  t.ok(ahead > 0, `measured (${ahead} bytes ahead at most)`)
  t.ok(ahead <= 4 * 1024 * 1024, `at most 4 MiB in memory (${(ahead / 1024 / 1024).toFixed(1)} MiB)`)
})

t.test('blobPath/uploadPath/write: only server-made ids become paths', async (t) => {
  const { store, dir } = await storeIn(t)
  const id = newId()
  t.equal(store.blobPath(id), path.join(store.root, id))
  t.equal(store.blobPath(id, 'preview'), path.join(store.root, `${id}.preview`))
  t.equal(store.uploadPath(id), path.join(store.uploadsDir, id))
  const hostile = ['../x', '..', '.', '', '/etc/passwd', `../${id}`, `${id}/../../../x`, '..%2f..%2fetc%2fpasswd', '%2e%2e%2f', `${id}\0`, `..\\${id}`, path.join(dir, 'outside'), `.tmp/${id}`]
  for (const bad of hostile) {
    t.throws(() => store.blobPath(bad), { code: 'PALIER_NOT_FOUND' }, `blobPath(${JSON.stringify(bad)})`)
    t.throws(() => store.blobPath(bad, 'preview'), { code: 'PALIER_NOT_FOUND' })
    t.throws(() => store.uploadPath(bad), { code: 'PALIER_NOT_FOUND' }, `uploadPath(${JSON.stringify(bad)})`)
    await t.rejects(store.write(Readable.from([Buffer.from('x')]), bad, { maxBytes: 10 }), { code: 'PALIER_NOT_FOUND' })
    await t.rejects(store.remove(bad), { code: 'PALIER_NOT_FOUND' })
    await t.rejects(store.removeUpload(bad), { code: 'PALIER_NOT_FOUND' })
    await t.rejects(store.adopt(bad, id, sha256(''), 0), { code: 'PALIER_NOT_FOUND' })
    await t.rejects(store.adopt(id, bad, sha256(''), 0), { code: 'PALIER_NOT_FOUND' })
  }
  t.throws(() => store.blobPath(id, 'other' as 'preview'), { code: 'PALIER_NOT_FOUND' }, 'an unknown variant')
  t.same(readdirSync(dir), ['files'], 'nothing written beside the storage folder')
  t.same(tmpFiles(store), [])
  t.same(blobs(store), [])
})

t.test('adopt: a finished resumable upload becomes a blob', async (t) => {
  const { store } = await storeIn(t)
  const uploadId = newId()
  const id = newId()
  const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(9000, 0x20)])
  writeFileSync(store.uploadPath(uploadId), body)
  t.same(await store.adopt(uploadId, id, sha256(body), body.length), { size: body.length, sha256: sha256(body), mime: 'application/pdf' })
  t.notOk(existsSync(store.uploadPath(uploadId)), 'moved, not copied')
  t.same(readFileSync(store.blobPath(id)), body)
  const empty = newId()
  writeFileSync(store.uploadPath(empty), '')
  t.equal((await store.adopt(empty, newId(), sha256(''), 0)).mime, 'application/octet-stream')
})

t.test('adopt: a length other than the one hashed is refused, the upload kept', async (t) => {
  const { store } = await storeIn(t)
  const uploadId = newId()
  writeFileSync(store.uploadPath(uploadId), 'abc')
  await t.rejects(store.adopt(uploadId, newId(), sha256('abcd'), 4), { code: 'PALIER_UPLOAD_INCOMPLETE' })
  await t.rejects(store.adopt(uploadId, newId(), sha256('ab'), 2), { code: 'PALIER_UPLOAD_INCOMPLETE' })
  t.ok(existsSync(store.uploadPath(uploadId)))
  t.same(blobs(store), [])
  await t.rejects(store.adopt(newId(), newId(), sha256(''), 0), { code: 'ENOENT' }, 'no such upload')
})

t.test('remove and removeUpload: blob and preview go; already gone is fine', async (t) => {
  const { store } = await storeIn(t)
  const id = newId()
  const other = newId()
  for (const p of [store.blobPath(id), store.blobPath(id, 'preview'), store.blobPath(other)]) writeFileSync(p, 'x')
  await store.remove(id)
  t.same(blobs(store), [other])
  await store.remove(id)
  await store.remove(newId())
  const upload = newId()
  writeFileSync(store.uploadPath(upload), 'x')
  await store.removeUpload(upload)
  await store.removeUpload(upload)
  t.same(readdirSync(store.uploadsDir), [])
})

t.test('sweep: blobs, previews and uploads nobody knows go; the rest stays', async (t) => {
  const { store } = await storeIn(t)
  const known = newId()
  const orphan = newId()
  const orphanPreview = newId()
  for (const p of [store.blobPath(known), store.blobPath(known, 'preview'), store.blobPath(orphan), store.blobPath(orphan, 'preview'), store.blobPath(orphanPreview, 'preview')]) {
    writeFileSync(p, 'x')
  }
  writeFileSync(path.join(store.root, 'not-an-id'), 'x')
  mkdirSync(path.join(store.root, newId()))
  const liveUpload = newId()
  const deadUpload = newId()
  writeFileSync(store.uploadPath(liveUpload), 'x')
  writeFileSync(store.uploadPath(deadUpload), 'x')
  writeFileSync(path.join(store.root, '.tmp', 'in-progress.part'), 'x')
  const asked: string[] = []
  const removed = await store.sweep(
    (id) => (asked.push(id), id === known),
    (id) => id === liveUpload,
  )
  t.equal(removed, 4)
  t.same(blobs(store), [known, `${known}.preview`, 'not-an-id', readdirSync(store.root).find((n) => statSync(path.join(store.root, n)).isDirectory() && n !== '.tmp')!].sort())
  t.same(readdirSync(store.uploadsDir), [liveUpload])
  t.same(tmpFiles(store), ['in-progress.part'], 'the temporary folder is init’s business')
  t.notOk(asked.includes('not-an-id'), 'names that are not ids are never asked about')
})

t.test('freeBytes and totalBytes come from the data disk', async (t) => {
  const { store } = await storeIn(t)
  const free = await store.freeBytes()
  const total = await store.totalBytes()
  const s = statfsSync(store.root)
  t.ok(total > 0)
  t.ok(free >= 0 && free <= total, `${free} ≤ ${total}`)
  t.equal(total, s.blocks * s.bsize)
  t.ok(Math.abs(free - s.bavail * s.bsize) < 64 * 1024 * 1024, 'free space as an unprivileged writer sees it')
})

// Over a real socket, as a browser's upload arrives: the request is the source.
t.test('write from an HTTP request: a client gone at 50 % and a body over the limit', async (t) => {
  const { store } = await storeIn(t)
  const outcomes: Array<{ err?: { code?: string }; drained?: boolean }> = []
  const server = http.createServer((req, res) => {
    store.write(req, newId(), { maxBytes: Number(req.headers['x-max']) }).then(
      () => res.end('stored'),
      async (err: { code?: string; statusCode?: number }) => {
        // The answer only goes once the body is read: a client blocked on sending would never see it otherwise.
        const drained = req.readableEnded || (!req.destroyed && (await endsWithin(req)))
        outcomes.push({ err, drained })
        if (!res.destroyed) res.writeHead(err.statusCode ?? 500).end(err.code)
      },
    )
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as net.AddressInfo

  // 1. The client sends half of a declared 2 MB body, then disconnects.
  const socket = net.connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write(`POST /u HTTP/1.1\r\nHost: box\r\nX-Max: 10000000\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`)
  socket.write(Buffer.alloc(1024 * 1024, 1))
  for (let i = 0; i < 200 && !tmpFiles(store).some((f) => statSync(path.join(store.root, '.tmp', f)).size >= 512 * 1024); i++) await new Promise((r) => setTimeout(r, 10))
  t.equal(tmpFiles(store).length, 1, 'the upload was being received')
  socket.destroy()
  for (let i = 0; i < 200 && outcomes.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
  t.equal(outcomes[0]?.err?.code, 'PALIER_UPLOAD_INCOMPLETE')
  t.same(tmpFiles(store), [], 'no temporary file')
  t.same(blobs(store), [], 'no blob')

  // 2. 3 MB against a 1 MB limit: the client gets its 413 after sending everything.
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/u', headers: { 'x-max': String(1024 * 1024), 'content-length': String(3 * 1024 * 1024) } }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    const chunk = Buffer.alloc(64 * 1024, 2)
    let sent = 0
    const pump = () => {
      while (sent < 3 * 1024 * 1024) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
  t.same(answer, { status: 413, body: 'PALIER_FILE_TOO_LARGE' })
  t.equal(outcomes[1]?.drained, true, 'the request body was read to its end')
  t.same(tmpFiles(store), [])
  t.same(blobs(store), [])
})
