// Resumable uploads: our own tus 1.0.0 (core, creation, termination, expiration) under
// /files/uploads. Bytes go to files/uploads/<id>; after every PATCH, however it ended (even a
// dropped Wi-Fi mid-body), what arrived is fsynced and its length recorded, so the next PATCH
// resumes exactly there. The last byte turns the upload into a file of the chosen space.
import createError from '@fastify/error'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createHash, type Hash } from 'node:crypto'
import { open, rename, type FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Config } from '../../config.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { errorResponses } from '../../lib/responses.js'
import { IdParamsSchema } from '../../lib/schemas.js'
import { StorageFullError, UploadIncompleteError, UploadOffsetError, fileTooLarge } from './errors.js'
import { cleanName, isNodeId } from './names.js'
import type { FileStore } from './storage.js'
import { checkRoom, insertFile, limitsOf, placeForNew, viewerOf, type Place, type Space, type Viewer } from './store.js'
import * as uploads from './tus-store.js'
import type { Upload } from './tus-store.js'
import {
  CreateHeadersSchema,
  CreatedSchema,
  OFFSET_STREAM,
  OptionsResultSchema,
  PatchHeadersSchema,
  PatchedSchema,
  StatusResultSchema,
  TUS_EXTENSIONS,
  TUS_VERSION,
  TerminatedSchema,
  TusHeadersSchema,
} from './tus-schema.js'

// Protocol refusals: not PALIER_ codes, so the error handler answers them with the generic,
// translated message of their status (412 and 400: "the request is not valid", 415: "type not accepted").
const TusVersionError = createError('TUS_VERSION', 'Tus-Resumable 1.0.0 required', 412)
const NotOffsetStreamError = createError('TUS_CONTENT_TYPE', `PATCH needs Content-Type: ${OFFSET_STREAM}`, 415)
const BeyondLengthError = createError('TUS_BEYOND_LENGTH', 'more bytes than Upload-Length', 400)

const SPACES: readonly Space[] = ['library', 'household', 'shared']
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const utf8 = new TextDecoder('utf-8', { fatal: true })
const EMPTY_SHA256 = createHash('sha256').digest('hex')
const REHASH_CHUNK = 1 << 20
// Uploads whose SHA-256 state stays in memory between PATCHes.
const MAX_HASH_STATES = 64
// Bytes received while the disk is busy that may wait in memory before the socket is paused.
const QUEUE_BYTES = 1 << 20

/** How a request body stopped feeding the file. */
type Ending = { kind: 'end' } | { kind: 'beyond' } | { kind: 'cut' } | { kind: 'failed'; error: unknown }

function badMetadata(field = 'upload-metadata'): Error {
  return withDetails(new InvalidInputError(field), { field })
}

/** `key base64,key base64,key` → decoded values (UTF-8); a key may come without a value. */
export function parseMetadata(header: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const pair of header.split(',')) {
    const trimmed = pair.trim()
    if (!trimmed) continue
    const [key, value, ...rest] = trimmed.split(' ')
    if (!key || rest.length > 0 || out.has(key)) throw badMetadata()
    if (!value) {
      out.set(key, '')
      continue
    }
    if (!BASE64.test(value)) throw badMetadata()
    try {
      out.set(key, utf8.decode(Buffer.from(value, 'base64')))
    } catch {
      throw badMetadata()
    }
  }
  return out
}

/** Ends an answer whose content is all in its headers: no body at all (not even `null`). */
function noBody(reply: FastifyReply): FastifyReply {
  return reply.send()
}

/** RFC 7231 IMF-fixdate. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString()
}

async function writeAll(fh: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let done = 0; done < chunk.length; ) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, position + done)
    done += bytesWritten
  }
}

/** The SHA-256 state after the first `length` bytes of the file (after a restart). */
async function hashPrefix(fh: FileHandle, length: number): Promise<Hash> {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(Math.min(length, REHASH_CHUNK))
  for (let pos = 0; pos < length; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - pos), pos)
    if (bytesRead === 0) throw new Error(`partial upload shorter than its recorded offset ${length}`)
    hash.update(buf.subarray(0, bytesRead))
    pos += bytesRead
  }
  return hash
}

/** Writes `chunks` one after the other at `position`, in as few system calls as the kernel allows. */
async function writeChunks(fh: FileHandle, chunks: Buffer[], position: number): Promise<void> {
  const total = chunks.reduce((n, c) => n + c.length, 0)
  const { bytesWritten } = await fh.writev(chunks, position)
  if (bytesWritten < total) await writeAll(fh, Buffer.concat(chunks).subarray(bytesWritten), position + bytesWritten)
}

/**
 * Appends `body` to `fh` from `start`, hashing what lands, never past `limit`. Chunks that arrive
 * while a write is under way are written together next; past QUEUE_BYTES waiting, the socket is
 * paused (memory stays flat whatever the client's speed). Resolves, never rejects, once nothing
 * more will be written, with how far it got: what arrived is kept whether the body ended or the
 * connection dropped.
 */
function receive(body: Readable, fh: FileHandle, start: number, limit: number, hash: Hash, signal: AbortSignal): Promise<{ end: number; ending: Ending }> {
  return new Promise((resolve) => {
    let end = start
    let ending: Ending | null = null
    let writing = false
    let queue: Buffer[] = []
    let queued = 0
    const settle = () => {
      if (!ending || writing) return
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('close', onCut)
      signal.removeEventListener('abort', onAbort)
      // The rest of a refused body flows on unread (Node discards it after the answer).
      resolve({ end, ending })
    }
    const stop = (e: Ending) => {
      ending ??= e
      settle()
    }
    const flush = () => {
      const batch = queue
      queue = []
      queued = 0
      writing = true
      writeChunks(fh, batch, end).then(
        () => {
          for (const chunk of batch) {
            hash.update(chunk)
            end += chunk.length
          }
          writing = false
          // Bytes that arrived before a disconnect are still written: they are the client's progress.
          if (queue.length > 0) return flush()
          if (ending) return settle()
          if (body.isPaused()) body.resume()
        },
        (error: unknown) => {
          writing = false
          queue = []
          stop({ kind: 'failed', error })
        },
      )
    }
    const onData = (chunk: Buffer) => {
      if (ending) return
      if (chunk.length > limit - end - queued) {
        queue = []
        return stop({ kind: 'beyond' })
      }
      queue.push(chunk)
      queued += chunk.length
      if (!writing) flush()
      else if (queued >= QUEUE_BYTES) body.pause()
    }
    const onEnd = () => stop({ kind: 'end' })
    const onCut = () => stop({ kind: 'cut' })
    // Another request for this upload took over: this connection is presumed dead.
    const onAbort = () => {
      stop({ kind: 'cut' })
      body.destroy()
    }
    // A disconnect may emit 'error': never let it go unheard, even after we stop listening.
    body.on('error', onCut)
    if (signal.aborted || body.destroyed) return stop({ kind: 'cut' })
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('close', onCut)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export default async function tusRoutes(fastify: FastifyInstance, opts: { config: Config; fileStore: FileStore }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const { fileStore } = opts
  const limits = limitsOf(opts.config)

  /** SHA-256 state of each upload's first `offset` bytes, so a resumed PATCH need not re-read them. */
  const hashes = new Map<string, { hash: Hash; offset: number }>()
  /** Keeps a hash state for the next PATCH; the oldest go past a few dozen (abandoned uploads would only cost a re-read). */
  function keepHash(id: string, hash: Hash, offset: number): void {
    hashes.set(id, { hash, offset })
    for (const old of hashes.keys()) {
      if (hashes.size <= MAX_HASH_STATES) break
      hashes.delete(old)
    }
  }

  /** The PATCH writing each upload now, if any: at most one writer per file. */
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>()

  // PATCH bodies stream straight to the partial file (this scope only).
  app.addContentTypeParser(OFFSET_STREAM, (_request, payload, done) => done(null, payload))

  // Every answer here speaks tus, refusals included (401s too, hence onRequest).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('tus-resumable', TUS_VERSION).header('cache-control', 'no-store')
    done()
  })
  // After the access check (a stranger gets 401, not 412), before the body is touched.
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (request.method === 'OPTIONS' || request.headers['tus-resumable'] === TUS_VERSION) return done(null, payload)
    reply.header('tus-version', TUS_VERSION)
    done(new TusVersionError())
  })

  /** The upload if it is this person's and still alive; anyone else learns nothing (404). */
  function ownUpload(viewer: Viewer, id: string): Upload {
    const upload = uploads.getUpload(db, id)
    if (!upload || upload.ownerId !== viewer.userId || upload.expiresAt <= app.now()) throw new NotFoundError()
    return upload
  }

  /**
   * Stops the PATCH now writing this upload (its connection is presumed dead: a client that
   * comes back after a dropped Wi-Fi may reach us before we notice) and waits until what it
   * received is synced and recorded.
   */
  async function takeOver(id: string): Promise<void> {
    for (let current = running.get(id); current; current = running.get(id)) {
      current.controller.abort()
      await current.done.catch(() => {})
    }
  }

  /** Where the finished file goes: where it was aimed, or the space's root if that folder is gone. */
  function placeAtEnd(upload: Upload, viewer: Viewer): Place {
    let place: Place
    try {
      place = placeForNew(db, viewer, upload.space, upload.parentId)
    } catch (err) {
      if (upload.parentId === null) throw err
      place = placeForNew(db, viewer, upload.space, null)
    }
    // A household upload never lands in another household's space (its sender moved flats).
    if (place.flatId !== upload.flatId) throw new NotFoundError()
    return place
  }

  /** Turns the complete upload into a file: bytes renamed into the store, then, together, the file row and the upload's link to it. */
  async function complete(request: FastifyRequest, upload: Upload, viewer: Viewer, sha256: string): Promise<string> {
    placeAtEnd(upload, viewer) // refuse before moving any byte
    const fileId = newId(app.now())
    const blob = await fileStore.adopt(upload.id, fileId, sha256, upload.length)
    try {
      db.transaction(() => {
        const place = placeAtEnd(upload, viewer)
        insertFile(db, place, { id: fileId, name: upload.name, size: blob.size, mime: blob.mime, sha256: blob.sha256 }, viewer, app.now())
        uploads.markComplete(db, upload.id, fileId, upload.length)
      })()
    } catch (err) {
      // The file never became visible: put the bytes back where a retry finds them.
      await rename(fileStore.blobPath(fileId), fileStore.uploadPath(upload.id)).catch(() => {})
      throw err
    }
    hashes.delete(upload.id)
    request.log.info({ uploadId: upload.id, fileId, size: upload.length }, 'resumable upload complete')
    return fileId
  }

  /** The partial file, open for writing; a lost one ends the upload (its row goes, its quota is freed). */
  async function openPartial(upload: Upload): Promise<FileHandle> {
    const file = fileStore.uploadPath(upload.id)
    let fh: FileHandle
    try {
      fh = await open(file, 'r+')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      // Created empty at POST; a crash right after may have lost that empty file: nothing to lose.
      if (upload.offset === 0) return open(file, 'w+', 0o640)
      uploads.deleteUpload(db, upload.id)
      throw new NotFoundError()
    }
    if ((await fh.stat()).size < upload.offset) {
      await fh.close()
      uploads.deleteUpload(db, upload.id)
      await fileStore.removeUpload(upload.id)
      throw new NotFoundError()
    }
    return fh
  }

  /** One PATCH, from the upload's recorded offset; see the module comment. */
  async function append(request: FastifyRequest, reply: FastifyReply, viewer: Viewer, id: string, claimed: number, body: Readable, signal: AbortSignal) {
    const upload = ownUpload(viewer, id)
    if (upload.fileId) {
      // The answer to the last PATCH was lost: the retry adds nothing and learns the file.
      if (claimed !== upload.length) throw new UploadOffsetError()
      return noBody(reply.code(204).header('upload-offset', String(upload.length)).header('palier-file-id', upload.fileId))
    }
    if (claimed !== upload.offset) throw new UploadOffsetError()
    const remaining = upload.length - upload.offset
    const declared = request.headers['content-length']
    if (declared !== undefined && Number(declared) > remaining) throw new BeyondLengthError()
    if (remaining > 0 && (await fileStore.freeBytes()) - remaining < limits.reserveBytes) throw new StorageFullError()

    // Nothing may purge it while it is being received.
    uploads.extendExpiry(db, id, app.now() + limits.uploadExpiryMs)
    // The hash state is taken out and put back only once the database agrees with it.
    const kept = hashes.get(id)
    hashes.delete(id)
    const fh = await openPartial(upload)
    let end = upload.offset
    let ending: Ending
    let hash: Hash
    try {
      // Bytes past the recorded offset were never acknowledged (a crash before the record): drop them.
      await fh.truncate(upload.offset)
      hash = kept && kept.offset === upload.offset ? kept.hash : await hashPrefix(fh, upload.offset)
      ;({ end, ending } = await receive(body, fh, upload.offset, upload.length, hash, signal))
      if (ending.kind === 'beyond') {
        await fh.truncate(upload.offset)
        throw new BeyondLengthError()
      }
      if (end > upload.offset) await fh.sync()
    } finally {
      await fh.close()
    }
    const expiresAt = app.now() + limits.uploadExpiryMs
    if (end > upload.offset) uploads.recordOffset(db, id, end, expiresAt)
    keepHash(id, hash, end)
    if (ending.kind === 'failed') {
      const code = (ending.error as NodeJS.ErrnoException).code
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new StorageFullError()
      throw ending.error
    }
    if (ending.kind === 'cut') throw new UploadIncompleteError()
    if (end === upload.length) {
      // A copy: if completing fails, the state stays for the retry instead of re-reading the file.
      const fileId = await complete(request, upload, viewer, hash.copy().digest('hex'))
      reply.header('palier-file-id', fileId)
    } else {
      reply.header('upload-expires', httpDate(expiresAt))
    }
    return noBody(reply.code(204).header('upload-offset', String(end)))
  }

  app.options(
    '/files/uploads',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Resumable uploads (tus 1.0.0): the protocol version, extensions and largest file',
        tags: ['files'],
        response: { 204: OptionsResultSchema, ...errorResponses(401) },
      },
    },
    async (_request, reply) =>
      noBody(
        reply
          .code(204)
          .header('tus-version', TUS_VERSION)
          .header('tus-extension', TUS_EXTENSIONS)
          .header('tus-max-size', String(limits.maxFileBytes)),
      ),
  )

  app.post(
    '/files/uploads',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Start a resumable upload (tus creation): rights, size, quota and free space are checked now',
        tags: ['files'],
        headers: CreateHeadersSchema,
        response: { 201: CreatedSchema, ...errorResponses(400, 401, 403, 404, 412, 413, 507) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request)
      const length = Number(request.headers['upload-length'])
      if (length > limits.maxFileBytes) throw fileTooLarge(limits.maxFileBytes)
      const meta = parseMetadata(request.headers['upload-metadata'])
      const rawName = meta.get('filename')
      if (rawName === undefined) throw badMetadata('filename')
      const name = cleanName(rawName)
      const space = meta.get('space') as Space | undefined
      if (!space || !SPACES.includes(space)) throw badMetadata('space')
      const parentId = meta.get('parentId') || null
      if (parentId !== null && !isNodeId(parentId)) throw badMetadata('parentId')

      const freeBytes = await fileStore.freeBytes()
      // No await from here to the insert: two creations at once cannot both fit in the same room.
      const place = placeForNew(db, viewer, space, parentId)
      checkRoom(db, limits, viewer, length, freeBytes)
      const now = app.now()
      const upload: Upload = {
        id: newId(now),
        ownerId: viewer.userId,
        // Charged like the file it becomes (the caretaker's files count against no household).
        ownerFlatId: viewer.caretaker ? null : viewer.flatId,
        space: place.space,
        flatId: place.flatId,
        parentId: place.parentId,
        name,
        length,
        offset: 0,
        createdAt: now,
        expiresAt: now + limits.uploadExpiryMs,
        fileId: null,
      }
      uploads.insertUpload(db, upload)
      try {
        await (await open(fileStore.uploadPath(upload.id), 'wx', 0o640)).close()
      } catch (err) {
        uploads.deleteUpload(db, upload.id)
        throw err
      }
      request.log.info({ uploadId: upload.id, length }, 'resumable upload started')
      // Relative to the route as registered, so it stays right under whatever prefix we are mounted.
      reply.header('location', `${request.routeOptions.url}/${upload.id}`).header('upload-expires', httpDate(upload.expiresAt))
      // An empty file is complete as soon as it exists (tus clients send no PATCH for it).
      if (length === 0) reply.header('palier-file-id', await complete(request, upload, viewer, EMPTY_SHA256))
      return noBody(reply.code(201))
    },
  )

  app.head(
    '/files/uploads/:id',
    {
      config: { access: 'member', swagger: { exposeHeadRoute: true } },
      schema: {
        summary: 'Where a resumable upload stands: resume from Upload-Offset',
        tags: ['files'],
        params: IdParamsSchema,
        headers: TusHeadersSchema,
        response: { 200: StatusResultSchema, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request)
      const { id } = request.params
      ownUpload(viewer, id)
      await takeOver(id)
      const upload = ownUpload(viewer, id)
      reply.header('upload-offset', String(upload.offset)).header('upload-length', String(upload.length))
      if (upload.fileId) reply.header('palier-file-id', upload.fileId)
      else reply.header('upload-expires', httpDate(upload.expiresAt))
      return noBody(reply.code(200))
    },
  )

  app.patch(
    '/files/uploads/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Append bytes to a resumable upload at Upload-Offset; the last byte makes the file (header Palier-File-Id)',
        tags: ['files'],
        params: IdParamsSchema,
        headers: PatchHeadersSchema,
        consumes: [OFFSET_STREAM],
        response: { 204: PatchedSchema, ...errorResponses(400, 401, 403, 404, 409, 412, 415, 507) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request)
      const { id } = request.params
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (type !== OFFSET_STREAM || !(request.body instanceof Readable)) throw new NotOffsetStreamError()
      const body = request.body
      ownUpload(viewer, id)
      await takeOver(id)
      const controller = new AbortController()
      const done = append(request, reply, viewer, id, Number(request.headers['upload-offset']), body, controller.signal)
      running.set(id, { controller, done })
      try {
        return await done
      } finally {
        if (running.get(id)?.done === done) running.delete(id)
      }
    },
  )

  app.delete(
    '/files/uploads/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Cancel a resumable upload (tus termination): its bytes are removed',
        tags: ['files'],
        params: IdParamsSchema,
        headers: TusHeadersSchema,
        response: { 204: TerminatedSchema, ...errorResponses(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request)
      const { id } = request.params
      ownUpload(viewer, id)
      await takeOver(id)
      ownUpload(viewer, id)
      // Row first, then bytes: a crash in between leaves a file the start-up sweep removes.
      uploads.deleteUpload(db, id)
      hashes.delete(id)
      await fileStore.removeUpload(id)
      request.log.info({ uploadId: id }, 'resumable upload cancelled')
      return noBody(reply.code(204))
    },
  )
}
