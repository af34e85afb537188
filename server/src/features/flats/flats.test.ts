import t from 'tap'
import { build, building, createFlat, createInvite, setupCaretaker } from '../../../test/helpers.js'

t.test('flats: create, list with counts, labels unique regardless of case', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/flats',
    headers: { cookie },
    payload: { label: '  Bâtiment A –  3e – porte 12 ', entrance: 'A', floor: '3', door: '12' },
  })
  t.equal(res.statusCode, 201)
  const flat = res.json()
  t.match(flat, { label: 'Bâtiment A – 3e – porte 12', entrance: 'A', floor: '3', door: '12', revokedAt: null, residentCount: 0, activeInviteCount: 0 })
  const dup = await app.inject({ method: 'POST', url: '/api/v1/flats', headers: { cookie }, payload: { label: 'BÂTIMENT A – 3E – PORTE 12' } })
  t.equal(dup.statusCode, 409)
  t.equal(dup.json().code, 'PALIER_FLAT_LABEL_TAKEN')
  const blank = await app.inject({ method: 'POST', url: '/api/v1/flats', headers: { cookie }, payload: { label: '   ' } })
  t.equal(blank.statusCode, 400)
  t.equal(blank.json().field, 'label')
  await createInvite(app, cookie, flat.id)
  const list = await app.inject({ method: 'GET', url: '/api/v1/flats', headers: { cookie } })
  t.equal(list.json().flats.length, 1)
  t.equal(list.json().flats[0].activeInviteCount, 1)
})

t.test('flats: CSV import with French headers, semicolons, quotes and a BOM', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const csv = '\uFEFFEntrée;Étage;Porte;Logement\r\nA;RDC;1;\r\nA;1;"12";"Appartement ""Tilleul"""\r\n;;\r\nB;2;21;B-21\r\n'
  const res = await app.inject({ method: 'POST', url: '/api/v1/flats/import', headers: { cookie }, payload: { csv } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().created, 3)
  t.same(
    res.json().flats.map((f: { label: string; entrance: string; floor: string; door: string }) => [f.label, f.entrance, f.floor, f.door]),
    [
      ['Entrée A – étage RDC – porte 1', 'A', 'RDC', '1'],
      ['Appartement "Tilleul"', 'A', '1', '12'],
      ['B-21', 'B', '2', '21'],
    ],
  )
})

t.test('flats: a bad CSV imports nothing and names the line', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  await createFlat(app, cookie, 'B-21')
  const cases: [string, string][] = [
    ['entrance,floor,door,label\nA,1,1,A-1\nA,1,2,A-1\n', 'Le fichier n’a pas pu être importé : ligne 3, ce logement apparaît deux fois dans le fichier.'],
    ['entree;etage;porte;logement\nA;1;1;A-1\nB;2;21;B-21\n', 'Le fichier n’a pas pu être importé : ligne 3, ce logement existe déjà.'],
    ['foo;bar\n1;2\n', 'Le fichier n’a pas pu être importé : ligne 1, la première ligne doit nommer les colonnes (entree;etage;porte;logement).'],
    ['porte;logement\n1;"non fermé\n', 'Le fichier n’a pas pu être importé : ligne 2, un guillemet n’est pas refermé.'],
  ]
  for (const [csv, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/flats/import', headers: { cookie }, payload: { csv } })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'PALIER_CSV_INVALID')
    t.equal(res.json().field, 'csv')
    t.equal(res.json().message, message)
  }
  const en = await app.inject({
    method: 'POST',
    url: '/api/v1/flats/import',
    headers: { cookie, 'accept-language': 'en' },
    payload: { csv: cases[0]![0] },
  })
  t.equal(en.json().message, 'The file could not be imported: line 3, this flat appears twice in the file.')
  const list = await app.inject({ method: 'GET', url: '/api/v1/flats', headers: { cookie } })
  t.equal(list.json().flats.length, 1, 'nothing from the failed imports')
})

t.test('invites: list newest first, revoke, unknown ids 404, revoked flat gets no new code', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const flat = await createFlat(app, cookie, 'C-3')
  const first = await createInvite(app, cookie, flat.id)
  const second = await createInvite(app, cookie, flat.id)
  t.not(first.code, second.code)
  const list = await app.inject({ method: 'GET', url: `/api/v1/flats/${flat.id}/invites`, headers: { cookie } })
  t.same(
    list.json().invites.map((i: { id: string }) => i.id),
    [second.id, first.id],
  )
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/invites/${first.id}`, headers: { cookie } })).statusCode, 204)
  const after = await app.inject({ method: 'GET', url: `/api/v1/flats/${flat.id}/invites`, headers: { cookie } })
  t.type(after.json().invites[1].revokedAt, 'number')
  const missing = '01890000-0000-7000-8000-000000000000'
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/invites/${missing}`, headers: { cookie } })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/flats/${missing}/invites`, headers: { cookie } })).statusCode, 404)
  const badId = await app.inject({ method: 'POST', url: '/api/v1/flats/not-an-id/invites', headers: { cookie } })
  t.equal(badId.statusCode, 400)
  t.equal(badId.json().field, 'id')
  await app.inject({ method: 'POST', url: `/api/v1/flats/${flat.id}/revoke`, headers: { cookie } })
  const refused = await app.inject({ method: 'POST', url: `/api/v1/flats/${flat.id}/invites`, headers: { cookie } })
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'PALIER_FLAT_REVOKED')
})

t.test('print: one A4 letter per flat with the code, the address and a QR code', async (t) => {
  const { app } = await build(t, { publicUrl: 'http://palier.local:8080', buildingName: 'Résidence <Les Tilleuls>' })
  const cookie = await setupCaretaker(app)
  const a = await createFlat(app, cookie, 'A-1')
  const b = await createFlat(app, cookie, 'B-2')
  await createFlat(app, cookie, 'C-3 sans code')
  const inviteA = await createInvite(app, cookie, a.id)
  const inviteB = await createInvite(app, cookie, b.id)

  const one = await app.inject({ method: 'GET', url: `/api/v1/print/invitations?flat=${a.id}`, headers: { cookie } })
  t.equal(one.statusCode, 200)
  t.match(one.headers['content-type'], /^text\/html/)
  t.equal(one.headers['cache-control'], 'no-store')
  const html = one.body
  t.match(html, '<html lang="fr">')
  t.match(html, '@page { size: A4')
  t.match(html, `<span class="code" data-code>${inviteA.code}</span>`)
  t.match(html, 'http://palier.local:8080')
  t.match(html, 'Résidence &#60;Les Tilleuls&#62;', 'building name escaped')
  t.notMatch(html, '<Les Tilleuls>')
  t.match(html, /<svg[^>]*viewBox/)
  t.match(html, `aria-label="QR code vers http://palier.local:8080/rejoindre?code=${inviteA.code}"`)
  t.notMatch(html, inviteB.code)
  t.notMatch(html, '<script')

  const all = await app.inject({ method: 'GET', url: '/api/v1/print/invitations', headers: { cookie } })
  t.equal(all.body.match(/<section class="letter"/g)?.length, 2, 'every flat with a valid code, not the one without')
  t.match(all.body, inviteB.code)
})

t.test('print: without publicUrl the letter shows the address the caretaker used', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const flat = await createFlat(app, cookie, 'A-1')
  const invite = await createInvite(app, cookie, flat.id)
  const res = await app.inject({ method: 'GET', url: `/api/v1/print/invitations?flat=${flat.id}`, headers: { cookie, host: '192.168.1.20:8080' } })
  t.match(res.body, `http://192.168.1.20:8080/rejoindre?code=${invite.code}`)
})

t.test('residents and flats pages are the caretaker’s only', async (t) => {
  const { app } = await build(t)
  const { resident, flat } = await building(app)
  for (const url of ['/api/v1/flats', '/api/v1/residents', `/api/v1/flats/${flat.id}/invites`, `/api/v1/print/invitations?flat=${flat.id}`]) {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: resident } })
    t.equal(res.statusCode, 403, url)
    t.equal(res.json().code, 'PALIER_FORBIDDEN')
  }
})
