// Opens the box's SQLite database with the settings that make a power cut harmless, and brings
// its schema up to date from the numbered migrations.
import Database from 'better-sqlite3'
import { migrations } from './migrations/index.js'

export type Db = Database.Database

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this Palier knows (${known}); refusing to open it (was an update rolled back?)`)
    this.name = 'DatabaseTooNewError'
  }
}

export function openDatabase(file: string): Db {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    // FULL: a transaction acknowledged to a user is on the card before we answer.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

/** Runs the pending migrations in one transaction; user_version records the last one applied. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.length
  if (current > latest) throw new DatabaseTooNewError(current, latest)
  if (current === latest) return current
  db.transaction(() => {
    for (const m of migrations.slice(current)) m.up(db)
    db.pragma(`user_version = ${latest}`)
  }).immediate()
  return latest
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>()

/** A prepared statement, compiled once per database and reused (the hot paths run these). */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db)
  if (!cache) statementCache.set(db, (cache = new Map()))
  let stmt = cache.get(sql)
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)))
  return stmt
}
