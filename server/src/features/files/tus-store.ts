// SQL for resumable uploads (table file_uploads). upload_offset only ever names bytes that are
// already fsynced in files/uploads/<id>, so it is where a dropped connection resumes.
import { prepared, type Db } from '../../db/index.js'
import type { Space } from './store.js'

export interface Upload {
  id: string
  ownerId: string
  ownerFlatId: string | null
  space: Space
  flatId: string | null
  parentId: string | null
  name: string
  length: number
  offset: number
  createdAt: number
  expiresAt: number
  /** The file it became, once complete. */
  fileId: string | null
}

interface UploadRow {
  id: string
  owner_id: string
  owner_flat_id: string | null
  space: Space
  flat_id: string | null
  parent_id: string | null
  name: string
  upload_length: number
  upload_offset: number
  created_at: number
  expires_at: number
  file_id: string | null
}

function toUpload(r: UploadRow): Upload {
  return {
    id: r.id,
    ownerId: r.owner_id,
    ownerFlatId: r.owner_flat_id,
    space: r.space,
    flatId: r.flat_id,
    parentId: r.parent_id,
    name: r.name,
    length: r.upload_length,
    offset: r.upload_offset,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    fileId: r.file_id,
  }
}

export function insertUpload(db: Db, u: Omit<Upload, 'offset' | 'fileId'>): void {
  prepared(
    db,
    `INSERT INTO file_uploads (id, owner_id, owner_flat_id, space, flat_id, parent_id, name, upload_length, upload_offset, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  ).run(u.id, u.ownerId, u.ownerFlatId, u.space, u.flatId, u.parentId, u.name, u.length, u.createdAt, u.expiresAt)
}

export function getUpload(db: Db, id: string): Upload | undefined {
  const row = prepared(db, 'SELECT * FROM file_uploads WHERE id = ?').get(id) as UploadRow | undefined
  return row ? toUpload(row) : undefined
}

/** Records how many bytes are safely on disk; an upload that moves keeps being kept. */
export function recordOffset(db: Db, id: string, offset: number, expiresAt: number): void {
  prepared(db, 'UPDATE file_uploads SET upload_offset = ?, expires_at = ? WHERE id = ? AND file_id IS NULL').run(offset, expiresAt, id)
}

/** Pushes the expiry back while an upload is being received, so no purge runs under it. */
export function extendExpiry(db: Db, id: string, expiresAt: number): void {
  prepared(db, 'UPDATE file_uploads SET expires_at = max(expires_at, ?) WHERE id = ?').run(expiresAt, id)
}

/** Marks the upload as done: from now on its length no longer counts against the quota (the file does). */
export function markComplete(db: Db, id: string, fileId: string, length: number): void {
  prepared(db, 'UPDATE file_uploads SET file_id = ?, upload_offset = ? WHERE id = ?').run(fileId, length, id)
}

export function deleteUpload(db: Db, id: string): void {
  prepared(db, 'DELETE FROM file_uploads WHERE id = ?').run(id)
}
