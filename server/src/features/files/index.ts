// Shared storage feature: the building library, each household's space and what neighbours share.
// Wires the store of bytes, clears what a crash or an aborted upload left, keeps the trash and the
// unfinished uploads to their time, and registers the routes (multipart here, tus beside them).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import routes from './routes.js'
import { FileStore } from './storage.js'
import * as store from './store.js'
import tusRoutes from './tus.js'

const PURGE_EVERY_MS = 3_600_000

export default async function files(app: FastifyInstance, opts: { config: Config }) {
  const db = app.db
  const limits = store.limitsOf(opts.config)
  const fileStore = new FileStore(app.filesDir)
  await fileStore.init()
  store.registerSqlFunctions(db)

  let purging: Promise<void> | undefined
  /** Rows go first, then bytes: a crash in between leaves only orphan bytes for the next sweep. */
  async function purge(): Promise<void> {
    const now = app.now()
    const files = store.purgeTrash(db, now - limits.trashMs)
    for (const id of files) await fileStore.remove(id)
    const uploads = store.purgeUploads(db, now)
    for (const id of uploads) await fileStore.removeUpload(id)
    if (files.length + uploads.length > 0) app.log.info({ files: files.length, uploads: uploads.length }, 'files purged')
  }
  function purgeOnce(): Promise<void> {
    purging ??= purge().finally(() => (purging = undefined))
    return purging
  }

  await purgeOnce()
  // Nothing is uploading yet: bytes without a row are what a crash or a dropped upload left.
  const now = app.now()
  const swept = await fileStore.sweep(
    (id) => store.isKnownFile(db, id),
    (id) => store.isOpenUpload(db, id, now),
  )
  if (swept > 0) app.log.info({ swept }, 'leftover file bytes removed')

  const timer = setInterval(() => {
    purgeOnce().catch((err: unknown) => app.log.error({ err }, 'files purge failed'))
  }, PURGE_EVERY_MS)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await purging?.catch(() => {})
  })

  await app.register(routes, { config: opts.config, fileStore })
  await app.register(tusRoutes, { config: opts.config, fileStore })
}
