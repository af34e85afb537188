// The database as a shared service: opened once per app, closed with it.
import fp from 'fastify-plugin'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { openDatabase, type Db } from '../db/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The box's clock; injectable so tests can move time forward. */
    now: () => number
    filesDir: string
  }
}

export interface DbPluginOptions {
  dataDir: string
  now?: () => number
}

export default fp<DbPluginOptions>(
  async (app, opts) => {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o750 })
    const filesDir = path.join(opts.dataDir, 'files')
    mkdirSync(filesDir, { recursive: true, mode: 0o750 })
    const db = openDatabase(path.join(opts.dataDir, 'palier.sqlite'))
    app.decorate('db', db)
    app.decorate('now', opts.now ?? Date.now)
    app.decorate('filesDir', filesDir)
    app.addHook('onClose', async () => {
      db.close()
    })
  },
  { name: 'palier-db' },
)
