import t from 'tap'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { build, building, createInvite, joinAs } from '../../../test/helpers.js'
import { upsertLandlordNotice } from './store.js'
import { openDatabase } from '../../db/index.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])])

type Notice = {
  id: string
  kind: string
  title: string
  bodyHtml: string
  status: string
  pinned: boolean
  going: number
  thanks: number
  myReactions: string[]
  images: { id: string; url: string; mime: string }[]
}

async function post(app: FastifyInstance, cookie: string, payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/v1/notices', headers: { cookie }, payload: { body: '', ...payload } })
}

async function notice(app: FastifyInstance, cookie: string, payload: Record<string, unknown>): Promise<Notice> {
  const res = await post(app, cookie, payload)
  if (res.statusCode !== 201) throw new Error(`notice failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function board(app: FastifyInstance, cookie: string, query = '') {
  const res = await app.inject({ method: 'GET', url: `/api/v1/notices${query}`, headers: { cookie } })
  if (res.statusCode !== 200) throw new Error(`board failed: ${res.statusCode} ${res.body}`)
  return res.json() as { notices: Notice[]; nextCursor: string | null }
}

const titles = (page: { notices: Notice[] }) => page.notices.map((n) => n.title)

/** A flat with an entrance and one resident in it; returns the resident's cookie. */
async function residentOf(app: FastifyInstance, caretaker: string, label: string, entrance: string, login: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/flats', headers: { cookie: caretaker }, payload: { label, entrance } })
  const flat = res.json()
  const invite = await createInvite(app, caretaker, flat.id)
  return { flat, invite, cookie: await joinAs(app, invite.code, login) }
}

async function setPosting(app: FastifyInstance, caretaker: string, residentPosting: string) {
  const res = await app.inject({ method: 'PUT', url: '/api/v1/settings/notices', headers: { cookie: caretaker }, payload: { residentPosting } })
  if (res.statusCode !== 200) throw new Error(`setting failed: ${res.body}`)
}

t.test('the caretaker posts a notice; residents see it on the board with its whole shape', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const res = await post(app, caretaker, { kind: 'works', title: '  Coupure   d’eau ', body: 'Mardi **9h–12h**.\n\nMerci de votre compréhension.' })
  t.equal(res.statusCode, 201)
  const n = res.json()
  t.same(n, {
    id: n.id,
    kind: 'works',
    title: 'Coupure d’eau',
    body: 'Mardi **9h–12h**.\n\nMerci de votre compréhension.',
    bodyHtml: '<p>Mardi <strong>9h–12h</strong>.</p>\n<p>Merci de votre compréhension.</p>',
    origin: 'caretaker',
    author: { displayName: 'Mme Diallo' },
    status: 'published',
    pinned: false,
    startsAt: clock.now,
    expiresAt: null,
    audience: [],
    images: [],
    going: 0,
    thanks: 0,
    myReactions: [],
    commentsAllowed: false,
    createdAt: clock.now,
    updatedAt: clock.now,
  })
  const page = await board(app, resident)
  const { body: _source, ...listed } = n
  t.same(page, { notices: [listed], nextCursor: null }, 'the board lists it without its source text')
  const one = await app.inject({ method: 'GET', url: `/api/v1/notices/${n.id}`, headers: { cookie: resident } })
  t.same(one.json(), n)
  const blank = await post(app, caretaker, { kind: 'info', title: '   ' })
  t.equal(blank.statusCode, 400)
  t.equal(blank.json().field, 'title')
  const dates = await post(app, caretaker, { kind: 'info', title: 'x', startsAt: clock.now + DAY, expiresAt: clock.now + HOUR })
  t.equal(dates.statusCode, 400)
  t.equal(dates.json().field, 'expiresAt')
})

t.test('resident posting: off refuses, approval queues for moderation, free publishes', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident, flat } = await building(app)
  const neighbour = await joinAs(app, (await createInvite(app, caretaker, flat.id)).code, 'karim')
  const setting = await app.inject({ method: 'GET', url: '/api/v1/settings/notices', headers: { cookie: caretaker } })
  t.same(setting.json(), { residentPosting: 'approval' }, 'approval by default')
  const asResident = await app.inject({ method: 'GET', url: '/api/v1/settings/notices', headers: { cookie: resident } })
  t.same(asResident.json(), { residentPosting: 'approval' }, 'residents can read it (the board offers posting only when on)')
  const change = await app.inject({ method: 'PUT', url: '/api/v1/settings/notices', headers: { cookie: resident }, payload: { residentPosting: 'free' } })
  t.equal(change.statusCode, 403, 'but only the caretaker changes it')

  const queued = await notice(app, resident, { kind: 'event', title: 'Fête des voisins', body: 'Samedi dans la cour' })
  t.equal(queued.status, 'pending')
  t.same(titles(await board(app, resident)), [], 'not on the board while pending')
  t.same(titles(await board(app, caretaker)), [])
  const pending = await app.inject({ method: 'GET', url: '/api/v1/notices/pending', headers: { cookie: caretaker } })
  t.same(pending.json().notices.map((n: Notice) => [n.title, n.status]), [['Fête des voisins', 'pending']])
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/notices/${queued.id}`, headers: { cookie: resident } })).statusCode, 200, 'the author sees it')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/notices/${queued.id}`, headers: { cookie: neighbour } })).statusCode, 404, 'others do not')

  // The author may still change it while it waits; not once it is published.
  const edit = await app.inject({ method: 'PATCH', url: `/api/v1/notices/${queued.id}`, headers: { cookie: resident }, payload: { title: 'Fête des voisins !' } })
  t.equal(edit.statusCode, 200)
  t.equal(edit.json().title, 'Fête des voisins !')
  const notMine = await app.inject({ method: 'PATCH', url: `/api/v1/notices/${queued.id}`, headers: { cookie: neighbour }, payload: { title: 'x' } })
  t.equal(notMine.statusCode, 404)

  const approved = await app.inject({ method: 'POST', url: `/api/v1/notices/${queued.id}/approve`, headers: { cookie: caretaker } })
  t.equal(approved.json().status, 'published')
  t.same(titles(await board(app, neighbour)), ['Fête des voisins !'])
  const again = await app.inject({ method: 'POST', url: `/api/v1/notices/${queued.id}/approve`, headers: { cookie: caretaker } })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'PALIER_NOTICE_NOT_PENDING')
  const late = await app.inject({ method: 'PATCH', url: `/api/v1/notices/${queued.id}`, headers: { cookie: resident }, payload: { title: 'y' } })
  t.equal(late.statusCode, 409)

  const refused = await notice(app, resident, { kind: 'info', title: 'Vends canapé' })
  const rejected = await app.inject({ method: 'POST', url: `/api/v1/notices/${refused.id}/reject`, headers: { cookie: caretaker } })
  t.equal(rejected.json().status, 'rejected')
  t.same(titles(await board(app, resident)), ['Fête des voisins !'])

  for (const [field, payload] of [
    ['kind', { kind: 'urgent', title: 'Fuite !' }],
    ['kind', { kind: 'works', title: 'Travaux chez moi' }],
    ['pinned', { kind: 'info', title: 'Épinglé', pinned: true }],
  ] as const) {
    const res = await post(app, resident, payload)
    t.equal(res.statusCode, 400, `${field} refused`)
    t.equal(res.json().code, 'PALIER_NOTICE_RESERVED')
    t.equal(res.json().field, field)
  }

  await setPosting(app, caretaker, 'off')
  const off = await post(app, resident, { kind: 'info', title: 'Bonjour' })
  t.equal(off.statusCode, 403)
  t.equal(off.json().code, 'PALIER_POSTING_OFF')
  t.equal(off.json().message, 'Le gardien n’a pas ouvert le tableau d’affichage aux annonces des habitants.')

  await setPosting(app, caretaker, 'free')
  const free = await notice(app, resident, { kind: 'info', title: 'Clés trouvées' })
  t.equal(free.status, 'published')
  t.same(titles(await board(app, neighbour)), ['Clés trouvées', 'Fête des voisins !'])
  const bad = await app.inject({ method: 'PUT', url: '/api/v1/settings/notices', headers: { cookie: caretaker }, payload: { residentPosting: 'maybe' } })
  t.equal(bad.statusCode, 400)
})

t.test('audience: a notice for entrance B is shown to B only; the caretaker sees all', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident } = await building(app) // flat A-12, no entrance
  const a = await residentOf(app, caretaker, 'A-1', 'A', 'alice')
  const b = await residentOf(app, caretaker, 'B-1', 'B', 'bruno')
  await notice(app, caretaker, { kind: 'info', title: 'Tout l’immeuble' })
  const forB = await notice(app, caretaker, { kind: 'works', title: 'Ascenseur B', audience: [' b ', 'B', 'C'] })
  t.same((forB as unknown as { audience: string[] }).audience, ['b', 'C'], 'trimmed, duplicates dropped')
  t.same(titles(await board(app, b.cookie)), ['Ascenseur B', 'Tout l’immeuble'], 'entrance matched without regard to case')
  t.same(titles(await board(app, a.cookie)), ['Tout l’immeuble'])
  t.same(titles(await board(app, resident)), ['Tout l’immeuble'], 'a flat without entrance sees whole-building notices')
  t.same(titles(await board(app, caretaker)), ['Ascenseur B', 'Tout l’immeuble'])
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/notices/${forB.id}`, headers: { cookie: a.cookie } })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/notices/${forB.id}/seen`, headers: { cookie: a.cookie } })).statusCode, 404)
})

t.test('order: urgent first, then pinned, then newest; cursor paging', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  await notice(app, caretaker, { kind: 'info', title: 'old' })
  clock.advance(1000)
  await notice(app, caretaker, { kind: 'urgent', title: 'urgent old' })
  clock.advance(1000)
  await notice(app, caretaker, { kind: 'event', title: 'pinned', pinned: true })
  clock.advance(1000)
  const mid = await notice(app, caretaker, { kind: 'info', title: 'mid' })
  clock.advance(1000)
  await notice(app, caretaker, { kind: 'urgent', title: 'urgent new' })
  clock.advance(1000)
  await notice(app, caretaker, { kind: 'works', title: 'new' })
  const expected = ['urgent new', 'urgent old', 'pinned', 'new', 'mid', 'old']
  t.same(titles(await board(app, resident)), expected)

  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page = await board(app, resident, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    seen.push(...titles(page))
    cursor = page.nextCursor
    pages++
  } while (cursor)
  t.same(seen, expected)
  t.equal(pages, 3)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/notices?cursor=nope', headers: { cookie: resident } })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/notices?limit=51', headers: { cookie: resident } })).statusCode, 400)

  // Pinning moves a notice up; the caretaker's change shows at once.
  const pin = await app.inject({ method: 'PATCH', url: `/api/v1/notices/${mid.id}`, headers: { cookie: caretaker }, payload: { pinned: true } })
  t.equal(pin.json().pinned, true)
  t.same(titles(await board(app, resident)), ['urgent new', 'urgent old', 'mid', 'pinned', 'new', 'old'])
})

t.test('ETag: 304 when unchanged, a new ETag after a new notice or a reaction', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const party = await notice(app, caretaker, { kind: 'event', title: 'Fête' })
  const first = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident } })
  const etag = first.headers.etag as string
  t.match(etag, /^"[\w-]+"$/)
  t.equal(first.headers['cache-control'], 'private, no-cache')
  const same = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': etag } })
  t.equal(same.statusCode, 304)
  t.equal(same.body, '')
  t.equal(same.headers.etag, etag)
  const weak = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': `"x", W/${etag}` } })
  t.equal(weak.statusCode, 304, 'weak comparison, in a list')
  clock.advance(10 * MIN)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': etag } })).statusCode, 304, 'time alone changes nothing')
  t.not((await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: caretaker } })).headers.etag, etag, 'another person, another ETag')

  await notice(app, caretaker, { kind: 'info', title: 'Nouvelle' })
  const afterNotice = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': etag } })
  t.equal(afterNotice.statusCode, 200)
  t.same(titles(afterNotice.json()), ['Nouvelle', 'Fête'])
  const etag2 = afterNotice.headers.etag as string
  t.not(etag2, etag)

  await app.inject({ method: 'PUT', url: `/api/v1/notices/${party.id}/reactions/going`, headers: { cookie: caretaker } })
  const afterReaction = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': etag2 } })
  t.equal(afterReaction.statusCode, 200)
  t.equal(afterReaction.json().notices[1].going, 1)
  t.not(afterReaction.headers.etag, etag2)

  // A notice that starts later changes the board when its time comes, without any write.
  const etag3 = afterReaction.headers.etag as string
  await notice(app, caretaker, { kind: 'info', title: 'Plus tard', startsAt: clock.now + 10 * MIN })
  const before = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident } })
  t.same(titles(before.json()), ['Nouvelle', 'Fête'])
  t.not(before.headers.etag, etag3, 'the version moved with the write')
  clock.advance(10 * MIN)
  const started = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': before.headers.etag as string } })
  t.equal(started.statusCode, 200)
  t.same(titles(started.json()), ['Plus tard', 'Nouvelle', 'Fête'])
})

t.test('reactions: “je participe” once per person, events only; “merci” everywhere, landlord notices included', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident, flat } = await building(app)
  const partner = await joinAs(app, (await createInvite(app, caretaker, flat.id)).code, 'samir')
  const party = await notice(app, caretaker, { kind: 'event', title: 'Fête' })
  const put = (cookie: string, kind: string, id = party.id, method: 'PUT' | 'DELETE' = 'PUT') =>
    app.inject({ method, url: `/api/v1/notices/${id}/reactions/${kind}`, headers: { cookie } })
  t.same((await put(resident, 'going')).json(), { going: 1, thanks: 0, myReactions: ['going'] })
  t.same((await put(resident, 'going')).json(), { going: 1, thanks: 0, myReactions: ['going'] }, 'twice counts once')
  t.same((await put(partner, 'going')).json(), { going: 2, thanks: 0, myReactions: ['going'] }, 'each person counts')
  t.same((await put(resident, 'thanks')).json(), { going: 2, thanks: 1, myReactions: ['going', 'thanks'] })
  t.same((await put(resident, 'going', party.id, 'DELETE')).json(), { going: 1, thanks: 1, myReactions: ['thanks'] })
  t.same((await put(resident, 'going', party.id, 'DELETE')).json(), { going: 1, thanks: 1, myReactions: ['thanks'] }, 'undo twice is harmless')
  const mine = (await board(app, resident)).notices[0]!
  t.same([mine.going, mine.thanks, mine.myReactions], [1, 1, ['thanks']])

  const info = await notice(app, caretaker, { kind: 'info', title: 'Info' })
  const refused = await put(resident, 'going', info.id)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'PALIER_REACTION_NOT_ALLOWED')
  t.equal((await put(resident, 'clap', info.id)).statusCode, 400)

  const id = upsertLandlordNotice(app.db, { landlordRef: 'LL-1', kind: 'info', title: 'Assemblée', body: '', startsAt: null, expiresAt: null, audience: [] }, Date.now())
  t.same((await put(resident, 'thanks', id)).json(), { going: 0, thanks: 1, myReactions: ['thanks'] })
  const ll = await app.inject({ method: 'GET', url: `/api/v1/notices/${id}`, headers: { cookie: resident } })
  t.match(ll.json(), { origin: 'landlord', author: null, commentsAllowed: false })

  await setPosting(app, caretaker, 'approval')
  const queued = await notice(app, resident, { kind: 'event', title: 'Pas encore' })
  t.equal((await put(resident, 'going', queued.id)).statusCode, 404, 'no reactions before publication')
})

t.test('read figures count households, not people; the caretaker is not counted', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident, flat } = await building(app)
  const partner = await joinAs(app, (await createInvite(app, caretaker, flat.id)).code, 'samir')
  const other = await residentOf(app, caretaker, 'B-3', 'B', 'bruno')
  await residentOf(app, caretaker, 'C-4', 'C', 'chloe')
  const n = await notice(app, caretaker, { kind: 'info', title: 'Compteurs' })
  const seen = (cookie: string) => app.inject({ method: 'POST', url: `/api/v1/notices/${n.id}/seen`, headers: { cookie } })
  const stats = async () => (await app.inject({ method: 'GET', url: `/api/v1/notices/${n.id}/stats`, headers: { cookie: caretaker } })).json()
  t.same(await stats(), { households: 0, totalHouseholds: 3 })
  t.equal((await seen(caretaker)).statusCode, 204)
  t.same(await stats(), { households: 0, totalHouseholds: 3 }, 'the caretaker is no household')
  t.equal((await seen(resident)).statusCode, 204)
  await seen(resident)
  await seen(partner)
  t.same(await stats(), { households: 1, totalHouseholds: 3 }, 'two residents of one flat, seen three times: one household')
  await seen(other.cookie)
  t.same(await stats(), { households: 2, totalHouseholds: 3 })
  const forbidden = await app.inject({ method: 'GET', url: `/api/v1/notices/${n.id}/stats`, headers: { cookie: resident } })
  t.equal(forbidden.statusCode, 403)
})

t.test('formatting: the subset renders, and nothing can inject markup or script', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident } = await building(app)
  const cases: [string, string][] = [
    ['<script>alert(1)</script>', '<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>'],
    ['[x](javascript:alert(1))', '<p>[x](javascript:alert(1))</p>'],
    ['[x](javascript:alert`1`)', '<p>[x](javascript:alert`1`)</p>'],
    ['<img src=x onerror=alert(1)>', '<p>&#60;img src=x onerror=alert(1)&#62;</p>'],
    ['**<b>**', '<p><strong>&#60;b&#62;</strong></p>'],
    [
      '[a](https://x.fr/"onmouseover="alert(1))',
      '<p>[a](<a href="https://x.fr/" rel="noopener noreferrer" target="_blank">https://x.fr/</a>&#34;onmouseover=&#34;alert(1))</p>',
    ],
    ['[a](//evil.example) [b](data:text/html,x)', '<p>[a](//evil.example) [b](data:text/html,x)</p>'],
    [
      'Bonjour,\nligne deux\n\n- un **gras**\n* deux [plan](/plan.pdf)\n\nVoir https://mairie.example/travaux.',
      '<p>Bonjour,<br>ligne deux</p>\n<ul><li>un <strong>gras</strong></li><li>deux <a href="/plan.pdf">plan</a></li></ul>\n<p>Voir <a href="https://mairie.example/travaux" rel="noopener noreferrer" target="_blank">https://mairie.example/travaux</a>.</p>',
    ],
  ]
  for (const [body, html] of cases) {
    const n = await notice(app, caretaker, { kind: 'info', title: 'Test', body })
    t.equal(n.bodyHtml, html, body)
  }
  for (const n of (await board(app, resident)).notices) {
    t.notMatch(n.bodyHtml, /<(?!\/?(p|ul|li|strong|br|a)[\s>])/, 'only the subset’s tags')
    t.notMatch(n.bodyHtml, /<a [^>]*href="(?!https?:\/\/|\/[^/])/, 'only http(s) and local links')
  }
})

t.test('images: PNG/JPEG accepted and served; not an image 415; too big 413; no temporary file left', async (t) => {
  const { app, config } = await build(t)
  const { caretaker, resident } = await building(app)
  const n = await notice(app, caretaker, { kind: 'works', title: 'Ravalement' })
  const upload = (payload: Buffer | Readable, type: string, cookie = caretaker, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/notices/${n.id}/images`, headers: { cookie, 'content-type': type, ...headers }, payload })

  const png = await upload(PNG, 'image/png')
  t.equal(png.statusCode, 201)
  t.match(png.json(), { mime: 'image/png', url: `/api/v1/notices/${n.id}/images/${png.json().id}` })
  const jpeg = await upload(JPEG, 'image/jpeg')
  t.equal(jpeg.statusCode, 201)
  t.equal(jpeg.json().mime, 'image/jpeg')
  const mislabelled = await upload(PNG, 'image/webp')
  t.equal(mislabelled.json().mime, 'image/png', 'the type comes from the content, not the label')

  const text = await upload(Buffer.from('bonjour, ceci est un fichier texte\n'), 'image/png')
  t.equal(text.statusCode, 415)
  t.equal(text.json().code, 'PALIER_NOT_AN_IMAGE')
  const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml')
  t.equal(svg.statusCode, 415)
  const json = await app.inject({ method: 'POST', url: `/api/v1/notices/${n.id}/images`, headers: { cookie: caretaker }, payload: { a: 1 } })
  t.equal(json.statusCode, 415)
  const tiny = await upload(Buffer.from([0x89, 0x50]), 'image/png')
  t.equal(tiny.statusCode, 415, 'too short to be an image')

  const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)])
  const tooBig = await upload(big, 'image/png')
  t.equal(tooBig.statusCode, 413)
  t.equal(tooBig.json().code, 'PALIER_IMAGE_TOO_LARGE')
  // Without a declared length the limit is enforced while the bytes stream in.
  const streamed = await upload(Readable.from([PNG, Buffer.alloc(3 * 1024 * 1024), Buffer.alloc(3 * 1024 * 1024)]), 'image/png', caretaker, {
    'transfer-encoding': 'chunked',
  })
  t.equal(streamed.statusCode, 413)
  const streamedText = await upload(Readable.from([Buffer.from('GIF89a not accepted either')]), 'image/gif')
  t.equal(streamedText.statusCode, 415)

  const residentUpload = await upload(PNG, 'image/png', resident)
  t.equal(residentUpload.statusCode, 403, 'residents add images to their own pending notices only')

  const files = readdirSync(path.join(config.dataDir, 'files', 'notices')).sort()
  t.same(files, [png.json().id, jpeg.json().id, mislabelled.json().id].sort(), 'only the finished images, no temporary file')

  const got = await app.inject({ method: 'GET', url: png.json().url, headers: { cookie: resident } })
  t.equal(got.statusCode, 200)
  t.equal(got.headers['content-type'], 'image/png')
  t.equal(got.headers['cache-control'], 'private, max-age=31536000, immutable')
  t.equal(got.headers['x-content-type-options'], 'nosniff')
  t.same(got.rawPayload, PNG)
  const listed = (await board(app, resident)).notices[0]!
  t.same(
    listed.images.map((i) => [i.id, i.mime]),
    [
      [png.json().id, 'image/png'],
      [jpeg.json().id, 'image/jpeg'],
      [mislabelled.json().id, 'image/png'],
    ],
  )
  t.equal((await app.inject({ method: 'GET', url: png.json().url })).statusCode, 401)
  const other = `/api/v1/notices/${n.id}/images/01890000-0000-7000-8000-000000000000`
  t.equal((await app.inject({ method: 'GET', url: other, headers: { cookie: resident } })).statusCode, 404)

  // The author of a pending notice may add images to it.
  const mine = await notice(app, resident, { kind: 'event', title: 'Vide-grenier' })
  const own = await app.inject({
    method: 'POST',
    url: `/api/v1/notices/${mine.id}/images`,
    headers: { cookie: resident, 'content-type': 'image/png' },
    payload: PNG,
  })
  t.equal(own.statusCode, 201)
})

t.test('expiry: expired notices leave the board and are found in the archive; archived too', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const t0 = clock.now
  await notice(app, caretaker, { kind: 'works', title: 'Coupure d’électricité', body: 'Le compteur général sera changé.', expiresAt: t0 + 10 * MIN })
  await notice(app, caretaker, { kind: 'info', title: 'Réunion', body: 'Salle commune', expiresAt: t0 + 20 * MIN })
  const kept = await notice(app, caretaker, { kind: 'info', title: 'Tri sélectif', body: 'Nouveaux bacs ÉLECTRIQUES' })
  const gone = await notice(app, caretaker, { kind: 'info', title: 'Ancien règlement' })
  t.same(titles(await board(app, resident)), ['Ancien règlement', 'Tri sélectif', 'Réunion', 'Coupure d’électricité'])
  const archived = await app.inject({ method: 'POST', url: `/api/v1/notices/${gone.id}/archive`, headers: { cookie: caretaker } })
  t.equal(archived.json().status, 'archived')
  clock.advance(10 * MIN)
  t.same(titles(await board(app, resident)), ['Tri sélectif', 'Réunion'], 'expired at its expiry time exactly')
  const search = async (q = '') =>
    titles((await app.inject({ method: 'GET', url: `/api/v1/notices/archive?q=${encodeURIComponent(q)}`, headers: { cookie: caretaker } })).json())
  t.same(await search(), ['Ancien règlement', 'Coupure d’électricité'])
  t.same(await search('ELECTRICITE'), ['Coupure d’électricité'], 'case and accents ignored')
  t.same(await search('compteur'), ['Coupure d’électricité'], 'the body is searched too')
  t.same(await search('bacs'), [], 'a notice still on the board is not in the archive')
  t.same(await search('100%_'), [])
  const paged = await app.inject({ method: 'GET', url: '/api/v1/notices/archive?limit=1', headers: { cookie: caretaker } })
  t.same(titles(paged.json()), ['Ancien règlement'])
  const next = await app.inject({ method: 'GET', url: `/api/v1/notices/archive?limit=1&cursor=${paged.json().nextCursor}`, headers: { cookie: caretaker } })
  t.same(titles(next.json()), ['Coupure d’électricité'])
  t.equal(next.json().nextCursor, null)
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/notices/${kept.id}`, headers: { cookie: resident } })).statusCode, 200)
})

t.test('the clock jumping backwards neither crashes nor loses a notice', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const t0 = clock.now
  const now = await notice(app, caretaker, { kind: 'info', title: 'Sans date de début' })
  const later = await notice(app, caretaker, { kind: 'event', title: 'Dans une heure', startsAt: t0 + HOUR, expiresAt: t0 + 3 * HOUR })
  t.same(titles(await board(app, resident)), ['Sans date de début'], 'a notice that starts in the clock’s future is not shown yet')
  clock.advance(2 * HOUR)
  t.same(titles(await board(app, resident)), ['Dans une heure', 'Sans date de début'])
  // The box reboots without RTC and believes it is a year ago.
  clock.now = t0 - 365 * DAY
  t.same(titles(await board(app, resident)), ['Sans date de début'], 'a notice published “from now” stays on the board')
  const newer = await notice(app, caretaker, { kind: 'info', title: 'Écrite hier' })
  t.ok(newer.id > now.id && newer.id > later.id, 'ids keep their order whatever the clock says')
  t.same(titles(await board(app, resident)), ['Écrite hier', 'Sans date de début'], 'newest first by id')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/notices/${later.id}`, headers: { cookie: caretaker } })).statusCode, 200, 'nothing was lost')
  clock.now = t0 + 2 * HOUR
  t.same(titles(await board(app, resident)), ['Écrite hier', 'Dans une heure', 'Sans date de début'], 'back to the right time, all there')
  clock.now = t0 + 4 * HOUR
  t.same(titles(await board(app, resident)), ['Écrite hier', 'Sans date de début'])
})

t.test('print: a poster and a weekly digest with a QR code, no script', async (t) => {
  const { app, clock } = await build(t, { publicUrl: 'http://palier.local', buildingName: 'Résidence <Les Tilleuls>' })
  const { caretaker, resident } = await building(app)
  const lift = await notice(app, caretaker, { kind: 'urgent', title: 'Ascenseur <en panne>', body: 'Réparation **jeudi**. <script>alert(1)</script>' })
  await notice(app, caretaker, { kind: 'event', title: 'Fête des voisins', startsAt: clock.now + 3 * DAY })
  await notice(app, caretaker, { kind: 'info', title: 'Dans un mois', startsAt: clock.now + 30 * DAY })
  const poster = await app.inject({ method: 'GET', url: `/api/v1/print/notices/${lift.id}`, headers: { cookie: caretaker } })
  t.equal(poster.statusCode, 200)
  t.match(poster.headers['content-type'], /^text\/html/)
  t.match(poster.body, '@page { size: A4')
  t.match(poster.body, '<h1>Ascenseur &#60;en panne&#62;</h1>')
  t.match(poster.body, 'Réparation <strong>jeudi</strong>. &#60;script&#62;')
  t.match(poster.body, /<svg[^>]*viewBox/)
  t.match(poster.body, 'aria-label="QR code vers http://palier.local/annonces"')
  t.notMatch(poster.body, '<script')
  const digest = await app.inject({ method: 'GET', url: '/api/v1/print/digest', headers: { cookie: caretaker } })
  t.equal(digest.statusCode, 200)
  t.match(digest.body, 'Résidence &#60;Les Tilleuls&#62;')
  t.match(digest.body, /<svg[^>]*viewBox/)
  t.notMatch(digest.body, '<script')
  const order = [...digest.body.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1])
  t.same(order, ['Ascenseur &#60;en panne&#62;', 'Fête des voisins'], 'urgent first; not what starts after the week')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/print/digest', headers: { cookie: resident } })).statusCode, 403)
})

t.test('upsertLandlordNotice is idempotent by landlordRef and the landlord’s notices are the landlord’s to change', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const input = { landlordRef: 'HLM-2026-17', kind: 'works' as const, title: 'Ravalement de façade', body: 'De mars à juin.', startsAt: null, expiresAt: clock.now + 90 * DAY, audience: [] }
  const id = upsertLandlordNotice(app.db, input, clock.now)
  const etag = (await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident } })).headers.etag as string
  t.equal(upsertLandlordNotice(app.db, input, clock.now + 1000), id, 'same event twice: same notice')
  const again = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: resident, 'if-none-match': etag } })
  t.equal(again.statusCode, 304, 'and nothing changed on the board')
  t.equal((app.db.prepare('SELECT count(*) AS n FROM notices').get() as { n: number }).n, 1)
  t.equal(upsertLandlordNotice(app.db, { ...input, title: 'Ravalement de façade (dates)' }, clock.now + 2000), id)
  const page = await board(app, resident)
  t.same(
    page.notices.map((n) => [n.title, (n as unknown as { origin: string }).origin, (n as unknown as { author: unknown }).author, n.status]),
    [['Ravalement de façade (dates)', 'landlord', null, 'published']],
  )
  const patch = await app.inject({ method: 'PATCH', url: `/api/v1/notices/${id}`, headers: { cookie: caretaker }, payload: { title: 'x' } })
  t.equal(patch.statusCode, 409)
  t.equal(patch.json().code, 'PALIER_LANDLORD_NOTICE')
})

t.test('a board page shared by one entrance still shows each person their own reactions', async (t) => {
  const { app } = await build(t)
  const { caretaker } = await building(app)
  const amina = (await residentOf(app, caretaker, 'A-1', 'A', 'amina2')).cookie
  const karim = (await residentOf(app, caretaker, 'A-2', 'A', 'karim2')).cookie
  const fete = await notice(app, caretaker, { kind: 'event', title: 'Fête des voisins', body: 'Samedi' })
  t.same((await board(app, karim)).notices[0]!.myReactions, [], 'page made for Karim first')
  const going = await app.inject({ method: 'PUT', url: `/api/v1/notices/${fete.id}/reactions/going`, headers: { cookie: amina } })
  t.equal(going.statusCode, 200)
  const forAmina = (await board(app, amina)).notices[0]!
  const forKarim = (await board(app, karim)).notices[0]!
  t.same([forAmina.myReactions, forAmina.going], [['going'], 1])
  t.same([forKarim.myReactions, forKarim.going], [[], 1], 'same page, Karim’s own (no) reactions')
  const etagAmina = (await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: amina } })).headers.etag
  const etagKarim = (await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: karim } })).headers.etag
  t.not(etagAmina, etagKarim, 'one ETag per person')
  const notModified = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: karim, 'if-none-match': String(etagKarim) } })
  t.equal(notModified.statusCode, 304)
  const crossed = await app.inject({ method: 'GET', url: '/api/v1/notices', headers: { cookie: karim, 'if-none-match': String(etagAmina) } })
  t.equal(crossed.statusCode, 200, 'another person’s ETag never matches')
})

t.test('the board lists notices without their source text; the notice itself has it', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident } = await building(app)
  const posted = await notice(app, caretaker, { kind: 'info', title: 'Tri sélectif', body: 'Le **jeudi** matin.' })
  const listed = (await board(app, resident)).notices[0]!
  t.equal(listed.bodyHtml, '<p>Le <strong>jeudi</strong> matin.</p>')
  t.notOk('body' in listed, 'no source text on the board')
  const one = await app.inject({ method: 'GET', url: `/api/v1/notices/${posted.id}`, headers: { cookie: resident } })
  t.equal(one.json().body, 'Le **jeudi** matin.')
})

t.test('a notice written by another process (the sync agent) shows on the board within a moment', async (t) => {
  const { app, config, clock } = await build(t)
  const { resident } = await building(app)
  t.same(titles(await board(app, resident)), [])
  // A second connection to the same file, as the sync agent's process would have.
  const other = openDatabase(path.join(config.dataDir, 'palier.sqlite'))
  t.teardown(() => other.close())
  upsertLandlordNotice(other, { landlordRef: 'L-1', kind: 'works', title: 'Ravalement de façade', body: 'Échafaudages.', startsAt: null, expiresAt: null, audience: [] }, clock.now)
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.same(titles(await board(app, resident)), ['Ravalement de façade'])
})
