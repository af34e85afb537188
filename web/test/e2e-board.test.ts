// End to end, the notice board and incident reports, with the real server and Debian's Chromium
// on phone-sized screens: the caretaker posts an urgent notice; a resident sees it first; a
// resident reports a broken lift; a neighbour from another flat finds it among the similar
// reports and says "moi aussi"; the caretaker moves it to in progress, then resolved; the
// reporter confirms it is fixed; the timeline shows every step. Then the board read offline.
import t from 'tap'
import type { Page } from 'playwright-core'
import { focused, menu, startHarness } from './e2e-harness.js'

const URGENT_TITLE = 'Ascenseur de l’entrée A en panne'

t.setTimeout(240_000)

const { base, pageErrors, call, building, signIn } = await startHarness(t)

// The building, made through the API (the first end-to-end test covers these pages): the
// caretaker, two flats of entrance A, a resident in each, and two notices already on the board.
const { caretaker: caretakerCookie } = await building([
  ['A – 3e – porte 12', '3', 'amina', 'Amina B.'],
  ['A – 5e – porte 20', '5', 'karim', 'Karim'],
])
await call('POST', '/notices', caretakerCookie, { kind: 'info', title: 'Collecte des encombrants', body: 'Le **premier lundi** du mois.', pinned: true })
await call('POST', '/notices', caretakerCookie, { kind: 'event', title: 'Fête des voisins', body: 'Samedi à 18 h dans la cour.\n\n- Apportez un plat\n- Apportez une chaise' })

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-board-${name}.png`, fullPage: true })

let caretaker: Page
let amina: Page
let karim: Page
let incidentUrl = ''

t.test('the caretaker posts an urgent notice', async (t) => {
  caretaker = await signIn('gardien')
  await menu(caretaker, 'Annonces')
  await caretaker.getByRole('heading', { level: 1, name: 'Tableau d’affichage' }).waitFor()
  await caretaker.getByRole('link', { name: 'Nouvelle annonce' }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Nouvelle annonce' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, '/annonces/nouvelle')
  t.match(await focused(caretaker), /^H1 Nouvelle annonce/, 'focus on the new page’s heading')

  await caretaker.getByRole('button', { name: 'Publier l’annonce' }).click()
  await caretaker.getByRole('alert').filter({ hasText: 'Donnez un titre à l’annonce.' }).waitFor()
  t.match(await focused(caretaker), /^INPUT/, 'focus on the missing title')

  await caretaker.getByRole('radio', { name: 'Urgent' }).check()
  await caretaker.getByLabel('Titre').fill(URGENT_TITLE)
  await caretaker
    .getByLabel('Texte', { exact: true })
    .fill('Le technicien passe **jeudi**.\n\n- Prenez l’escalier B\n- Aidez vos voisins âgés\n\n<script>alert(1)</script> [piège](javascript:alert(1))')
  await caretaker.getByRole('button', { name: 'Publier l’annonce' }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Votre annonce est publiée.' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, '/annonces')
})

t.test('a resident sees the urgent notice first, distinct, and reacts', async (t) => {
  amina = await signIn('amina')
  // The service worker takes the page once installed; the board is then kept for offline reading.
  await amina.evaluate(async () => navigator.serviceWorker.ready)
  await amina.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await menu(amina, 'Annonces')
  await amina.getByRole('heading', { level: 1, name: 'Tableau d’affichage' }).waitFor()
  const cards = amina.getByRole('article')
  await cards.first().waitFor()
  t.same(
    await cards.evaluateAll((els) => els.map((el) => el.querySelector('h3')?.textContent?.trim())),
    [URGENT_TITLE, 'Collecte des encombrants', 'Fête des voisins'],
    'urgent first, then pinned, then newest',
  )
  const urgent = amina.getByRole('article', { name: URGENT_TITLE })
  t.ok(await urgent.getByText('Urgent', { exact: true }).isVisible(), 'the kind in words')
  t.ok(await urgent.locator('.badge svg').isVisible(), 'and an icon')
  const headings = await amina.getByRole('heading', { level: 2 }).allTextContents()
  t.same(headings.map((h) => h.trim()), ['Urgent', 'Annonces'], 'urgent notices in their own section, first')
  t.equal(await urgent.locator('strong').textContent(), 'jeudi', 'formatting: bold')
  t.equal(await urgent.locator('li').count(), 2, 'formatting: list')
  t.equal(await urgent.locator('script').count(), 0, 'no script element from the body')
  t.equal(await urgent.locator('a[href^="javascript"]').count(), 0, 'no javascript: link')
  t.ok(await amina.getByRole('article', { name: 'Collecte des encombrants' }).getByText('Épinglée').isVisible())

  await urgent.getByRole('button', { name: 'Merci (0)' }).click()
  await urgent.getByRole('button', { name: 'Merci (1)' }).waitFor()
  t.equal(await urgent.getByRole('button', { name: 'Merci (1)' }).getAttribute('aria-pressed'), 'true')
  const party = amina.getByRole('article', { name: 'Fête des voisins' })
  await party.scrollIntoViewIfNeeded()
  await party.getByRole('button', { name: 'Je participe (0)' }).click()
  await party.getByRole('button', { name: 'Je participe (1)' }).waitFor()
  t.equal(await urgent.getByRole('button', { name: /^Je participe/ }).count(), 0, '"je participe" only on events')
  t.ok(await amina.getByRole('link', { name: 'Proposer une annonce' }).isVisible(), 'residents may propose (default: with approval)')
  await amina.evaluate(() => window.scrollTo(0, 0))
  await shot(amina, '1-board-fr')
  t.equal(await amina.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling')

  await amina.getByLabel('Langue').selectOption('ar')
  await amina.getByRole('heading', { level: 1, name: 'لوحة الإعلانات' }).waitFor()
  t.equal(await amina.evaluate(() => document.documentElement.dir), 'rtl')
  t.ok(await urgent.getByText('عاجل', { exact: true }).isVisible())
  await shot(amina, '2-board-ar')
  t.equal(await amina.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling in Arabic')
  await amina.getByLabel('اللغة').selectOption('fr')
  await amina.getByRole('heading', { level: 1, name: 'Tableau d’affichage' }).waitFor()
})

t.test('the caretaker sees how many households saw it', async (t) => {
  await caretaker.goto(base + '/annonces')
  const urgent = caretaker.getByRole('article', { name: URGENT_TITLE })
  await urgent.getByRole('button', { name: 'Combien l’ont vue ?' }).click()
  await urgent.getByText('Foyers qui l’ont vue : 1 sur 2.').waitFor()
  t.pass('one household of two, never who')
})

t.test('a resident reports a broken lift', async (t) => {
  await menu(amina, 'Signalements')
  await amina.getByRole('heading', { level: 1, name: 'Signalements' }).waitFor()
  await amina.getByRole('link', { name: 'Signaler un problème' }).click()
  await amina.getByRole('heading', { level: 1, name: 'Signaler un problème' }).waitFor()
  await amina.getByRole('radio', { name: 'Ascenseur' }).check()
  await amina.getByRole('radio', { name: 'Entrée ou escalier' }).check()
  t.equal(await amina.getByLabel('Précisez l’endroit').inputValue(), 'A', 'her entrance is suggested')
  await amina.getByRole('button', { name: 'Continuer' }).click()
  await amina.getByRole('heading', { level: 2, name: '2. Décrivez le problème' }).waitFor()
  t.ok(await amina.getByText('Personne n’a encore signalé ce problème à cet endroit.').isVisible())
  await amina.getByLabel('Description').fill('L’ascenseur est bloqué au 2e étage depuis ce matin.')
  await amina.getByLabel('Le bailleur peut me contacter à ce sujet').check()
  await amina.getByRole('button', { name: 'Envoyer le signalement' }).click()
  await amina.getByRole('status').filter({ hasText: 'Merci, votre signalement est envoyé au gardien.' }).waitFor()
  await amina.getByRole('heading', { level: 1, name: 'Ascenseur — Entrée ou escalier : A' }).waitFor()
  incidentUrl = amina.url()
  t.match(new URL(incidentUrl).pathname, /^\/signalements\/[0-9a-f-]{36}$/)
  t.ok(await amina.getByText('État : Nouveau', { exact: true }).isVisible())
  t.ok(await amina.getByText('Foyers concernés : 1').isVisible())
})

t.test('a neighbour from another flat finds it among similar reports and says "moi aussi"', async (t) => {
  karim = await signIn('karim')
  await karim.getByRole('link', { name: /^Signaler un problème/ }).click()
  await karim.getByRole('heading', { level: 1, name: 'Signaler un problème' }).waitFor()
  await karim.getByRole('radio', { name: 'Ascenseur' }).check()
  await karim.getByRole('radio', { name: 'Entrée ou escalier' }).check()
  await karim.getByLabel('Précisez l’endroit').fill(' a ')
  await karim.getByRole('button', { name: 'Continuer' }).click()
  await karim.getByRole('heading', { level: 2, name: '2. Déjà signalé ?' }).waitFor()
  const similar = karim.getByRole('article', { name: 'Ascenseur — Entrée ou escalier : A' })
  t.ok(await similar.getByText('L’ascenseur est bloqué au 2e étage depuis ce matin.').isVisible())
  t.ok(await similar.getByText('Foyers concernés : 1').isVisible())
  await shot(karim, '3-report-similar')
  await similar.getByRole('button', { name: 'Moi aussi' }).click()
  await karim.getByRole('status').filter({ hasText: 'Foyers concernés : 2.' }).waitFor()
  t.ok(await similar.getByText('Votre foyer est concerné.').isVisible())
  t.equal(await similar.getByRole('button', { name: 'Moi aussi' }).count(), 0, 'once per household')
})

t.test('the caretaker moves it to in progress, then resolved', async (t) => {
  await menu(caretaker, 'Signalements')
  await caretaker.getByRole('heading', { level: 1, name: 'Signalements' }).waitFor()
  await caretaker.getByRole('link', { name: /Ascenseur — Entrée ou escalier\s: A/ }).click()
  await caretaker.getByRole('heading', { level: 2, name: 'Traiter ce signalement' }).waitFor()
  t.ok(await caretaker.getByText('Foyers concernés : 2').isVisible())
  await caretaker.getByLabel('Message aux habitants (facultatif)').fill('Le technicien est prévenu, il passe jeudi.')
  await caretaker.getByRole('button', { name: 'Réparation en cours', exact: true }).click()
  await caretaker.getByRole('status').filter({ hasText: 'État changé : Réparation en cours.' }).waitFor()
  t.ok(await caretaker.getByText('État : Réparation en cours', { exact: true }).isVisible())
  await caretaker.getByRole('button', { name: 'Réparé', exact: true }).click()
  await caretaker.getByRole('status').filter({ hasText: 'État changé : Réparé, à confirmer.' }).waitFor()
  t.equal(await caretaker.getByRole('button', { name: 'Réparation en cours', exact: true }).count(), 1, 'can still go back to in progress')
})

t.test('the reporter confirms it is fixed; the timeline shows every step', async (t) => {
  await amina.goto(incidentUrl)
  await amina.getByRole('heading', { level: 2, name: 'Est-ce réparé ?' }).waitFor()
  await amina.getByRole('button', { name: 'Oui, c’est réparé' }).click()
  await amina.getByRole('status').filter({ hasText: 'Merci ! Le signalement est terminé.' }).waitFor()
  t.ok(await amina.getByText('État : Terminé', { exact: true }).isVisible())
  t.equal(await amina.getByRole('heading', { name: 'Est-ce réparé ?' }).count(), 0, 'asked no more')
  const steps = await amina.locator('ol.timeline > li').evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ')))
  const expected = [
    /Problème signalé \(habitant\)/,
    /Un autre foyer est concerné \(«\smoi aussi\s»\)/,
    /Nouvel état\s: Réparation en cours \(gardien\) Le technicien est prévenu, il passe jeudi\./,
    /Nouvel état\s: Réparé, à confirmer \(gardien\)/,
    /Un habitant confirme que c’est réparé/,
  ]
  t.equal(steps.length, expected.length, 'one entry per step')
  expected.forEach((re, i) => t.match(steps[i] ?? '', re, `step ${i + 1}`))
  for (const step of steps) t.match(step, /\d{1,2} \S+ \d{4}/, 'each step is dated')
  await shot(amina, '4-incident-timeline')

  await amina.getByRole('link', { name: 'Retour aux signalements' }).click()
  await amina.getByRole('link', { name: 'Terminés' }).click()
  await amina.getByRole('link', { name: /Ascenseur — Entrée ou escalier\s: A/ }).waitFor()
  t.pass('listed with the closed reports')
})

t.test('offline, the board is read from the last saved version', async (t) => {
  await menu(amina, 'Annonces')
  await amina.getByRole('article', { name: URGENT_TITLE }).waitFor()
  const context = amina.context()
  await context.setOffline(true)
  try {
    await amina.reload()
    await amina.getByRole('status').filter({ hasText: 'Hors ligne — dernière version enregistrée' }).waitFor()
    await amina.getByRole('article', { name: URGENT_TITLE }).waitFor()
    t.equal(await amina.getByRole('button', { name: /^Merci/ }).count(), 0, 'nothing to send while offline')
    await shot(amina, '5-board-offline')
  } finally {
    await context.setOffline(false)
  }
  // Signing out forgets the saved board.
  await amina.reload()
  await amina.getByRole('button', { name: 'Déconnexion' }).click()
  await amina.getByRole('link', { name: 'Se connecter' }).waitFor()
  await amina.waitForFunction(async () => !(await caches.keys()).includes('palier-board'))
  t.pass('the board copy is gone after sign-out')
})

t.test('no script errors or CSP refusals in any page', async (t) => {
  t.same(pageErrors, [])
})
