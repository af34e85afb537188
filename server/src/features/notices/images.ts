// Images sent as a raw request body: recognised by their first bytes (never by the declared type),
// size-limited while they stream, written to a temporary name, fsynced, then renamed into place,
// so no half-written file is ever visible under its final name. The incidents' photos use it too.
import createError from '@fastify/error'
import { open, rename, unlink, mkdir, readdir, rm } from 'node:fs/promises'
import type { FastifyReply } from 'fastify'
import { NotFoundError } from '../../lib/errors.js'
import path from 'node:path'
import type { Readable } from 'node:stream'

export const NotAnImageError = createError('PALIER_NOT_AN_IMAGE', 'not a JPEG, PNG or WebP image', 415)
export const ImageTooLargeError = createError('PALIER_IMAGE_TOO_LARGE', 'image too large', 413)

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp'

/** The image type from its magic bytes (at least 12 are needed), or undefined. */
export function sniffImage(head: Buffer): ImageMime | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/** Refuses a declared length over the limit before a byte is read. */
export function checkDeclaredLength(header: string | undefined, maxBytes = MAX_IMAGE_BYTES): void {
  if (header !== undefined && Number(header) > maxBytes) throw new ImageTooLargeError()
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r')
  try {
    await d.sync()
  } finally {
    await d.close()
  }
}

/**
 * Streams `source` into `<dir>/<name>`; resolves with the detected type and size. On any failure
 * the temporary file is removed and the rest of the upload is left for the HTTP server to discard.
 */
export async function saveImage(source: Readable, dir: string, name: string, maxBytes = MAX_IMAGE_BYTES): Promise<{ mime: ImageMime; size: number }> {
  await mkdir(dir, { recursive: true, mode: 0o750 })
  const tmp = path.join(dir, `.${name}.part`)
  const file = await open(tmp, 'wx', 0o640)
  let closed = false
  try {
    const { mime, size } = await new Promise<{ mime: ImageMime; size: number }>((resolve, reject) => {
      let size = 0
      let head = Buffer.alloc(0)
      let mime: ImageMime | undefined
      let failed = false
      const fail = (err: Error) => {
        if (failed) return
        failed = true
        source.removeListener('data', onData)
        source.removeListener('end', onEnd)
        source.resume() // read and drop the rest; the answer still reaches the client
        reject(err)
      }
      const onData = (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) return fail(new ImageTooLargeError())
        if (!mime) {
          head = Buffer.concat([head, chunk]).subarray(0, 12)
          if (head.length >= 12 || sniffImage(head) === 'image/jpeg') {
            mime = sniffImage(head)
            if (!mime) return fail(new NotAnImageError())
          }
        }
        source.pause()
        file.write(chunk).then(() => {
          if (!failed) source.resume()
        }, fail)
      }
      const onEnd = () => {
        if (failed) return
        if (!mime) mime = sniffImage(head)
        if (!mime) return fail(new NotAnImageError())
        resolve({ mime, size })
      }
      source.on('data', onData)
      source.once('end', onEnd)
      source.once('error', fail)
    })
    await file.sync()
    await file.close()
    closed = true
    await rename(tmp, path.join(dir, name))
    await syncDir(dir)
    return { mime, size }
  } catch (err) {
    if (!closed) await file.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    throw err
  }
}

/** Removes uploads a crash interrupted: they were never visible under a final name. */
export async function sweepPartialUploads(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 })
  for (const name of await readdir(dir)) {
    if (name.startsWith('.') && name.endsWith('.part')) await rm(path.join(dir, name), { force: true })
  }
}

/** Streams a saved image (its name never changes, so it may be cached for good); 404 if it is gone. */
export async function sendImage(reply: FastifyReply, dir: string, name: string, mime: string): Promise<FastifyReply> {
  const file = await open(path.join(dir, name), 'r').catch(() => undefined)
  if (!file) throw new NotFoundError()
  const { size } = await file.stat()
  return reply
    .type(mime)
    .header('content-length', String(size))
    .header('cache-control', 'private, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff')
    .send(file.createReadStream() as never) // streamed, not buffered
}
