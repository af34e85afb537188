// End to end, the caretaker's tools for the notice board and the incident reports, with the real
// server and Debian's Chromium on phone-sized screens: whether residents may post (with approval,
// then not at all), the moderation queue, taking a notice off the board and finding it in the
// archive, a report with a photo, merging a duplicate report (its households add up), an urgent
// notice made from a report, and the printable poster with its QR code.
import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { menu, startHarness } from './e2e-harness.js'

const PROPOSED = 'Vide-grenier dans la cour'
const ARCHIVED = 'Collecte des encombrants'
const URGENT_FROM_INCIDENT = 'Fuite d’eau – A'
// A 1×1 PNG, as a phone would send a (very small) photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

t.setTimeout(240_000)

const { base, pageErrors, call, building, signIn } = await startHarness(t)

const tmp = mkdtempSync(path.join(os.tmpdir(), 'palier-e2e-caretaker-'))
t.teardown(() => rmSync(tmp, { recursive: true, force: true }))
const photoFile = path.join(tmp, 'fuite.png')
writeFileSync(photoFile, PNG)

// The building, made through the API: the caretaker, three flats of entrance A with a resident
// each, two notices on the board, and residents allowed to post freely (the caretaker changes it).
const { caretaker: caretakerCookie, residents: cookies } = await building([
  ['A – 3e – porte 12', '3', 'amina', 'Amina B.'],
  ['A – 5e – porte 20', '5', 'karim', 'Karim'],
  ['A – 1er – porte 02', '1', 'leila', 'Leïla'],
])
await call('POST', '/notices', caretakerCookie, { kind: 'info', title: ARCHIVED, body: 'Le premier lundi du mois, déposez-les devant le local poubelles.' })
await call('POST', '/notices', caretakerCookie, { kind: 'event', title: 'Fête des voisins', body: 'Samedi à 18 h dans la cour.' })
await call('PUT', '/settings/notices', caretakerCookie, { residentPosting: 'free' })

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-caretaker-${name}.png`, fullPage: true })

/** The board, fresh from the box, once it has shown its notices. */
async function openBoard(page: Page): Promise<void> {
  await page.goto(base + '/annonces')
  await page.getByRole('heading', { level: 1, name: 'Tableau d’affichage' }).waitFor()
  await page.getByRole('article').first().waitFor()
}

/** A resident's board, once it knows whether residents may post (the button shows until then). */
async function openBoardWithSetting(page: Page): Promise<void> {
  await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/settings/notices' && r.ok()), openBoard(page)])
}

async function openManage(page: Page): Promise<void> {
  await openBoard(page)
  await page.getByRole('link', { name: 'Gérer les annonces' }).click()
  await page.getByRole('heading', { level: 1, name: 'Gérer les annonces' }).waitFor()
  await page.waitForURL((url) => url.pathname === '/annonces/gestion')
}

async function setPosting(page: Page, label: string): Promise<void> {
  const radio = page.getByRole('radio', { name: label, exact: true })
  await radio.check()
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
  await page.getByRole('status').filter({ hasText: `Réglage enregistré : ${label}.` }).waitFor()
}

let caretaker: Page
let amina: Page
let karim: Page
let incidentUrl = ''

t.test('the caretaker asks residents’ notices to wait for approval', async (t) => {
  caretaker = await signIn('gardien')
  await openManage(caretaker)
  await caretaker.getByRole('heading', { level: 2, name: 'Annonces des habitants', exact: true }).waitFor()
  const free = caretaker.getByRole('radio', { name: 'Oui, sans validation', exact: true })
  await free.waitFor()
  t.ok(await free.isChecked(), 'the current setting is shown')
  await setPosting(caretaker, 'Oui, après ma validation')

  await caretaker.reload()
  await caretaker.getByRole('heading', { level: 1, name: 'Gérer les annonces' }).waitFor()
  const approval = caretaker.getByRole('radio', { name: 'Oui, après ma validation', exact: true })
  await approval.waitFor()
  t.ok(await approval.isChecked(), 'kept by the box')
  t.ok(await caretaker.getByText('Aucune annonce à valider.').isVisible(), 'nothing in the queue yet')
})

t.test('a resident proposes a notice; it waits for approval, off the board', async (t) => {
  amina = await signIn('amina')
  await openBoardWithSetting(amina)
  await amina.getByRole('link', { name: 'Proposer une annonce' }).click()
  await amina.getByRole('heading', { level: 1, name: 'Proposer une annonce' }).waitFor()
  t.equal(new URL(amina.url()).pathname, '/annonces/nouvelle')
  t.equal(await amina.getByRole('radio', { name: 'Urgent' }).count(), 0, 'no urgent notices from residents')
  await amina.getByRole('radio', { name: 'Événement' }).check()
  await amina.getByLabel('Titre').fill(PROPOSED)
  await amina.getByLabel('Texte', { exact: true }).fill('Dimanche de 10 h à 17 h. Chacun apporte sa table.')
  await amina.getByRole('button', { name: 'Envoyer l’annonce' }).click()
  await amina
    .getByRole('status')
    .filter({ hasText: 'Merci ! Votre annonce est envoyée au gardien, qui la publiera après l’avoir lue.' })
    .waitFor()
  t.equal(new URL(amina.url()).pathname, '/annonces')
  await amina.getByRole('article').first().waitFor()
  t.equal(await amina.getByRole('article', { name: PROPOSED }).count(), 0, 'not on the board yet')
  await shot(amina, '1-proposed')

  karim = await signIn('karim')
  await openBoard(karim)
  t.equal(await karim.getByRole('article', { name: PROPOSED }).count(), 0, 'nor on a neighbour’s board')
})

t.test('the caretaker approves it in the queue; the resident then sees it', async (t) => {
  await openManage(caretaker)
  const pending = caretaker.getByRole('article', { name: PROPOSED })
  await pending.waitFor()
  t.ok(await pending.getByText('En attente de validation').isVisible())
  t.ok(await pending.getByText('Par Amina B., habitant').isVisible(), 'the author is named')
  await shot(caretaker, '2-queue')
  await caretaker.getByRole('button', { name: 'Publier', exact: true }).click()
  await caretaker.getByRole('status').filter({ hasText: `Annonce « ${PROPOSED} » publiée.` }).waitFor()
  await caretaker.getByText('Aucune annonce à valider.').waitFor()
  t.equal(await caretaker.getByRole('article', { name: PROPOSED }).count(), 0, 'out of the queue')

  await openBoard(amina)
  const card = amina.getByRole('article', { name: PROPOSED })
  await card.waitFor()
  t.ok(await card.getByText('Par Amina B., habitant').isVisible())
  t.equal(await card.getByText('En attente de validation').count(), 0, 'published')
})

t.test('the caretaker turns residents’ posting off; the resident can no longer propose', async (t) => {
  await openManage(caretaker)
  await setPosting(caretaker, 'Non')

  await openBoardWithSetting(amina)
  await amina.getByRole('link', { name: 'Proposer une annonce' }).waitFor({ state: 'detached' })
  t.equal(await amina.getByRole('link', { name: 'Proposer une annonce' }).count(), 0, 'no "Proposer une annonce"')
  t.ok(await amina.getByRole('article', { name: PROPOSED }).isVisible(), 'what was published stays')
})

t.test('the caretaker takes a notice off the board and finds it in the archive', async (t) => {
  await openBoard(caretaker)
  const notice = caretaker.getByRole('article', { name: ARCHIVED })
  await notice.getByRole('button', { name: 'Retirer du tableau' }).click() // confirmed by the dialog handler
  await notice.waitFor({ state: 'detached' })
  t.ok(await caretaker.getByRole('article', { name: 'Fête des voisins' }).isVisible(), 'the others stay')

  await openBoard(amina)
  t.equal(await amina.getByRole('article', { name: ARCHIVED }).count(), 0, 'gone from the residents’ board')

  await openManage(caretaker)
  const search = caretaker.getByRole('search')
  // Case and accents ignored: "DEPOSEZ" finds "déposez".
  await search.getByLabel('Chercher dans les annonces passées (facultatif)').fill('DEPOSEZ')
  await search.getByRole('button', { name: 'Chercher' }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Annonces trouvées : 1' }).waitFor()
  const found = caretaker.getByRole('article', { name: ARCHIVED })
  await found.waitFor()
  t.ok(await found.getByText('devant le local poubelles').isVisible())
  t.equal(await found.getByRole('button', { name: 'Retirer du tableau' }).count(), 0, 'nothing to remove in the archive')
  await shot(caretaker, '3-archive')

  await search.getByLabel('Chercher dans les annonces passées (facultatif)').fill('piscine')
  await search.getByRole('button', { name: 'Chercher' }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Annonces trouvées : 0' }).waitFor()
  t.equal(await caretaker.getByRole('article', { name: ARCHIVED }).count(), 0, 'no match, no notice')
})

t.test('a resident reports a leak with a photo; the report shows it', async (t) => {
  await menu(amina, 'Signalements')
  await amina.getByRole('heading', { level: 1, name: 'Signalements' }).waitFor()
  await amina.getByRole('link', { name: 'Signaler un problème' }).click()
  await amina.getByRole('heading', { level: 1, name: 'Signaler un problème' }).waitFor()
  await amina.getByRole('radio', { name: 'Fuite d’eau' }).check()
  await amina.getByRole('radio', { name: 'Entrée ou escalier' }).check()
  t.equal(await amina.getByLabel('Précisez l’endroit').inputValue(), 'A')
  await amina.getByRole('button', { name: 'Continuer' }).click()
  await amina.getByRole('heading', { level: 2, name: '2. Décrivez le problème' }).waitFor()
  await amina.getByLabel('Description').fill('De l’eau coule du plafond dans le hall de l’entrée A.')
  await amina.getByLabel('Photo (facultatif)').setInputFiles(photoFile)
  await amina.getByRole('button', { name: 'Envoyer le signalement' }).click()
  await amina.getByRole('status').filter({ hasText: 'Merci, votre signalement est envoyé au gardien.' }).waitFor()
  await amina.getByRole('heading', { level: 1, name: 'Fuite d’eau — Entrée ou escalier : A' }).waitFor()
  incidentUrl = amina.url().replace(/\?.*$/, '')
  t.match(new URL(incidentUrl).pathname, /^\/signalements\/[0-9a-f-]{36}$/)

  const photo = amina.getByRole('img', { name: 'Photo jointe au signalement' })
  await photo.scrollIntoViewIfNeeded()
  await photo.evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))))
  t.equal(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth), 1, 'the photo loads from the box')
  t.match(await photo.getAttribute('src'), /^\/api\/v1\/incidents\/[0-9a-f-]{36}\/photo\//)
  t.ok(await amina.getByText('Foyers concernés : 1').isVisible())
  await shot(amina, '4-incident-photo')
})

t.test('the caretaker merges a duplicate report into it; the households add up', async (t) => {
  t.ok(incidentUrl, 'needs the report')
  const targetId = new URL(incidentUrl).pathname.split('/').pop()!
  // The same leak, seen from the 5th floor by Karim, and Leïla said "moi aussi" there.
  const duplicate = (
    await call('POST', '/incidents', cookies.karim!, {
      category: 'leak',
      place: { kind: 'floor', detail: '5e étage' },
      description: 'Une tache d’eau s’agrandit au plafond du palier.',
    })
  ).body
  await call('POST', `/incidents/${duplicate.id}/affected`, cookies.leila!, {})

  await caretaker.goto(`${base}/signalements/${duplicate.id}`)
  await caretaker.getByRole('heading', { level: 2, name: 'Traiter ce signalement' }).waitFor()
  t.ok(await caretaker.getByText('Foyers concernés : 2').isVisible())
  const open = caretaker.getByRole('button', { name: 'Regrouper avec un autre signalement' })
  await open.click()
  t.equal(await open.getAttribute('aria-expanded'), 'true')
  const select = caretaker.getByLabel('Signalement principal')
  await select.waitFor()
  const options = await select.locator('option').allTextContents()
  t.ok(
    options.some((o) => /Fuite d’eau — Entrée ou escalier\s: A · .* · Foyers concernés : 1/.test(o.replace(/\s+/g, ' '))),
    'the report to merge into is offered, with its households',
  )
  await select.selectOption(targetId)
  await caretaker.getByRole('button', { name: 'Regrouper', exact: true }).click() // confirmed by the dialog handler
  await caretaker.getByRole('status').filter({ hasText: 'Signalements regroupés.' }).waitFor()
  t.ok(await caretaker.getByText('État : Terminé', { exact: true }).isVisible(), 'the duplicate is closed')
  t.ok(await caretaker.getByText('Ce signalement a été regroupé avec un autre.').isVisible())
  await shot(caretaker, '5-merged')

  await caretaker.getByRole('link', { name: 'Voir le signalement principal' }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Fuite d’eau — Entrée ou escalier : A' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, new URL(incidentUrl).pathname)
  await caretaker.getByText('Foyers concernés : 3').waitFor()
  t.pass('1 + 2 households')
  const steps = await caretaker.locator('ol.timeline > li').evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ')))
  t.match(steps.at(-1) ?? '', /Regroupé avec un autre signalement \(gardien\)/, 'the merge is in the timeline')

  await karim.goto(`${base}/signalements/${targetId}`)
  await karim.getByRole('heading', { level: 1, name: 'Fuite d’eau — Entrée ou escalier : A' }).waitFor()
  t.ok(await karim.getByText('Votre foyer est concerné.').isVisible(), 'the duplicate’s reporter now follows the main report')
  t.equal(await karim.getByRole('button', { name: 'Moi aussi' }).count(), 0)
})

t.test('the caretaker publishes an urgent notice from the report; residents see it first', async (t) => {
  await caretaker.goto(incidentUrl)
  await caretaker.getByRole('heading', { level: 2, name: 'Traiter ce signalement' }).waitFor()
  await caretaker.getByRole('button', { name: 'Publier une annonce urgente' }).click() // confirmed by the dialog handler
  await caretaker.getByRole('status').filter({ hasText: 'Annonce urgente publiée.' }).waitFor()
  await caretaker.getByRole('link', { name: 'Voir le tableau d’affichage' }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Tableau d’affichage' }).waitFor()
  await caretaker.getByRole('article', { name: URGENT_FROM_INCIDENT }).waitFor()

  await openBoard(karim)
  const cards = karim.getByRole('article')
  t.same(
    await cards.evaluateAll((els) => els.map((el) => el.querySelector('h3')?.textContent?.trim())),
    [URGENT_FROM_INCIDENT, PROPOSED, 'Fête des voisins'],
    'the urgent notice first',
  )
  const headings = await karim.getByRole('heading', { level: 2 }).allTextContents()
  t.same(headings.map((h) => h.trim()), ['Urgent', 'Annonces'], 'in the urgent section')
  const urgent = karim.getByRole('article', { name: URGENT_FROM_INCIDENT })
  t.ok(await urgent.getByText('Urgent', { exact: true }).isVisible())
  t.ok(await urgent.getByText('De l’eau coule du plafond dans le hall de l’entrée A.').isVisible(), 'the report’s description')
  const follow = urgent.getByRole('link', { name: 'Suivre le signalement' })
  t.equal(await follow.getAttribute('href'), new URL(incidentUrl).pathname, 'a link to the report')
  await shot(karim, '6-board-urgent')
  // A link to the intranet itself stays in the app (links out of the box open a new tab).
  t.equal(await follow.getAttribute('target'), null, 'stays in the same tab')
  await follow.click()
  await karim.getByRole('heading', { level: 1, name: 'Fuite d’eau — Entrée ou escalier : A' }).waitFor()
  t.ok(await karim.getByText('Foyers concernés : 3').isVisible(), 'the link leads to the report')
})

t.test('the notice’s poster opens in a new tab with its title and a QR code', async (t) => {
  await openBoard(caretaker)
  const notice = caretaker.getByRole('article', { name: URGENT_FROM_INCIDENT })
  const [poster] = await Promise.all([caretaker.context().waitForEvent('page'), notice.getByRole('link', { name: 'Imprimer l’affiche' }).click()])
  await poster.waitForURL(/\/api\/v1\/print\/notices\/[0-9a-f-]{36}$/)
  await poster.waitForLoadState('load')
  t.equal((await poster.locator('h1').textContent())?.trim(), URGENT_FROM_INCIDENT, 'the title')
  t.ok((await poster.locator('body').innerText()).includes('URGENT'), 'the kind')
  t.ok((await poster.locator('svg').count()) > 0, 'an SVG QR code')
  await shot(poster, '7-poster')
  await poster.close()

  await openManage(caretaker)
  const [digest] = await Promise.all([caretaker.context().waitForEvent('page'), caretaker.getByRole('link', { name: 'Imprimer le résumé de la semaine' }).click()])
  await digest.waitForURL(/\/api\/v1\/print\/digest$/)
  await digest.waitForLoadState('load')
  const text = await digest.locator('body').innerText()
  t.ok(text.includes(URGENT_FROM_INCIDENT), 'the weekly digest lists the notice')
  t.ok((await digest.locator('svg').count()) > 0, 'and has an SVG QR code')
  await digest.close()
})

t.test('no script errors or CSP refusals in any page', async (t) => {
  t.same(pageErrors, [])
})
