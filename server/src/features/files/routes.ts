// The shared storage's HTTP routes: spaces, folders, listing, rename and move, trash, downloads,
// previews, multipart uploads and the caretaker's usage figures. What a viewer may not see does
// not exist for them (404); what they see but may not change answers 403.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Config } from '../../config.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { errorResponses } from '../../lib/responses.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { NotAnImageError } from '../notices/images.js'
import { sendBlob } from './download.js'
import { NoFileError, NotFileOwnerError, StorageFullError, UploadIncompleteError, fileTooLarge } from './errors.js'
import { FormIncompleteError, readParts, type FormPart } from './multipart.js'
import { cleanName, isNodeId } from './names.js'
import {
  BytesBodySchema,
  ContentQuerySchema,
  FileItemSchema,
  ItemDetailSchema,
  ListQuerySchema,
  ListingSchema,
  NewFolderBodySchema,
  NotModifiedSchema,
  PatchBodySchema,
  PreviewBytesSchema,
  SpacesSchema,
  TrashSchema,
  UploadFormSchema,
  UsageSchema,
} from './schema.js'
import { sniff } from './sniff.js'
import type { FileStore, StoredBlob } from './storage.js'
import * as store from './store.js'
import type { FileNode, Space, Viewer } from './store.js'

const SPACES: readonly Space[] = ['library', 'household', 'shared']
const PREVIEW_TYPES = ['image/jpeg', 'image/png', 'image/webp']
const PREVIEW_MAX_BYTES = 256 * 1024
// What multipart framing (boundaries, part headers, the two small fields) may add to the file
// in Content-Length: the check made before reading must not refuse a file that fits exactly.
const FORM_OVERHEAD_BYTES = 16 * 1024
const TAGS = ['files']

/** A name from the user, cleaned; its refusal names the field. */
function cleanField(raw: string, field: string): string {
  try {
    return cleanName(raw)
  } catch (err) {
    throw withDetails(err as Error, { field })
  }
}

export default async function filesRoutes(fastify: FastifyInstance, opts: { config: Config; fileStore: FileStore }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const { fileStore } = opts
  const limits = store.limitsOf(opts.config)

  // Multipart only here, and only as a stream: the handler reads the parts from request.raw as they
  // arrive, never buffered. The body stays undefined, which the form's schema (no "type") lets
  // through; `forms` remembers which requests came as a form.
  const forms = new WeakSet<FastifyRequest>()
  app.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    forms.add(request)
    done(null)
  })
  // Previews arrive as raw image bodies, streamed by the handler.
  app.addContentTypeParser(PREVIEW_TYPES, (_request, payload, done) => done(null, payload))

  function visibleOr404(id: string, viewer: Viewer): FileNode {
    const node = store.visibleNode(db, id, viewer)
    if (!node) throw new NotFoundError()
    return node
  }

  function liveOr404(id: string, viewer: Viewer): FileNode {
    const node = visibleOr404(id, viewer)
    if (node.trashedAt !== null) throw new NotFoundError()
    return node
  }

  function fileOr404(id: string, viewer: Viewer): FileNode & { mime: string; sha256: string } {
    const node = visibleOr404(id, viewer)
    if (node.kind !== 'file' || node.mime === null || node.sha256 === null) throw new NotFoundError()
    return node as FileNode & { mime: string; sha256: string }
  }

  /** A trash root the viewer may restore or remove (visibleNode already required that right). */
  function trashRootOr404(id: string, viewer: Viewer): FileNode {
    const node = visibleOr404(id, viewer)
    if (node.trashRoot !== node.id) throw new NotFoundError()
    return node
  }

  async function removeBlobs(ids: string[]): Promise<void> {
    for (const id of ids) await fileStore.remove(id)
  }

  app.get(
    '/files/spaces',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The spaces the caller sees, whether they may add to each, and their limits in bytes',
        tags: TAGS,
        response: { 200: SpacesSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const viewer = store.viewerOf(request)
      const spaces = viewer.caretaker
        ? [
            { space: 'library' as const, writable: true },
            { space: 'shared' as const, writable: true },
          ]
        : [
            { space: 'library' as const, writable: false },
            { space: 'household' as const, writable: true },
            { space: 'shared' as const, writable: true },
          ]
      const used = viewer.flatId !== null && !viewer.caretaker ? store.householdUse(db, viewer.flatId) : null
      const free = await fileStore.freeBytes()
      return {
        spaces,
        limits: {
          maxFileBytes: limits.maxFileBytes,
          quotaBytes: used === null ? null : limits.quotaBytes,
          usedBytes: used,
          leftBytes: used === null ? null : Math.max(0, limits.quotaBytes - used),
          uploadsOpen: free > limits.reserveBytes,
        },
      }
    },
  )

  app.get(
    '/files',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One page of a folder (or of a space’s root), with the way back up',
        tags: TAGS,
        querystring: ListQuerySchema,
        response: { 200: ListingSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = store.viewerOf(request)
      const { space, folder, limit, after } = request.query
      if (space === 'household' && viewer.flatId === null) throw withDetails(new NotFoundError(), { field: 'space' })
      const flatId = space === 'household' ? viewer.flatId : null
      let node: FileNode | undefined
      if (folder !== undefined) {
        node = store.visibleNode(db, folder, viewer)
        if (!node || node.kind !== 'folder' || node.trashedAt !== null || node.space !== space || node.flatId !== flatId) {
          throw withDetails(new NotFoundError(), { field: 'folder' })
        }
      }
      const cursor = after === undefined ? undefined : store.decodeCursor(after)
      if (after !== undefined && !cursor) throw withDetails(new InvalidInputError('after'), { field: 'after' })
      const page = store.listFolder(db, { space, flatId, parentId: node?.id ?? null }, viewer, limit, cursor)
      return {
        space,
        folder: node ? { id: node.id, name: node.name } : null,
        path: node ? store.pathOf(db, node.parentId) : [],
        ...page,
      }
    },
  )

  app.post(
    '/files',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Add a file (multipart/form-data: space, parentId, then the file), streamed to disk',
        description:
          'The size, the household’s quota and the disk’s reserve are checked from Content-Length before reading, ' +
          'then on the bytes themselves: 413 (too large, or the quota — its message says how much is left), 507 (disk under its reserve). ' +
          'A name already used in the folder becomes "name (2)".',
        tags: TAGS,
        consumes: ['multipart/form-data'],
        body: UploadFormSchema,
        response: { 201: FileItemSchema, ...errorResponses(400, 401, 403, 404, 413, 507) },
      },
    },
    async (request, reply) => {
      try {
        const item = await receiveUpload(request)
        return reply.code(201).send(item)
      } catch (err) {
        // Whatever was not read yet is read and dropped, so the answer reaches the client and the
        // connection stays usable: readParts does it for a form it began; this, for refusals before.
        if (!request.raw.complete) {
          request.raw.unpipe()
          request.raw.resume()
        }
        throw err
      }
    },
  )

  /** Reads the form as it streams: the two fields, then the file straight to the store. */
  async function receiveUpload(request: FastifyRequest): Promise<store.FileItem> {
    const viewer = store.viewerOf(request)
    if (!forms.has(request)) throw new NoFileError()
    const free = await fileStore.freeBytes()
    const declared = Number(request.headers['content-length'])
    if (Number.isSafeInteger(declared)) store.checkRoom(db, limits, viewer, Math.max(0, declared - FORM_OVERHEAD_BYTES), free)
    // The client may have lied, or sent no length: the bytes themselves are held to what is left.
    const room = store.roomLeft(db, limits, viewer, free)
    // One byte over what is left, so that FileStore.write sees the excess and refuses it.
    const parts = readParts(request.raw, request.headers, { fileSize: room.bytes + 1, files: 1, fields: 8, fieldSize: 256, parts: 10 })
    try {
      return await storeUpload(request, viewer, room, parts)
    } finally {
      // Leaving the parts, however, lets busboy go and reads the rest of the body to nowhere.
      await parts.return()
    }
  }

  async function storeUpload(
    request: FastifyRequest,
    viewer: Viewer,
    room: ReturnType<typeof store.roomLeft>,
    parts: AsyncGenerator<FormPart, void, undefined>,
  ): Promise<store.FileItem> {
    const fields: Record<string, string> = {}
    for (;;) {
      let next: IteratorResult<FormPart, void>
      try {
        next = await parts.next()
      } catch (err) {
        throw multipartError(err)
      }
      if (next.done) break
      const part = next.value
      if (part.type === 'field') {
        if ((part.name === 'space' || part.name === 'parentId') && !part.truncated) fields[part.name] = part.value
        continue
      }
      let place: store.Place
      let name: string
      try {
        if (part.name !== 'file') throw withDetails(new NoFileError(), { field: 'file' })
        const space = fields.space as Space | undefined
        if (!space || !SPACES.includes(space)) throw withDetails(new InvalidInputError('space'), { field: 'space' })
        const parentId = fields.parentId || null
        if (parentId !== null && !isNodeId(parentId)) throw withDetails(new InvalidInputError('parentId'), { field: 'parentId' })
        place = store.placeForNew(db, viewer, space, parentId)
        name = cleanField(part.filename, 'file')
      } catch (err) {
        part.stream.resume()
        throw err
      }
      const id = newId(app.now())
      let blob: StoredBlob
      try {
        blob = await fileStore.write(part.stream, id, { maxBytes: room.bytes })
      } catch (err) {
        if ((err as { code?: string }).code === 'PALIER_FILE_TOO_LARGE') throw room.refusal()
        throw err
      }
      // Other uploads may have taken room meanwhile: checked again, with the row written in the
      // same synchronous step. The new bytes are already on the disk, hence `+ blob.size`.
      const free = await fileStore.freeBytes()
      try {
        const item = db.transaction(() => {
          store.checkRoom(db, limits, viewer, blob.size, free + blob.size)
          return store.insertFile(db, place, { id, name, ...blob }, viewer, app.now())
        })()
        request.log.info({ fileId: id, size: blob.size, space: place.space }, 'file added')
        return item
      } catch (err) {
        await fileStore.remove(id)
        throw err
      }
    }
    throw withDetails(new NoFileError(), { field: 'file' })
  }

  app.post(
    '/files/folders',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Create a folder',
        tags: TAGS,
        body: NewFolderBodySchema,
        response: { 201: FileItemSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = store.viewerOf(request)
      const place = store.placeForNew(db, viewer, request.body.space, request.body.parentId)
      const name = cleanField(request.body.name, 'name')
      return reply.code(201).send(store.createFolder(db, place, name, viewer, app.now()))
    },
  )

  app.get(
    '/files/trash',
    {
      config: { access: 'member' },
      schema: {
        summary: 'What the caller may restore: their household’s trash, what they shared; the caretaker: library and shared',
        tags: TAGS,
        response: { 200: TrashSchema, ...errorResponses(401) },
      },
    },
    async (request) => ({ items: store.listTrash(db, store.viewerOf(request), limits.trashMs) }),
  )

  app.delete(
    '/files/trash/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Remove something from the trash for good (with what it held)',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const viewer = store.viewerOf(request)
      const node = trashRootOr404(request.params.id, viewer)
      await removeBlobs(store.deleteForever(db, node.id))
      request.log.info({ fileId: node.id }, 'removed from the trash for good')
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/files/usage',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Storage used by the library, the shared space and each household, and the data disk’s room',
        tags: TAGS,
        response: { 200: UsageSchema, ...errorResponses(401, 403) },
      },
    },
    async () => {
      const [totalBytes, freeBytes] = await Promise.all([fileStore.totalBytes(), fileStore.freeBytes()])
      const use = store.usage(db)
      return {
        disk: { totalBytes, freeBytes, reserveBytes: limits.reserveBytes },
        library: use.library,
        shared: use.shared,
        households: use.households.map((h) => ({ ...h, quotaBytes: limits.quotaBytes })),
      }
    },
  )

  app.get(
    '/files/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One file or folder, with the folders above it',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: ItemDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = store.viewerOf(request)
      const node = visibleOr404(request.params.id, viewer)
      return { item: store.toItem(node, viewer, limits.trashMs), path: store.pathOf(db, node.parentId) }
    },
  )

  app.patch(
    '/files/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Rename, or move within the same space (never into itself or a folder it holds)',
        tags: TAGS,
        params: IdParamsSchema,
        body: PatchBodySchema,
        response: { 200: FileItemSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const viewer = store.viewerOf(request)
      const node = liveOr404(request.params.id, viewer)
      store.checkChange(node, viewer)
      const name = request.body.name === undefined ? undefined : cleanField(request.body.name, 'name')
      return store.renameOrMove(db, node, { name, parentId: request.body.parentId }, viewer, app.now())
    },
  )

  app.delete(
    '/files/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Send a file or folder (with what it holds) to the trash',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = store.viewerOf(request)
      const node = liveOr404(request.params.id, viewer)
      store.checkChange(node, viewer)
      store.trash(db, node, viewer, app.now())
      request.log.info({ fileId: node.id }, 'sent to the trash')
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/files/:id/restore',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Bring something back from the trash: to its folder if it is still there, else to the space’s root',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: FileItemSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = store.viewerOf(request)
      return store.restore(db, trashRootOr404(request.params.id, viewer), viewer, limits.trashMs)
    },
  )

  app.get(
    '/files/:id/content',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The file’s bytes (Range supported); shown in the browser only when it is a safe image, audio, video or PDF',
        tags: TAGS,
        params: IdParamsSchema,
        querystring: ContentQuerySchema,
        produces: ['application/octet-stream'],
        response: {
          200: BytesBodySchema,
          206: BytesBodySchema,
          304: NotModifiedSchema,
          ...errorResponses(400, 401, 404, 416),
        },
      },
    },
    async (request, reply) => {
      const node = fileOr404(request.params.id, store.viewerOf(request))
      return sendBlob(request, reply, {
        path: fileStore.blobPath(node.id),
        size: node.size,
        mime: node.mime,
        name: node.name,
        sha256: node.sha256,
        updatedAt: node.updatedAt,
        forceDownload: request.query.download === '1',
      })
    },
  )

  app.get(
    '/files/:id/preview',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The file’s small preview image (404 when it has none)',
        tags: TAGS,
        params: IdParamsSchema,
        produces: PREVIEW_TYPES,
        response: { 200: PreviewBytesSchema, 206: PreviewBytesSchema, 304: NotModifiedSchema, ...errorResponses(400, 401, 404, 416) },
      },
    },
    async (request, reply) => sendPreview(request, reply, fileOr404(request.params.id, store.viewerOf(request))),
  )

  /** The preview's type and tag come from the bytes on disk: the database only knows one exists. */
  async function sendPreview(request: FastifyRequest, reply: FastifyReply, node: FileNode & { sha256: string }): Promise<FastifyReply> {
    if (!node.hasPreview) throw new NotFoundError()
    const file = fileStore.blobPath(node.id, 'preview')
    const handle = await open(file, 'r').catch(() => undefined)
    if (!handle) throw new NotFoundError()
    let size: number
    let mtimeMs: number
    let head: Buffer
    try {
      const stat = await handle.stat()
      size = stat.size
      mtimeMs = stat.mtimeMs
      const buffer = Buffer.alloc(16)
      const { bytesRead } = await handle.read(buffer, 0, 16, 0)
      head = buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
    return sendBlob(request, reply, {
      path: file,
      size,
      mime: sniff(head),
      name: `${node.name}.preview`,
      // Replacing the preview changes its time and so its tag.
      sha256: `${node.sha256.slice(0, 16)}-${Math.floor(mtimeMs).toString(36)}-${size.toString(36)}`,
      updatedAt: Math.floor(mtimeMs),
      cache: 'day',
    })
  }

  app.put(
    '/files/:id/preview',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Set the file’s preview (who added the file): a raw JPEG, PNG or WebP body, 256 KB at most',
        tags: TAGS,
        params: IdParamsSchema,
        consumes: PREVIEW_TYPES,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404, 413, 415, 507) },
      },
    },
    async (request, reply) => {
      const viewer = store.viewerOf(request)
      const node = fileOr404(request.params.id, viewer)
      if (node.trashedAt !== null) throw new NotFoundError()
      if (node.ownerId !== viewer.userId) throw new NotFileOwnerError()
      if (!(request.body instanceof Readable)) throw new NotAnImageError()
      if (Number(request.headers['content-length']) > PREVIEW_MAX_BYTES) throw fileTooLarge(PREVIEW_MAX_BYTES)
      if ((await fileStore.freeBytes()) - PREVIEW_MAX_BYTES < limits.reserveBytes) throw new StorageFullError()
      await fileStore.write(request.body, node.id, {
        maxBytes: PREVIEW_MAX_BYTES,
        variant: 'preview',
        accept: (mime) => {
          if (!PREVIEW_TYPES.includes(mime)) throw new NotAnImageError()
        },
      })
      // Removed for good while its preview arrived: the preview goes too.
      if (!store.setPreview(db, node.id)) {
        await fileStore.remove(node.id)
        throw new NotFoundError()
      }
      return reply.code(204).send(null)
    },
  )
}

/** What reading the form throws, as our answers: a cut, closed or malformed body did not arrive whole. */
function multipartError(err: unknown): unknown {
  // The limits (413) keep their status; anything else is a fault of ours (500), not the client's.
  return err instanceof FormIncompleteError ? new UploadIncompleteError({ cause: err }) : err
}
