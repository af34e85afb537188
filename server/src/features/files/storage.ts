// The bytes of the shared storage on disk. Files stream to a temporary name while they are hashed
// and sniffed, are fsynced, then renamed into place under their id: a crash or a broken upload
// never leaves a partial file under a real name, and start-up clears whatever it left behind.
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, statfs, unlink, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { NotFoundError } from '../../lib/errors.js'
import { StorageFullError, UploadIncompleteError, fileTooLarge } from './errors.js'
import { isNodeId } from './names.js'
import { SNIFF_BYTES, sniff } from './sniff.js'

export interface StoredBlob {
  size: number
  sha256: string
  mime: string
}

export interface WriteOptions {
  maxBytes: number
  variant?: 'preview'
  /** May refuse the sniffed type by throwing; the upload then fails with that error. */
  accept?: (mime: string) => void
}

// Bytes waiting for the disk before the source is paused: enough for few, large writes, little
// enough to keep memory flat whatever the size of the file.
const WRITE_BUFFER = 1024 * 1024

const PREVIEW_SUFFIX = '.preview'

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r')
  try {
    await d.sync()
  } finally {
    await d.close()
  }
}

async function unlinkIfThere(file: string): Promise<boolean> {
  try {
    await unlink(file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/** A full disk is the reserve's business (507), whatever check let the upload start. */
function diskError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOSPC' || code === 'EDQUOT' ? new StorageFullError({ cause: err }) : err
}

export class FileStore {
  readonly root: string
  readonly uploadsDir: string
  private readonly tmpDir: string

  constructor(filesDir: string) {
    this.root = path.join(path.resolve(filesDir), 'store')
    this.uploadsDir = path.join(path.resolve(filesDir), 'uploads')
    this.tmpDir = path.join(this.root, '.tmp')
  }

  /** Creates the folders and empties store/.tmp: run once at start-up, before any upload. */
  async init(): Promise<void> {
    for (const dir of [this.root, this.tmpDir, this.uploadsDir]) await mkdir(dir, { recursive: true, mode: 0o750 })
    for (const entry of await readdir(this.tmpDir)) await rm(path.join(this.tmpDir, entry), { recursive: true, force: true })
  }

  blobPath(id: string, variant?: 'preview'): string {
    // Only ids the server made become paths; anything else could climb out of the store.
    if (!isNodeId(id) || (variant !== undefined && variant !== 'preview')) throw new NotFoundError()
    return path.join(this.root, variant === 'preview' ? id + PREVIEW_SUFFIX : id)
  }

  uploadPath(uploadId: string): string {
    if (!isNodeId(uploadId)) throw new NotFoundError()
    return path.join(this.uploadsDir, uploadId)
  }

  /**
   * Streams `source` to store/.tmp while hashing and sniffing it, then fsyncs and renames it to
   * blobPath(id, variant). Over `maxBytes` it rejects with fileTooLarge, and with accept's error
   * when that throws; either way the rest of the source is read and dropped, so the answer can
   * still reach the client. A source that errors or closes early rejects with
   * UploadIncompleteError; a full disk with StorageFullError. No temporary file outlives a failure.
   */
  async write(source: Readable, id: string, opts: WriteOptions): Promise<StoredBlob> {
    const target = this.blobPath(id, opts.variant)
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`)
    const handle = await open(tmp, 'wx', 0o640)
    let closed = false
    try {
      const blob = await receive(source, handle, opts)
      await handle.sync()
      closed = true
      await handle.close()
      await rename(tmp, target)
      await syncDir(this.root)
      return blob
    } catch (err) {
      if (!closed) await handle.close().catch(() => {})
      await rm(tmp, { force: true })
      throw diskError(err)
    }
  }

  /** A finished resumable upload: fsync, sniff its head, rename uploadPath(uploadId) to blobPath(id), fsync both dirs. */
  async adopt(uploadId: string, id: string, sha256: string, size: number): Promise<StoredBlob> {
    const from = this.uploadPath(uploadId)
    const to = this.blobPath(id)
    const handle = await open(from, 'r')
    let head: Buffer
    try {
      const { size: actual } = await handle.stat()
      // The caller's hash covers `size` bytes: any other length means bytes it did not see.
      if (actual !== size) throw new UploadIncompleteError()
      const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      head = buffer.subarray(0, bytesRead)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(from, to)
    await syncDir(this.root)
    await syncDir(this.uploadsDir)
    return { size, sha256, mime: sniff(head) }
  }

  /** Removes a file's bytes and its preview; either may already be gone. */
  async remove(id: string): Promise<void> {
    await unlinkIfThere(this.blobPath(id))
    await unlinkIfThere(this.blobPath(id, 'preview'))
  }

  async removeUpload(uploadId: string): Promise<void> {
    await unlinkIfThere(this.uploadPath(uploadId))
  }

  /**
   * Removes blobs (and previews) whose id isKnown() denies, and upload files uploadIsKnown()
   * denies; returns how many files went. For start-up only: a blob is renamed into place just
   * before its row is inserted, so a sweep running beside uploads could take a new file.
   * Names that are not ids were not made here and are left alone.
   */
  async sweep(isKnown: (id: string) => boolean, uploadIsKnown: (id: string) => boolean): Promise<number> {
    let removed = 0
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isFile()) continue
      const id = entry.name.endsWith(PREVIEW_SUFFIX) ? entry.name.slice(0, -PREVIEW_SUFFIX.length) : entry.name
      if (isNodeId(id) && !isKnown(id) && (await unlinkIfThere(path.join(this.root, entry.name)))) removed++
    }
    for (const entry of await readdir(this.uploadsDir, { withFileTypes: true })) {
      if (!entry.isFile()) continue
      if (isNodeId(entry.name) && !uploadIsKnown(entry.name) && (await unlinkIfThere(path.join(this.uploadsDir, entry.name)))) removed++
    }
    return removed
  }

  /** Bytes an unprivileged process may still write on the data disk. */
  async freeBytes(): Promise<number> {
    const s = await statfs(this.root)
    return s.bavail * s.bsize
  }

  async totalBytes(): Promise<number> {
    const s = await statfs(this.root)
    return s.blocks * s.bsize
  }
}

/**
 * Copies `source` into `handle` with backpressure (the source pauses while more than
 * WRITE_BUFFER bytes wait for the disk), hashing every byte and sniffing the first SNIFF_BYTES.
 * Chunks that arrive during a write go to the disk together in one writev. Settles only once no
 * write is under way, so the caller may close the handle.
 */
function receive(source: Readable, handle: FileHandle, opts: WriteOptions): Promise<StoredBlob> {
  return new Promise<StoredBlob>((resolve, reject) => {
    const hash = createHash('sha256')
    const head = Buffer.alloc(SNIFF_BYTES)
    let headLength = 0
    let mime: string | undefined
    let size = 0
    let ended = false
    let done = false
    let queue: Buffer[] = []
    let queued = 0 // bytes received and not yet written
    let paused = false
    let writing: Promise<void> | undefined

    const settle = (err: unknown, blob?: StoredBlob) => {
      if (done) return
      done = true
      source.removeListener('data', onData)
      source.removeListener('end', onEnd)
      source.removeListener('aborted', onIncomplete)
      source.removeListener('close', onClose)
      if (err) {
        // Read and drop whatever is still coming, so the HTTP answer can be delivered; a
        // source that broke has nothing more to give and resuming it does no harm.
        source.on('error', () => {})
        source.resume()
      }
      void (writing ?? Promise.resolve()).then(() => (err ? reject(err) : resolve(blob!)))
    }
    const complete = () => settle(undefined, { size, sha256: hash.digest('hex'), mime: mime! })
    const writeQueue = async () => {
      try {
        while (queue.length > 0 && !done) {
          const batch = queue
          queue = []
          const written = await writeAll(handle, batch) // not `queued -= await …`: that reads queued before the wait
          queued -= written
          if (paused && queued < WRITE_BUFFER && !done) {
            paused = false
            source.resume()
          }
        }
      } catch (err) {
        settle(err)
      }
      writing = undefined
      if (ended && !done) complete()
    }
    const decide = (): boolean => {
      mime = sniff(head.subarray(0, headLength))
      try {
        opts.accept?.(mime)
        return true
      } catch (err) {
        settle(err)
        return false
      }
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > opts.maxBytes) return settle(fileTooLarge(opts.maxBytes))
      hash.update(chunk)
      if (mime === undefined) {
        headLength += chunk.copy(head, headLength)
        if (headLength === SNIFF_BYTES && !decide()) return
      }
      queue.push(chunk)
      queued += chunk.length
      writing ??= writeQueue()
      if (queued >= WRITE_BUFFER && !paused) {
        paused = true
        source.pause()
      }
    }
    const onEnd = () => {
      ended = true
      if (mime === undefined && !decide()) return
      if (!writing) complete()
    }
    const onIncomplete = (err?: unknown) => settle(new UploadIncompleteError(err instanceof Error ? { cause: err } : undefined))
    const onClose = () => {
      if (!ended) onIncomplete()
    }

    // Stays after settling: an error once the upload is over must not crash the process.
    source.on('error', onIncomplete)
    source.on('aborted', onIncomplete)
    source.on('close', onClose)
    source.once('end', onEnd)
    if (source.readableEnded) return onEnd()
    if (source.destroyed || source.errored) return onIncomplete(source.errored)
    source.on('data', onData)
    source.resume()
  })
}

/** Writes every byte of `chunks` at the file's position, however many calls it takes; returns how many. */
async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<number> {
  let total = 0
  for (const c of chunks) total += c.length
  let left = chunks
  while (left.length > 0) {
    // A short write (a signal, more buffers than IOV_MAX) leaves the rest for another call.
    let { bytesWritten } = await handle.writev(left)
    while (left.length > 0 && bytesWritten >= left[0]!.length) bytesWritten -= left.shift()!.length
    if (bytesWritten > 0) left[0] = left[0]!.subarray(bytesWritten)
  }
  return total
}
