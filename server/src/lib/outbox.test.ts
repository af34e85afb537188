import t, { type Test } from 'tap'
import path from 'node:path'
import { openDatabase, type Db } from '../db/index.js'
import { ID_PATTERN } from './ids.js'
import { OUTBOX_EVENT_TYPES, OutboxError, appendOutbox, readOutbox, removeFromOutbox, type OutboxEventType } from './outbox.js'

function open(t: Test): Db {
  const db = openDatabase(path.join(t.testdir(), 'palier.sqlite'))
  t.teardown(() => db.close())
  return db
}

interface Row {
  id: string
  type: string
  payload: string
  created_at: number
}
const rows = (db: Db) => db.prepare('SELECT id, type, payload, created_at FROM outbox ORDER BY id').all() as Row[]

t.test('the allowed event types', async (t) => {
  t.same(OUTBOX_EVENT_TYPES, [
    'incident.reported',
    'incident.affected',
    'incident.status',
    'incident.reopened',
    'incident.closed',
    'stats.aggregate',
    'stats.exchange',
  ])
  // The building is sealed: nothing residents say to each other may ever be queued upstream.
  for (const type of OUTBOX_EVENT_TYPES) {
    t.notMatch(type, /^(notice|message|exchange|file|comment|reaction|resident)\b/, `${type} is not resident-to-resident`)
  }
})

t.test('appendOutbox inside a transaction writes one row with a JSON payload', async (t) => {
  const db = open(t)
  const before = Date.now()
  const id = db.transaction(() => appendOutbox(db, 'incident.reported', { incidentId: 'i-1', category: 'ascenseur', floor: 3 }))()
  const after = Date.now()
  t.match(id, new RegExp(ID_PATTERN))
  const all = rows(db)
  t.equal(all.length, 1)
  const row = all[0]!
  t.equal(row.id, id)
  t.equal(row.type, 'incident.reported')
  t.equal(row.payload, '{"incidentId":"i-1","category":"ascenseur","floor":3}')
  t.ok(row.created_at >= before && row.created_at <= after)
})

t.test('appendOutbox outside a transaction throws and writes nothing', async (t) => {
  const db = open(t)
  t.throws(() => appendOutbox(db, 'incident.closed', { incidentId: 'i-1' }), {
    constructor: OutboxError,
    message: 'appendOutbox must run inside the transaction of the change that causes the event',
  })
  t.same(rows(db), [])
})

t.test('an event type not on the allow-list throws and writes nothing', async (t) => {
  const db = open(t)
  const tx = db.transaction(() => appendOutbox(db, 'message.posted' as OutboxEventType, { text: 'bonjour les voisins' }))
  t.throws(tx, { constructor: OutboxError, message: 'event type "message.posted" is not allowed to leave the building' })
  t.throws(
    () => appendOutbox(db, 'message.posted' as OutboxEventType, {}),
    { constructor: OutboxError, message: 'event type "message.posted" is not allowed to leave the building' },
    'refused outside a transaction too',
  )
  t.same(rows(db), [])
})

t.test('the event is atomic with the change: a failing transaction leaves no outbox row', async (t) => {
  const db = open(t)
  const change = db.transaction(() => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('incident', 'i-1')").run()
    appendOutbox(db, 'incident.reported', { incidentId: 'i-1' })
    throw new Error('the change failed after the append')
  })
  t.throws(change, { message: 'the change failed after the append' })
  t.same(rows(db), [])
  t.same(db.prepare('SELECT * FROM settings').all(), [], 'the change is rolled back too')

  // And a nested savepoint that fails takes its event with it, while the outer one commits.
  db.transaction(() => {
    appendOutbox(db, 'incident.reported', { incidentId: 'i-2' })
    try {
      db.transaction(() => {
        appendOutbox(db, 'incident.closed', { incidentId: 'i-2' })
        throw new Error('inner')
      })()
    } catch {
      // the inner change is abandoned
    }
  })()
  t.same(
    rows(db).map((r) => [r.type, r.payload]),
    [['incident.reported', '{"incidentId":"i-2"}']],
  )
})

t.test('readOutbox returns the oldest first and pages with afterId', async (t) => {
  const db = open(t)
  const ids: string[] = []
  for (let i = 1; i <= 5; i++) ids.push(db.transaction(() => appendOutbox(db, 'stats.aggregate', { n: i }))())
  t.same([...ids].sort(), ids, 'ids are time-ordered')

  const page1 = readOutbox(db, 2)
  t.same(
    page1.map((e) => [e.id, e.type, e.payload]),
    [
      [ids[0], 'stats.aggregate', { n: 1 }],
      [ids[1], 'stats.aggregate', { n: 2 }],
    ],
  )
  t.type(page1[0]!.createdAt, 'number')
  const page2 = readOutbox(db, 2, page1[1]!.id)
  t.same(
    page2.map((e) => e.payload),
    [{ n: 3 }, { n: 4 }],
  )
  const page3 = readOutbox(db, 2, page2[1]!.id)
  t.same(
    page3.map((e) => e.payload),
    [{ n: 5 }],
  )
  t.same(readOutbox(db, 2, page3[0]!.id), [])
  t.equal(readOutbox(db).length, 5, 'default limit covers them all')
})

t.test('removeFromOutbox removes the acknowledged events only', async (t) => {
  const db = open(t)
  const ids = db.transaction(() => [1, 2, 3].map((n) => appendOutbox(db, 'incident.affected', { n })))()
  t.equal(removeFromOutbox(db, [ids[0]!, ids[2]!]), 2)
  t.same(
    readOutbox(db).map((e) => e.id),
    [ids[1]],
  )
  t.equal(removeFromOutbox(db, [ids[0]!, 'unknown-id']), 0, 'already gone or unknown: nothing removed')
  t.equal(removeFromOutbox(db, []), 0)
  t.equal(removeFromOutbox(db, [ids[1]!]), 1)
  t.same(readOutbox(db), [])
})
