// End to end with the real server and Debian's Chromium on a phone-sized screen: the caretaker
// sets up the box, adds a flat and prints its invitation; a resident joins with the letter's
// code in another browser and switches the interface to Arabic (right to left).
import t from 'tap'
import type { Page } from 'playwright-core'
import { SETUP_CODE, focused, startHarness } from './e2e-harness.js'

const FLAT = 'Bâtiment A – 3e – porte 12'

t.setTimeout(180_000)

const { app, base, pageErrors, phone } = await startHarness(t)

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-${name}.png`, fullPage: true })

let caretaker: Page
let code = ''
let resident: Page

t.test('the caretaker sets up the box from the welcome page', async (t) => {
  caretaker = await (await phone()).newPage()
  await caretaker.goto(base + '/')
  await caretaker.getByRole('link', { name: 'Mettre en service la boîte' }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Mise en service' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, '/setup')
  t.match(await focused(caretaker), /^H1 Mise en service/, 'focus moves to the new page heading')

  await caretaker.getByLabel('Code de mise en service').fill('TEST-SETUP-CODE-0000')
  await caretaker.getByLabel('Identifiant', { exact: true }).fill('gardien')
  await caretaker.getByLabel('Nom affiché', { exact: true }).fill('Martine')
  await caretaker.getByLabel('Mot de passe', { exact: true }).fill('correct horse battery')
  await caretaker.getByLabel('Confirmez le mot de passe').fill('correct horse battery')
  await caretaker.getByRole('button', { name: 'Mettre en service' }).click()
  const alert = caretaker.getByRole('alert').filter({ hasText: 'code' })
  await alert.waitFor()
  t.equal(await alert.textContent(), 'Ce code de mise en service n’est pas le bon.', 'the server message, in French')
  const codeInput = caretaker.getByLabel('Code de mise en service')
  t.equal(await codeInput.getAttribute('aria-invalid'), 'true')
  t.match(await codeInput.getAttribute('aria-describedby'), /form-error/)
  t.match(await focused(caretaker), /^INPUT/, 'focus moves to the faulty input')
  await shot(caretaker, '0-setup-error')

  await codeInput.fill(SETUP_CODE)
  await caretaker.getByRole('button', { name: 'Mettre en service' }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Bonjour, Martine' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, '/')
  t.equal(await caretaker.evaluate(() => document.documentElement.lang), 'fr')
  const nav = caretaker.getByRole('navigation', { name: 'Menu principal' })
  for (const name of ['Accueil', 'Logements', 'Résidents', 'Mon compte']) {
    t.ok(await nav.getByRole('link', { name, exact: true }).isVisible(), `menu has ${name}`)
  }
  t.ok(await nav.getByRole('button', { name: 'Déconnexion' }).isVisible())
  await shot(caretaker, '1-caretaker-home')
})

t.test('the service worker is installed on a secure origin', async (t) => {
  const script = await caretaker.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? '')
  t.equal(new URL(script).pathname, '/sw.js')
})

t.test('the caretaker adds a flat and prints its invitation letter', async (t) => {
  await caretaker.getByRole('navigation').getByRole('link', { name: 'Logements', exact: true }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Logements' }).waitFor()
  t.equal(new URL(caretaker.url()).pathname, '/logements')
  await caretaker.getByLabel('Nom du logement').fill(FLAT)
  await caretaker.getByLabel('Entrée ou escalier (facultatif)').fill('A')
  await caretaker.getByLabel('Étage (facultatif)').fill('3')
  await caretaker.getByLabel('Porte (facultatif)').fill('12')
  await caretaker.getByRole('button', { name: 'Ajouter le logement' }).click()
  const card = caretaker.getByRole('article', { name: FLAT })
  await card.waitFor()
  await caretaker.getByRole('status').filter({ hasText: `Logement « ${FLAT} » ajouté.` }).waitFor()
  t.equal(await caretaker.getByLabel('Nom du logement').inputValue(), '', 'the form is emptied')
  t.ok(await card.getByText('Invitations actives : 0').isVisible())

  const [letter] = await Promise.all([
    caretaker.context().waitForEvent('page'),
    card.getByRole('button', { name: 'Imprimer l’invitation' }).click(),
  ])
  await letter.waitForURL(/\/api\/v1\/print\/invitations\?flat=/)
  await letter.waitForLoadState('load')
  const text = await letter.locator('body').innerText()
  code = /\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/.exec(text)?.[0] ?? ''
  t.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'the letter shows the invitation code')
  t.ok(text.includes(FLAT), 'the letter names the flat')
  t.ok((await letter.locator('svg').count()) > 0, 'the letter has an SVG QR code')
  await shot(letter, '2-invitation-letter')
  await letter.close()

  await card.getByText('Invitations actives : 1').waitFor()
  t.equal(await card.locator('.code').first().textContent(), code, 'the new code is shown on the flat too')
  await shot(caretaker, '3-flats')
})

t.test('a resident joins with the code of the letter', async (t) => {
  t.ok(code, 'needs the code from the letter')
  resident = await (await phone()).newPage()
  await resident.goto(`${base}/rejoindre?code=${encodeURIComponent(code.toLowerCase())}`)
  await resident.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor()
  t.equal(await resident.getByLabel('Code d’invitation').inputValue(), code, 'code prefilled from the QR link')
  await resident.getByLabel('Identifiant', { exact: true }).fill('amina')
  await resident.getByLabel('Nom affiché', { exact: true }).fill('Amina B.')
  await resident.getByLabel('Mot de passe', { exact: true }).fill('lemon tree sunrise')
  await resident.getByLabel('Confirmez le mot de passe').fill('lemon tree sunrise')
  await shot(resident, '4-join')
  await resident.getByRole('button', { name: 'Créer mon compte' }).click()
  await resident.getByRole('heading', { level: 1, name: 'Bonjour, Amina B.' }).waitFor()
  t.ok(await resident.getByText(`Logement : ${FLAT}`).isVisible())
  const nav = resident.getByRole('navigation', { name: 'Menu principal' })
  t.equal(await nav.getByRole('link', { name: 'Logements' }).count(), 0, 'no caretaker pages in a resident’s menu')
  await shot(resident, '5-resident-home')
})

t.test('Arabic turns the interface right to left, and server messages follow', async (t) => {
  await resident.getByLabel('Langue').selectOption('ar')
  await resident.waitForFunction(() => document.documentElement.dir === 'rtl')
  t.equal(await resident.evaluate(() => document.documentElement.lang), 'ar')
  await resident.getByRole('heading', { level: 1, name: 'مرحبًا، Amina B.' }).waitFor()
  t.ok(await resident.getByRole('link', { name: 'حسابي', exact: true }).isVisible())
  await shot(resident, '6-resident-home-ar')

  // The choice survives a reload.
  await resident.reload()
  await resident.getByRole('heading', { level: 1, name: 'مرحبًا، Amina B.' }).waitFor()
  t.equal(await resident.evaluate(() => document.documentElement.dir), 'rtl')

  // Errors come from the server in the chosen language (Accept-Language).
  await resident.getByRole('navigation').getByRole('link', { name: 'حسابي' }).click()
  await resident.getByRole('heading', { level: 1, name: 'حسابي' }).waitFor()
  await resident.getByLabel('كلمة المرور الحالية').fill('not my password')
  await resident.getByLabel('كلمة المرور الجديدة').fill('orange river mountain')
  await resident.getByLabel('تأكيد كلمة المرور').fill('orange river mountain')
  await resident.getByRole('button', { name: 'حفظ كلمة المرور الجديدة' }).click()
  const alert = resident.getByRole('alert').filter({ hasText: 'كلمة المرور' })
  await alert.waitFor()
  t.match(await alert.textContent(), /[\u0600-\u06ff]/, 'the server answered in Arabic')
  await shot(resident, '7-account-ar-error')
})

t.test('the caretaker imports flats from a Windows spreadsheet export', async (t) => {
  await caretaker.goto(base + '/logements')
  await caretaker.getByRole('heading', { level: 1, name: 'Logements' }).waitFor()
  // Excel in France saves CSV in Windows-1252: "â" is the single byte 0xE2.
  const csv = Buffer.from('entree;etage;porte;logement\r\nB;1;3;Bâtiment B porte 3\r\nB;2;4;Bâtiment B porte 4\r\n', 'latin1')
  await caretaker.getByLabel('Fichier CSV').setInputFiles({ name: 'logements.csv', mimeType: 'text/csv', buffer: csv })
  await caretaker.getByRole('button', { name: 'Importer le fichier' }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Logements ajoutés : 2.' }).waitFor()
  await caretaker.getByRole('article', { name: 'Bâtiment B porte 4' }).waitFor()
  t.ok(await caretaker.getByText('Nombre de logements : 3').isVisible())
})

t.test('the caretaker lists and cancels invitations, and removes a flat', async (t) => {
  caretaker.on('dialog', (dialog) => void dialog.accept())
  const flat = caretaker.getByRole('article', { name: 'Bâtiment B porte 3' })
  await flat.getByRole('button', { name: 'Voir les invitations' }).click()
  await flat.getByText('Aucune invitation.').waitFor()
  await flat.getByRole('button', { name: 'Créer une invitation' }).click()
  await flat.getByText('Invitations actives : 1').waitFor()
  const invites = flat.locator('#invites')
  await invites.getByRole('button', { name: 'Annuler l’invitation' }).click()
  await invites.getByText('Annulée').waitFor()
  await flat.getByText('Invitations actives : 0').waitFor()
  t.equal(await flat.getByRole('button', { name: 'Masquer les invitations' }).getAttribute('aria-expanded'), 'true')

  const gone = caretaker.getByRole('article', { name: 'Bâtiment B porte 4' })
  await gone.getByRole('button', { name: 'Retirer l’accès' }).click()
  await gone.getByText(/^Accès retiré le /).waitFor()
  t.equal(await gone.getByRole('button', { name: 'Imprimer l’invitation' }).count(), 0, 'nothing to print for a removed flat')
  t.ok(await caretaker.getByText('Nombre de logements : 2').isVisible())
})

t.test('the caretaker gives a reset code; the resident picks a new password', async (t) => {
  await caretaker.getByRole('navigation').getByRole('link', { name: 'Résidents', exact: true }).click()
  await caretaker.getByRole('heading', { level: 1, name: 'Résidents' }).waitFor()
  const person = caretaker.getByRole('article', { name: 'Amina B.' })
  await person.getByRole('button', { name: 'Créer un code de réinitialisation' }).click()
  const resetCode = (await person.locator('.code').textContent({ timeout: 10_000 })) ?? ''
  t.match(resetCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  await shot(caretaker, '9-residents')

  const page = await (await phone()).newPage()
  await page.goto(base + '/connexion')
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click()
  await page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' }).waitFor()
  await page.getByLabel('Identifiant', { exact: true }).fill('amina')
  await page.getByLabel('Code de réinitialisation').fill(resetCode.toLowerCase().replace(/-/g, ' '))
  await page.getByLabel('Nouveau mot de passe').fill('fresh garden morning')
  await page.getByLabel('Confirmez le mot de passe').fill('fresh garden morning')
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
  await page.getByRole('status').filter({ hasText: 'votre mot de passe est changé' }).waitFor()

  await page.getByRole('link', { name: 'Se connecter' }).click()
  await page.getByLabel('Identifiant', { exact: true }).fill('Amina')
  await page.getByLabel('Mot de passe', { exact: true }).fill('fresh garden morning')
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.getByRole('heading', { level: 1, name: 'Bonjour, Amina B.' }).waitFor()

  await page.getByRole('button', { name: 'Déconnexion' }).click()
  await page.getByRole('link', { name: 'Se connecter' }).waitFor()
  t.equal(new URL(page.url()).pathname, '/')
  t.equal(await page.getByRole('navigation').count(), 0, 'no menu once signed out')
  await shot(page, '10-welcome')
  await page.context().close()
})

t.test('offline, the service worker still opens the app and says why nothing loads', async (t) => {
  const context = caretaker.context()
  await context.setOffline(true)
  try {
    await caretaker.reload()
    await caretaker.getByRole('alert').filter({ hasText: 'Impossible de joindre la boîte' }).first().waitFor()
    t.pass('app shell served from the cache')
  } finally {
    await context.setOffline(false)
  }
})

t.test('pages fit a 320px-wide screen', async (t) => {
  for (const page of [caretaker, resident]) {
    await page.setViewportSize({ width: 320, height: 640 })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    t.equal(overflow, 0, `no sideways scrolling on ${new URL(page.url()).pathname}`)
  }
  await caretaker.goto(base + '/logements')
  await caretaker.getByRole('heading', { level: 1, name: 'Logements' }).waitFor()
  t.equal(await caretaker.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'flats page too')
  await shot(caretaker, '8-flats-320')
})

t.test('no script errors or CSP refusals in any page', async (t) => {
  t.same(pageErrors, [])
})
