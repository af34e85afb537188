// Our tus client against an in-memory tus server behind a fake XMLHttpRequest: chunks, progress,
// a connection dropped mid-chunk (resumed from HEAD's offset, with growing waits), refusals with
// the box's message, an upload gone on the box, and cancel (which tells the box to forget it).
import t from 'tap'
import { createHash } from 'node:crypto'
import { ApiError } from '../src/api/client.js'
import { TusUpload, UploadCancelled } from '../src/files/uploader.js'

interface Stored {
  length: number
  bytes: Buffer
  metadata: string
  fileId: string | null
}

interface Seen {
  method: string
  url: string
  headers: Record<string, string>
  size: number
}

/** A tus 1.0.0 server in memory; `drop(n)` makes the next PATCH keep n bytes, then lose the connection. */
class FakeBox {
  uploads = new Map<string, Stored>()
  seen: Seen[] = []
  dropAfter: number[] = []
  /** Answer the next request with this instead. */
  refuse: { status: number; body: unknown } | null = null
  /** The next PATCH never answers (a stalled connection). */
  stallNext = false
  /** The next PATCH is stored whole, but its answer never comes back. */
  loseAnswer = false
  private next = 1

  xhr = (): XMLHttpRequest => new FakeXhr(this) as unknown as XMLHttpRequest

  handle(x: FakeXhr, body: Buffer | null): void {
    const h = x.requestHeaders
    this.seen.push({ method: x.method, url: x.url, headers: { ...h }, size: body?.length ?? 0 })
    if (h['Tus-Resumable'] !== '1.0.0') return x.answer(412, {}, '')
    if (this.refuse) {
      const { status, body: json } = this.refuse
      this.refuse = null
      return x.answer(status, { 'Content-Type': 'application/json' }, JSON.stringify(json))
    }
    const id = x.url.split('/').pop()!
    const upload = this.uploads.get(id)
    switch (x.method) {
      case 'POST': {
        const uid = 'u' + this.next++
        this.uploads.set(uid, { length: Number(h['Upload-Length']), bytes: Buffer.alloc(0), metadata: h['Upload-Metadata'] ?? '', fileId: null })
        return x.answer(201, { Location: `/api/v1/files/uploads/${uid}` }, '')
      }
      case 'HEAD':
        if (!upload) return x.answer(404, {}, '')
        return x.answer(200, { 'Upload-Offset': String(upload.bytes.length), 'Upload-Length': String(upload.length), ...(upload.fileId ? { 'Palier-File-Id': upload.fileId } : {}) }, '')
      case 'PATCH': {
        if (!upload) return x.answer(404, {}, '')
        if (Number(h['Upload-Offset']) !== upload.bytes.length) {
          return x.answer(409, { 'Content-Type': 'application/json' }, JSON.stringify({ code: 'PALIER_UPLOAD_OFFSET', message: 'offset' }))
        }
        if (this.stallNext) {
          this.stallNext = false
          return
        }
        const keep = this.dropAfter.shift()
        if (keep !== undefined) {
          upload.bytes = Buffer.concat([upload.bytes, body!.subarray(0, keep)])
          x.progress(keep)
          return x.fail()
        }
        upload.bytes = Buffer.concat([upload.bytes, body!])
        x.progress(body!.length)
        if (this.loseAnswer && upload.bytes.length === upload.length) {
          this.loseAnswer = false
          upload.fileId = 'file-' + id
          return
        }
        const headers: Record<string, string> = { 'Upload-Offset': String(upload.bytes.length) }
        if (upload.bytes.length === upload.length) {
          upload.fileId = 'file-' + id
          headers['Palier-File-Id'] = upload.fileId
        }
        return x.answer(204, headers, '')
      }
      case 'DELETE':
        this.uploads.delete(id)
        return x.answer(204, {}, '')
    }
  }
}

class FakeXhr {
  method = ''
  url = ''
  requestHeaders: Record<string, string> = {}
  status = 0
  responseText = ''
  responseHeaders: Record<string, string> = {}
  upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  private done = false
  constructor(private readonly box: FakeBox) {}
  open(method: string, url: string): void {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value
  }
  getResponseHeader(name: string): string | null {
    const key = Object.keys(this.responseHeaders).find((k) => k.toLowerCase() === name.toLowerCase())
    return key ? this.responseHeaders[key]! : null
  }
  send(body: Blob | null): void {
    void (async () => {
      const bytes = body ? Buffer.from(await body.arrayBuffer()) : null
      setImmediate(() => this.box.handle(this, bytes))
    })()
  }
  abort(): void {
    if (this.done) return
    this.done = true
    setImmediate(() => this.onabort?.())
  }
  progress(loaded: number): void {
    if (!this.done) this.upload.onprogress?.({ loaded })
  }
  answer(status: number, headers: Record<string, string>, text: string): void {
    if (this.done) return
    this.done = true
    this.status = status
    this.responseHeaders = headers
    this.responseText = text
    this.onload?.()
  }
  fail(): void {
    if (this.done) return
    this.done = true
    this.onerror?.()
  }
}

function bytes(n: number): Buffer {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 0xff
  return b
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function upload(box: FakeBox, data: Buffer, extra: Partial<ConstructorParameters<typeof TusUpload>[0]> = {}) {
  const progress: number[] = []
  const phases: string[] = []
  const waits: number[] = []
  const up = new TusUpload({
    endpoint: '/api/v1/files/uploads',
    file: new Blob([new Uint8Array(data)]),
    metadata: { filename: 'Fête des voisins.jpg', space: 'shared', parentId: null },
    language: () => 'fr',
    chunkBytes: 1000,
    createXhr: box.xhr,
    sleep: async (ms) => void waits.push(ms),
    onProgress: (sent) => progress.push(sent),
    onPhase: (p) => phases.push(p),
    ...extra,
  })
  return { up, progress, phases, waits }
}

t.test('a file goes in chunks with the tus headers and ends with the file id', async (t) => {
  const box = new FakeBox()
  const data = bytes(2500)
  const { up, progress } = upload(box, data)
  t.equal(await up.start(), 'file-u1')
  t.same(
    box.seen.map((s) => [s.method, s.headers['Upload-Offset'] ?? null, s.size]),
    [
      ['POST', null, 0],
      ['PATCH', '0', 1000],
      ['PATCH', '1000', 1000],
      ['PATCH', '2000', 500],
    ],
  )
  const post = box.seen[0]!
  t.equal(post.headers['Upload-Length'], '2500')
  t.equal(post.headers['Accept-Language'], 'fr')
  const name = /filename ([^,]+)/.exec(post.headers['Upload-Metadata']!)![1]!
  t.equal(Buffer.from(name, 'base64').toString('utf8'), 'Fête des voisins.jpg')
  t.equal(box.seen[1]!.headers['Content-Type'], 'application/offset+octet-stream')
  t.equal(sha(box.uploads.get('u1')!.bytes), sha(data))
  t.equal(progress[progress.length - 1], 2500, 'progress ends at the whole size')
  t.ok(progress.every((p, i) => i === 0 || p >= progress[i - 1]! || p === 0), 'progress goes forward')
})

t.test('a connection lost twice mid-chunk resumes from the box’s offset, waiting longer each time', async (t) => {
  const box = new FakeBox()
  box.dropAfter = [300, 10]
  const data = bytes(2500)
  const { up, phases, waits } = upload(box, data)
  t.equal(await up.start(), 'file-u1')
  t.same(waits, [1000, 2000], '1 s, then 2 s')
  t.ok(phases.includes('retrying'), 'says it is resuming')
  t.equal(phases[phases.length - 1], 'sending')
  const methods = box.seen.map((s) => `${s.method}${s.headers['Upload-Offset'] ? ' ' + s.headers['Upload-Offset'] : ''}`)
  t.same(methods, ['POST', 'PATCH 0', 'HEAD', 'PATCH 300', 'HEAD', 'PATCH 310', 'PATCH 1310', 'PATCH 2310'])
  t.equal(sha(box.uploads.get('u1')!.bytes), sha(data), 'the bytes arrive whole and in order')
})

t.test('a connection that goes silent counts as lost', async (t) => {
  const box = new FakeBox()
  box.stallNext = true
  const data = bytes(1500)
  const { up, waits } = upload(box, data, { stallMs: 20 })
  t.equal(await up.start(), 'file-u1')
  t.same(waits, [1000])
  t.equal(sha(box.uploads.get('u1')!.bytes), sha(data))
})

t.test('a refusal stops at once with the box’s message', async (t) => {
  const box = new FakeBox()
  box.refuse = { status: 413, body: { code: 'PALIER_QUOTA_EXCEEDED', message: 'Plus assez de place : il reste 1,2 Go sur 2 Go.' } }
  const { up, waits } = upload(box, bytes(100))
  const err = await up.start().catch((e: unknown) => e)
  t.ok(err instanceof ApiError)
  t.match(err, { status: 413, code: 'PALIER_QUOTA_EXCEEDED', message: 'Plus assez de place : il reste 1,2 Go sur 2 Go.' })
  t.same(waits, [], 'no retry')
  t.equal(box.seen.length, 1)
})

t.test('a 401 tells the app the session ended', async (t) => {
  const box = new FakeBox()
  box.refuse = { status: 401, body: { code: 'PALIER_UNAUTHENTICATED', message: 'Connectez-vous.' } }
  let told = 0
  const { up } = upload(box, bytes(10), { onUnauthenticated: () => void told++ })
  t.match(await up.start().catch((e: unknown) => e), { status: 401 })
  t.equal(told, 1)
})

t.test('an upload gone from the box (expired) starts again once', async (t) => {
  const box = new FakeBox()
  box.dropAfter = [100]
  const data = bytes(1500)
  const { up } = upload(box, data, {
    sleep: async () => void box.uploads.clear(),
  })
  t.equal(await up.start(), 'file-u2')
  t.equal(sha(box.uploads.get('u2')!.bytes), sha(data))
})

t.test('cancel stops the upload and tells the box to forget it', async (t) => {
  const box = new FakeBox()
  box.stallNext = true
  const { up } = upload(box, bytes(1500), { stallMs: 60_000 })
  const ended = up.start().then(
    () => null,
    (e: unknown) => e,
  )
  // Wait until the first PATCH is in flight.
  while (!box.seen.some((s) => s.method === 'PATCH')) await new Promise((r) => setImmediate(r))
  await up.cancel()
  t.ok((await ended) instanceof UploadCancelled)
  t.same(
    box.seen.map((s) => s.method),
    ['POST', 'PATCH', 'HEAD', 'DELETE'],
  )
  t.equal(box.uploads.size, 0, 'nothing left on the box')
})

t.test('a cancel that comes after the last chunk arrived deletes the file made of it', async (t) => {
  const box = new FakeBox()
  box.loseAnswer = true
  const { up } = upload(box, bytes(500), { stallMs: 60_000 })
  const ended = up.start().catch((e: unknown) => e)
  while (!box.seen.some((s) => s.method === 'PATCH')) await new Promise((r) => setImmediate(r))
  // The box has stored it; the answer is lost to the cancel.
  await up.cancel()
  t.ok((await ended) instanceof UploadCancelled)
  t.same(box.seen.map((s) => s.method), ['POST', 'PATCH', 'HEAD', 'DELETE', 'DELETE'], 'asks first what the box made of it')
  const urls = box.seen.filter((s) => s.method === 'DELETE').map((s) => s.url)
  t.same(urls, ['/api/v1/files/file-u1', '/api/v1/files/trash/file-u1'], 'to the trash, then out of it')
})
