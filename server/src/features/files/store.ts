// SQL and rights of the shared storage: who sees and changes what, the folder tree, names unique
// among live siblings, the trash, and the room a household has left. Bytes on disk are storage.ts's.
import type { FastifyRequest } from 'fastify'
import { prepared, type Db } from '../../db/index.js'
import type { Config } from '../../config.js'
import { NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { currentUser } from '../../plugins/auth.js'
import {
  BadMoveError,
  FileNameTakenError,
  FolderHasOthersError,
  LibraryReadOnlyError,
  NotFileOwnerError,
  StorageFullError,
  fileTooLarge,
  quotaExceeded,
} from './errors.js'
import { nameKey } from './names.js'
import type { FileItem, Space } from './schema.js'

export type { FileItem, Space } from './schema.js'

const MiB = 1024 * 1024

/** Who is looking: what they see and may change depends on it. */
export interface Viewer {
  userId: string
  flatId: string | null
  caretaker: boolean
}

export function viewerOf(request: FastifyRequest): Viewer {
  const user = currentUser(request)
  return { userId: user.id, flatId: user.flat?.id ?? null, caretaker: user.role === 'caretaker' }
}

/** The storage settings in bytes and milliseconds. */
export interface Limits {
  maxFileBytes: number
  quotaBytes: number
  reserveBytes: number
  trashMs: number
  uploadExpiryMs: number
}

export function limitsOf(config: Config): Limits {
  return {
    maxFileBytes: config.filesMaxFileMB * MiB,
    quotaBytes: config.filesHouseholdQuotaMB * MiB,
    reserveBytes: config.filesReserveMB * MiB,
    trashMs: config.filesTrashDays * 86_400_000,
    uploadExpiryMs: config.filesUploadExpiryHours * 3_600_000,
  }
}

/** Where an item lives: a space (and for a household space, its flat) and a folder (null: the root). */
export interface Place {
  space: Space
  flatId: string | null
  parentId: string | null
}

/** A stored file or folder, whoever looks at it. */
export interface FileNode {
  id: string
  space: Space
  flatId: string | null
  parentId: string | null
  kind: 'folder' | 'file'
  name: string
  ownerId: string
  ownerFlatId: string | null
  ownerName: string
  ownerFlatLabel: string | null
  size: number
  mime: string | null
  sha256: string | null
  hasPreview: boolean
  createdAt: number
  updatedAt: number
  trashedAt: number | null
  trashRoot: string | null
}

interface NodeRow {
  id: string
  space: Space
  flat_id: string | null
  parent_id: string | null
  kind: 'folder' | 'file'
  name: string
  owner_id: string
  owner_flat_id: string | null
  owner_name: string
  owner_flat_label: string | null
  size: number
  mime: string | null
  sha256: string | null
  has_preview: 0 | 1
  created_at: number
  updated_at: number
  trashed_at: number | null
  trash_root: string | null
}

function toNode(r: NodeRow): FileNode {
  return {
    id: r.id,
    space: r.space,
    flatId: r.flat_id,
    parentId: r.parent_id,
    kind: r.kind,
    name: r.name,
    ownerId: r.owner_id,
    ownerFlatId: r.owner_flat_id,
    ownerName: r.owner_name,
    ownerFlatLabel: r.owner_flat_label,
    size: r.size,
    mime: r.mime,
    sha256: r.sha256,
    hasPreview: r.has_preview === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    trashedAt: r.trashed_at,
    trashRoot: r.trash_root,
  }
}

/** The item as this viewer sees it. `trashMs` dates the purge of a trashed item. */
export function toItem(n: FileNode, viewer: Viewer, trashMs = 0): FileItem {
  return {
    id: n.id,
    kind: n.kind,
    space: n.space,
    parentId: n.parentId,
    name: n.name,
    size: n.size,
    mime: n.mime,
    hasPreview: n.hasPreview,
    owner: { name: n.ownerName, flatLabel: n.ownerFlatLabel },
    mine: n.ownerId === viewer.userId,
    canChange: mayChange(n, viewer),
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    trashedAt: n.trashedAt,
    purgeAt: n.trashedAt === null ? null : n.trashedAt + trashMs,
  }
}

const NODE_SELECT = `
  SELECT n.*, u.display_name AS owner_name, f.label AS owner_flat_label
  FROM file_nodes n JOIN users u ON u.id = n.owner_id LEFT JOIN flats f ON f.id = n.owner_flat_id`

export function getNode(db: Db, id: string): FileNode | undefined {
  const row = prepared(db, `${NODE_SELECT} WHERE n.id = ?`).get(id) as NodeRow | undefined
  return row && toNode(row)
}

// ------------------------------------------------------------------ rights

/** Library and shared: everyone; a household space: its members only (never the caretaker). */
function canSee(n: { space: Space; flatId: string | null }, viewer: Viewer): boolean {
  return n.space !== 'household' || (viewer.flatId !== null && n.flatId === viewer.flatId)
}

/** Rename, move, delete, restore: the caretaker in the library, members in their space, the owner or the caretaker in shared. */
function mayChange(n: FileNode, viewer: Viewer): boolean {
  if (n.space === 'library') return viewer.caretaker
  if (n.space === 'household') return canSee(n, viewer)
  return viewer.caretaker || n.ownerId === viewer.userId
}

/** Throws the refusal when this viewer, who sees the item, may not change it. */
export function checkChange(n: FileNode, viewer: Viewer): void {
  if (mayChange(n, viewer)) return
  throw n.space === 'library' ? new LibraryReadOnlyError() : new NotFileOwnerError()
}

/**
 * The node if this viewer may see it. A trashed node is seen only by who may restore it (the
 * rights of the deleted item it went with), like a file in a real trash can.
 */
export function visibleNode(db: Db, id: string, viewer: Viewer): FileNode | undefined {
  const n = getNode(db, id)
  if (!n || !canSee(n, viewer)) return undefined
  if (n.trashRoot !== null) {
    const root = n.trashRoot === n.id ? n : getNode(db, n.trashRoot)
    if (!root || !mayChange(root, viewer)) return undefined
  }
  return n
}

function isLiveFolder(db: Db, id: string, space: Space, flatId: string | null): boolean {
  return (
    prepared(
      db,
      "SELECT 1 FROM file_nodes WHERE id = ? AND kind = 'folder' AND trashed_at IS NULL AND space = ? AND flat_id IS ?",
    ).get(id, space, flatId) !== undefined
  )
}

/** Where a new item may go for this viewer, or throws (404 unknown/invisible space or folder, trashed folder; 403 library for a resident). */
export function placeForNew(db: Db, viewer: Viewer, space: Space, parentId: string | null): Place {
  if (space === 'household' && viewer.flatId === null) throw withDetails(new NotFoundError(), { field: 'space' })
  if (space === 'library' && !viewer.caretaker) throw new LibraryReadOnlyError()
  const flatId = space === 'household' ? viewer.flatId : null
  if (parentId !== null && !isLiveFolder(db, parentId, space, flatId)) throw withDetails(new NotFoundError(), { field: 'parentId' })
  return { space, flatId, parentId }
}

// ------------------------------------------------------------------ room

/** What a household uses: its files (trash included) and the declared length of its open resumable uploads. */
export function householdUse(db: Db, flatId: string): number {
  const row = prepared(
    db,
    `SELECT (SELECT ifnull(sum(size), 0) FROM file_nodes WHERE owner_flat_id = @flat)
          + (SELECT ifnull(sum(upload_length), 0) FROM file_uploads WHERE owner_flat_id = @flat AND file_id IS NULL) AS used`,
  ).get({ flat: flatId }) as { used: number }
  return row.used
}

/** Synchronous: throws fileTooLarge / quotaExceeded (with what is left) / StorageFullError when `length` more bytes may not be stored. */
export function checkRoom(db: Db, limits: Limits, viewer: Viewer, length: number, freeBytes: number): void {
  if (length > limits.maxFileBytes) throw fileTooLarge(limits.maxFileBytes)
  if (viewer.flatId !== null && !viewer.caretaker) {
    const left = limits.quotaBytes - householdUse(db, viewer.flatId)
    if (length > left) throw quotaExceeded(left, limits.quotaBytes)
  }
  if (freeBytes - length < limits.reserveBytes) throw new StorageFullError()
}

/**
 * The most bytes a body of unknown or untrusted length may bring, and the refusal to give when it
 * brings more: the smallest of the file size limit, the household's room and the disk's room.
 */
export function roomLeft(db: Db, limits: Limits, viewer: Viewer, freeBytes: number): { bytes: number; refusal: () => Error } {
  let bytes = limits.maxFileBytes
  let refusal = () => fileTooLarge(limits.maxFileBytes)
  if (viewer.flatId !== null && !viewer.caretaker) {
    const left = Math.max(0, limits.quotaBytes - householdUse(db, viewer.flatId))
    if (left < bytes) {
      bytes = left
      refusal = () => quotaExceeded(left, limits.quotaBytes)
    }
  }
  const disk = Math.max(0, freeBytes - limits.reserveBytes)
  if (disk < bytes) {
    bytes = disk
    refusal = () => new StorageFullError()
  }
  return { bytes, refusal }
}

// ------------------------------------------------------------------ names

function nameTaken(db: Db, place: Place, key: string, exceptId: string | null): boolean {
  return (
    prepared(
      db,
      // Written like the sibling-name index so that SQLite uses it.
      `SELECT 1 FROM file_nodes
       WHERE space = ? AND ifnull(flat_id, '') = ? AND ifnull(parent_id, '') = ? AND name_key = ? AND trashed_at IS NULL AND id IS NOT ?`,
    ).get(place.space, place.flatId ?? '', place.parentId ?? '', key, exceptId) !== undefined
  )
}

/** `name`, or "name (2).ext", "name (3).ext"… whichever no live sibling has. */
function uniqueName(db: Db, place: Place, name: string, kind: 'folder' | 'file'): string {
  if (!nameTaken(db, place, nameKey(name), null)) return name
  const dot = kind === 'file' ? name.lastIndexOf('.') : -1
  const hasExt = dot > 0 && name.length - dot <= 16
  const ext = hasExt ? name.slice(dot) : ''
  // "photo (2).jpg" again becomes "photo (3).jpg", not "photo (2) (2).jpg".
  const base = [...(hasExt ? name.slice(0, dot) : name).replace(/ \(\d+\)$/u, '')]
  for (let n = 2; n < 10_000; n++) {
    const suffix = ` (${n})`
    const candidate = base.slice(0, Math.max(1, 200 - suffix.length - [...ext].length)).join('') + suffix + ext
    if (!nameTaken(db, place, nameKey(candidate), null)) return candidate
  }
  throw new FileNameTakenError()
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

// ------------------------------------------------------------------ reading

/** The folders above a node (the node itself excluded), from the space root down. */
export function pathOf(db: Db, parentId: string | null): { id: string; name: string }[] {
  if (parentId === null) return []
  return prepared(
    db,
    `WITH RECURSIVE up(id, parent_id, name, depth) AS (
       SELECT id, parent_id, name, 0 FROM file_nodes WHERE id = ?
       UNION ALL
       SELECT n.id, n.parent_id, n.name, up.depth + 1 FROM file_nodes n JOIN up ON n.id = up.parent_id WHERE up.depth < 1000)
     SELECT id, name FROM up ORDER BY depth DESC`,
  ).all(parentId) as { id: string; name: string }[]
}

/**
 * Sorts by name as people read it: accents and case set aside ("École" among the E's), then the
 * exact key. SQLite's own ordering would put every accented initial after "z".
 */
export function registerSqlFunctions(db: Db): void {
  db.function('files_sort_key', { deterministic: true }, (key: unknown) =>
    // \u0001 sorts first and never occurs in a name (cleanName drops control characters).
    typeof key === 'string' ? `${key.normalize('NFD').replace(/\p{M}/gu, '')}\u0001${key}` : key,
  )
}

interface Cursor {
  rank: 0 | 1
  key: string
  id: string
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.key, c.id]), 'utf8').toString('base64url')
}

/** The cursor, or undefined when it is not one we made. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (!Array.isArray(v) || v.length !== 3) return undefined
    const [rank, key, id] = v as unknown[]
    if ((rank !== 0 && rank !== 1) || typeof key !== 'string' || typeof id !== 'string') return undefined
    return { rank, key, id }
  } catch {
    return undefined
  }
}

const LIST_SELECT = `
  SELECT * FROM (
    SELECT n.*, u.display_name AS owner_name, f.label AS owner_flat_label,
      CASE n.kind WHEN 'folder' THEN 0 ELSE 1 END AS rank, files_sort_key(n.name_key) AS sort_key
    FROM file_nodes n JOIN users u ON u.id = n.owner_id LEFT JOIN flats f ON f.id = n.owner_flat_id
    WHERE n.space = @space AND ifnull(n.flat_id, '') = @flat AND ifnull(n.parent_id, '') = @parent AND n.trashed_at IS NULL)`

/** One page of a folder (or a space root): folders first, then files, each by name. */
export function listFolder(
  db: Db,
  place: Place,
  viewer: Viewer,
  limit: number,
  after: Cursor | undefined,
): { items: FileItem[]; next: string | null } {
  const params = { space: place.space, flat: place.flatId ?? '', parent: place.parentId ?? '', limit: limit + 1 }
  const rows = (
    after
      ? prepared(db, `${LIST_SELECT} WHERE (rank, sort_key, id) > (@rank, @key, @id) ORDER BY rank, sort_key, id LIMIT @limit`).all({
          ...params,
          ...after,
        })
      : prepared(db, `${LIST_SELECT} ORDER BY rank, sort_key, id LIMIT @limit`).all(params)
  ) as (NodeRow & { rank: 0 | 1; sort_key: string })[]
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => toItem(toNode(r), viewer)),
    next: rows.length > limit && last ? encodeCursor({ rank: last.rank, key: last.sort_key, id: last.id }) : null,
  }
}

/** The trash roots this viewer may restore, most recently deleted first. */
export function listTrash(db: Db, viewer: Viewer, trashMs: number): FileItem[] {
  const rows = prepared(
    db,
    `${NODE_SELECT}
     WHERE n.trash_root = n.id AND (
       (n.space = 'household' AND n.flat_id = @flat)
       OR (n.space = 'shared' AND (@caretaker = 1 OR n.owner_id = @me))
       OR (n.space = 'library' AND @caretaker = 1))
     ORDER BY n.trashed_at DESC, n.id DESC LIMIT 1000`,
  ).all({ flat: viewer.flatId, caretaker: viewer.caretaker ? 1 : 0, me: viewer.userId }) as NodeRow[]
  return rows.map((r) => toItem(toNode(r), viewer, trashMs))
}

function itemOf(db: Db, id: string, viewer: Viewer, trashMs = 0): FileItem {
  const n = getNode(db, id)
  if (!n) throw new Error(`file node ${id} missing right after it was written`)
  return toItem(n, viewer, trashMs)
}

// ------------------------------------------------------------------ writing

/** Inserts a file row (name cleaned by the caller; made unique among live siblings with " (2)"…), returns the item as `viewer` sees it. Call inside db.transaction when pairing with other writes. */
export function insertFile(
  db: Db,
  place: Place,
  file: { id: string; name: string; size: number; mime: string; sha256: string },
  viewer: Viewer,
  now: number,
): FileItem {
  // The folder may have gone to the trash while the bytes were arriving: the file then lands at
  // the space root, as a restored item does, rather than inside something deleted.
  const parentId = place.parentId !== null && isLiveFolder(db, place.parentId, place.space, place.flatId) ? place.parentId : null
  const at = { ...place, parentId }
  const name = uniqueName(db, at, file.name, 'file')
  prepared(
    db,
    `INSERT INTO file_nodes (id, space, flat_id, parent_id, kind, name, name_key, owner_id, owner_flat_id, size, mime, sha256, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'file', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    file.id,
    at.space,
    at.flatId,
    at.parentId,
    name,
    nameKey(name),
    viewer.userId,
    viewer.caretaker ? null : viewer.flatId,
    file.size,
    file.mime,
    file.sha256,
    now,
    now,
  )
  return itemOf(db, file.id, viewer)
}

/** A new folder; a live sibling with the same name → 409. */
export function createFolder(db: Db, place: Place, name: string, viewer: Viewer, now: number): FileItem {
  const key = nameKey(name)
  if (nameTaken(db, place, key, null)) throw withDetails(new FileNameTakenError(), { field: 'name' })
  const id = newId(now)
  prepared(
    db,
    `INSERT INTO file_nodes (id, space, flat_id, parent_id, kind, name, name_key, owner_id, owner_flat_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'folder', ?, ?, ?, ?, ?, ?)`,
  ).run(id, place.space, place.flatId, place.parentId, name, key, viewer.userId, viewer.caretaker ? null : viewer.flatId, now, now)
  return itemOf(db, id, viewer)
}

/**
 * Renames and/or moves a live node within its space (the caller checked the right to change it).
 * The target folder must be a live folder of the same space, never the node or one of its
 * descendants (409); an invisible one does not exist (404).
 */
export function renameOrMove(
  db: Db,
  node: FileNode,
  changes: { name?: string; parentId?: string | null },
  viewer: Viewer,
  now: number,
): FileItem {
  return db.transaction(() => {
    const parentId = changes.parentId === undefined ? node.parentId : changes.parentId
    if (parentId !== node.parentId && parentId !== null) {
      const target = getNode(db, parentId)
      if (!target || !canSee(target, viewer) || target.trashedAt !== null) throw withDetails(new NotFoundError(), { field: 'parentId' })
      if (target.kind !== 'folder' || target.space !== node.space || target.flatId !== node.flatId) {
        throw withDetails(new BadMoveError(), { field: 'parentId' })
      }
      if (pathOf(db, target.id).some((a) => a.id === node.id) || target.id === node.id) {
        throw withDetails(new BadMoveError(), { field: 'parentId' })
      }
    }
    const name = changes.name ?? node.name
    const key = nameKey(name)
    const place = { space: node.space, flatId: node.flatId, parentId }
    if (nameTaken(db, place, key, node.id)) throw withDetails(new FileNameTakenError(), { field: 'name' })
    try {
      prepared(db, 'UPDATE file_nodes SET name = ?, name_key = ?, parent_id = ?, updated_at = ? WHERE id = ?').run(
        name,
        key,
        parentId,
        now,
        node.id,
      )
    } catch (err) {
      if (isUniqueViolation(err)) throw withDetails(new FileNameTakenError(), { field: 'name' })
      throw err
    }
    return itemOf(db, node.id, viewer)
  })()
}

const LIVE_SUBTREE = `
  WITH RECURSIVE sub(id) AS (
    SELECT @id
    UNION ALL
    SELECT n.id FROM file_nodes n JOIN sub ON n.parent_id = sub.id WHERE n.trashed_at IS NULL)`

/**
 * Sends a live node and its live descendants to the trash together (they share trash_root).
 * In the shared space, a folder holding other people's items is the caretaker's to delete.
 */
export function trash(db: Db, node: FileNode, viewer: Viewer, now: number): void {
  db.transaction(() => {
    if (node.space === 'shared' && node.kind === 'folder' && !viewer.caretaker) {
      const others = prepared(
        db,
        `${LIVE_SUBTREE} SELECT 1 FROM sub JOIN file_nodes n ON n.id = sub.id WHERE n.owner_id <> @me LIMIT 1`,
      ).get({ id: node.id, me: viewer.userId })
      if (others) throw new FolderHasOthersError()
    }
    prepared(
      db,
      `${LIVE_SUBTREE} UPDATE file_nodes SET trashed_at = @now, trash_root = @id, trashed_by = @by WHERE id IN (SELECT id FROM sub)`,
    ).run({ id: node.id, now, by: viewer.userId })
  })()
}

/**
 * Brings a trash root and what went with it back: into its folder if that is still live, else to
 * the space root; a live sibling with the same name makes it "name (2)".
 */
export function restore(db: Db, root: FileNode, viewer: Viewer, trashMs: number): FileItem {
  return db.transaction(() => {
    const parentId = root.parentId !== null && isLiveFolder(db, root.parentId, root.space, root.flatId) ? root.parentId : null
    const name = uniqueName(db, { space: root.space, flatId: root.flatId, parentId }, root.name, root.kind)
    prepared(db, 'UPDATE file_nodes SET parent_id = ?, name = ?, name_key = ? WHERE id = ?').run(parentId, name, nameKey(name), root.id)
    // Nothing can be added to a trashed folder, so what comes back with it clashes with nothing.
    prepared(db, 'UPDATE file_nodes SET trashed_at = NULL, trash_root = NULL, trashed_by = NULL WHERE trash_root = ?').run(root.id)
    return itemOf(db, root.id, viewer, trashMs)
  })()
}

/**
 * Deletes the rows of a trashed node and everything under it (items trashed on their own before
 * it went too: they would have no folder left). Returns the ids of the files whose bytes the
 * caller must now remove — rows first, then bytes, so a crash in between leaves only orphan
 * bytes, which the start-up sweep removes.
 */
function deleteSubtree(db: Db, rootId: string): string[] {
  const nodes = prepared(
    db,
    `WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT n.id FROM file_nodes n JOIN sub ON n.parent_id = sub.id)
     SELECT n.id, n.kind FROM file_nodes n JOIN sub ON n.id = sub.id WHERE n.trashed_at IS NOT NULL`,
  ).all(rootId) as { id: string; kind: 'folder' | 'file' }[]
  const ids = JSON.stringify(nodes.map((n) => n.id))
  // An unfinished upload aimed at one of these folders will land at the space root instead.
  prepared(db, 'UPDATE file_uploads SET parent_id = NULL WHERE parent_id IN (SELECT value FROM json_each(?))').run(ids)
  // One statement: the rows point at each other, and SQLite checks foreign keys at its end.
  prepared(db, 'DELETE FROM file_nodes WHERE id IN (SELECT value FROM json_each(?))').run(ids)
  return nodes.filter((n) => n.kind === 'file').map((n) => n.id)
}

/** Removes a trash root for good; returns the file ids whose bytes go next. */
export function deleteForever(db: Db, rootId: string): string[] {
  return db.transaction(() => deleteSubtree(db, rootId))()
}

/** Removes for good what went to the trash before `before`; returns the file ids whose bytes go next. */
export function purgeTrash(db: Db, before: number): string[] {
  return db.transaction(() => {
    const roots = prepared(db, 'SELECT id FROM file_nodes WHERE trash_root = id AND trashed_at <= ?').all(before) as { id: string }[]
    const files: string[] = []
    for (const { id } of roots) files.push(...deleteSubtree(db, id))
    return files
  })()
}

/** Forgets resumable uploads past their expiry; returns their ids, whose bytes go next. */
export function purgeUploads(db: Db, now: number): string[] {
  return db.transaction(() => {
    const rows = prepared(db, 'SELECT id FROM file_uploads WHERE expires_at <= ?').all(now) as { id: string }[]
    prepared(db, 'DELETE FROM file_uploads WHERE expires_at <= ?').run(now)
    return rows.map((r) => r.id)
  })()
}

/** Marks that the file has a preview image. False when the file is gone meanwhile. */
export function setPreview(db: Db, id: string): boolean {
  return prepared(db, "UPDATE file_nodes SET has_preview = 1 WHERE id = ? AND kind = 'file'").run(id).changes === 1
}

/** For the start-up sweep: bytes with a row are kept. */
export function isKnownFile(db: Db, id: string): boolean {
  return prepared(db, "SELECT 1 FROM file_nodes WHERE id = ? AND kind = 'file'").get(id) !== undefined
}

/** For the start-up sweep: the bytes of an unfinished, unexpired upload are kept. */
export function isOpenUpload(db: Db, id: string, now: number): boolean {
  return prepared(db, 'SELECT 1 FROM file_uploads WHERE id = ? AND file_id IS NULL AND expires_at > ?').get(id, now) !== undefined
}

// ------------------------------------------------------------------ usage

export interface Usage {
  library: { usedBytes: number; files: number }
  shared: { usedBytes: number; files: number }
  households: { flatId: string; label: string; usedBytes: number; files: number }[]
}

/** What each space and each household uses. Flats removed from the building show while they still hold files. */
export function usage(db: Db): Usage {
  const space = (s: Space) =>
    prepared(db, "SELECT ifnull(sum(size), 0) AS usedBytes, count(*) AS files FROM file_nodes WHERE space = ? AND kind = 'file'").get(s) as {
      usedBytes: number
      files: number
    }
  const households = prepared(
    db,
    `SELECT * FROM (
       SELECT f.id AS flatId, f.label, f.label_key, f.revoked_at,
         (SELECT ifnull(sum(size), 0) FROM file_nodes WHERE owner_flat_id = f.id)
           + (SELECT ifnull(sum(upload_length), 0) FROM file_uploads WHERE owner_flat_id = f.id AND file_id IS NULL) AS usedBytes,
         (SELECT count(*) FROM file_nodes WHERE owner_flat_id = f.id AND kind = 'file') AS files
       FROM flats f)
     WHERE revoked_at IS NULL OR usedBytes > 0
     ORDER BY label_key`,
  ).all() as { flatId: string; label: string; usedBytes: number; files: number }[]
  return {
    library: space('library'),
    shared: space('shared'),
    households: households.map((h) => ({ flatId: h.flatId, label: h.label, usedBytes: h.usedBytes, files: h.files })),
  }
}
