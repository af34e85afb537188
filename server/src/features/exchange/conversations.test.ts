import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'
import { newId } from '../../lib/ids.js'
import { conversationBetween, getMessageForReport, unreadConversationCount } from './conversations-store.js'

const DAY = 86_400_000

/**
 * Caretaker; households A-12 (Amina), B-3 (Bilal), C-7 (Chloé), and D-1 with no account (the
 * caretaker acts for it). Listings are written straight into the table: their routes belong to
 * another module, and these tests are about conversations.
 */
async function setup(t: Test) {
  const { app, clock } = await build(t)
  const { caretaker, flat: flatA, resident: amina } = await building(app)
  const flatB = await createFlat(app, caretaker, 'B-3')
  const bilal = await joinAs(app, (await createInvite(app, caretaker, flatB.id)).code, 'bilal', 'Bilal')
  const flatC = await createFlat(app, caretaker, 'C-7')
  const chloe = await joinAs(app, (await createInvite(app, caretaker, flatC.id)).code, 'chloe', 'Chloé')
  const flatD = await createFlat(app, caretaker, 'D-1')
  const api = (cookie: string) => ({
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload }),
    delete: (url: string) => app.inject({ method: 'DELETE', url: `/api/v1${url}`, headers: { cookie } }),
  })
  const userId = async (cookie: string) => (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().id as string
  const ids = { amina: await userId(amina), bilal: await userId(bilal), chloe: await userId(chloe), caretaker: await userId(caretaker) }
  /** A listing of that household, open for 30 days unless told otherwise. */
  const listing = (flatId: string, authorId: string, fields: Partial<{ status: string; expiresAt: number; hiddenAt: number; onBehalf: boolean; title: string }> = {}) => {
    const id = newId(clock.now)
    app.db
      .prepare(
        `INSERT INTO exchange_listings (id, flat_id, author_id, on_behalf, direction, kind, category, title, description, availability, status, expires_at, hidden_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'offer', 'lend', 'tools', ?, 'Perceuse à percussion, avec forets.', 'le soir', ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        flatId,
        authorId,
        fields.onBehalf ? 1 : 0,
        fields.title ?? 'Perceuse',
        fields.status ?? 'open',
        fields.expiresAt ?? clock.now + 30 * DAY,
        fields.hiddenAt ?? null,
        clock.now,
        clock.now,
      )
    return id
  }
  return {
    app,
    clock,
    ids,
    listing,
    flats: { A: flatA.id, B: flatB.id, C: flatC.id, D: flatD.id },
    caretaker: api(caretaker),
    amina: api(amina),
    bilal: api(bilal),
    chloe: api(chloe),
    cookies: { caretaker },
  }
}

function outboxRows(app: FastifyInstance): unknown[] {
  return app.db.prepare('SELECT id, type, payload FROM outbox ORDER BY id').all()
}

t.test('Répondre opens a conversation with the listing’s household, a second Répondre reuses it', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const res = await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Bonjour, je peux l’emprunter samedi ?' })
  t.equal(res.statusCode, 201)
  const conversation = res.json()
  t.match(conversation, { listingId: drill, ownListing: false, household: { id: s.flats.A, label: 'A-12', name: 'Amina' }, lastMessageAt: s.clock.now })

  s.clock.advance(60_000)
  const again = await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Ou dimanche ?' })
  t.equal(again.statusCode, 201)
  t.equal(again.json().id, conversation.id, 'the same conversation')
  t.equal((s.app.db.prepare('SELECT count(*) AS n FROM exchange_conversations').get() as { n: number }).n, 1)

  const photoId = newId(s.clock.now)
  s.app.db.prepare("INSERT INTO exchange_listing_photos (id, listing_id, mime, position, created_at) VALUES (?, ?, 'image/jpeg', 0, ?)").run(photoId, drill, s.clock.now)
  // Both households see the listing and the messages, in order, each from its own side.
  const readA = await s.amina.get(`/exchange/conversations/${conversation.id}`)
  t.equal(readA.headers['cache-control'], 'private, no-store', 'no cache keeps private messages')
  const forA = readA.json()
  t.match(forA.conversation, { id: conversation.id, ownListing: true, household: { id: s.flats.B, label: 'B-3', name: 'Bilal' } })
  t.match(forA.listing, { id: drill, title: 'Perceuse', status: 'open', mine: true, expired: false, household: { id: s.flats.A, name: 'Amina' }, onBehalf: false })
  t.same(forA.listing.photos, [{ id: photoId, url: `/api/v1/exchange/listings/${drill}/photos/${photoId}`, mime: 'image/jpeg' }])
  t.same(
    forA.messages.map((m: { body: string; mine: boolean; household: { name: string } }) => [m.body, m.mine, m.household.name]),
    [
      ['Bonjour, je peux l’emprunter samedi ?', false, 'Bilal'],
      ['Ou dimanche ?', false, 'Bilal'],
    ],
  )
  const forB = (await s.bilal.get(`/exchange/conversations/${conversation.id}`)).json()
  t.equal(forB.listing.mine, false)
  t.same(
    forB.messages.map((m: { mine: boolean }) => m.mine),
    [true, true],
  )

  // Another household answering the same listing gets its own conversation.
  const fromC = await s.chloe.post(`/exchange/listings/${drill}/conversations`, { body: 'Moi aussi, après Bilal ?' })
  t.equal(fromC.statusCode, 201)
  t.not(fromC.json().id, conversation.id)
  t.equal((await s.amina.get('/exchange/conversations')).json().items.length, 2)
  t.same(
    (await s.bilal.get('/exchange/conversations')).json().items.map((c: { id: string }) => c.id),
    [conversation.id],
  )
  t.same(conversationBetween(s.app.db, drill, s.flats.A, s.flats.B), { id: conversation.id })
  t.same(conversationBetween(s.app.db, drill, s.flats.B, s.flats.A), { id: conversation.id }, 'either order')
  t.equal(conversationBetween(s.app.db, drill, s.flats.B, s.flats.C), undefined)
})

t.test('Répondre refuses one’s own listing, closed or expired listings, and hides hidden ones', async (t) => {
  const s = await setup(t)
  const body = { body: 'Bonjour !' }
  const own = await s.amina.post(`/exchange/listings/${s.listing(s.flats.A, s.ids.amina)}/conversations`, body)
  t.equal(own.statusCode, 409)
  t.equal(own.json().code, 'PALIER_OWN_LISTING')
  for (const status of ['done', 'withdrawn']) {
    const res = await s.bilal.post(`/exchange/listings/${s.listing(s.flats.A, s.ids.amina, { status })}/conversations`, body)
    t.equal(res.statusCode, 409, status)
    t.equal(res.json().code, 'PALIER_LISTING_CLOSED')
  }
  const reserved = await s.bilal.post(`/exchange/listings/${s.listing(s.flats.A, s.ids.amina, { status: 'reserved' })}/conversations`, body)
  t.equal(reserved.statusCode, 201, 'a reserved listing may still be asked about')

  const soon = s.listing(s.flats.A, s.ids.amina, { expiresAt: s.clock.now + DAY })
  s.clock.advance(DAY)
  const expired = await s.bilal.post(`/exchange/listings/${soon}/conversations`, body)
  t.equal(expired.statusCode, 409)
  t.equal(expired.json().code, 'PALIER_LISTING_CLOSED')

  const hidden = await s.bilal.post(`/exchange/listings/${s.listing(s.flats.A, s.ids.amina, { hiddenAt: s.clock.now })}/conversations`, body)
  t.equal(hidden.statusCode, 404)
  const unknown = await s.bilal.post(`/exchange/listings/${newId()}/conversations`, body)
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'PALIER_NOT_FOUND')
  t.equal((s.app.db.prepare('SELECT count(*) AS n FROM exchange_messages').get() as { n: number }).n, 1, 'only the reserved listing got a message')
})

t.test('no one but the two households reads or writes a conversation, the caretaker included', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const id = (await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Message privé' })).json().id as string

  // A third household: the conversation does not exist for it.
  const read = await s.chloe.get(`/exchange/conversations/${id}`)
  t.equal(read.statusCode, 404)
  t.equal(read.json().code, 'PALIER_NOT_FOUND')
  t.notMatch(read.body, 'Message privé')
  t.equal((await s.chloe.post(`/exchange/conversations/${id}/messages`, { body: 'Je m’invite' })).statusCode, 404)
  t.same((await s.chloe.get('/exchange/conversations')).json(), { items: [] })

  // The caretaker as such, or claiming a household with accounts, or one that is not a party.
  for (const query of ['', `?asFlat=${s.flats.A}`, `?asFlat=${s.flats.B}`, `?asFlat=${s.flats.D}`]) {
    const res = await s.caretaker.get(`/exchange/conversations/${id}${query}`)
    t.equal(res.statusCode, 404, `caretaker reads ${query || 'as such'}: 404`)
    t.notMatch(res.body, 'Message privé')
    t.equal((await s.caretaker.post(`/exchange/conversations/${id}/messages${query}`, { body: 'Le gardien' })).statusCode, 404)
  }
  t.same((await s.caretaker.get('/exchange/conversations')).json(), { items: [] }, 'the caretaker has no household, hence no conversations')
  t.equal((await s.caretaker.get(`/exchange/conversations?asFlat=${s.flats.A}`)).statusCode, 403, 'no listing another household’s conversations')
  t.equal((await s.caretaker.get(`/exchange/conversations?asFlat=${s.flats.A}`)).json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
  // A resident cannot pretend to be another household.
  const asOther = await s.chloe.get(`/exchange/conversations/${id}?asFlat=${s.flats.A}`)
  t.equal(asOther.statusCode, 403)
  t.equal(asOther.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
  const answer = await s.caretaker.post(`/exchange/listings/${drill}/conversations`, { body: 'Le gardien répond' })
  t.equal(answer.statusCode, 403)
  t.equal(answer.json().code, 'PALIER_RESIDENTS_ONLY')

  // Nothing was written by the refused attempts.
  t.same(
    (s.app.db.prepare('SELECT body FROM exchange_messages ORDER BY seq').all() as { body: string }[]).map((m) => m.body),
    ['Message privé'],
  )
  // The two households do read and write.
  t.equal((await s.amina.post(`/exchange/conversations/${id}/messages`, { body: 'Oui, samedi' })).statusCode, 201)
  t.equal((await s.bilal.get(`/exchange/conversations/${id}`)).json().messages.length, 2)
})

t.test('unread badge: counted per household, own messages never, reading clears it', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const ladder = s.listing(s.flats.A, s.ids.amina, { title: 'Échelle' })
  const unread = async (api: typeof s.amina) =>
    Object.fromEntries((await api.get('/exchange/conversations')).json().items.map((c: { listing: { title: string }; unread: number }) => [c.listing.title, c.unread]))

  const id = (await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Bonjour' })).json().id as string
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 1, 'B wrote: A has one unread conversation')
  t.equal(unreadConversationCount(s.app.db, s.flats.B), 0, 'B’s own message does not count for B')
  t.same(await unread(s.amina), { Perceuse: 1 })
  t.same(await unread(s.bilal), { Perceuse: 0 })

  s.clock.advance(1000)
  await s.bilal.post(`/exchange/conversations/${id}/messages`, { body: 'Vous êtes là ?' })
  t.same(await unread(s.amina), { Perceuse: 2 }, 'two messages')
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 1, 'still one conversation')
  s.clock.advance(1000)
  await s.bilal.post(`/exchange/listings/${ladder}/conversations`, { body: 'Et l’échelle ?' })
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 2)
  t.same(
    (await s.amina.get('/exchange/conversations')).json().items.map((c: { listing: { title: string } }) => c.listing.title),
    ['Échelle', 'Perceuse'],
    'most recent first',
  )

  // A reads the drill conversation: that one is read, the other not.
  t.equal((await s.amina.get(`/exchange/conversations/${id}`)).statusCode, 200)
  t.same(await unread(s.amina), { Perceuse: 0, Échelle: 1 })
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 1)

  // A answers: B has one unread, A none (its own message).
  s.clock.advance(1000)
  await s.amina.post(`/exchange/conversations/${id}/messages`, { body: 'Oui, passez à 18 h' })
  t.same(await unread(s.bilal), { Perceuse: 1, Échelle: 0 })
  t.equal(unreadConversationCount(s.app.db, s.flats.B), 1)
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 1, 'A’s own message adds nothing for A')
  const items = (await s.bilal.get('/exchange/conversations')).json().items
  t.match(items[0], { listing: { title: 'Perceuse' }, lastMessage: { excerpt: 'Oui, passez à 18 h', mine: false, removed: false } })
  await s.bilal.get(`/exchange/conversations/${id}`)
  t.equal(unreadConversationCount(s.app.db, s.flats.B), 0)
  t.equal(unreadConversationCount(s.app.db, s.flats.C), 0, 'a third household is never counted')
})

t.test('blocking hides the conversations both ways, and the listings; unblocking restores them', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const other = s.listing(s.flats.A, s.ids.amina, { title: 'Scie' })
  const bikes = s.listing(s.flats.B, s.ids.bilal, { title: 'Vélo' })
  const id = (await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Bonjour' })).json().id as string

  const block = await s.amina.post('/exchange/blocks', { flatId: s.flats.B })
  t.equal(block.statusCode, 201)
  t.match(block.json(), { flatId: s.flats.B, label: 'B-3', createdAt: s.clock.now })
  t.notOk('name' in block.json(), 'a block shows the flat label only')
  t.equal((await s.amina.post('/exchange/blocks', { flatId: s.flats.B })).statusCode, 200, 'blocking again changes nothing')
  t.same((await s.amina.get('/exchange/blocks')).json().items.map((b: { flatId: string }) => b.flatId), [s.flats.B])
  t.same((await s.bilal.get('/exchange/blocks')).json(), { items: [] }, 'B is not told who blocked it')

  for (const [who, api] of [
    ['A (who blocked)', s.amina],
    ['B (blocked)', s.bilal],
  ] as const) {
    t.equal((await api.get(`/exchange/conversations/${id}`)).statusCode, 404, `${who} cannot read`)
    t.equal((await api.post(`/exchange/conversations/${id}/messages`, { body: 'Encore là ?' })).statusCode, 404, `${who} cannot write`)
    t.same((await api.get('/exchange/conversations')).json(), { items: [] }, `${who} no longer lists it`)
  }
  t.equal((await s.bilal.post(`/exchange/listings/${other}/conversations`, { body: 'Et la scie ?' })).statusCode, 404, 'A’s listings are gone for B')
  t.equal((await s.amina.post(`/exchange/listings/${bikes}/conversations`, { body: 'Le vélo ?' })).statusCode, 404, 'and B’s for A')
  t.equal((await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Re-bonjour' })).statusCode, 404)
  // The listings module hides them the same way (its own tests cover the rest).
  t.equal((await s.bilal.get(`/exchange/listings/${drill}`)).statusCode, 404, 'the listing disappears for B')
  t.notMatch((await s.bilal.get('/exchange/listings')).body, drill)
  t.equal((await s.amina.get(`/exchange/listings/${bikes}`)).statusCode, 404)
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 0, 'no badge from a blocked household')
  // Only A may lift A's block.
  t.equal((await s.bilal.delete(`/exchange/blocks/${s.flats.A}`)).statusCode, 404)
  t.equal((await s.bilal.get(`/exchange/conversations/${id}`)).statusCode, 404)
  // Bad targets.
  const self = await s.amina.post('/exchange/blocks', { flatId: s.flats.A })
  t.equal(self.statusCode, 400)
  t.equal(self.json().field, 'flatId')
  t.equal((await s.amina.post('/exchange/blocks', { flatId: newId() })).statusCode, 404)
  t.equal((await s.caretaker.post('/exchange/blocks', { flatId: s.flats.B })).json().code, 'PALIER_RESIDENTS_ONLY')
  t.same((await s.caretaker.get('/exchange/blocks')).json(), { items: [] })

  const unblock = await s.amina.delete(`/exchange/blocks/${s.flats.B}`)
  t.equal(unblock.statusCode, 204)
  t.equal((await s.amina.delete(`/exchange/blocks/${s.flats.B}`)).statusCode, 404, 'no block left')
  t.equal(unreadConversationCount(s.app.db, s.flats.A), 1, 'the unread message is back')
  const back = await s.bilal.get(`/exchange/conversations/${id}`)
  t.equal(back.statusCode, 200)
  t.same(
    back.json().messages.map((m: { body: string }) => m.body),
    ['Bonjour'],
    'nothing written while blocked',
  )
  t.equal((await s.bilal.get(`/exchange/listings/${drill}`)).statusCode, 200, 'the listing is back')
  t.match((await s.bilal.get('/exchange/listings')).body, drill)
  t.equal((await s.bilal.post(`/exchange/listings/${other}/conversations`, { body: 'Et la scie ?' })).statusCode, 201)
})

t.test('the caretaker answers and reads for a household without an account, until it gets one', async (t) => {
  const s = await setup(t)
  const D = s.flats.D
  // The caretaker posted this listing for D (the listings module writes it so).
  const cot = s.listing(D, s.ids.caretaker, { onBehalf: true, title: 'Lit bébé' })
  const id = (await s.bilal.post(`/exchange/listings/${cot}/conversations`, { body: 'Le lit bébé est encore là ?' })).json().id as string

  t.equal(unreadConversationCount(s.app.db, D), 1)
  const list = (await s.caretaker.get(`/exchange/conversations?asFlat=${D}`)).json()
  t.match(list.items, [{ id, unread: 1, ownListing: true, household: { id: s.flats.B, name: 'Bilal' } }])
  const read = await s.caretaker.get(`/exchange/conversations/${id}?asFlat=${D}`)
  t.equal(read.statusCode, 200)
  t.match(read.json().listing, { onBehalf: true, mine: true, household: { id: D, label: 'D-1', name: 'D-1' } })
  t.equal(unreadConversationCount(s.app.db, D), 0, 'reading for D marks it read for D')

  const reply = await s.caretaker.post(`/exchange/conversations/${id}/messages?asFlat=${D}`, { body: 'Oui, passez ce soir.' })
  t.equal(reply.statusCode, 201)
  t.match(reply.json(), { conversationId: id, mine: true, onBehalf: true, household: { id: D, label: 'D-1' }, body: 'Oui, passez ce soir.', removed: false })
  const forB = (await s.bilal.get(`/exchange/conversations/${id}`)).json()
  t.match(forB.messages[1], { mine: false, onBehalf: true, household: { id: D } }, 'B sees it was written by the caretaker for D')
  t.equal(forB.messages[0].onBehalf, false)

  // And D answers someone else's listing through the caretaker.
  const drill = s.listing(s.flats.A, s.ids.amina)
  const answer = await s.caretaker.post(`/exchange/listings/${drill}/conversations?asFlat=${D}`, { body: 'Mme Durand voudrait la perceuse.' })
  t.equal(answer.statusCode, 201)
  t.match(answer.json(), { ownListing: false, household: { id: s.flats.A } })
  const stored = s.app.db.prepare('SELECT on_behalf, author_id, flat_id FROM exchange_messages WHERE conversation_id = ?').get(answer.json().id)
  t.same(stored, { on_behalf: 1, author_id: s.ids.caretaker, flat_id: D }, 'written by the caretaker, for D, marked so')

  // Once someone of D joins, the conversations are theirs alone.
  const invite = await createInvite(s.app, s.cookies.caretaker, D)
  const durand = await joinAs(s.app, invite.code, 'durand', 'Mme Durand')
  const res = await s.caretaker.get(`/exchange/conversations/${id}?asFlat=${D}`)
  t.equal(res.statusCode, 404)
  t.equal((await s.caretaker.get(`/exchange/conversations?asFlat=${D}`)).statusCode, 403)
  const own = await s.app.inject({ method: 'GET', url: '/api/v1/exchange/conversations', headers: { cookie: durand } })
  t.equal(own.json().items.length, 2, 'the new resident finds the household’s conversations')
})

t.test('messages: 1 to 2000 characters of text, cleaned', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const open = (body: unknown) => s.bilal.post(`/exchange/listings/${drill}/conversations`, { body })
  for (const bad of ['', 'x'.repeat(2001), 42]) {
    const res = await open(bad)
    t.equal(res.statusCode, 400, `Répondre with ${JSON.stringify(bad).slice(0, 20)}`)
    t.equal(res.json().code, 'PALIER_INVALID_INPUT')
  }
  const blank = await open('  \r\n\t \u0007 ')
  t.equal(blank.statusCode, 400, 'only blanks and control characters')
  t.equal(blank.json().field, 'body')
  t.equal((s.app.db.prepare('SELECT count(*) AS n FROM exchange_conversations').get() as { n: number }).n, 0, 'no empty conversation left behind')

  const id = (await open('x'.repeat(2000))).json().id as string
  t.ok(id, '2000 characters are accepted')
  const post = (body: unknown) => s.amina.post(`/exchange/conversations/${id}/messages`, { body })
  t.equal((await post('y'.repeat(2001))).statusCode, 400)
  t.equal((await post('')).statusCode, 400)
  const res = await post('  Bonjour,\r\nc’est d\u0065\u0301jà prêt.\u0000  \n\n')
  t.equal(res.statusCode, 201)
  t.equal(res.json().body, 'Bonjour,\nc’est déjà prêt.', 'NFC, line breaks kept, control characters and edge blanks dropped')
})

t.test('a message removed by the moderation shows as removed; the moderation reads one message alone', async (t) => {
  const s = await setup(t)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const id = (await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Premier' })).json().id as string
  const rude = (await s.bilal.post(`/exchange/conversations/${id}/messages`, { body: 'Un message grossier' })).json()

  t.same(getMessageForReport(s.app.db, rude.id), {
    id: rude.id,
    conversationId: id,
    listingId: drill,
    flatId: s.flats.B,
    authorId: s.ids.bilal,
    onBehalf: false,
    body: 'Un message grossier',
    createdAt: s.clock.now,
    ownerFlatId: s.flats.A,
    otherFlatId: s.flats.B,
  })
  t.equal(getMessageForReport(s.app.db, newId()), undefined)

  // What the moderation does on "removed".
  s.app.db.prepare("UPDATE exchange_messages SET body = '' WHERE id = ?").run(rude.id)
  const messages = (await s.amina.get(`/exchange/conversations/${id}`)).json().messages
  t.match(messages, [
    { body: 'Premier', removed: false },
    { id: rude.id, body: '', removed: true },
  ])
  t.match((await s.amina.get('/exchange/conversations')).json().items[0].lastMessage, { excerpt: '', removed: true })
})

t.test('nothing of the conversations reaches the outbox', async (t) => {
  const s = await setup(t)
  const before = outboxRows(s.app)
  const drill = s.listing(s.flats.A, s.ids.amina)
  const cot = s.listing(s.flats.D, s.ids.caretaker, { onBehalf: true })
  const id = (await s.bilal.post(`/exchange/listings/${drill}/conversations`, { body: 'Secret de voisin' })).json().id as string
  await s.amina.post(`/exchange/conversations/${id}/messages`, { body: 'Réponse secrète' })
  await s.amina.get(`/exchange/conversations/${id}`)
  await s.amina.get('/exchange/conversations')
  const other = (await s.bilal.post(`/exchange/listings/${cot}/conversations`, { body: 'Pour D' })).json().id as string
  await s.caretaker.post(`/exchange/conversations/${other}/messages?asFlat=${s.flats.D}`, { body: 'Réponse pour D' })
  await s.amina.post('/exchange/blocks', { flatId: s.flats.C })
  await s.amina.delete(`/exchange/blocks/${s.flats.C}`)
  t.equal((s.app.db.prepare('SELECT count(*) AS n FROM exchange_messages').get() as { n: number }).n, 4, 'the scenario did write')
  t.same(outboxRows(s.app), before, 'the outbox is as it was')
})
