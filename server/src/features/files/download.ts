// Sends a stored file's bytes from disk, streamed: validators so a phone re-downloads nothing it
// has, one byte range so a video can be watched and a download resumed, and headers that keep a
// hostile file from running as the app (it is named, typed from its content, sandboxed).
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { contentDisposition } from './names.js'
import { isInlineSafe } from './sniff.js'

export interface BlobToSend {
  path: string
  size: number
  mime: string
  /** Shown to the person saving it; never used as a path. */
  name: string
  sha256: string
  updatedAt: number
  forceDownload?: boolean
  /** 'day' for previews, which change only with their file; 'revalidate' (the default) otherwise. */
  cache?: 'revalidate' | 'day'
}

// Even a file opened in its own tab runs nothing: no script, no form, no plugin; pictures and
// media still show. The sandbox also gives it a unique origin, away from the session cookie.
export const BLOB_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"

/**
 * Sends a stored blob: ETag `"<sha256>"`, Last-Modified, Accept-Ranges: bytes, one `Range` (206 +
 * Content-Range, 416 with `bytes *\/size` when unsatisfiable; several ranges → the whole file,
 * 200), If-None-Match / If-Modified-Since → 304, If-Range, HEAD (headers of the GET, no read of
 * the file). Content-Disposition is inline only when isInlineSafe(mime) and not forceDownload.
 */
export function sendBlob(request: FastifyRequest, reply: FastifyReply, blob: BlobToSend): FastifyReply {
  const etag = `"${blob.sha256}"`
  reply
    .header('etag', etag)
    .header('last-modified', new Date(blob.updatedAt).toUTCString())
    .header('cache-control', blob.cache === 'day' ? 'private, max-age=86400' : 'private, max-age=0, must-revalidate')
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('accept-ranges', 'bytes')
  if (notModified(request, etag, blob.updatedAt)) return reply.code(304).send(nothing())

  const ifRange = request.headers['if-range']
  const range = request.headers.range !== undefined && ifRangeHolds(ifRange, etag, blob.updatedAt) ? parseRange(request.headers.range, blob.size) : undefined
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${blob.size}`).send()

  reply
    .header('content-type', blob.mime)
    .header('content-disposition', contentDisposition(isInlineSafe(blob.mime) && !blob.forceDownload ? 'inline' : 'attachment', blob.name))
    .header('content-security-policy', BLOB_CSP)
  const { start, end } = range ?? { start: 0, end: blob.size - 1 }
  if (range) reply.code(206).header('content-range', `bytes ${start}-${end}/${blob.size}`)
  const length = end - start + 1
  reply.header('content-length', String(length))
  // HEAD: the same headers, and the file is not even opened (Fastify would read it to the end).
  if (request.method === 'HEAD' || length === 0) return reply.send(nothing())
  // 256 KiB reads: a quarter of the garbage collections and read calls of the 64 KiB default,
  // for a few MB more while a download runs (bench/README.md has the figures).
  return reply.send(createReadStream(blob.path, { start, end, highWaterMark: 256 * 1024 }))
}

/** An empty body that leaves Content-Length as set (undefined would make it 0 for HEAD). */
function nothing(): Readable {
  return new Readable({
    read() {
      this.push(null)
    },
  })
}

/** The entity tags of an If-None-Match value ("*" aside), without their weakness marker. */
function entityTags(value: string): string[] {
  return Array.from(value.matchAll(/(?:W\/)?("[^"]*")/g), (m) => m[1]!)
}

/** The seconds HTTP dates carry: a Last-Modified sent as such compares equal to itself. */
const toSeconds = (ms: number) => Math.floor(ms / 1000)

function notModified(request: FastifyRequest, etag: string, updatedAt: number): boolean {
  const ifNoneMatch = request.headers['if-none-match']
  // If-None-Match wins over If-Modified-Since when both come (RFC 9110 §13.2.2); tags compare weakly.
  if (ifNoneMatch !== undefined) return ifNoneMatch.trim() === '*' || entityTags(ifNoneMatch).includes(etag)
  const since = Date.parse(request.headers['if-modified-since'] ?? '')
  return !Number.isNaN(since) && toSeconds(updatedAt) <= toSeconds(since)
}

/** Whether a Range may be honoured: no If-Range, or one naming this very version (strong comparison). */
function ifRangeHolds(ifRange: string | string[] | undefined, etag: string, updatedAt: number): boolean {
  if (ifRange === undefined) return true
  if (typeof ifRange !== 'string') return false // sent twice: which version is meant is unclear
  const value = ifRange.trim()
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag // a weak tag never matches
  const date = Date.parse(value)
  return !Number.isNaN(date) && toSeconds(date) === toSeconds(updatedAt)
}

/**
 * The one byte range asked for, clamped to the file; 'unsatisfiable' when it starts past the end;
 * undefined when the whole file is to be sent: no usable header (malformed, another unit,
 * several ranges) or an empty file asked for its last bytes.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(.*)$/i.exec(header.trim())
  if (!m) return undefined
  const specs = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (specs.length !== 1) return undefined
  const spec = specs[0]!
  const full = /^(\d+)-(\d*)$/.exec(spec)
  if (full) {
    const first = Number(full[1])
    const last = full[2] === '' ? Infinity : Number(full[2])
    if (last < first) return undefined // invalid: the header is ignored
    if (first >= size) return 'unsatisfiable'
    return { start: first, end: Math.min(last, size - 1) }
  }
  const suffix = /^-(\d+)$/.exec(spec)
  if (suffix) {
    const length = Number(suffix[1])
    if (length === 0) return 'unsatisfiable'
    if (size === 0) return undefined // RFC 9110 §14.1.3: satisfiable, yet there is no byte to send
    return { start: Math.max(0, size - length), end: size - 1 }
  }
  return undefined
}
