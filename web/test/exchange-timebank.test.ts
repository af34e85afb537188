// The time bank's arithmetic and keys, the caretaker's settings form read back, and who carries
// the acted-for household: plain modules, run without a browser.
import t from 'tap'
import { actingQuery, actsAsHousehold, setActing, withActing } from '../src/exchange/acting.js'
import { checkSettings, settingsValues } from '../src/exchange/admin-model.js'
import { LAZY_PAGES, resolve } from '../src/router/routes.js'
import { SubmissionKey, householdsMet, newIdempotencyKey, parseDuration, parseHours, pendingRole, splitMinutes } from '../src/exchange/timebank-model.js'

t.test('splitMinutes writes hours and minutes, signed when asked', async (t) => {
  t.same(splitMinutes(150, true), { sign: '+', hours: 2, minutes: '30', key: 'timebank.duration.hm' })
  t.same(splitMinutes(-90, true), { sign: '−', hours: 1, minutes: '30', key: 'timebank.duration.hm' })
  t.same(splitMinutes(-90), { sign: '−', hours: 1, minutes: '30', key: 'timebank.duration.hm' })
  t.same(splitMinutes(90), { sign: '', hours: 1, minutes: '30', key: 'timebank.duration.hm' })
  t.same(splitMinutes(65, true), { sign: '+', hours: 1, minutes: '05', key: 'timebank.duration.hm' })
  t.same(splitMinutes(120), { sign: '', hours: 2, minutes: '0', key: 'timebank.duration.h' })
  t.same(splitMinutes(45, true), { sign: '+', hours: 0, minutes: '45', key: 'timebank.duration.m' })
  t.same(splitMinutes(0, true), { sign: '', hours: 0, minutes: '0', key: 'timebank.duration.h' })
})

t.test('parseDuration reads the hours and minutes inputs', async (t) => {
  t.same(parseDuration('1', '30'), { ok: true, value: 90 })
  t.same(parseDuration('', '45'), { ok: true, value: 45 })
  t.same(parseDuration(' 2 ', ''), { ok: true, value: 120 })
  t.same(parseDuration('', ''), { ok: false, field: 'hours', key: 'timebank.error.zero' })
  t.same(parseDuration('1,5', ''), { ok: false, field: 'hours', key: 'timebank.error.number' })
  t.same(parseDuration('1', '60'), { ok: false, field: 'minutes', key: 'timebank.error.minutes' })
  t.same(parseDuration('-1', ''), { ok: false, field: 'hours', key: 'timebank.error.number' })
  t.same(parseDuration('100', '0'), { ok: true, value: 6000 })
  t.same(parseDuration('100', '1'), { ok: false, field: 'hours', key: 'timebank.error.tooMuch' })
})

t.test('parseHours takes a comma or a dot', async (t) => {
  t.same(parseHours('10', 'minHours'), { ok: true, value: 600 })
  t.same(parseHours('1,5', 'minHours'), { ok: true, value: 90 })
  t.same(parseHours('0.25', 'maxHours'), { ok: true, value: 15 })
  t.same(parseHours('-3', 'minHours'), { ok: false, field: 'minHours', key: 'timebank.error.number' })
  t.same(parseHours('', 'maxHours'), { ok: false, field: 'maxHours', key: 'timebank.error.number' })
  t.same(parseHours('1001', 'maxHours'), { ok: false, field: 'maxHours', key: 'timebank.error.tooMuch' })
})

t.test('settings go to the form in hours and come back in minutes', async (t) => {
  const s = { timeBankEnabled: true, minBalanceMinutes: -600, maxBalanceMinutes: 1230, reportThreshold: 3 }
  const v = settingsValues(s)
  t.same(v, { timeBankEnabled: 'on', minHours: '10', maxHours: '20,5', reportThreshold: '3' })
  t.same(checkSettings(v), { ok: true, value: s })
  t.same(checkSettings({ ...v, minHours: '0', timeBankEnabled: '' }), { ok: true, value: { ...s, minBalanceMinutes: 0, timeBankEnabled: false } })
  t.same(checkSettings({ ...v, reportThreshold: '0' }), { ok: false, field: 'reportThreshold', key: 'exchangeAdmin.error.threshold' })
  t.same(checkSettings({ ...v, reportThreshold: '21' }), { ok: false, field: 'reportThreshold', key: 'exchangeAdmin.error.threshold' })
  t.same(checkSettings({ ...v, maxHours: 'beaucoup' }), { ok: false, field: 'maxHours', key: 'timebank.error.number' })
})

t.test('idempotency keys: randomUUID, else random bytes, within the API’s 8–64 characters', async (t) => {
  t.equal(newIdempotencyKey({ randomUUID: () => 'uuid-from-crypto' }), 'uuid-from-crypto')
  const fromBytes = newIdempotencyKey({ getRandomValues: <T extends Uint8Array>(a: T) => a.fill(171) })
  t.equal(fromBytes, 'ab'.repeat(16))
  const fallback = newIdempotencyKey({})
  t.match(fallback, /^[0-9a-f]{32}$/)
  t.not(newIdempotencyKey(), newIdempotencyKey())
})

t.test('one key per submission: kept on retry, new for a changed or a next transfer', async (t) => {
  let n = 0
  const keys = new SubmissionKey(() => `key-${++n}`)
  const body = { direction: 'request', toFlatId: 'f2', minutes: 90, memo: '' }
  t.equal(keys.for(body), 'key-1')
  t.equal(keys.for({ ...body }), 'key-1', 'the same transfer sent again')
  t.equal(keys.for({ ...body, minutes: 60 }), 'key-2', 'changed after a failure')
  keys.done()
  t.equal(keys.for({ ...body, minutes: 60 }), 'key-3', 'the next transfer, even if identical')
})

t.test('households met in conversations, once each, by label', async (t) => {
  const a = { id: 'f1', label: 'A-3-12', name: 'Amina' }
  const b = { id: 'f2', label: 'A-1-02', name: 'Leïla' }
  t.same(householdsMet([{ household: a }, { household: b }, { household: a }]), [b, a])
  t.same(householdsMet([]), [])
})

t.test('the payer confirms a pending request, the requester may cancel it', async (t) => {
  const payer = { id: 'f1', label: 'A', name: 'A' }
  t.equal(pendingRole({ payer, requestedBy: 'f2' }, 'f1'), 'confirm')
  t.equal(pendingRole({ payer, requestedBy: 'f2' }, 'f2'), 'cancel')
  t.equal(pendingRole({ payer, requestedBy: 'f2' }, 'f3'), 'wait')
})

t.test('the acted-for household goes on household routes only', async (t) => {
  t.equal(actingQuery(), '')
  t.equal(withActing('/exchange/listings'), '/exchange/listings')
  setActing({ id: 'flat 9', label: 'B-0-01' })
  t.teardown(() => setActing(null))
  t.equal(withActing('/exchange/listings'), '/exchange/listings?asFlat=flat%209')
  t.equal(withActing('/exchange/listings?q=perceuse'), '/exchange/listings?q=perceuse&asFlat=flat%209')
  t.ok(actsAsHousehold('GET', '/exchange/timebank'))
  t.ok(actsAsHousehold('POST', '/exchange/reports'))
  t.ok(actsAsHousehold('POST', '/exchange/listings'))
  t.notOk(actsAsHousehold('GET', '/exchange/reports'))
  t.notOk(actsAsHousehold('POST', '/exchange/reports/listing/l1/resolve'))
  t.notOk(actsAsHousehold('GET', '/exchange/settings'))
  t.notOk(actsAsHousehold('PUT', '/exchange/settings'))
  t.notOk(actsAsHousehold('GET', '/exchange/on-behalf'))
  t.notOk(actsAsHousehold('GET', '/notices'))
  setActing(null)
  t.equal(actingQuery(), '')
})

t.test('the time bank is for everyone signed in, the exchange management for the caretaker', async (t) => {
  const at = (pathname: string, role: 'caretaker' | 'resident' | null) => resolve({ pathname, search: '' }, role && { role })
  t.match(at('/echanges/banque-de-temps', 'resident'), { kind: 'page', page: 'exchange-timebank' })
  t.match(at('/echanges/banque-de-temps', 'caretaker'), { kind: 'page', page: 'exchange-timebank' })
  t.match(at('/echanges/gestion', 'caretaker'), { kind: 'page', page: 'exchange-admin' })
  t.match(at('/echanges/gestion', 'resident'), { kind: 'page', page: 'forbidden' })
  t.match(at('/echanges/gestion', null), { kind: 'redirect', to: '/connexion?next=%2Fechanges%2Fgestion' })
  t.ok(LAZY_PAGES.has('exchange-timebank') && LAZY_PAGES.has('exchange-admin'), 'both in their own chunks')
})
