// End to end, the neighbour exchange, with the real server and Debian's Chromium on phone-sized
// screens: Amina (flat 1) offers to lend her drill; Karim (flat 2) finds it by searching
// "perceuse" and answers; they write to each other (the unread badge shows, then clears once
// read); Amina records the loan, Karim confirms it, Amina marks it returned, Karim says thanks,
// and Amina's household page counts one "merci". The exchange in Arabic reads right to left.
import t from 'tap'
import type { Page } from 'playwright-core'
import { menu, startHarness } from './e2e-harness.js'

const TITLE = 'Perceuse à prêter'
const ITEM = 'Perceuse Bosch'
const FLAT_1 = 'A – 1er – porte 01'
const FLAT_2 = 'A – 2e – porte 02'

t.setTimeout(300_000)

const { pageErrors, building, signIn } = await startHarness(t)
await building([
  [FLAT_1, '1', 'amina', 'Amina B.'],
  [FLAT_2, '2', 'karim', 'Karim'],
])

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-exchange-${name}.png`, fullPage: true })
const nav = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' })
const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor()

const amina = await signIn('amina')
const karim = await signIn('karim')

t.test('Amina offers to lend her drill', async (t) => {
  await menu(amina, 'Échanges')
  await h1(amina, 'Échanges')
  await amina.getByRole('link', { name: 'Publier une annonce' }).first().click()
  await h1(amina, 'Publier une annonce')
  t.equal(await amina.getByLabel('Offre').isChecked(), true, 'an offer by default')
  await amina.getByLabel('Prêt', { exact: true }).check()
  await amina.getByLabel('Catégorie').selectOption('tools')
  await amina.getByLabel('Titre').fill(TITLE)
  await amina.getByLabel('Description').fill('Perceuse à percussion avec ses mèches, pour le béton aussi.')
  await amina.getByLabel('Quand ? (facultatif)').fill('le soir après 18 h')
  await amina.getByRole('button', { name: 'Publier' }).click()
  await h1(amina, TITLE)
  await amina.getByText('Votre annonce est publiée.').waitFor()
  t.ok(await amina.getByRole('button', { name: 'Réservée' }).isVisible(), 'its household gets the status buttons')
  t.ok(await amina.getByRole('button', { name: 'Renouveler' }).isVisible())
  t.equal(await amina.getByRole('button', { name: 'Répondre' }).count(), 0, 'nobody answers their own listing')
})

t.test('Karim finds it by searching "perceuse" and answers', async (t) => {
  await menu(karim, 'Échanges')
  await h1(karim, 'Échanges')
  await karim.getByLabel('Rechercher').fill('perceuse')
  await karim.getByRole('button', { name: 'Chercher' }).click()
  await karim.waitForURL(/\/echanges\?q=perceuse$/)
  const card = karim.getByRole('link', { name: new RegExp(TITLE) })
  await card.waitFor()
  const text = await card.textContent()
  t.match(text, /Offre/)
  t.match(text, /Prêt/)
  t.match(text, /Amina B\. · A – 1er – porte 01/, 'who: name and flat')
  await shot(karim, '1-search')
  await karim.getByLabel('Rechercher').fill('tondeuse')
  await karim.getByRole('button', { name: 'Chercher' }).click()
  await karim.getByText('Aucune annonce pour l’instant.').waitFor()
  await karim.goBack()
  await card.click()
  await h1(karim, TITLE)
  await shot(karim, '2-listing')
  await karim.getByLabel('Votre message').fill('Bonjour, je pourrais l’emprunter samedi ?')
  await karim.getByRole('button', { name: 'Répondre' }).click()
  await h1(karim, `Avec Amina B. · ${FLAT_1}`)
  await karim.getByText('Bonjour, je pourrais l’emprunter samedi ?').waitFor()
  t.ok(await karim.getByRole('link', { name: TITLE }).isVisible(), 'the listing heads the conversation')
})

t.test('they write to each other; the unread badge shows, then clears', async (t) => {
  await menu(amina, 'Accueil')
  await nav(amina).getByRole('link', { name: 'Échanges, messages non lus : 1' }).waitFor()
  await nav(amina).getByRole('link', { name: 'Échanges, messages non lus : 1' }).click()
  await amina.getByRole('link', { name: /^Messages/ }).click()
  await h1(amina, 'Messages')
  await amina.getByText('Messages non lus : 1').waitFor()
  await amina.getByRole('link', { name: new RegExp(TITLE) }).click()
  await h1(amina, `Avec Karim · ${FLAT_2}`)
  await amina.getByText('Bonjour, je pourrais l’emprunter samedi ?').waitFor()
  await nav(amina).getByRole('link', { name: 'Échanges', exact: true }).waitFor()
  await amina.getByLabel('Votre message').fill('Oui, passez samedi à 10 h.')
  await amina.getByRole('button', { name: 'Envoyer' }).click()
  const sent = amina.getByRole('status').filter({ hasText: 'Message envoyé.' })
  await sent.waitFor()
  t.equal(await sent.getAttribute('aria-live'), 'polite', 'the sent message is announced')
  t.equal(await amina.getByLabel('Votre message').inputValue(), '', 'the box is emptied')

  await menu(karim, 'Accueil')
  const badge = nav(karim).getByRole('link', { name: 'Échanges, messages non lus : 1' })
  await badge.waitFor()
  t.equal(await badge.locator('.badge').textContent(), '1')
  await shot(karim, '3-badge')
  await badge.click()
  await karim.getByRole('link', { name: /^Messages/ }).click()
  await karim.getByRole('link', { name: new RegExp(TITLE) }).click()
  await karim.getByText('Oui, passez samedi à 10 h.').waitFor()
  await nav(karim).getByRole('link', { name: 'Échanges', exact: true }).waitFor()
  t.equal(await nav(karim).locator('.badge').count(), 0, 'read: no badge any more')
  t.equal(await karim.getByRole('heading', { name: 'Prêter' }).count(), 0, 'the borrower side does not record the loan')
})

t.test('Amina records the loan; Karim confirms it', async (t) => {
  await amina.getByLabel('Objet prêté').fill(ITEM)
  t.match(await amina.getByLabel('À rendre le').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'a week from now by default')
  await amina.getByRole('button', { name: 'Enregistrer le prêt' }).click()
  await amina.getByText(/^Prêt noté : Perceuse Bosch/).waitFor()
  await shot(amina, '3-conversation-lent')

  await karim.getByRole('link', { name: 'Mes prêts' }).first().click()
  await h1(karim, 'Mes prêts')
  await karim.getByRole('heading', { level: 3, name: ITEM }).waitFor()
  await karim.getByText('À confirmer par l’emprunteur').waitFor()
  await karim.getByRole('button', { name: `Confirmer ${ITEM}` }).click()
  await karim.getByText(`Prêt confirmé : ${ITEM}.`).waitFor()
  await karim.getByText('En cours').waitFor()
  t.equal(await karim.getByRole('button', { name: `Rendu ${ITEM}` }).count(), 0, 'only the lender marks it returned')
})

t.test('Amina marks it returned; Karim says thanks', async (t) => {
  await amina.getByRole('link', { name: 'Mes prêts' }).first().click()
  await h1(amina, 'Mes prêts')
  await amina.getByRole('button', { name: `Rendu ${ITEM}` }).click()
  await amina.getByText(`C’est rendu : ${ITEM}.`).waitFor()

  await karim.reload()
  await h1(karim, 'Mes prêts')
  await karim.getByRole('heading', { name: 'Dire merci à Amina B.' }).waitFor()
  await karim.getByLabel('Un petit mot (facultatif)').fill('Merci, elle marche très bien !')
  await karim.getByRole('button', { name: 'Dire merci' }).click()
  await karim.getByText('Votre merci est envoyé à Amina B.').waitFor()
  await shot(karim, '4-thanks')
  await karim.reload()
  await karim.getByRole('button', { name: 'Dire merci' }).click()
  await karim.getByText('Vous avez déjà dit merci à Amina B. pour cet échange.').waitFor()
  t.pass('a second merci for the same exchange is not counted')
})

t.test('Amina’s household page shows one merci', async (t) => {
  await amina.getByRole('link', { name: 'Mes annonces' }).first().click()
  await amina.getByRole('link', { name: new RegExp(TITLE) }).click()
  await h1(amina, TITLE)
  await amina.getByRole('link', { name: `Amina B. · ${FLAT_1}` }).click()
  await h1(amina, `Amina B. · ${FLAT_1}`)
  await amina.getByText('1 merci(s) reçu(s)').waitFor()
  await amina.getByText('« Merci, elle marche très bien ! »').waitFor()
  t.pass('one merci, with its word')
})

t.test('the exchange in Arabic reads right to left', async (t) => {
  await menu(karim, 'Échanges')
  await h1(karim, 'Échanges')
  await karim.getByLabel('Langue').selectOption('ar')
  await h1(karim, 'التبادل')
  t.equal(await karim.evaluate(() => document.documentElement.dir), 'rtl')
  t.equal(await karim.evaluate(() => document.documentElement.lang), 'ar')
  t.equal(await karim.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling')
  await shot(karim, '5-ar')
  await karim.getByLabel('اللغة').selectOption('fr')
})

t.test('no page printed an error', async (t) => {
  t.same(pageErrors, [])
})
