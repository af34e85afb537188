import t from 'tap'
import { build } from '../../../test/helpers.js'
import { PHONE_MAC, enter, lan, phoneLease } from '../../../test/portal.js'

const HOST = { host: 'palier.lan:8080' }

t.test('the welcome page: plain HTML, pictures inline, “Entrer”, no script', async (t) => {
  const l = await lan(t, { buildingName: 'Résidence <Les Tilleuls>' })
  l.writeLeases([phoneLease()])
  const res = await l.app.inject({ method: 'GET', url: '/bienvenue', headers: HOST })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.headers['content-security-policy'], /script-src 'self'/, 'the usual CSP')
  const html = res.body
  t.match(html, /^<!doctype html>\n<html lang="fr" dir="ltr">/)
  t.match(html, '<h1>Bienvenue sur le Wi-Fi de l’immeuble</h1>')
  t.match(html, 'Résidence &#60;Les Tilleuls&#62;', 'the building’s name, escaped')
  t.notMatch(html, '<Les Tilleuls>')
  t.match(html, 'Il ne donne pas accès à internet')
  t.match(html, /<form method="post" action="\/bienvenue\/entrer">\s*<input type="hidden" name="lang" value="fr">\s*<button type="submit">Entrer<\/button>/)
  // Pictures: inline SVG, each with a text alternative.
  const svgs = html.match(/<svg [^>]*>/g) ?? []
  t.equal(svgs.length, 3, 'the network, Android’s question, the iPhone’s sheet')
  for (const svg of svgs) t.match(svg, /role="img" aria-label="[^"]{20,}"/)
  // Per phone: how to stay connected without internet.
  t.match(html, 'Téléphone Android')
  t.match(html, '«\u00a0Rester connecté\u00a0»', 'French spacing')
  t.match(html, 'Utiliser ce réseau tel quel')
  t.match(html, 'iPhone, iPad')
  t.match(html, 'Utiliser sans Internet')
  // What a captive-portal sheet may lack: scripts, storage, service workers, fetched resources.
  t.notMatch(html, /<script|javascript:|localStorage|serviceWorker|<link |<img |src="http/i)
  t.notMatch(html, / on[a-z]+="/i, 'no inline event handlers')
  t.match(html, '<nav class="langs" aria-label="Langue">')
})

t.test('the welcome page in English and Arabic (right to left)', async (t) => {
  const { app } = await build(t)
  const ar = await app.inject({ method: 'GET', url: '/bienvenue?lang=ar' })
  t.match(ar.body, '<html lang="ar" dir="rtl">')
  t.match(ar.body, 'مرحبًا بكم في شبكة واي فاي العمارة')
  t.match(ar.body, '<button type="submit">دخول</button>')
  t.match(ar.body, '<input type="hidden" name="lang" value="ar">')
  const en = await app.inject({ method: 'GET', url: '/bienvenue', headers: { 'accept-language': 'en-GB,en;q=0.9' } })
  t.match(en.body, '<html lang="en" dir="ltr">')
  t.match(en.body, '<button type="submit">Enter</button>')
  t.match(en.body, '“Use this network as is”')
  const unknown = await app.inject({ method: 'GET', url: '/bienvenue?lang=de', headers: { 'accept-language': 'en' } })
  t.equal(unknown.statusCode, 200, 'a language we lack is no error')
  t.match(unknown.body, '<html lang="en"')
  const links = en.body.match(/<a href="\?lang=(fr|en|ar)" lang="\1" hreflang="\1"/g) ?? []
  t.equal(links.length, 3, 'links to the three languages')
})

t.test('“Entrer” accepts the device by its MAC address and hands over to the browser', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  const res = await enter(l, 'en')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/bienvenue/ok?lang=en')
  t.equal(res.headers['cache-control'], 'no-store')
  const row = l.app.db.prepare('SELECT mac, ip, accepted_at FROM portal_clients').all() as { mac: string; ip: string; accepted_at: number }[]
  t.equal(row.length, 1)
  t.equal(row[0]!.mac, PHONE_MAC)
  t.equal(row[0]!.ip, '127.0.0.1')
  t.equal(row[0]!.accepted_at, l.clock.now)

  const ok = await l.app.inject({ method: 'GET', url: '/bienvenue/ok?lang=fr', headers: HOST })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['cache-control'], 'no-store')
  t.match(ok.body, 'C’est fait\u00a0: vous êtes entré')
  t.match(ok.body, '<bdi dir="ltr" class="address" data-address>http://palier.lan:8080/</bdi>', 'the plain address')
  t.match(ok.body, '<a class="open" href="http://palier.lan:8080/">')
  t.match(ok.body, /<div class="qr" role="img" aria-label="QR code de l’adresse http:\/\/palier\.lan:8080\/"><svg [^>]*viewBox="0 0 \d+ \d+"/, 'an inline QR code')
  t.notMatch(ok.body, /<script/i)

  const again = await l.app.inject({ method: 'GET', url: '/bienvenue', headers: HOST })
  t.match(again.body, 'Ce téléphone est déjà entré', 'the welcome page knows the device is in')
  t.notMatch(again.body, '<form', 'no second “Entrer”')
  t.match(again.body, 'href="http://palier.lan:8080/"')

  const twice = await enter(l)
  t.equal(twice.statusCode, 303, '“Entrer” twice is harmless')
  t.equal((l.app.db.prepare('SELECT count(*) AS n FROM portal_clients').get() as { n: number }).n, 1)
})

t.test('a device the box cannot find is told what to do, and nothing is stored', async (t) => {
  const l = await lan(t)
  l.writeLeases([[Math.floor(Date.now() / 1000) + 600, '02:00:00:00:00:09', '10.78.0.9']])
  const res = await enter(l)
  t.equal(res.statusCode, 409)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.match(res.body, /<p class="alert" role="alert" data-code="PALIER_DEVICE_UNKNOWN">Votre appareil n’a pas été reconnu/)
  t.match(res.body, '<button type="submit">Entrer</button>', 'with the button to try again')
  t.equal(l.app.network.portal.size, 0)
  const ar = await enter(l, 'ar')
  t.match(ar.body, 'لم يتم التعرف على جهازكم')
})

t.test('the hand-over page sends a device that is not in back to the welcome page', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  const res = await l.app.inject({ method: 'GET', url: '/bienvenue/ok?lang=ar', headers: HOST })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/bienvenue?lang=ar')
})

t.test('the welcome pages work outside gateway mode and remember nothing', async (t) => {
  const { app } = await build(t, { networkMode: 'host', publicUrl: 'http://192.168.1.20:8080' })
  const page = await app.inject({ method: 'GET', url: '/bienvenue' })
  t.equal(page.statusCode, 200)
  t.match(page.body, '<button type="submit">Entrer</button>')
  const res = await app.inject({ method: 'POST', url: '/bienvenue/entrer', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'lang=en' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/bienvenue/ok?lang=en')
  t.equal(app.network.portal.size, 0)
  const ok = await app.inject({ method: 'GET', url: '/bienvenue/ok?lang=en' })
  t.equal(ok.statusCode, 200)
  t.match(ok.body, 'data-address>http://192.168.1.20:8080/</bdi>')
})

t.test('the “Entrer” form is refused from another site', async (t) => {
  const l = await lan(t)
  l.writeLeases([phoneLease()])
  const res = await l.app.inject({
    method: 'POST',
    url: '/bienvenue/entrer',
    headers: { ...HOST, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    payload: 'lang=fr',
  })
  t.equal(res.statusCode, 403)
  t.equal(l.app.network.portal.size, 0)
})

t.test('the welcome pages stay out of the API document', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> }
  t.notOk(Object.keys(doc.paths).some((p) => p.startsWith('/bienvenue')))
})
