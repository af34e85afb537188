// Our small tus 1.0.0 client (core + creation + termination), over XMLHttpRequest because fetch
// reports no upload progress. A file goes in chunks; when the connection drops, it asks the box
// how much it holds (HEAD) and goes on from there, waiting longer between tries (1, 2, 4… s, at
// most a minute). Refusals (4xx) come back as ApiError with the box's translated message.
import { ApiError, NETWORK_ERROR } from '../api/client.js'
import { resolveLocation, retryDelayMs, uploadMetadata } from './model.js'

export const TUS_VERSION = '1.0.0'
/** Big enough that a phone's video goes in few requests, small enough that a retry resends little. */
export const CHUNK_BYTES = 8 * 1024 * 1024
/** A request that sends nothing for this long is taken as a lost connection. */
const STALL_MS = 30_000

export type UploadPhase = 'sending' | 'retrying'

export interface TusUploadOptions {
  /** The creation endpoint, e.g. `/api/v1/files/uploads`. */
  endpoint: string
  file: Blob
  /** Sent base64-encoded in `Upload-Metadata` (filename, space, parentId). */
  metadata: Readonly<Record<string, string | null | undefined>>
  /** Language of the box's messages (Accept-Language). */
  language: () => string
  onProgress?: (sent: number, total: number) => void
  /** 'retrying' while waiting to try again after a lost connection. */
  onPhase?: (phase: UploadPhase) => void
  /** The box answered 401: the session ended. */
  onUnauthenticated?: (error: ApiError) => void
  chunkBytes?: number
  stallMs?: number
  /** For tests: a fake XMLHttpRequest, and a wait that needs no clock. */
  createXhr?: () => XMLHttpRequest
  sleep?: (ms: number, wake: AbortSignal) => Promise<void>
}

/** What start() rejects with after cancel(). */
export class UploadCancelled extends Error {
  constructor() {
    super('upload cancelled')
    this.name = 'AbortError'
  }
}

interface Answer {
  status: number
  header(name: string): string | null
}

/** Retry after a lost connection, a busy or restarting box, or an offset that moved under us. */
function retryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false
  if (err.status === 0) return true
  if (err.code === 'PALIER_UPLOAD_OFFSET') return true
  return err.status === 429 || err.status === 502 || err.status === 503 || err.status === 504
}

function defaultSleep(ms: number, wake: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      wake.removeEventListener('abort', done)
      if (typeof window !== 'undefined') window.removeEventListener('online', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    wake.addEventListener('abort', done)
    // Back on the Wi-Fi: no need to wait out the delay.
    if (typeof window !== 'undefined') window.addEventListener('online', done)
  })
}

export class TusUpload {
  /** The upload's address on the box once created. */
  url: string | null = null
  /** Bytes the box holds. */
  offset = 0
  /** The stored file's id, once complete. */
  fileId: string | null = null

  private readonly o: TusUploadOptions
  private readonly chunk: number
  private xhr: XMLHttpRequest | null = null
  /** The creation request while it runs: a cancel waits for it, so no upload is left reserving room. */
  private creating: Promise<void> | null = null
  private cancelled = false
  private readonly wake = new AbortController()

  constructor(options: TusUploadOptions) {
    this.o = options
    this.chunk = options.chunkBytes ?? CHUNK_BYTES
  }

  /** Sends the file; resolves with the stored file's id. */
  async start(): Promise<string> {
    const size = this.o.file.size
    let attempt = 0
    let resync = false
    let restarted = false
    for (;;) {
      this.checkCancelled()
      try {
        if (!this.url) {
          this.creating = this.create()
          try {
            await this.creating
          } finally {
            this.creating = null
          }
          this.checkCancelled()
        } else if (resync) await this.head()
        resync = false
        this.o.onPhase?.('sending')
        while (!this.fileId) {
          await this.patch()
          attempt = 0
          if (!this.fileId && this.offset >= size) await this.head()
        }
        this.o.onProgress?.(size, size)
        return this.fileId
      } catch (err) {
        this.checkCancelled()
        // Expired or cleaned away while we were gone: the file is still here, start it again once.
        if (err instanceof ApiError && (err.status === 404 || err.status === 410) && this.url && !restarted) {
          restarted = true
          this.url = null
          this.offset = 0
          continue
        }
        if (!retryable(err)) throw err
        this.o.onPhase?.('retrying')
        const wait = err instanceof ApiError && err.retryAfter ? err.retryAfter * 1000 : retryDelayMs(attempt)
        attempt++
        await (this.o.sleep ?? defaultSleep)(wait, this.wake.signal)
        resync = true
      }
    }
  }

  /**
   * Stops the upload and tells the box to forget it. If the last chunk had already arrived, the
   * file the box made of it is deleted too, so a cancelled file never shows up in a folder.
   */
  async cancel(): Promise<void> {
    if (this.cancelled) return
    this.cancelled = true
    const creating = this.creating
    const inFlight = this.xhr !== null && !creating
    if (!creating) this.xhr?.abort()
    this.wake.abort()
    if (creating) await creating.catch(() => undefined)
    if (!this.url) return
    try {
      if (inFlight && !this.fileId) await this.head(true)
    } catch {
      // Out of reach: the box drops unfinished uploads when they expire.
    }
    try {
      if (this.fileId) {
        const fileUrl = this.o.endpoint.replace(/\/uploads\/?$/, '/') + encodeURIComponent(this.fileId)
        await this.request('DELETE', fileUrl, null, {}, true)
        await this.request('DELETE', fileUrl.replace(/\/([^/]+)$/, '/trash/$1'), null, {}, true)
      } else {
        await this.request('DELETE', this.url, null, {}, true)
      }
    } catch {
      // Same as above.
    }
  }

  private checkCancelled(): void {
    if (this.cancelled) throw new UploadCancelled()
  }

  private async create(): Promise<void> {
    const size = this.o.file.size
    const answer = await this.request('POST', this.o.endpoint, null, {
      'Upload-Length': String(size),
      'Upload-Metadata': uploadMetadata(this.o.metadata),
    })
    const location = answer.header('Location')
    if (!location) throw new ApiError(answer.status, 'PALIER_HTTP_' + answer.status, '')
    this.url = resolveLocation(location, this.o.endpoint)
    this.offset = 0
    this.fileId = answer.header('Palier-File-Id')
  }

  /** Asks the box how much it holds (and, if it is complete, the file's id). */
  private async head(force = false): Promise<void> {
    const answer = await this.request('HEAD', this.url!, null, {}, force)
    const offset = Number(answer.header('Upload-Offset'))
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(0, NETWORK_ERROR, 'no Upload-Offset')
    this.offset = offset
    this.fileId = answer.header('Palier-File-Id') ?? this.fileId
    this.o.onProgress?.(offset, this.o.file.size)
  }

  private async patch(): Promise<void> {
    const end = Math.min(this.o.file.size, this.offset + this.chunk)
    const body = this.o.file.slice(this.offset, end)
    const answer = await this.request('PATCH', this.url!, body, {
      'Upload-Offset': String(this.offset),
      'Content-Type': 'application/offset+octet-stream',
    })
    const offset = Number(answer.header('Upload-Offset'))
    this.offset = Number.isSafeInteger(offset) && offset >= 0 ? offset : end
    this.fileId = answer.header('Palier-File-Id')
    this.o.onProgress?.(this.offset, this.o.file.size)
  }

  /** One request; resolves on 2xx, rejects with ApiError (status 0 when no answer came). */
  private request(method: string, url: string, body: Blob | null, headers: Record<string, string>, evenIfCancelled = false): Promise<Answer> {
    if (this.cancelled && !evenIfCancelled) return Promise.reject(new UploadCancelled())
    return new Promise<Answer>((resolve, reject) => {
      const xhr = this.o.createXhr ? this.o.createXhr() : new XMLHttpRequest()
      const uploading = body !== null && body.size > 0
      let stall: ReturnType<typeof setTimeout> | undefined
      let timedOut = false
      const lost = (): void => {
        timedOut = true
        xhr.abort()
      }
      const settle = (): void => {
        clearTimeout(stall)
        if (typeof window !== 'undefined') window.removeEventListener('offline', lost)
        if (this.xhr === xhr) this.xhr = null
      }
      const watch = (): void => {
        clearTimeout(stall)
        stall = setTimeout(lost, this.o.stallMs ?? STALL_MS)
      }
      // The phone knows it left the Wi-Fi before the request would notice: give up on it at once.
      if (typeof window !== 'undefined') window.addEventListener('offline', lost)
      xhr.open(method, url)
      xhr.setRequestHeader('Tus-Resumable', TUS_VERSION)
      xhr.setRequestHeader('Accept', 'application/json')
      xhr.setRequestHeader('Accept-Language', this.o.language())
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value)
      if (uploading) {
        const base = this.offset
        xhr.upload.onprogress = (e: ProgressEvent) => {
          watch()
          this.o.onProgress?.(Math.min(base + e.loaded, this.o.file.size), this.o.file.size)
        }
      }
      xhr.onload = () => {
        settle()
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name) })
          return
        }
        const error = toError(xhr)
        if (xhr.status === 401) this.o.onUnauthenticated?.(error)
        reject(error)
      }
      xhr.onerror = () => {
        settle()
        reject(new ApiError(0, NETWORK_ERROR, 'connection lost'))
      }
      xhr.onabort = () => {
        settle()
        reject(timedOut ? new ApiError(0, NETWORK_ERROR, 'connection stalled') : new UploadCancelled())
      }
      if (!evenIfCancelled) this.xhr = xhr
      watch()
      xhr.send(body)
    })
  }
}

function toError(xhr: XMLHttpRequest): ApiError {
  const retry = Number(xhr.getResponseHeader('Retry-After'))
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined
  try {
    const data: unknown = JSON.parse(xhr.responseText)
    if (typeof data === 'object' && data !== null && typeof (data as { code?: unknown }).code === 'string') {
      const { code, message } = data as { code: string; message?: unknown }
      return new ApiError(xhr.status, code, typeof message === 'string' ? message : '', undefined, retryAfter)
    }
  } catch {
    // Not our JSON (HEAD has no body, a proxy's page): a generic message is shown.
  }
  return new ApiError(xhr.status, `PALIER_HTTP_${xhr.status}`, '', undefined, retryAfter)
}
