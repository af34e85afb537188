// The time bank: its routes and rights, then its invariants under random sequences of transfers
// (our own seeded PRNG: each run's seed is in its test name; PALIER_TIMEBANK_SEED=<n> replays it).
import path from 'node:path'
import t, { type Test } from 'tap'
import { openDatabase, prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { build, createFlat, createInvite, joinAs, setupCaretaker } from '../../../test/helpers.js'
import { BalanceLimitError, ExchangeBadTransitionError, IdempotencyConflictError } from './errors.js'
import { closeTransfer, confirmTransfer, createTransfer, getTransfer, ledgerTotal, pendingTransferCount, type Limits, type NewTransfer } from './timebank-store.js'

/** mulberry32: a small, fast, seeded PRNG, enough to draw test steps. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

function picker(random: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!
  return { int, pick }
}

type Api = ReturnType<typeof apiFor>
function apiFor(app: Awaited<ReturnType<typeof build>>['app'], cookie: string) {
  return {
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload }),
    put: (url: string, payload: object = {}) => app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: { cookie }, payload }),
  }
}

/** Caretaker and `n` households with one resident each. */
async function setup(t: Test, n = 3) {
  const built = await build(t)
  const { app } = built
  const caretakerCookie = await setupCaretaker(app)
  const flats: { id: string; label: string; api: Api }[] = []
  for (let i = 0; i < n; i++) {
    const flat = await createFlat(app, caretakerCookie, `T-${i + 1}`)
    const cookie = await joinAs(app, (await createInvite(app, caretakerCookie, flat.id)).code, `voisin${i + 1}`, `Voisin ${i + 1}`)
    flats.push({ ...flat, api: apiFor(app, cookie) })
  }
  const caretaker = apiFor(app, caretakerCookie)
  const settings = async (s: object) => {
    const res = await caretaker.put('/exchange/settings', s)
    if (res.statusCode !== 200) throw new Error(`settings: ${res.statusCode} ${res.body}`)
  }
  return { ...built, caretaker, caretakerCookie, flats, settings }
}

function count(db: Db, table: 'exchange_transfers' | 'exchange_ledger_entries'): number {
  return (prepared(db, `SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
}

/** Every invariant of the ledger, checked in SQL; returns the failures (empty when all hold). */
function broken(db: Db, limits: Limits): string[] {
  const failures: string[] = []
  const total = ledgerTotal(db)
  if (total !== 0) failures.push(`total ${total}`)
  const balances = prepared(db, 'SELECT flat_id, minutes FROM exchange_balances').all() as { flat_id: string; minutes: number }[]
  for (const b of balances) {
    if (b.minutes < limits.minBalanceMinutes || b.minutes > limits.maxBalanceMinutes) failures.push(`balance ${b.minutes} of ${b.flat_id} out of limits`)
    const sum = (prepared(db, 'SELECT COALESCE(SUM(minutes), 0) AS s FROM exchange_ledger_entries WHERE flat_id = ?').get(b.flat_id) as { s: number }).s
    if (sum !== b.minutes) failures.push(`balance ${b.minutes} of ${b.flat_id} but entries sum to ${sum}`)
    const last = prepared(db, 'SELECT balance_after FROM exchange_ledger_entries WHERE flat_id = ? ORDER BY seq DESC LIMIT 1').get(b.flat_id) as
      | { balance_after: number }
      | undefined
    if ((last?.balance_after ?? 0) !== b.minutes) failures.push(`balance ${b.minutes} of ${b.flat_id} but last entry says ${last?.balance_after}`)
  }
  const orphans = prepared(db, 'SELECT COUNT(*) AS n FROM exchange_ledger_entries WHERE flat_id NOT IN (SELECT flat_id FROM exchange_balances)').get() as { n: number }
  if (orphans.n) failures.push(`${orphans.n} entries of a household without balance`)
  const transfers = prepared(
      db,
      `SELECT t.id, t.status, t.minutes, COUNT(e.seq) AS n, COALESCE(SUM(e.minutes), 0) AS s,
              SUM(CASE WHEN e.flat_id = t.payer_flat_id THEN e.minutes END) AS paid
       FROM exchange_transfers t LEFT JOIN exchange_ledger_entries e ON e.transfer_id = t.id GROUP BY t.id`,
    )
    .all() as { id: string; status: string; minutes: number; n: number; s: number; paid: number | null }[]
  for (const x of transfers) {
    if (x.n !== 0 && x.n !== 2) failures.push(`transfer ${x.id} has ${x.n} entries`)
    if ((x.n === 2) !== (x.status === 'applied')) failures.push(`transfer ${x.id} ${x.status} with ${x.n} entries`)
    if (x.s !== 0) failures.push(`entries of transfer ${x.id} sum to ${x.s}`)
    if (x.n === 2 && x.paid !== -x.minutes) failures.push(`transfer ${x.id} of ${x.minutes} took ${x.paid} from the payer`)
  }
  return failures
}

// ------------------------------------------------------------ routes and rights

t.test('off by default: 409 PALIER_TIMEBANK_OFF on transfers and confirmation; the page says so', async (t) => {
  const s = await setup(t, 2)
  const [a, b] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0]]
  const page = await a.api.get('/exchange/timebank')
  t.equal(page.statusCode, 200)
  t.same(page.json(), { enabled: false, minBalanceMinutes: -600, maxBalanceMinutes: 1200, balanceMinutes: 0, entries: [], pending: [] })
  const res = await a.api.post('/exchange/timebank/transfers', { idempotencyKey: 'key-00001', direction: 'pay', toFlatId: b.id, minutes: 60 })
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 'PALIER_TIMEBANK_OFF')
  t.equal(count(s.app.db, 'exchange_transfers'), 0)

  // Switched off while a request waits: it can no longer be confirmed, but it can be declined.
  await s.settings({ timeBankEnabled: true })
  const asked = await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'key-00002', direction: 'request', toFlatId: a.id, minutes: 30 })
  t.equal(asked.statusCode, 201)
  await s.settings({ timeBankEnabled: false })
  const confirm = await a.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)
  t.equal(confirm.statusCode, 409)
  t.equal(confirm.json().code, 'PALIER_TIMEBANK_OFF')
  const decline = await a.api.post(`/exchange/timebank/transfers/${asked.json().id}/decline`)
  t.equal(decline.statusCode, 200)
  t.equal(decline.json().status, 'declined')
  t.equal(ledgerTotal(s.app.db), 0)
})

t.test('pay is applied at once; a request waits for the payer; the ledger and balances show it', async (t) => {
  const s = await setup(t, 3)
  const [a, b, c] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0], (typeof s.flats)[0]]
  await s.settings({ timeBankEnabled: true })
  const now = s.clock.now

  const paid = await a.api.post('/exchange/timebank/transfers', {
    idempotencyKey: 'pay-aaaa-1',
    direction: 'pay',
    toFlatId: b.id,
    minutes: 90,
    memo: '  cours de  maths ',
  })
  t.equal(paid.statusCode, 201)
  t.match(paid.json(), {
    payer: { id: a.id, label: 'T-1', name: 'Voisin 1' },
    payee: { id: b.id, label: 'T-2', name: 'Voisin 2' },
    requestedBy: a.id,
    minutes: 90,
    memo: 'cours de maths',
    listingId: null,
    status: 'applied',
    createdAt: now,
    settledAt: now,
  })
  t.equal((await a.api.get('/exchange/timebank')).json().balanceMinutes, -90)
  const bPage = (await b.api.get('/exchange/timebank')).json()
  t.equal(bPage.balanceMinutes, 90)
  t.same(bPage.entries, [{ transferId: paid.json().id, minutes: 90, balanceAfter: 90, other: { id: a.id, label: 'T-1', name: 'Voisin 1' }, memo: 'cours de maths', createdAt: now }])

  // B asks C for 45 minutes: nothing moves until C confirms.
  s.clock.advance(1000)
  const asked = await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'req-bbbb-1', direction: 'request', toFlatId: c.id, minutes: 45 })
  t.equal(asked.statusCode, 201)
  t.match(asked.json(), { payer: { id: c.id }, payee: { id: b.id }, requestedBy: b.id, status: 'pending', settledAt: null })
  t.equal(pendingTransferCount(s.app.db, c.id), 1)
  t.equal(pendingTransferCount(s.app.db, b.id), 0)
  t.same((await c.api.get('/exchange/timebank')).json().pending.map((x: { id: string }) => x.id), [asked.json().id])
  t.same((await b.api.get('/exchange/timebank')).json().pending.map((x: { id: string }) => x.id), [asked.json().id], 'the requester sees it wait')
  t.equal((await c.api.get('/exchange/timebank')).json().balanceMinutes, 0)

  // The payee cannot confirm its own request; A, not party to it, cannot even see it.
  const self = await b.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)
  t.equal(self.statusCode, 403)
  t.equal(self.json().code, 'PALIER_OTHER_HOUSEHOLD')
  for (const action of ['confirm', 'decline', 'cancel']) {
    t.equal((await a.api.post(`/exchange/timebank/transfers/${asked.json().id}/${action}`)).statusCode, 404, `third household: ${action} 404`)
  }
  t.equal((await c.api.post(`/exchange/timebank/transfers/${asked.json().id}/cancel`)).statusCode, 403, 'only the requester cancels')

  const confirmed = await c.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)
  t.equal(confirmed.statusCode, 200)
  t.equal(confirmed.json().status, 'applied')
  const again = await c.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)
  t.equal(again.statusCode, 200, 'confirming twice changes nothing')
  t.equal((await c.api.get('/exchange/timebank')).json().balanceMinutes, -45)
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 135)
  t.same(
    (await b.api.get('/exchange/timebank')).json().entries.map((e: { minutes: number; balanceAfter: number }) => [e.minutes, e.balanceAfter]),
    [
      [45, 135],
      [90, 90],
    ],
    'newest first, with the balance after each',
  )
  t.equal((await c.api.post(`/exchange/timebank/transfers/${asked.json().id}/decline`)).statusCode, 409, 'an applied transfer is not declined')
  t.equal((await a.api.post(`/exchange/timebank/transfers/${paid.json().id}/cancel`)).statusCode, 409, 'a payment is not cancelled')

  // A request cancelled by its requester, another declined by its payer: nothing moves.
  const r2 = (await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'req-bbbb-2', direction: 'request', toFlatId: c.id, minutes: 10 })).json()
  const r3 = (await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'req-bbbb-3', direction: 'request', toFlatId: c.id, minutes: 10 })).json()
  t.equal((await b.api.post(`/exchange/timebank/transfers/${r2.id}/cancel`)).json().status, 'cancelled')
  t.equal((await c.api.post(`/exchange/timebank/transfers/${r3.id}/decline`)).json().status, 'declined')
  t.equal((await c.api.post(`/exchange/timebank/transfers/${r3.id}/confirm`)).statusCode, 409)
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 135)
  t.same(broken(s.app.db, { minBalanceMinutes: -600, maxBalanceMinutes: 1200 }), [])
})

t.test('limits: a transfer past a limit is refused with nothing written; the same key works once it fits', async (t) => {
  const s = await setup(t, 2)
  const [a, b] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0]]
  await s.settings({ timeBankEnabled: true, minBalanceMinutes: -100, maxBalanceMinutes: 150 })
  const over = await a.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-limit-1', direction: 'pay', toFlatId: b.id, minutes: 101 })
  t.equal(over.statusCode, 409)
  t.equal(over.json().code, 'PALIER_BALANCE_LIMIT')
  t.equal(count(s.app.db, 'exchange_transfers'), 0, 'no transfer left behind')
  t.equal(count(s.app.db, 'exchange_ledger_entries'), 0)
  t.equal((await a.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-limit-1', direction: 'pay', toFlatId: b.id, minutes: 100 })).statusCode, 201)
  // B is at 100: a request of 60 from A would take A below -100 and B above 150.
  const asked = await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'req-limit-1', direction: 'request', toFlatId: a.id, minutes: 60 })
  t.equal(asked.statusCode, 201)
  const refused = await a.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'PALIER_BALANCE_LIMIT')
  t.equal(getTransfer(s.app.db, asked.json().id)!.status, 'pending', 'still waiting')
  // B pays back: now it fits. The payee's ceiling is checked too.
  t.equal((await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-back-01', direction: 'pay', toFlatId: a.id, minutes: 100 })).statusCode, 201)
  t.equal((await a.api.post(`/exchange/timebank/transfers/${asked.json().id}/confirm`)).statusCode, 200)
  await s.settings({ minBalanceMinutes: -500 })
  const ceiling = await a.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-ceil-01', direction: 'pay', toFlatId: b.id, minutes: 91 })
  t.equal(ceiling.statusCode, 409, 'B at 60 cannot go past 150')
  t.equal(ceiling.json().code, 'PALIER_BALANCE_LIMIT')
  t.equal((await a.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-ceil-01', direction: 'pay', toFlatId: b.id, minutes: 90 })).statusCode, 201)
  t.equal((await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-ceil-02', direction: 'pay', toFlatId: a.id, minutes: 90 })).statusCode, 201)
  // Limits lowered below a balance: it stays; a transfer bringing it back is allowed.
  await s.settings({ maxBalanceMinutes: 30 })
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 60)
  t.equal((await b.api.post('/exchange/timebank/transfers', { idempotencyKey: 'pay-down-01', direction: 'pay', toFlatId: a.id, minutes: 10 })).statusCode, 201)
  t.equal(ledgerTotal(s.app.db), 0)
})

t.test('idempotency: a retry returns the first transfer, applied once; another body under the key is 409', async (t) => {
  const s = await setup(t, 3)
  const [a, b, c] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0], (typeof s.flats)[0]]
  await s.settings({ timeBankEnabled: true })
  const body = { idempotencyKey: 'same-key-1', direction: 'pay', toFlatId: b.id, minutes: 30, memo: 'jardin' }
  const first = await a.api.post('/exchange/timebank/transfers', body)
  s.clock.advance(5000)
  const retry = await a.api.post('/exchange/timebank/transfers', body)
  t.equal(first.statusCode, 201)
  t.equal(retry.statusCode, 200)
  t.same(retry.json(), first.json(), 'the first transfer, unchanged')
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 30)
  for (const change of [{ minutes: 31 }, { memo: 'autre' }, { toFlatId: c.id }, { direction: 'request' }]) {
    const res = await a.api.post('/exchange/timebank/transfers', { ...body, ...change })
    t.equal(res.statusCode, 409, `changed ${Object.keys(change)[0]}`)
    t.equal(res.json().code, 'PALIER_IDEMPOTENCY_CONFLICT')
  }
  // Keys belong to the household that sends them: another may use the same one.
  const other = await c.api.post('/exchange/timebank/transfers', body)
  t.equal(other.statusCode, 201)
  t.not(other.json().id, first.json().id)
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 60)
  t.same(broken(s.app.db, { minBalanceMinutes: -600, maxBalanceMinutes: 1200 }), [])
})

t.test('a confirmation racing retries of the same request and payment moves the minutes once', async (t) => {
  const s = await setup(t, 2)
  const [a, b] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0]]
  await s.settings({ timeBankEnabled: true })
  const request = { idempotencyKey: 'race-req-1', direction: 'request', toFlatId: a.id, minutes: 40 }
  const asked = (await b.api.post('/exchange/timebank/transfers', request)).json()
  const answers = await Promise.all([
    a.api.post(`/exchange/timebank/transfers/${asked.id}/confirm`),
    b.api.post('/exchange/timebank/transfers', request),
    a.api.post(`/exchange/timebank/transfers/${asked.id}/confirm`),
    b.api.post('/exchange/timebank/transfers', request),
    a.api.post(`/exchange/timebank/transfers/${asked.id}/confirm`),
  ])
  t.same(
    answers.map((r) => r.statusCode),
    [200, 200, 200, 200, 200],
  )
  t.ok(answers.every((r) => r.json().id === asked.id))
  const payment = { idempotencyKey: 'race-pay-1', direction: 'pay', toFlatId: b.id, minutes: 25 }
  const paid = await Promise.all([a.api.post('/exchange/timebank/transfers', payment), a.api.post('/exchange/timebank/transfers', payment), a.api.post('/exchange/timebank/transfers', payment)])
  t.same(paid.map((r) => r.statusCode).sort(), [200, 200, 201])
  t.equal(new Set(paid.map((r) => r.json().id)).size, 1)
  t.equal(count(s.app.db, 'exchange_ledger_entries'), 4, 'two transfers, two entries each')
  t.equal((await a.api.get('/exchange/timebank')).json().balanceMinutes, -65)
  t.equal((await b.api.get('/exchange/timebank')).json().balanceMinutes, 65)
  t.same(broken(s.app.db, { minBalanceMinutes: -600, maxBalanceMinutes: 1200 }), [])
})

t.test('who may be paid: not oneself (400), not an unknown or blocked household (404); the caretaker for a household without account', async (t) => {
  const s = await setup(t, 2)
  const [a, b] = s.flats as [(typeof s.flats)[0], (typeof s.flats)[0]]
  await s.settings({ timeBankEnabled: true })
  const pay = (api: Api, toFlatId: string, key: string, url = '/exchange/timebank/transfers') =>
    api.post(url, { idempotencyKey: key, direction: 'pay', toFlatId, minutes: 10 })
  const self = await pay(a.api, a.id, 'self-key-1')
  t.equal(self.statusCode, 400)
  t.equal(self.json().field, 'toFlatId')
  t.equal((await pay(a.api, 'no-such-flat', 'nobody-key')).statusCode, 404)
  t.equal((await a.api.post('/exchange/blocks', { flatId: b.id })).statusCode < 300, true)
  t.equal((await pay(a.api, b.id, 'blocked-k1')).statusCode, 404, 'the blocker')
  t.equal((await pay(b.api, a.id, 'blocked-k2')).statusCode, 404, 'the blocked')
  t.equal((await s.caretaker.get('/exchange/timebank')).json().code, 'PALIER_RESIDENTS_ONLY')
  // A household without a smartphone: the caretaker pays for it.
  const c = await createFlat(s.app, s.caretakerCookie, 'T-9')
  const forC = await pay(s.caretaker, a.id, 'behalf-k1', `/exchange/timebank/transfers?asFlat=${c.id}`)
  t.equal(forC.statusCode, 201)
  t.match(forC.json(), { payer: { id: c.id }, payee: { id: a.id }, status: 'applied' })
  t.equal((await pay(s.caretaker, c.id, 'behalf-k2', `/exchange/timebank/transfers?asFlat=${a.id}`)).statusCode, 403, 'not for a household with an account')
})

// ------------------------------------------------------------ invariants under random sequences

const BASE_SEED = Number(process.env.PALIER_TIMEBANK_SEED ?? 20_260_501)
const SEEDS = process.env.PALIER_TIMEBANK_SEED ? 1 : 30
const STEPS = 200

interface Sent {
  input: NewTransfer
  id: string | undefined
}

/** One random step through the store functions; returns what it did, for the failure message. */
function randomStep(db: Db, random: () => number, flats: string[], limits: Limits, sent: Sent[], now: number): string {
  const { int, pick } = picker(random)
  const pending = () => prepared(db, "SELECT id, payer_flat_id, requested_by_flat_id FROM exchange_transfers WHERE status = 'pending'").all() as {
    id: string
    payer_flat_id: string
    requested_by_flat_id: string
  }[]
  const attempt = (what: string, fn: () => void, allowed: (new (...a: never[]) => Error)[]): string => {
    try {
      fn()
      return what
    } catch (err) {
      if (allowed.some((E) => err instanceof E)) return `${what} → ${(err as { code: string }).code}`
      throw err
    }
  }
  const roll = random()
  if (roll < 0.45 || sent.length === 0) {
    const from = pick(flats)
    const input: NewTransfer = {
      requestedBy: from,
      direction: random() < 0.5 ? 'pay' : 'request',
      toFlatId: pick(flats.filter((f) => f !== from)),
      // Now and then large enough to meet the limits.
      minutes: random() < 0.2 ? int(100, 900) : int(1, 120),
      memo: random() < 0.3 ? 'cours' : '',
      listingId: null,
      idempotencyKey: newId(now),
    }
    const entry: Sent = { input, id: undefined }
    sent.push(entry)
    return attempt(
      `${input.direction} ${input.minutes}`,
      () => {
        const { transfer, created } = createTransfer(db, input, limits, now)
        if (!created) throw new Error('a new key did not create a transfer')
        entry.id = transfer.id
      },
      [BalanceLimitError],
    )
  }
  if (roll < 0.6) {
    // A retry of something already sent: the same transfer back, never a second one.
    const entry = pick(sent)
    return attempt(
      `retry ${entry.input.direction} ${entry.input.minutes}`,
      () => {
        const before = entry.id ? getTransfer(db, entry.id) : undefined
        const { transfer, created } = createTransfer(db, entry.input, limits, now)
        if (entry.id) {
          if (created || transfer.id !== entry.id) throw new Error('a retry made a second transfer')
          if (JSON.stringify(transfer) !== JSON.stringify(before)) throw new Error('a retry changed the transfer')
        } else {
          // The first try was refused with nothing written: this one is a first try too.
          if (!created) throw new Error('a refused payment had left a transfer')
          entry.id = transfer.id
        }
      },
      [BalanceLimitError],
    )
  }
  if (roll < 0.68) {
    const entry = pick(sent)
    if (!entry.id) return 'retry of a refused payment skipped'
    return attempt(
      'retry with another body',
      () => {
        createTransfer(db, { ...entry.input, minutes: entry.input.minutes + 1 }, limits, now)
        throw new Error('another body under a used key was accepted')
      },
      [IdempotencyConflictError],
    )
  }
  const waiting = pending()
  const all = prepared(db, 'SELECT id FROM exchange_transfers').all() as { id: string }[]
  // Mostly a waiting transfer; sometimes any, to try steps on settled ones.
  const target = waiting.length > 0 && random() < 0.85 ? pick(waiting).id : all.length > 0 ? pick(all).id : undefined
  if (!target) return 'nothing to settle'
  if (roll < 0.88)
    return attempt(
      'confirm',
      () => {
        const before = getTransfer(db, target)!
        const after = confirmTransfer(db, target, limits, now)
        if (before.status === 'applied' && JSON.stringify(after) !== JSON.stringify(before)) throw new Error('a second confirmation changed it')
      },
      [BalanceLimitError, ExchangeBadTransitionError],
    )
  if (roll < 0.94) return attempt('decline', () => closeTransfer(db, target, 'declined', now), [ExchangeBadTransitionError])
  return attempt('cancel', () => closeTransfer(db, target, 'cancelled', now), [ExchangeBadTransitionError])
}

/** What the balances must be, from the transfers applied: the model the database is checked against. */
function expectedBalances(db: Db): Map<string, number> {
  const rows = prepared(db, "SELECT payer_flat_id, payee_flat_id, minutes FROM exchange_transfers WHERE status = 'applied'").all() as {
    payer_flat_id: string
    payee_flat_id: string
    minutes: number
  }[]
  const m = new Map<string, number>()
  for (const r of rows) {
    m.set(r.payer_flat_id, (m.get(r.payer_flat_id) ?? 0) - r.minutes)
    m.set(r.payee_flat_id, (m.get(r.payee_flat_id) ?? 0) + r.minutes)
  }
  return m
}

function insertFlats(db: Db, n: number, now: number): string[] {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = newId(now)
    prepared(db, 'INSERT INTO flats (id, label, label_key, created_at) VALUES (?, ?, ?, ?)').run(id, `P-${i}`, `p-${i}`, now)
    ids.push(id)
  }
  return ids
}

for (let k = 0; k < SEEDS; k++) {
  const seed = BASE_SEED + k
  t.test(`invariants hold through ${STEPS} random steps (store), seed ${seed}`, async (t) => {
    const db = openDatabase(path.join(t.testdir(), 'palier.db'))
    t.teardown(() => db.close())
    // No fsync per step: durability is not what these runs test, and 6,000 steps add up.
    db.pragma('synchronous = OFF')
    const random = mulberry32(seed)
    const { int } = picker(random)
    const limits: Limits = { minBalanceMinutes: -int(30, 600), maxBalanceMinutes: int(30, 1200) }
    let now = 1_780_000_000_000
    const flats = insertFlats(db, 6, now)
    const sent: Sent[] = []
    const log: string[] = []
    let applied = 0
    for (let step = 0; step < STEPS; step++) {
      now += int(0, 60_000)
      log.push(randomStep(db, random, flats, limits, sent, now))
      const failures = broken(db, limits)
      const model = expectedBalances(db)
      for (const f of flats) {
        const balance = (prepared(db, 'SELECT minutes FROM exchange_balances WHERE flat_id = ?').get(f) as { minutes: number } | undefined)?.minutes ?? 0
        if (balance !== (model.get(f) ?? 0)) failures.push(`balance of ${f} is ${balance}, the applied transfers make ${model.get(f) ?? 0}`)
      }
      if (failures.length) {
        t.fail(`seed ${seed}, step ${step}: ${failures.join('; ')}`, { steps: log.slice(-10) })
        return
      }
    }
    applied = (prepared(db, "SELECT COUNT(*) AS n FROM exchange_transfers WHERE status = 'applied'").get() as { n: number }).n
    const refused = log.filter((l) => l.includes('PALIER_BALANCE_LIMIT')).length
    t.ok(applied > 5, `transfers applied (${applied})`)
    t.ok(log.some((l) => l.startsWith('retry')), 'retries tried')
    t.pass(`${STEPS} steps, ${applied} applied, ${refused} refused by the limits`)
  })
}

t.test('invariants hold through random steps over HTTP', async (t) => {
  const s = await setup(t, 4)
  const limits = { minBalanceMinutes: -150, maxBalanceMinutes: 200 }
  await s.settings({ timeBankEnabled: true, ...limits })
  for (let k = 0; k < 3; k++) {
    const seed = BASE_SEED + 1000 + k
    const random = mulberry32(seed)
    const { int, pick } = picker(random)
    const sent: { who: number; body: Record<string, unknown>; id?: string }[] = []
    for (let step = 0; step < 50; step++) {
      const roll = random()
      let what: string
      let res
      if (roll < 0.45 || sent.length === 0) {
        const who = int(0, s.flats.length - 1)
        const to = pick(s.flats.filter((_, i) => i !== who))
        const body = { idempotencyKey: `http-${seed}-${step}`, direction: random() < 0.5 ? 'pay' : 'request', toFlatId: to.id, minutes: int(1, 120) }
        res = await s.flats[who]!.api.post('/exchange/timebank/transfers', body)
        what = `${body.direction} ${body.minutes}`
        if (res.statusCode === 201) sent.push({ who, body, id: res.json().id })
        else if (!(res.statusCode === 409 && res.json().code === 'PALIER_BALANCE_LIMIT')) t.fail(`${what}: ${res.statusCode} ${res.body}`)
      } else if (roll < 0.65) {
        const e = pick(sent)
        const change = random() < 0.5 ? {} : { minutes: (e.body.minutes as number) + 1 }
        res = await s.flats[e.who]!.api.post('/exchange/timebank/transfers', { ...e.body, ...change })
        what = 'retry'
        if ('minutes' in change) t.equal(res.statusCode, 409, `seed ${seed} step ${step}: another body is refused`)
        else t.ok(res.statusCode === 200 && res.json().id === e.id, `seed ${seed} step ${step}: a retry returns the first transfer`)
      } else {
        const e = pick(sent)
        const row = getTransfer(s.app.db, e.id!)!
        const payer = s.flats.find((f) => f.id === row.payer_flat_id)!
        const payee = s.flats.find((f) => f.id === row.payee_flat_id)!
        const action = roll < 0.85 ? 'confirm' : roll < 0.93 ? 'decline' : 'cancel'
        res = await (action === 'cancel' ? payee : payer).api.post(`/exchange/timebank/transfers/${row.id}/${action}`)
        what = action
        const ok =
          res.statusCode === 200 ||
          (res.statusCode === 409 && ['PALIER_BALANCE_LIMIT', 'PALIER_BAD_TRANSITION'].includes(res.json().code)) ||
          (res.statusCode === 403 && action === 'cancel' && row.requested_by_flat_id !== payee.id)
        if (!ok) t.fail(`seed ${seed} step ${step} ${action}: ${res.statusCode} ${res.body}`)
      }
      const failures = broken(s.app.db, limits)
      if (failures.length) {
        t.fail(`seed ${seed} step ${step} (${what}): ${failures.join('; ')}`)
        return
      }
    }
    // What each household is shown is its own balance from the ledger.
    for (const f of s.flats) {
      const page = (await f.api.get('/exchange/timebank')).json()
      const balance = (prepared(s.app.db, 'SELECT minutes FROM exchange_balances WHERE flat_id = ?').get(f.id) as { minutes: number } | undefined)?.minutes ?? 0
      t.equal(page.balanceMinutes, balance, `seed ${seed}: balance shown to ${f.label}`)
      if (page.entries.length) t.equal(page.entries[0].balanceAfter, balance)
    }
  }
  t.equal(ledgerTotal(s.app.db), 0)
})
