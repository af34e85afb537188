import t, { type Test } from 'tap'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../app.js'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'
import { applyLandlordStatus } from './store.js'

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 9)])
const LIFT = { category: 'lift', place: { kind: 'entrance', detail: 'Entrée A' }, description: 'L’ascenseur est bloqué au 3e.' }
const HOME = { category: 'leak', place: { kind: 'flat', detail: '' }, description: 'Fuite sous l’évier, ça coule chez le voisin du dessous ?' }

/** Caretaker; flat A-12 with Amina and Karim (one household); flat B-3 with Bilal; flat C-7 with Chloé. */
async function setup(t: Test) {
  const { app, clock, config } = await build(t)
  const { caretaker, flat, invite, resident: amina } = await building(app)
  const karim = await joinAs(app, invite.code, 'karim', 'Karim')
  const flatB = await createFlat(app, caretaker, 'B-3')
  const bilal = await joinAs(app, (await createInvite(app, caretaker, flatB.id)).code, 'bilal', 'Bilal')
  const flatC = await createFlat(app, caretaker, 'C-7')
  const chloe = await joinAs(app, (await createInvite(app, caretaker, flatC.id)).code, 'chloe', 'Chloé')
  const api = (cookie: string) => ({
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload }),
  })
  return {
    app,
    clock,
    config,
    flat,
    caretaker: api(caretaker),
    amina: api(amina),
    karim: api(karim),
    bilal: api(bilal),
    chloe: api(chloe),
    cookies: { caretaker, amina, karim, bilal, chloe },
  }
}

/** The incident events queued for the landlord, oldest first. */
function outbox(app: FastifyInstance): [string, Record<string, unknown>][] {
  const rows = app.db.prepare("SELECT type, payload FROM outbox WHERE type LIKE 'incident.%' ORDER BY id").all() as {
    type: string
    payload: string
  }[]
  return rows.map((r) => [r.type, JSON.parse(r.payload)])
}

function kinds(incident: { timeline: { kind: string; status?: string; by: string }[] }): string[] {
  return incident.timeline.map((e) => [e.kind, e.status, e.by].filter(Boolean).join(':'))
}

t.test('a resident reports a problem: 201, their household counts, the timeline starts, the landlord is told', async (t) => {
  const s = await setup(t)
  const now = s.clock.now
  const res = await s.amina.post('/incidents', { ...LIFT, place: { kind: 'entrance', detail: '  Entrée   A ' } })
  t.equal(res.statusCode, 201)
  const incident = res.json()
  t.match(incident, {
    category: 'lift',
    place: { kind: 'entrance', detail: 'Entrée A' },
    description: 'L’ascenseur est bloqué au 3e.',
    photo: null,
    status: 'new',
    private: false,
    affectedCount: 1,
    iAmAffected: true,
    iReported: true,
    awaitingMyConfirmation: false,
    mergedInto: null,
    createdAt: now,
    updatedAt: now,
  })
  t.equal(incident.timeline.length, 1)
  t.match(incident.timeline[0], { kind: 'reported', by: 'resident', at: now })
  t.notOk('status' in incident.timeline[0])
  t.same(outbox(s.app), [
    [
      'incident.reported',
      {
        id: incident.id,
        category: 'lift',
        place: { kind: 'entrance', detail: 'Entrée A' },
        description: 'L’ascenseur est bloqué au 3e.',
        affectedCount: 1,
        createdAt: now,
      },
    ],
  ])

  const seenByKarim = (await s.karim.get(`/incidents/${incident.id}`)).json()
  t.match(seenByKarim, { affectedCount: 1, iAmAffected: true, iReported: false }, 'same household, another person')
  const seenByBilal = (await s.bilal.get(`/incidents/${incident.id}`)).json()
  t.match(seenByBilal, { affectedCount: 1, iAmAffected: false, iReported: false })
  const list = (await s.chloe.get('/incidents')).json()
  t.same(
    list.incidents.map((i: { id: string }) => i.id),
    [incident.id],
  )
  t.notOk('timeline' in list.incidents[0], 'list items carry no timeline')
})

t.test('the flat label goes upstream only when the resident ticked "the landlord may contact me"', async (t) => {
  const s = await setup(t)
  const withContact = (await s.amina.post('/incidents', { ...LIFT, contactOk: true })).json()
  const without = (await s.bilal.post('/incidents', { ...LIFT, category: 'heating', contactOk: false })).json()
  const home = (await s.karim.post('/incidents', { ...HOME, contactOk: true })).json()
  const events = outbox(s.app)
  t.same(
    events.map(([type, p]) => [type, p.id, p.flat]),
    [
      ['incident.reported', withContact.id, 'A-12'],
      ['incident.reported', without.id, undefined],
      ['incident.reported', home.id, 'A-12'],
    ],
  )
  t.notOk('flat' in events[1]![1])
  for (const [, payload] of events) {
    const text = JSON.stringify(payload)
    t.notMatch(text, /amina|karim|bilal|Amina|Karim|Bilal/, 'never who reported it')
  }
  t.same(events[2]![1].place, { kind: 'flat', detail: '' }, 'private reports go upstream too')

  // "Moi aussi" follows the same rule.
  await s.chloe.post(`/incidents/${without.id}/affected`, { contactOk: false })
  await s.amina.post(`/incidents/${without.id}/affected`, { contactOk: true })
  t.same(outbox(s.app).slice(3), [
    ['incident.affected', { id: without.id, affectedCount: 2, at: s.clock.now }],
    ['incident.affected', { id: without.id, affectedCount: 3, at: s.clock.now, flat: 'A-12' }],
  ])
})

t.test('input is checked: blank description, unknown category, "inside my flat" without a flat', async (t) => {
  const s = await setup(t)
  const blank = await s.amina.post('/incidents', { ...LIFT, description: '   ' })
  t.equal(blank.statusCode, 400)
  t.equal(blank.json().field, 'description')
  const category = await s.amina.post('/incidents', { ...LIFT, category: 'ufo' })
  t.equal(category.statusCode, 400)
  t.equal(category.json().code, 'PALIER_INVALID_INPUT')
  const long = await s.amina.post('/incidents', { ...LIFT, description: 'x'.repeat(2001) })
  t.equal(long.statusCode, 400)
  t.equal(long.json().field, 'description')
  const caretakerHome = await s.caretaker.post('/incidents', HOME)
  t.equal(caretakerHome.statusCode, 400)
  t.equal(caretakerHome.json().field, 'place.kind')
  t.same(outbox(s.app), [], 'nothing refused went upstream')

  // The caretaker may report a common-area problem: no household is affected yet.
  const byCaretaker = await s.caretaker.post('/incidents', LIFT)
  t.equal(byCaretaker.statusCode, 201)
  t.match(byCaretaker.json(), { affectedCount: 0, iAmAffected: false, iReported: true })
  t.same(kinds(byCaretaker.json()), ['reported:caretaker'])
})

t.test('a private incident exists only for its flat and the caretaker (list, detail, similar, photo, actions)', async (t) => {
  const s = await setup(t)
  const home = (await s.amina.post('/incidents', HOME)).json()
  t.equal(home.private, true)
  const photo = await s.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${home.id}/photo`,
    headers: { cookie: s.cookies.amina, 'content-type': 'image/png' },
    payload: PNG,
  })
  t.equal(photo.statusCode, 201)
  const photoUrl = photo.json().url
  t.equal(photoUrl, `/api/v1/incidents/${home.id}/photo/${photo.json().id}`)

  const similarUrl = '/incidents/similar?category=leak&placeKind=flat&placeDetail='
  for (const [who, api] of [
    ['Karim (same flat)', s.karim],
    ['the caretaker', s.caretaker],
  ] as const) {
    t.equal((await api.get(`/incidents/${home.id}`)).statusCode, 200, `${who} sees it`)
    t.same(
      (await api.get('/incidents')).json().incidents.map((i: { id: string }) => i.id),
      [home.id],
      `${who} lists it`,
    )
    t.equal((await api.get(photoUrl.replace('/api/v1', ''))).statusCode, 200, `${who} sees its photo`)
  }
  t.same(
    (await s.karim.get(similarUrl)).json().incidents.map((i: { id: string }) => i.id),
    [home.id],
  )

  const bilalDetail = await s.bilal.get(`/incidents/${home.id}`)
  t.equal(bilalDetail.statusCode, 404)
  t.equal(bilalDetail.json().code, 'PALIER_NOT_FOUND')
  t.same((await s.bilal.get('/incidents?status=all')).json(), { incidents: [] })
  t.same((await s.bilal.get(similarUrl)).json(), { incidents: [] })
  t.equal((await s.bilal.get(photoUrl.replace('/api/v1', ''))).statusCode, 404)
  t.equal((await s.bilal.post(`/incidents/${home.id}/affected`)).statusCode, 404)
  t.equal((await s.bilal.post(`/incidents/${home.id}/confirm`, { fixed: true })).statusCode, 404)
})

t.test('"moi aussi": once per household, whoever in it says so, and never on a closed incident', async (t) => {
  const s = await setup(t)
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const karim = await s.karim.post(`/incidents/${lift.id}/affected`)
  t.equal(karim.statusCode, 200)
  t.same(karim.json(), { affectedCount: 1, iAmAffected: true }, 'Amina’s household already counts')
  t.same((await s.bilal.post(`/incidents/${lift.id}/affected`)).json(), { affectedCount: 2, iAmAffected: true })
  t.same((await s.bilal.post(`/incidents/${lift.id}/affected`)).json(), { affectedCount: 2, iAmAffected: true }, 'twice is still once')
  t.same((await s.chloe.post(`/incidents/${lift.id}/affected`, { contactOk: true })).json(), { affectedCount: 3, iAmAffected: true })
  const detail = (await s.amina.get(`/incidents/${lift.id}`)).json()
  t.equal(detail.affectedCount, 3)
  t.same(kinds(detail), ['reported:resident', 'affected:resident', 'affected:resident'])
  t.same(
    outbox(s.app).map(([type, p]) => [type, p.affectedCount]),
    [
      ['incident.reported', 1],
      ['incident.affected', 2],
      ['incident.affected', 3],
    ],
    'one event per new household, none for a repeat',
  )

  const caretaker = await s.caretaker.post(`/incidents/${lift.id}/affected`)
  t.equal(caretaker.statusCode, 403)
  t.equal(caretaker.json().code, 'PALIER_RESIDENTS_ONLY')

  await s.caretaker.post(`/incidents/${lift.id}/status`, { status: 'closed' })
  const late = await s.bilal.post(`/incidents/${lift.id}/affected`)
  t.equal(late.statusCode, 409)
  t.equal(late.json().code, 'PALIER_INCIDENT_CLOSED')
  t.equal(late.json().message, 'Ce signalement est clos. Faites un nouveau signalement si le problème revient.')
})

t.test('status changes: forward only (or resolved → in progress), each dated on the timeline and sent upstream', async (t) => {
  const s = await setup(t)
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const id = lift.id
  const t0 = s.clock.now
  const move = (status: string, message?: string) => s.caretaker.post(`/incidents/${id}/status`, message ? { status, message } : { status })

  const ack = await move('acknowledged')
  t.equal(ack.statusCode, 200)
  t.equal(ack.json().status, 'acknowledged')
  for (const status of ['new', 'acknowledged']) {
    const back = await move(status)
    t.equal(back.statusCode, 409, `acknowledged → ${status} refused`)
    t.equal(back.json().code, 'PALIER_BAD_TRANSITION')
  }
  s.clock.advance(60_000)
  t.equal((await move('in_progress', '  Technicien prévenu, passage demain matin.  ')).statusCode, 200)
  s.clock.advance(60_000)
  t.equal((await s.caretaker.post(`/incidents/${id}/messages`, { message: 'Pièce commandée.' })).statusCode, 200)
  t.equal((await move('acknowledged')).statusCode, 409, 'in progress → acknowledged refused')
  t.equal((await move('resolved')).statusCode, 200)
  t.equal((await move('in_progress', 'Encore en panne ce matin.')).statusCode, 200, 'resolved → in progress allowed')
  t.equal((await move('resolved')).statusCode, 200)
  t.equal((await move('closed')).statusCode, 200)
  for (const status of ['new', 'in_progress', 'resolved', 'closed']) {
    const after = await move(status)
    t.equal(after.statusCode, 409, `closed → ${status} refused`)
    t.equal(after.json().code, 'PALIER_BAD_TRANSITION')
  }
  const bad = await move('fixed')
  t.equal(bad.statusCode, 400)

  const detail = (await s.amina.get(`/incidents/${id}`)).json()
  t.same(kinds(detail), [
    'reported:resident',
    'status:acknowledged:caretaker',
    'status:in_progress:caretaker',
    'message:caretaker',
    'status:resolved:caretaker',
    'status:in_progress:caretaker',
    'status:resolved:caretaker',
    'status:closed:caretaker',
  ])
  t.same(
    detail.timeline.map((e: { at: number }) => e.at - t0),
    [0, 0, 60_000, 120_000, 120_000, 120_000, 120_000, 120_000],
  )
  t.equal(detail.timeline[2].message, 'Technicien prévenu, passage demain matin.')
  t.equal(detail.timeline[3].message, 'Pièce commandée.')
  t.equal(detail.updatedAt, t0 + 120_000)
  t.same(
    outbox(s.app).slice(1),
    [
      ['incident.status', { id, status: 'acknowledged', at: t0 }],
      ['incident.status', { id, status: 'in_progress', at: t0 + 60_000, message: 'Technicien prévenu, passage demain matin.' }],
      ['incident.status', { id, status: 'resolved', at: t0 + 120_000 }],
      ['incident.status', { id, status: 'in_progress', at: t0 + 120_000, message: 'Encore en panne ce matin.' }],
      ['incident.status', { id, status: 'resolved', at: t0 + 120_000 }],
      ['incident.status', { id, status: 'closed', at: t0 + 120_000 }],
    ],
    'one event per accepted change; refused ones and messages send nothing',
  )
  t.equal((await s.amina.post(`/incidents/${id}/status`, { status: 'closed' })).statusCode, 403, 'residents cannot')
})

t.test('"Is it fixed?": affected households are asked; no reopens with their word, yes closes', async (t) => {
  const s = await setup(t)
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const id = lift.id
  await s.bilal.post(`/incidents/${id}/affected`)

  const early = await s.amina.post(`/incidents/${id}/confirm`, { fixed: true })
  t.equal(early.statusCode, 409, 'only once resolved')
  t.equal(early.json().code, 'PALIER_BAD_TRANSITION')
  await s.caretaker.post(`/incidents/${id}/status`, { status: 'resolved', message: 'Réparé par le technicien.' })

  const asked = async (api: typeof s.amina) => (await api.get(`/incidents/${id}`)).json().awaitingMyConfirmation
  t.equal(await asked(s.amina), true, 'the reporter')
  t.equal(await asked(s.karim), true, 'the reporter’s household')
  t.equal(await asked(s.bilal), true, 'a "moi aussi" household')
  t.equal(await asked(s.chloe), false, 'not affected')
  t.equal(await asked(s.caretaker), false, 'the caretaker')
  t.same(
    (await s.bilal.get('/incidents')).json().incidents.map((i: { awaitingMyConfirmation: boolean }) => i.awaitingMyConfirmation),
    [true],
  )

  const stranger = await s.chloe.post(`/incidents/${id}/confirm`, { fixed: true })
  t.equal(stranger.statusCode, 403)
  t.equal(stranger.json().code, 'PALIER_NOT_AFFECTED')
  t.equal((await s.caretaker.post(`/incidents/${id}/confirm`, { fixed: true })).statusCode, 403)

  const no = await s.bilal.post(`/incidents/${id}/confirm`, { fixed: false, message: 'Toujours bloqué au 2e étage.' })
  t.equal(no.statusCode, 200)
  t.equal(no.json().status, 'in_progress')
  t.equal(no.json().awaitingMyConfirmation, false)
  t.match(no.json().timeline.at(-1), { kind: 'reopened', status: 'in_progress', message: 'Toujours bloqué au 2e étage.', by: 'resident' })
  t.equal(await asked(s.amina), false, 'no longer asked once reopened')

  await s.caretaker.post(`/incidents/${id}/status`, { status: 'resolved' })
  const yes = await s.karim.post(`/incidents/${id}/confirm`, { fixed: true })
  t.equal(yes.statusCode, 200)
  t.equal(yes.json().status, 'closed')
  t.same(kinds(yes.json()), [
    'reported:resident',
    'affected:resident',
    'status:resolved:caretaker',
    'reopened:in_progress:resident',
    'status:resolved:caretaker',
    'confirmed:closed:resident',
  ])
  const again = await s.amina.post(`/incidents/${id}/confirm`, { fixed: false })
  t.equal(again.statusCode, 409, 'closed: nothing more to confirm')
  t.same(
    outbox(s.app)
      .slice(2)
      .map(([type, p]) => [type, p.status ?? null, p.message ?? null]),
    [
      ['incident.status', 'resolved', 'Réparé par le technicien.'],
      ['incident.reopened', null, 'Toujours bloqué au 2e étage.'],
      ['incident.status', 'resolved', null],
      ['incident.closed', null, null],
    ],
  )
  t.same((await s.amina.get('/incidents')).json(), { incidents: [] }, 'closed leaves the open list')
  t.same(
    (await s.amina.get('/incidents?status=closed')).json().incidents.map((i: { id: string }) => i.id),
    [id],
  )
})

t.test('merge: the duplicate’s households add up on the target, once each; the duplicate is closed', async (t) => {
  const s = await setup(t)
  const first = (await s.amina.post('/incidents', LIFT)).json()
  const dup = (await s.bilal.post('/incidents', { ...LIFT, description: 'Ascenseur en panne' })).json()
  await s.karim.post(`/incidents/${dup.id}/affected`) // flat A: already on the first one
  await s.chloe.post(`/incidents/${dup.id}/affected`)
  const before = outbox(s.app).length

  const res = await s.caretaker.post(`/incidents/${dup.id}/merge`, { into: first.id })
  t.equal(res.statusCode, 200)
  const target = res.json()
  t.equal(target.id, first.id)
  t.equal(target.affectedCount, 3, 'A, B and C: A counted once')
  t.equal(target.timeline.at(-1).kind, 'merged')
  const merged = (await s.bilal.get(`/incidents/${dup.id}`)).json()
  t.match(merged, { status: 'closed', mergedInto: first.id, affectedCount: 3 })
  t.match(merged.timeline.at(-1), { kind: 'merged', status: 'closed', by: 'caretaker' })
  t.equal((await s.chloe.get(`/incidents/${first.id}`)).json().iAmAffected, true)
  t.same(outbox(s.app).slice(before), [
    ['incident.status', { id: dup.id, status: 'closed', mergedInto: first.id, at: s.clock.now }],
    ['incident.affected', { id: first.id, affectedCount: 3, at: s.clock.now }],
  ])
  t.same(
    (await s.amina.get('/incidents')).json().incidents.map((i: { id: string }) => i.id),
    [first.id],
  )

  const self = await s.caretaker.post(`/incidents/${first.id}/merge`, { into: first.id })
  t.equal(self.statusCode, 409)
  t.equal(self.json().code, 'PALIER_CANNOT_MERGE')
  t.equal((await s.caretaker.post(`/incidents/${dup.id}/merge`, { into: first.id })).statusCode, 409, 'already merged')
  const home = (await s.bilal.post('/incidents', HOME)).json()
  t.equal((await s.caretaker.post(`/incidents/${home.id}/merge`, { into: first.id })).statusCode, 409, 'a private one stays private')
  const unknown = await s.caretaker.post(`/incidents/${home.id}/merge`, { into: '01890000-0000-7000-8000-000000000000' })
  t.equal(unknown.statusCode, 404)
  t.equal((await s.amina.post(`/incidents/${dup.id}/merge`, { into: first.id })).statusCode, 403)
})

t.test('the caretaker turns an incident into an urgent notice in one step; residents see it first on the board', async (t) => {
  const s = await setup(t)
  await s.caretaker.post('/notices', { kind: 'info', title: 'Fête des voisins', body: 'Samedi dans la cour.' })
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const res = await s.caretaker.post(`/incidents/${lift.id}/notice`)
  t.equal(res.statusCode, 201)
  const notice = res.json()
  t.match(notice, { kind: 'urgent', title: 'Ascenseur – Entrée A', origin: 'caretaker', status: 'published', author: { displayName: 'Mme Diallo' } })
  t.match(notice.body, 'L’ascenseur est bloqué au 3e.')
  t.match(notice.bodyHtml, `<a href="/signalements/${lift.id}"`)
  const board = (await s.bilal.get('/notices')).json()
  t.same(
    board.notices.map((n: { id: string; kind: string }) => [n.id, n.kind]).slice(0, 1),
    [[notice.id, 'urgent']],
  )
  t.equal(board.notices.length, 2)

  const custom = await s.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${lift.id}/notice`,
    headers: { cookie: s.cookies.caretaker, 'accept-language': 'en' },
    payload: { title: 'Lift out of order', body: 'Use the stairs until Thursday.' },
  })
  t.match(custom.json(), { kind: 'urgent', title: 'Lift out of order', body: 'Use the stairs until Thursday.' })

  const home = (await s.amina.post('/incidents', HOME)).json()
  const refused = await s.caretaker.post(`/incidents/${home.id}/notice`)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'PALIER_INCIDENT_PRIVATE')
  t.equal((await s.amina.post(`/incidents/${lift.id}/notice`)).statusCode, 403)
})

t.test('similar: open reports of the same category at the same place, whatever the spacing or case', async (t) => {
  const s = await setup(t)
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const liftB = (await s.amina.post('/incidents', { ...LIFT, place: { kind: 'entrance', detail: 'Entrée B' } })).json()
  await s.amina.post('/incidents', { ...LIFT, category: 'heating' })
  const closed = (await s.bilal.post('/incidents', LIFT)).json()
  await s.caretaker.post(`/incidents/${closed.id}/status`, { status: 'closed' })
  const res = await s.chloe.get(`/incidents/similar?category=lift&placeKind=entrance&placeDetail=${encodeURIComponent(' entrée  a')}`)
  t.equal(res.statusCode, 200)
  t.same(
    res.json().incidents.map((i: { id: string }) => i.id),
    [lift.id],
  )
  t.match(res.json().incidents[0], { affectedCount: 1, iAmAffected: false })
  t.same(
    (await s.chloe.get('/incidents/similar?category=lift&placeKind=entrance&placeDetail=Entr%C3%A9e%20B')).json().incidents.map(
      (i: { id: string }) => i.id,
    ),
    [liftB.id],
  )
  t.same((await s.chloe.get('/incidents/similar?category=lift&placeKind=floor&placeDetail=Entr%C3%A9e%20A')).json(), { incidents: [] })
  t.equal((await s.chloe.get('/incidents/similar?category=lift')).statusCode, 400)
})

t.test('photos: checked by content (415), 5 MB at most (413), streamed to disk with nothing half-written left', async (t) => {
  const s = await setup(t)
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const dir = path.join(s.config.dataDir, 'files', 'incidents')
  const upload = (payload: Buffer | Readable, type = 'image/png', cookie = s.cookies.amina, id = lift.id) =>
    s.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/photo`, headers: { cookie, 'content-type': type }, payload })

  const text = await upload(Buffer.from('Ceci est un fichier texte, pas une photo du tout.\n'))
  t.equal(text.statusCode, 415)
  t.equal(text.json().code, 'PALIER_NOT_AN_IMAGE')
  const plain = await upload(Buffer.from('bonjour'), 'text/plain')
  t.equal(plain.statusCode, 415)
  const tiny = await upload(Buffer.from([0x89, 0x50]))
  t.equal(tiny.statusCode, 415, 'too short to be an image')
  const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)])
  const declared = await upload(big)
  t.equal(declared.statusCode, 413)
  t.equal(declared.json().code, 'PALIER_IMAGE_TOO_LARGE')
  const streamed = await upload(Readable.from([big.subarray(0, 1024 * 1024), big.subarray(1024 * 1024)]))
  t.equal(streamed.statusCode, 413, 'refused while streaming, when no length was announced')
  t.same(await readdir(dir), [], 'no temporary file left behind')
  t.equal((await s.amina.get(`/incidents/${lift.id}`)).json().photo, null)

  const notReporter = await upload(PNG, 'image/png', s.cookies.karim)
  t.equal(notReporter.statusCode, 403)
  t.equal(notReporter.json().code, 'PALIER_NOT_REPORTER')

  const first = await upload(PNG)
  t.equal(first.statusCode, 201)
  const second = await upload(JPEG, 'image/png')
  t.equal(second.statusCode, 201, 'the declared type does not matter; the content does')
  t.same(await readdir(dir), [second.json().id], 'the replaced photo is removed')
  const photo = await s.bilal.get(`/incidents/${lift.id}/photo/${second.json().id}`)
  t.equal(photo.statusCode, 200)
  t.equal(photo.headers['content-type'], 'image/jpeg')
  t.equal(photo.headers['cache-control'], 'private, max-age=31536000, immutable')
  t.equal(photo.headers['x-content-type-options'], 'nosniff')
  t.same(photo.rawPayload, JPEG)
  t.same(await readFile(path.join(dir, second.json().id)), JPEG)
  t.same((await s.bilal.get(`/incidents/${lift.id}`)).json().photo, {
    id: second.json().id,
    url: `/api/v1/incidents/${lift.id}/photo/${second.json().id}`,
  })
  t.equal((await s.bilal.get(`/incidents/${lift.id}/photo/${first.json().id}`)).statusCode, 404, 'the old one is gone')

  const atLimit = await upload(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 - PNG.length, 1)]))
  t.equal(atLimit.statusCode, 201, 'exactly 5 MB is fine')

  await s.caretaker.post(`/incidents/${lift.id}/status`, { status: 'acknowledged' })
  const late = await upload(PNG)
  t.equal(late.statusCode, 409)
  t.equal(late.json().code, 'PALIER_PHOTO_TOO_LATE')
  t.same(await readdir(dir), [atLimit.json().id])
})

t.test('the clock jumps backwards: nothing crashes, timelines and lists keep the order things happened', async (t) => {
  const s = await setup(t)
  const t0 = s.clock.now
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  s.clock.advance(600_000)
  await s.caretaker.post(`/incidents/${lift.id}/status`, { status: 'acknowledged' })
  s.clock.now = t0 - 86_400_000 // a power cut, and the box wakes up on a stale date
  await s.caretaker.post(`/incidents/${lift.id}/messages`, { message: 'Le technicien passe demain.' })
  const res = await s.caretaker.post(`/incidents/${lift.id}/status`, { status: 'in_progress' })
  t.equal(res.statusCode, 200)
  t.same(kinds(res.json()), ['reported:resident', 'status:acknowledged:caretaker', 'message:caretaker', 'status:in_progress:caretaker'])
  t.same(
    res.json().timeline.map((e: { at: number }) => e.at - t0),
    [0, 600_000, -86_400_000, -86_400_000],
    'the dates are what the clock said; the order is what happened',
  )
  const later = (await s.bilal.post('/incidents', { ...LIFT, category: 'heating' })).json()
  t.equal(later.createdAt, t0 - 86_400_000)
  t.same(
    (await s.chloe.get('/incidents')).json().incidents.map((i: { id: string }) => i.id),
    [later.id, lift.id],
    'newest first by when it was reported, not by the stale date',
  )
})

t.test('every event is written with its change, atomically: no change without its event, no event without its change', async (t) => {
  const s = await setup(t)
  const db = s.app.db
  db.exec("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END")
  const res = await s.amina.post('/incidents', LIFT)
  t.equal(res.statusCode, 500)
  t.same(db.prepare('SELECT count(*) AS n FROM incidents').get(), { n: 0 }, 'the report is not kept without its event')
  t.same(db.prepare('SELECT count(*) AS n FROM incident_households').get(), { n: 0 })
  t.same(db.prepare('SELECT count(*) AS n FROM incident_timeline').get(), { n: 0 })
  db.exec('DROP TRIGGER outbox_down')

  const lift = (await s.amina.post('/incidents', LIFT)).json()
  t.equal(outbox(s.app).length, 1)
  db.exec("CREATE TRIGGER timeline_full BEFORE INSERT ON incident_timeline BEGIN SELECT RAISE(ABORT, 'disk full'); END")
  t.equal((await s.caretaker.post(`/incidents/${lift.id}/status`, { status: 'acknowledged' })).statusCode, 500)
  t.equal((await s.bilal.post(`/incidents/${lift.id}/affected`, { contactOk: true })).statusCode, 500)
  db.exec('DROP TRIGGER timeline_full')
  const after = (await s.bilal.get(`/incidents/${lift.id}`)).json()
  t.match(after, { status: 'new', affectedCount: 1, iAmAffected: false }, 'the failed changes left nothing')
  t.equal(outbox(s.app).length, 1, 'and no event for them')
})

t.test('applyLandlordStatus: the landlord’s status events apply once, by eventId, and go nowhere upstream', async (t) => {
  const s = await setup(t)
  const db = s.app.db
  const lift = (await s.amina.post('/incidents', LIFT)).json()
  const before = outbox(s.app).length
  const now = s.clock.now
  const event = { incidentId: lift.id, eventId: 'bailleur-evt-1', status: 'in_progress' as const, message: 'Intervention prévue jeudi.' }
  t.equal(applyLandlordStatus(db, event, now), 'applied')
  t.equal(applyLandlordStatus(db, event, now + 1000), 'duplicate')
  t.equal(applyLandlordStatus(db, { ...event, status: 'resolved' }, now + 2000), 'duplicate', 'same eventId, even with other content')
  t.equal(applyLandlordStatus(db, { ...event, eventId: 'bailleur-evt-2', status: 'in_progress', message: 'Pièce livrée.' }, now), 'applied')
  t.equal(applyLandlordStatus(db, { ...event, eventId: 'bailleur-evt-3', incidentId: '01890000-0000-7000-8000-000000000000' }, now), 'unknown')
  const detail = (await s.amina.get(`/incidents/${lift.id}`)).json()
  t.equal(detail.status, 'in_progress')
  t.same(detail.timeline.slice(1), [
    { id: detail.timeline[1].id, at: now, kind: 'status', status: 'in_progress', message: 'Intervention prévue jeudi.', by: 'landlord' },
    { id: detail.timeline[2].id, at: now, kind: 'message', message: 'Pièce livrée.', by: 'landlord' },
  ])
  t.equal(outbox(s.app).length, before, 'the landlord already knows')

  // Events about a duplicate the caretaker merged land on the incident it was merged into.
  const dup = (await s.bilal.post('/incidents', LIFT)).json()
  await s.caretaker.post(`/incidents/${dup.id}/merge`, { into: lift.id })
  t.equal(applyLandlordStatus(db, { incidentId: dup.id, eventId: 'bailleur-evt-4', status: 'resolved' }, now), 'applied')
  t.equal((await s.amina.get(`/incidents/${lift.id}`)).json().status, 'resolved')
  t.equal((await s.amina.get(`/incidents/${dup.id}`)).json().status, 'closed')
})

t.test('an upload cut short by a crash is swept away at the next start', async (t) => {
  const { app, config } = await build(t)
  const dir = path.join(config.dataDir, 'files', 'incidents')
  await writeFile(path.join(dir, '.01890000-0000-7000-8000-000000000000.part'), PNG.subarray(0, 10))
  await writeFile(path.join(dir, '01890000-0000-7000-8000-000000000001'), PNG)
  await app.close()
  const again = await buildApp(config, { now: () => Date.now() })
  t.teardown(() => again.close())
  t.same(await readdir(dir), ['01890000-0000-7000-8000-000000000001'], 'the partial file is gone, the photo stays')
})
