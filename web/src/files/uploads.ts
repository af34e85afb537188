// The files being sent, one after the other (a shared Wi-Fi and an old phone do better with one
// at a time). Kept outside the page, so leaving the files page and coming back still shows them;
// forgotten when someone else signs in on the same phone.
import { ApiError, type ApiClient } from '../api/client.js'
import type { FileSpace } from '../api/types.js'
import { t } from '../i18n/locale.js'
import { toFormError } from '../ui/errors.js'
import { percent } from './model.js'
import { makePreview, wantsPreview } from './preview.js'
import { TusUpload, UploadCancelled } from './uploader.js'

export type UploadStatus = 'waiting' | 'sending' | 'retrying' | 'done' | 'failed' | 'cancelled'

export interface UploadEntry {
  readonly key: number
  readonly name: string
  readonly size: number
  readonly space: FileSpace
  readonly parentId: string | null
  status: UploadStatus
  sent: number
  /** The box's message when it refused the file. */
  error: string
  fileId: string | null
}

/** Told of every change to the list, and of each file once stored (`finished`). */
export type UploadListener = (finished: UploadEntry | null) => void

interface Job {
  entry: UploadEntry
  file: File
  upload: TusUpload | null
}

// A listener set rather than EventTarget: `new EventTarget()` (and subclassing it) only came with
// Safari 14, after the iOS captive-portal sheets we still serve.
export class UploadQueue {
  /** Newest last. */
  entries: UploadEntry[] = []
  /** The last thing worth saying aloud (started, halfway, lost connection, done…). */
  news = ''

  private readonly api: ApiClient
  private readonly listeners = new Set<UploadListener>()
  private readonly jobs = new Map<number, Job>()
  private running = false
  private nextKey = 1

  constructor(api: ApiClient) {
    this.api = api
  }

  /** Calls `listener` on every change; returns how to stop. */
  subscribe(listener: UploadListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Bytes still to be sent, so that the household's room is not promised twice. */
  get queuedBytes(): number {
    return this.entries.filter((e) => e.status === 'waiting' || e.status === 'sending' || e.status === 'retrying').reduce((sum, e) => sum + e.size, 0)
  }

  add(files: readonly File[], place: { space: FileSpace; parentId: string | null }): void {
    for (const file of files) {
      const entry: UploadEntry = {
        key: this.nextKey++,
        name: file.name,
        size: file.size,
        space: place.space,
        parentId: place.parentId,
        status: 'waiting',
        sent: 0,
        error: '',
        fileId: null,
      }
      this.entries = [...this.entries, entry]
      this.jobs.set(entry.key, { entry, file, upload: null })
    }
    this.changed()
    void this.run()
  }

  cancel(key: number): void {
    const job = this.jobs.get(key)
    if (!job || job.entry.status === 'done' || job.entry.status === 'failed' || job.entry.status === 'cancelled') return
    this.update(job.entry, { status: 'cancelled' })
    this.say(t('files.upload.cancelledNews', { name: job.entry.name }))
    void job.upload?.cancel()
    this.jobs.delete(key)
  }

  /** Takes the finished, failed and cancelled entries off the list. */
  clearFinished(): void {
    this.entries = this.entries.filter((e) => this.jobs.has(e.key))
    this.changed()
  }

  /** Stops everything (another person signs in on this phone). */
  dispose(): void {
    for (const key of [...this.jobs.keys()]) this.cancel(key)
    this.entries = []
    window.removeEventListener('beforeunload', onBeforeUnload)
  }

  private async run(): Promise<void> {
    if (this.running) return
    this.running = true
    window.addEventListener('beforeunload', onBeforeUnload)
    try {
      for (;;) {
        const job = [...this.jobs.values()].find((j) => j.entry.status === 'waiting')
        if (!job) break
        await this.send(job)
      }
    } finally {
      this.running = false
      window.removeEventListener('beforeunload', onBeforeUnload)
    }
  }

  private async send(job: Job): Promise<void> {
    const { entry, file } = job
    let lastSaid = 0
    const upload = new TusUpload({
      endpoint: this.api.url('/files/uploads'),
      file,
      metadata: { filename: file.name, space: entry.space, parentId: entry.parentId },
      language: () => this.api.language(),
      onUnauthenticated: (err) => this.api.unauthenticated(err),
      onProgress: (sent, total) => {
        if (entry.status !== 'sending' && entry.status !== 'retrying') return
        this.update(entry, { sent, status: 'sending' })
        // Every quarter, not every event: a screen reader reading out each percent is unbearable.
        const quarter = Math.floor(percent(sent, total) / 25)
        if (quarter > lastSaid && quarter < 4) {
          lastSaid = quarter
          this.say(t('files.upload.progressNews', { name: entry.name, percent: quarter * 25 }))
        }
      },
      onPhase: (phase) => {
        if (entry.status === 'cancelled') return
        this.update(entry, { status: phase })
        if (phase === 'retrying') this.say(t('files.upload.retrying'))
      },
    })
    job.upload = upload
    this.update(entry, { status: 'sending' })
    this.say(t('files.upload.startNews', { name: entry.name }))
    try {
      const fileId = await upload.start()
      if (wantsPreview(file)) await this.sendPreview(fileId, file)
      this.jobs.delete(entry.key)
      this.update(entry, { status: 'done', sent: entry.size, fileId })
      this.say(t('files.upload.doneNews', { name: entry.name }))
      for (const listener of this.listeners) listener(entry)
    } catch (err) {
      this.jobs.delete(entry.key)
      if (err instanceof UploadCancelled || entry.status === 'cancelled') return
      const message = err instanceof ApiError && err.status !== 0 ? toFormError(err).message : t('files.upload.failed')
      this.update(entry, { status: 'failed', error: message })
      this.say(t('files.upload.failedNews', { name: entry.name, message }))
    }
  }

  private async sendPreview(fileId: string, file: File): Promise<void> {
    try {
      const jpeg = await makePreview(file)
      if (jpeg) await this.api.putFilePreview(fileId, jpeg)
    } catch {
      // The file is stored; the grid then shows the picture itself, or an icon.
    }
  }

  private update(entry: UploadEntry, change: Partial<UploadEntry>): void {
    Object.assign(entry, change)
    // A new array, so that pages holding the list see a change.
    this.entries = [...this.entries]
    this.changed()
  }

  private say(news: string): void {
    this.news = news
    this.changed()
  }

  private changed(): void {
    for (const listener of this.listeners) listener(null)
  }
}

/** Leaving the app (reload, closing the tab) while sending: the browser asks first. */
function onBeforeUnload(event: BeforeUnloadEvent): void {
  event.preventDefault()
  event.returnValue = ''
}

let queue: { userId: string; queue: UploadQueue } | null = null

/** The queue of the person signed in now; someone else's is stopped and forgotten. */
export function uploadQueue(api: ApiClient, userId: string): UploadQueue {
  if (queue && queue.userId !== userId) {
    queue.queue.dispose()
    queue = null
  }
  if (!queue) queue = { userId, queue: new UploadQueue(api) }
  return queue.queue
}
