// End to end, the exchange's time bank and moderation, with the real server and Debian's Chromium
// on phone-sized screens: the caretaker opens the time bank with limits; Amina asks Karim for
// 1 h 30 (they met in a conversation), Karim pays it from his time bank page and both balances
// show; a payment whose answer is lost is sent again with the same key and counted once; a
// listing reported by three households disappears for the others and waits in the caretaker's
// queue, and "Garder" brings it back; the caretaker publishes for a household without an account.
import t from 'tap'
import type { Page } from 'playwright-core'
import { menu, startHarness } from './e2e-harness.js'

const HELP = 'Montage de meubles'
const REPORTED = 'Vends des médicaments'
const ON_BEHALF_FLAT = 'A – RDC – porte 01'
const ON_BEHALF = 'Prête un escabeau'

t.setTimeout(300_000)

const { app, base, pageErrors, call, building, signIn } = await startHarness(t)
const { caretaker: caretakerCookie, residents: cookies } = await building([
  ['A – 3e – porte 12', '3', 'amina', 'Amina B.'],
  ['A – 5e – porte 20', '5', 'karim', 'Karim'],
  ['A – 1er – porte 02', '1', 'leila', 'Leïla'],
  ['A – 2e – porte 07', '2', 'nadia', 'Nadia'],
])
// A household without an account: the caretaker may act for it.
await call('POST', '/flats', caretakerCookie, { label: ON_BEHALF_FLAT, entrance: 'A', floor: '0', door: '01' })

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-exchange-admin-${name}.png`, fullPage: true })

/** A GET through the API as a script would make it. */
async function get(url: string, cookie: string): Promise<any> {
  const res = await app.inject({ method: 'GET', url: '/api/v1' + url, headers: { cookie } })
  if (res.statusCode >= 300) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function visibleTitles(login: string): Promise<string[]> {
  return ((await get('/exchange/listings', cookies[login]!)).items as { title: string }[]).map((l) => l.title)
}

async function openTimebank(page: Page): Promise<void> {
  await menu(page, 'Banque de temps')
  await page.getByRole('heading', { level: 1, name: 'Banque de temps' }).waitFor()
  await page.getByRole('heading', { level: 2, name: 'Solde de votre foyer' }).waitFor()
}

async function openAdmin(page: Page): Promise<void> {
  await menu(page, 'Échanges : gestion')
  await page.getByRole('heading', { level: 1, name: 'Échanges : gestion' }).waitFor()
  await page.waitForURL((url) => url.pathname === '/echanges/gestion')
}

let caretaker: Page
let amina: Page
let karim: Page

t.test('the caretaker opens the time bank with limits', async (t) => {
  caretaker = await signIn('gardien')
  await openAdmin(caretaker)
  const on = caretaker.getByRole('checkbox', { name: 'Ouvrir la banque de temps' })
  t.notOk(await on.isChecked(), 'off by default')
  t.equal(await caretaker.getByLabel('Découvert permis par foyer, en heures').inputValue(), '10', 'the default overdraft, in hours')
  await on.check()
  await caretaker.getByLabel('Découvert permis par foyer, en heures').fill('5')
  await caretaker.getByLabel('Solde maximum par foyer, en heures').fill('8')
  await caretaker.getByRole('button', { name: 'Enregistrer', exact: true }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Réglages enregistrés. La banque de temps est ouverte.' }).waitFor()
  const settings = await get('/exchange/settings', caretakerCookie)
  t.same(settings, { timeBankEnabled: true, minBalanceMinutes: -300, maxBalanceMinutes: 480, reportThreshold: 3 })
})

t.test('Amina asks Karim for 1 h 30; Karim pays it; both balances show', async (t) => {
  // They met about Amina's offer of help.
  const listing = (await call('POST', '/exchange/listings', cookies.amina!, {
    direction: 'offer',
    kind: 'help',
    category: 'repairs',
    title: HELP,
    description: 'Je monte vos meubles en kit, outils fournis.',
    availability: 'Le samedi',
  })).body
  await call('POST', `/exchange/listings/${listing.id}/conversations`, cookies.karim!, { body: 'Bonjour, une armoire à monter samedi ?' })

  amina = await signIn('amina')
  await openTimebank(amina)
  await amina.getByText('Votre foyer a autant donné que reçu.').waitFor()
  await amina.getByText('Limites fixées par le gardien : de −5 h à +8 h.').waitFor()
  t.ok(await amina.getByRole('radio', { name: 'Demander des heures (j’ai rendu service)' }).isChecked(), 'asking is the default')
  await amina.getByLabel('À quel foyer les demander ?').selectOption({ label: 'Karim · A – 5e – porte 20' })
  await amina.getByLabel('Heures', { exact: true }).fill('1')
  await amina.getByLabel('Minutes', { exact: true }).fill('30')
  await amina.getByLabel('Pour quoi ? (facultatif)').fill('Montage de l’armoire')
  await amina.getByRole('button', { name: 'Envoyer la demande' }).click()
  await amina.getByRole('status').filter({ hasText: 'Demande de 1 h 30 envoyée à Karim · A – 5e – porte 20.' }).waitFor()
  await amina.getByText('Vous avez demandé 1 h 30 à Karim · A – 5e – porte 20.').waitFor()
  await shot(amina, 'requested')

  karim = await signIn('karim')
  await openTimebank(karim)
  await karim.getByText('Amina B. · A – 3e – porte 12 vous demande 1 h 30.').waitFor()
  await karim.getByText('« Montage de l’armoire »').waitFor()
  await karim.getByRole('button', { name: 'Payer 1 h 30' }).click()
  await karim.getByRole('status').filter({ hasText: '1 h 30 payées.' }).waitFor()
  await karim.locator('.balance').filter({ hasText: '−1 h 30' }).waitFor()
  await karim.getByText('Votre foyer a reçu 1 h 30 de plus qu’il n’a donné.').waitFor()
  await shot(karim, 'paid')

  await amina.reload()
  await amina.locator('.balance').filter({ hasText: '+1 h 30' }).waitFor()
  await amina.getByText('Votre foyer a donné 1 h 30 de plus qu’il n’a reçu.').waitFor()
  const history = amina.getByRole('list').filter({ hasText: 'reçues de' })
  await history.getByText('Karim · A – 5e – porte 20').waitFor()
  t.equal((await get('/exchange/timebank', cookies.amina!)).balanceMinutes, 90)
  t.equal((await get('/exchange/timebank', cookies.karim!)).balanceMinutes, -90)
})

t.test('a payment whose answer was lost is sent again with the same key and counted once', async (t) => {
  let first = true
  const keys: string[] = []
  await karim.route('**/api/v1/exchange/timebank/transfers', async (route) => {
    keys.push(JSON.parse(route.request().postData() ?? '{}').idempotencyKey)
    if (!first) return route.continue()
    first = false
    // The box applies it, but the phone never hears back.
    await route.fetch()
    await route.abort('connectionreset')
  })
  await karim.getByRole('radio', { name: 'Payer des heures (on m’a rendu service)' }).check()
  await karim.getByLabel('À quel foyer les payer ?').selectOption({ label: 'Amina B. · A – 3e – porte 12' })
  await karim.getByLabel('Heures', { exact: true }).fill('')
  await karim.getByLabel('Minutes', { exact: true }).fill('30')
  await karim.getByRole('button', { name: 'Payer', exact: true }).click()
  await karim.getByRole('alert').filter({ hasText: 'Impossible de joindre la boîte' }).waitFor()
  await karim.getByRole('button', { name: 'Payer', exact: true }).click()
  await karim.getByRole('status').filter({ hasText: '30 min payées à Amina B. · A – 3e – porte 12.' }).waitFor()
  t.equal(keys.length, 2, 'sent twice')
  t.equal(keys[0], keys[1], 'with the same idempotency key')
  t.match(keys[0], /^[\x21-\x7e]{8,64}$/)
  await karim.locator('.balance').filter({ hasText: '−2 h' }).waitFor()
  t.equal((await get('/exchange/timebank', cookies.karim!)).balanceMinutes, -120, 'paid once')
  t.equal((await get('/exchange/timebank', cookies.amina!)).balanceMinutes, 120)
  await karim.unroute('**/api/v1/exchange/timebank/transfers')
})

t.test('the time bank in Arabic reads right to left', async (t) => {
  await karim.getByLabel('Langue').selectOption('ar')
  await karim.getByRole('heading', { level: 1, name: 'بنك الوقت' }).waitFor()
  t.equal(await karim.evaluate(() => document.documentElement.dir), 'rtl')
  await karim.locator('.balance').filter({ hasText: /^\u2066−2\u2069 س$/ }).waitFor()
  t.equal(await karim.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling')
  await shot(karim, 'ar')
  await karim.getByLabel('اللغة').selectOption('fr')
  await karim.getByRole('heading', { level: 1, name: 'Banque de temps' }).waitFor()
})

t.test('a listing reported by three households is hidden until the caretaker keeps it', async (t) => {
  const listing = (await call('POST', '/exchange/listings', cookies.nadia!, {
    direction: 'offer',
    kind: 'give',
    category: 'other',
    title: REPORTED,
    description: 'Une boîte de comprimés entamée.',
    availability: '',
  })).body
  t.ok((await visibleTitles('leila')).includes(REPORTED), 'seen by the neighbours at first')
  await call('POST', '/exchange/reports', cookies.amina!, { targetKind: 'listing', targetId: listing.id, reason: 'Les médicaments ne se donnent pas.' })
  await call('POST', '/exchange/reports', cookies.karim!, { targetKind: 'listing', targetId: listing.id, reason: '' })
  t.ok((await visibleTitles('leila')).includes(REPORTED), 'two reports do not hide it')
  // The third household reports it from the listing's page.
  const leila = await signIn('leila')
  await leila.goto(`${base}/echanges/annonce/${listing.id}`)
  await leila.getByRole('heading', { level: 1, name: REPORTED }).waitFor()
  await leila.getByRole('button', { name: 'Signaler cette annonce' }).click()
  await leila.getByLabel('Raison (facultatif)').fill('Dangereux')
  await leila.getByRole('button', { name: 'Envoyer le signalement' }).click()
  await leila.getByRole('status').filter({ hasText: 'Annonce signalée. Merci, le gardien va la regarder.' }).waitFor()
  t.notOk((await visibleTitles('amina')).includes(REPORTED), 'hidden from the others after the third household')
  t.notOk((await visibleTitles('karim')).includes(REPORTED))
  const mine = (await get('/exchange/listings/mine', cookies.nadia!)).items as { title: string }[]
  t.ok(mine.some((l) => l.title === REPORTED), 'its household still sees it')

  await caretaker.reload()
  await caretaker.getByRole('heading', { level: 1, name: 'Échanges : gestion' }).waitFor()
  const item = caretaker.getByRole('listitem').filter({ has: caretaker.getByRole('heading', { level: 3, name: REPORTED }) })
  await item.waitFor()
  await item.getByText('Signalé par 3 foyer(s)').waitFor()
  await item.getByText('Cachée aux voisins').waitFor()
  await item.getByText('Les médicaments ne se donnent pas.').waitFor()
  await item.getByText('Dangereux', { exact: true }).waitFor()
  await item.getByText('Annonce de Nadia · A – 2e – porte 07').waitFor()
  await shot(caretaker, 'queue')
  await item.getByRole('button', { name: `Garder « ${REPORTED} »` }).click()
  await caretaker.getByRole('status').filter({ hasText: `« ${REPORTED} » est gardé.` }).waitFor()
  await caretaker.getByText('Aucun signalement en attente.').waitFor()
  t.ok((await visibleTitles('amina')).includes(REPORTED), 'shown again to the neighbours')
})

t.test('the caretaker publishes a listing for a household without an account', async (t) => {
  await caretaker.getByLabel('Foyer', { exact: true }).selectOption({ label: ON_BEHALF_FLAT })
  await caretaker.getByRole('button', { name: 'Agir pour ce foyer' }).click()
  // Every page says for whom the caretaker acts.
  await caretaker.getByText(`Vous agissez pour le foyer ${ON_BEHALF_FLAT}. Ce que vous faites`).first().waitFor()
  await caretaker.getByRole('heading', { level: 3, name: `Publier une annonce pour le foyer ${ON_BEHALF_FLAT}` }).waitFor()
  await caretaker.getByLabel('Catégorie', { exact: true }).selectOption({ index: 1 })
  await caretaker.getByLabel('Titre', { exact: true }).fill(ON_BEHALF)
  await caretaker.getByLabel('Description', { exact: true }).fill('Un escabeau de cinq marches, à rendre dans la semaine.')
  await caretaker.getByRole('button', { name: 'Publier pour ce foyer' }).click()
  await caretaker.getByRole('status').filter({ hasText: `« ${ON_BEHALF} » est publiée pour le foyer ${ON_BEHALF_FLAT}.` }).waitFor()
  const found = ((await get('/exchange/listings', cookies.leila!)).items as { title: string; onBehalf: boolean }[]).find((l) => l.title === ON_BEHALF)
  t.ok(found?.onBehalf, 'marked as done by the caretaker for that household')
  await caretaker.getByRole('button', { name: 'Arrêter d’agir pour ce foyer' }).first().click()
  t.equal(await caretaker.getByText(`Vous agissez pour le foyer ${ON_BEHALF_FLAT}. Ce que vous faites`).count(), 0, 'acting ends')
})

t.test('no page printed an error', async (t) => {
  t.same(pageErrors, [])
})
