import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DatabaseTooNewError, migrate, openDatabase, prepared, type Db } from './index.js'
import { migrations, type Migration } from './migrations/index.js'
import { m0001Accounts } from './migrations/0001-accounts.js'

const TABLES = [
  'exchange_balances',
  'exchange_blocks',
  'exchange_conversations',
  'exchange_counters',
  'exchange_ledger_entries',
  'exchange_listing_photos',
  'exchange_listings',
  'exchange_loans',
  'exchange_messages',
  'exchange_reads',
  'exchange_reports',
  'exchange_thanks',
  'exchange_transfers',
  'file_nodes',
  'file_uploads',
  'flats',
  'incident_households',
  'incident_landlord_events',
  'incident_timeline',
  'incidents',
  'invites',
  'notice_images',
  'notice_reactions',
  'notice_reads',
  'notices',
  'outbox',
  'portal_clients',
  'reset_codes',
  'sessions',
  'settings',
  'users',
]

function open(t: Test, file = path.join(t.testdir(), 'palier.sqlite')): Db {
  const db = openDatabase(file)
  t.teardown(() => {
    if (db.open) db.close()
  })
  return db
}

function tables(db: Db): { name: string; strict: number }[] {
  return (db.pragma('table_list') as { schema: string; name: string; type: string; strict: number }[])
    .filter((r) => r.schema === 'main' && r.type === 'table' && !r.name.startsWith('sqlite_'))
    .map((r) => ({ name: r.name, strict: r.strict }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

t.test('opens with the settings that survive a power cut', async (t) => {
  const db = open(t)
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('synchronous', { simple: true }), 2, 'FULL')
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
  t.equal(db.pragma('busy_timeout', { simple: true }), 5000)
})

t.test('a new database is migrated to the latest version', async (t) => {
  const db = open(t)
  t.equal(migrations.length, 7)
  t.equal(db.pragma('user_version', { simple: true }), migrations.length)
  t.same(
    tables(db).map((x) => x.name),
    TABLES,
  )
})

t.test('every table is STRICT', async (t) => {
  const db = open(t)
  const list = tables(db)
  t.equal(list.length, TABLES.length)
  for (const { name, strict } of list) t.equal(strict, 1, `${name} is STRICT`)
  t.throws(() => db.prepare("INSERT INTO outbox (id, type, payload, created_at) VALUES ('e', 'stats.aggregate', '{}', 'yesterday')").run(), {
    code: 'SQLITE_CONSTRAINT_DATATYPE',
  })
})

t.test('foreign keys are enforced', async (t) => {
  const db = open(t)
  t.throws(
    () =>
      db
        .prepare("INSERT INTO users (id, login, display_name, password_hash, role, flat_id, created_at) VALUES ('u', 'l', 'd', 'h', 'resident', 'no-such-flat', 1)")
        .run(),
    { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
  )
})

t.test('reopening is idempotent and keeps the data', async (t) => {
  const file = path.join(t.testdir(), 'palier.sqlite')
  const first = openDatabase(file)
  first.prepare("INSERT INTO settings (key, value) VALUES ('building', 'Les Tilleuls')").run()
  const before = tables(first)
  first.close()

  const db = open(t, file)
  t.equal(db.pragma('user_version', { simple: true }), migrations.length)
  t.same(tables(db), before)
  t.same(db.prepare('SELECT key, value FROM settings').all(), [{ key: 'building', value: 'Les Tilleuls' }])
  t.equal(migrate(db), migrations.length, 'migrate on an up-to-date database does nothing')
  t.same(tables(db), before)
  db.close()

  const again = open(t, file)
  t.same(again.prepare('SELECT key, value FROM settings').all(), [{ key: 'building', value: 'Les Tilleuls' }])
})

t.test('an older database is brought up to date, keeping its rows', async (t) => {
  const file = path.join(t.testdir(), 'palier.sqlite')
  const old = new Database(file)
  m0001Accounts.up(old)
  old.pragma('user_version = 1')
  old.prepare("INSERT INTO settings (key, value) VALUES ('setup_code', 'ACDE-FGHJ-KMNP')").run()
  old.close()

  const db = open(t, file)
  t.equal(db.pragma('user_version', { simple: true }), migrations.length)
  t.same(
    tables(db).map((x) => x.name),
    TABLES,
  )
  t.same(db.prepare('SELECT value FROM settings').all(), [{ value: 'ACDE-FGHJ-KMNP' }])
})

t.test('a database newer than this code is refused and left as it was', async (t) => {
  const file = path.join(t.testdir(), 'palier.sqlite')
  const db = openDatabase(file)
  db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()
  db.pragma(`user_version = ${migrations.length + 1}`)
  db.close()
  const before = digest(file)

  t.throws(() => openDatabase(file), { constructor: DatabaseTooNewError, name: 'DatabaseTooNewError' })
  t.throws(() => openDatabase(file), {
    name: 'DatabaseTooNewError',
    message: `database schema version ${migrations.length + 1} is newer than this Palier knows (${migrations.length}); refusing to open it (was an update rolled back?)`,
  })
  t.equal(digest(file), before, 'the file is byte for byte unchanged')

  const raw = new Database(file, { readonly: true })
  t.teardown(() => raw.close())
  t.equal(raw.pragma('user_version', { simple: true }), migrations.length + 1)
  t.same(raw.prepare('SELECT key, value FROM settings').all(), [{ key: 'k', value: 'v' }])
})

t.test('migrate() refuses a database that is too new', async (t) => {
  const db = open(t)
  db.pragma('user_version = 99')
  t.throws(() => migrate(db), { constructor: DatabaseTooNewError, name: 'DatabaseTooNewError' })
  t.equal(db.pragma('user_version', { simple: true }), 99)
})

// The migration list is a module constant; the test appends a failing migration to the very
// array `migrate` reads, and takes it out again whatever happens.
t.test('a migration that throws leaves the database at its previous version', async (t) => {
  const file = path.join(t.testdir(), 'palier.sqlite')
  const old = new Database(file)
  m0001Accounts.up(old)
  old.pragma('user_version = 1')
  old.close()

  const list = migrations as Migration[]
  const count = list.length
  const failing: Migration = {
    name: '0005-broken',
    up(db) {
      db.exec('CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT')
      throw new Error('migration 5 failed')
    },
  }
  list.push(failing)
  try {
    t.throws(() => openDatabase(file), { message: 'migration 5 failed' })
  } finally {
    list.splice(list.indexOf(failing), 1)
  }
  t.equal(migrations.length, count)

  const raw = new Database(file, { readonly: true })
  t.teardown(() => raw.close())
  t.equal(raw.pragma('user_version', { simple: true }), 1, 'still at version 1')
  const names = (raw.pragma('table_list') as { name: string; schema: string }[])
    .filter((r) => r.schema === 'main' && !r.name.startsWith('sqlite_'))
    .map((r) => r.name)
    .sort()
  t.same(names, ['flats', 'invites', 'reset_codes', 'sessions', 'settings', 'users'], 'neither the later migrations nor the broken last one left anything')
  raw.close()

  // With the broken migration gone, the same file opens and reaches version 4.
  const db = open(t, file)
  t.equal(db.pragma('user_version', { simple: true }), migrations.length)
})

t.test('prepared() compiles a statement once per database and SQL text', async (t) => {
  const db = open(t)
  const other = open(t)
  const a = prepared(db, 'SELECT 1 AS one')
  t.equal(prepared(db, 'SELECT 1 AS one'), a, 'same SQL, same statement object')
  t.not(prepared(db, 'SELECT 2 AS two'), a, 'other SQL, other statement')
  t.not(prepared(other, 'SELECT 1 AS one'), a, 'other database, other statement')
  t.same(a.get(), { one: 1 })
})
