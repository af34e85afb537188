// The incident reports' rules without a browser: the caretaker's next steps, the report form's
// checks and body, the place suggestion and the timeline's words.
import t from 'tap'
import { fr } from '../src/i18n/fr.js'
import {
  CATEGORIES,
  CATEGORY_LABEL,
  EMPTY_REPORT,
  PLACE_KINDS,
  PLACE_LABEL,
  STATUSES,
  STATUS_LABEL,
  checkReport,
  checkWhatWhere,
  cleanDetail,
  isOpen,
  needsDetail,
  nextStatuses,
  placeChosen,
  reportBody,
  statusStep,
  suggestedDetail,
  timelineKey,
} from '../src/incidents/model.js'

const report = (over: Partial<typeof EMPTY_REPORT> = {}) =>
  ({ ...EMPTY_REPORT, category: 'lift', placeKind: 'entrance', placeDetail: 'Entrée A', description: 'Bloqué au 2e.', ...over }) as typeof EMPTY_REPORT

t.test('every category, place and status has a French label', async (t) => {
  for (const c of CATEGORIES) t.ok(fr[CATEGORY_LABEL[c]], c)
  for (const p of PLACE_KINDS) t.ok(fr[PLACE_LABEL[p]], p)
  for (const s of STATUSES) t.ok(fr[STATUS_LABEL[s]], s)
})

t.test('the caretaker moves forward, or back to in progress from resolved; closed is the end', async (t) => {
  t.same(nextStatuses('new'), ['acknowledged', 'in_progress', 'resolved', 'closed'])
  t.same(nextStatuses('in_progress'), ['resolved', 'closed'])
  t.same(nextStatuses('resolved'), ['in_progress', 'closed'])
  t.same(nextStatuses('closed'), [])
  t.equal(isOpen('resolved'), true)
  t.equal(isOpen('closed'), false)
  t.equal(statusStep('new'), 1)
  t.equal(statusStep('closed'), 5)
})

t.test('the place needs a detail except inside the flat', async (t) => {
  t.equal(needsDetail('flat'), false)
  t.equal(needsDetail(''), false)
  t.equal(needsDetail('floor'), true)
  t.equal(cleanDetail('  Entrée \n  A '), 'Entrée A')
  t.equal(placeChosen(report()), true)
  t.equal(placeChosen(report({ placeDetail: '  ' })), false)
  t.equal(placeChosen(report({ placeKind: 'flat', placeDetail: '' })), true)
  t.equal(placeChosen(report({ category: '' })), false)
})

t.test('checks come in the order of the form', async (t) => {
  t.same(checkWhatWhere(report({ category: '' })), { field: 'category', key: 'validation.incidentCategory' })
  t.same(checkWhatWhere(report({ placeKind: '' })), { field: 'placeKind', key: 'validation.incidentPlace' })
  t.same(checkWhatWhere(report({ placeDetail: '' })), { field: 'placeDetail', key: 'validation.incidentPlaceDetail' })
  t.same(checkWhatWhere(report({ placeDetail: 'x'.repeat(81) })), { field: 'placeDetail', key: 'validation.incidentPlaceDetailLong' })
  t.equal(checkWhatWhere(report({ placeKind: 'flat', placeDetail: '' })), null)
  t.equal(checkReport(report()), null)
  t.same(checkReport(report({ description: ' ' })), { field: 'description', key: 'validation.incidentDescription' })
  t.same(checkReport(report({ description: 'x'.repeat(2001) })), { field: 'description', key: 'validation.incidentDescriptionLong' })
})

t.test('reportBody: tidy place, no detail inside a flat, contactOk as ticked', async (t) => {
  t.same(reportBody(report({ placeDetail: ' Entrée   A ', description: ' Bloqué\r\nau 2e. ' }), true), {
    category: 'lift',
    place: { kind: 'entrance', detail: 'Entrée A' },
    description: 'Bloqué\nau 2e.',
    contactOk: true,
  })
  t.same(reportBody(report({ category: 'leak', placeKind: 'flat', placeDetail: 'ignored' }), false).place, { kind: 'flat', detail: '' })
})

t.test('the place detail is suggested from the person’s flat', async (t) => {
  const flat = { entrance: 'A', floor: '3' }
  t.equal(suggestedDetail('entrance', flat), 'A')
  t.equal(suggestedDetail('floor', flat), '3')
  t.equal(suggestedDetail('common', flat), '')
  t.equal(suggestedDetail('entrance', null), '')
})

t.test('each timeline entry has its sentence', async (t) => {
  const at = 0
  t.equal(timelineKey({ id: '1', at, kind: 'reported', by: 'resident' }), 'timeline.reported')
  t.equal(timelineKey({ id: '2', at, kind: 'status', status: 'in_progress', by: 'caretaker' }), 'timeline.status')
  t.equal(timelineKey({ id: '3', at, kind: 'message', by: 'landlord' }), 'timeline.messageLandlord')
  t.equal(timelineKey({ id: '4', at, kind: 'message', by: 'caretaker' }), 'timeline.messageCaretaker')
  for (const kind of ['affected', 'confirmed', 'reopened', 'merged'] as const) {
    t.ok(fr[timelineKey({ id: kind, at, kind, by: 'resident' })], kind)
  }
})
