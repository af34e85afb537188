// The notice board's rules without a browser: what each role may post, the form's checks, the
// request body, dates from date inputs, the board's sections and paging.
import t from 'tap'
import type { Notice } from '../src/api/types.js'
import {
  EMPTY_NOTICE,
  appendPage,
  boardSections,
  canPost,
  checkNotice,
  dateInputValue,
  entrancesOf,
  kindsFor,
  noticeBody,
  parseDateInput,
} from '../src/notices/model.js'

const values = (over: Partial<typeof EMPTY_NOTICE> = {}) => ({ ...EMPTY_NOTICE, title: 'Coupure d’eau', body: 'Mardi de 9 h à 12 h.', ...over })

function notice(id: string, kind: Notice['kind'], pinned = false): Notice {
  return {
    id, kind, pinned, title: id, body: '', bodyHtml: '', origin: 'caretaker', author: { displayName: 'Martine' },
    status: 'published', startsAt: 0, expiresAt: null, audience: [], images: [], going: 0, thanks: 0,
    myReactions: [], commentsAllowed: false, createdAt: 0, updatedAt: 0,
  }
}

t.test('residents post information and events only; the setting can close posting', async (t) => {
  t.same(kindsFor('caretaker'), ['urgent', 'works', 'info', 'event'])
  t.same(kindsFor('resident'), ['info', 'event'])
  t.equal(canPost('caretaker', 'off'), true)
  t.equal(canPost('resident', 'off'), false)
  t.equal(canPost('resident', 'approval'), true)
  t.equal(canPost('resident', 'free'), true)
  t.equal(canPost('resident', undefined), false, 'not offered until the setting is known (no flash of a link that is then taken away)')
})

t.test('checkNotice names the first faulty field', async (t) => {
  t.equal(checkNotice(values(), 'resident'), null)
  t.same(checkNotice(values({ kind: 'urgent' }), 'resident'), { field: 'kind', key: 'validation.noticeKind' })
  t.equal(checkNotice(values({ kind: 'urgent' }), 'caretaker'), null)
  t.same(checkNotice(values({ title: '   ' }), 'caretaker'), { field: 'title', key: 'validation.noticeTitle' })
  t.same(checkNotice(values({ title: 'x'.repeat(121) }), 'caretaker'), { field: 'title', key: 'validation.noticeTitleLong' })
  t.equal(checkNotice(values({ title: '🎉'.repeat(120) }), 'caretaker'), null, 'counted in characters, not UTF-16 units')
  t.same(checkNotice(values({ body: '' }), 'caretaker'), { field: 'body', key: 'validation.noticeBody' })
  t.same(checkNotice(values({ body: 'x'.repeat(5001) }), 'caretaker'), { field: 'body', key: 'validation.noticeBodyLong' })
  t.same(checkNotice(values({ startsOn: '2025-02-30' }), 'caretaker'), { field: 'startsOn', key: 'validation.date' })
  t.same(checkNotice(values({ startsOn: '2025-03-14', endsOn: '2025-03-13' }), 'caretaker'), { field: 'endsOn', key: 'validation.noticeDates' })
  t.equal(checkNotice(values({ startsOn: '2025-03-14', endsOn: '2025-03-14' }), 'caretaker'), null, 'a one-day notice')
})

t.test('date inputs: start of the day, end of the day for expiries, local time', async (t) => {
  const start = parseDateInput('2025-03-14')!
  const end = parseDateInput('2025-03-14', true)!
  t.equal(new Date(start).getHours(), 0)
  t.equal(new Date(end).getHours(), 23)
  t.equal(end - start, 24 * 3600 * 1000 - 1, 'a whole day (no DST change that day)')
  t.equal(dateInputValue(start), '2025-03-14')
  t.equal(dateInputValue(end), '2025-03-14')
  t.equal(parseDateInput(''), null)
  t.equal(parseDateInput('14/03/2025'), null)
  t.equal(parseDateInput('2025-13-01'), null)
})

t.test('noticeBody tidies the text and sends only what was chosen', async (t) => {
  t.same(noticeBody(values({ title: '  Coupure   d’eau ', body: 'Ligne 1\r\nLigne 2\n\n' }), { role: 'resident', pinned: true, audience: ['A'] }), {
    kind: 'info',
    title: 'Coupure d’eau',
    body: 'Ligne 1\nLigne 2',
  }, 'a resident never sends pinned or audience')
  const caretaker = noticeBody(values({ kind: 'urgent', startsOn: '2025-03-14', endsOn: '2025-03-16' }), { role: 'caretaker', pinned: true, audience: ['A', 'B'] })
  t.equal(caretaker.kind, 'urgent')
  t.equal(caretaker.pinned, true)
  t.same(caretaker.audience, ['A', 'B'])
  t.equal(caretaker.startsAt, parseDateInput('2025-03-14'))
  t.equal(caretaker.expiresAt, parseDateInput('2025-03-16', true))
  const whole = noticeBody(values(), { role: 'caretaker', pinned: false, audience: [] })
  t.notOk('audience' in whole, 'no audience: the whole building')
  t.notOk('startsAt' in whole)
  t.notOk('expiresAt' in whole)
})

t.test('urgent notices get their own section; pages join without repeats', async (t) => {
  const board = [notice('u', 'urgent'), notice('p', 'info', true), notice('e', 'event')]
  const { urgent, others } = boardSections(board)
  t.same(urgent.map((n) => n.id), ['u'])
  t.same(others.map((n) => n.id), ['p', 'e'], 'the server’s order is kept')
  t.same(appendPage(board, [notice('e', 'event'), notice('w', 'works')]).map((n) => n.id), ['u', 'p', 'e', 'w'])
})

t.test('entrancesOf lists the entrances of active flats, in natural order', async (t) => {
  const flats = [
    { entrance: 'B', revokedAt: null },
    { entrance: ' A ', revokedAt: null },
    { entrance: 'A', revokedAt: null },
    { entrance: '10', revokedAt: null },
    { entrance: '2', revokedAt: null },
    { entrance: 'C', revokedAt: 5 },
    { entrance: '', revokedAt: null },
  ]
  t.same(entrancesOf(flats, 'fr'), ['2', '10', 'A', 'B'])
})
