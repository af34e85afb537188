// End to end, the shared storage, with the real server and Debian's Chromium on phone-sized
// screens: the caretaker uploads the building rules into the library; a resident opens them; a
// resident uploads a photo to the shared space on a slow connection and watches its progress bar
// reach 100 %; a neighbour from another flat sees it in the grid; the page in Arabic reads right
// to left; a cancelled upload leaves nothing behind; a file goes to the trash and comes back.
import t from 'tap'
import { createHash, randomFillSync } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import type { CDPSession, Page } from 'playwright-core'
import { focused, menu, startHarness } from './e2e-harness.js'

const RULES = 'Règlement de l’immeuble.pdf'
const PHOTO = 'Fête des voisins.png'
const CANCELLED = 'à-annuler.png'
const RESUMED = 'vidéo de la fête.bin'
const SHARED = 'Partagé avec les voisins'

t.setTimeout(300_000)

const { app, base, pageErrors, building, signIn } = await startHarness(t)
const { residents: cookies } = await building([
  ['A – 3e – porte 12', '3', 'amina', 'Amina B.'],
  ['A – 5e – porte 20', '5', 'karim', 'Karim'],
])

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/palier-e2e-files-${name}.png`, fullPage: true })

/** A small but valid one-page PDF, its cross-reference table pointing at the right bytes. */
function rulesPdf(): Buffer {
  const text = 'BT /F1 18 Tf 72 760 Td (Reglement de l immeuble) Tj ET'
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let pdf = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(pdf.length)
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let c = 0xffffffff
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A real PNG of coloured noise: it does not compress, so `width`×`height`×3 bytes go up the wire. */
function noisePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([head, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB
  const raw = randomFillSync(Buffer.alloc((width * 3 + 1) * height))
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0 // filter "none" on every row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const sessions = new Map<Page, CDPSession>()

/**
 * Slows this page's uploads down to `bytesPerSecond` (-1: full speed), or cuts it off the network,
 * in-flight requests included, as when a phone leaves the Wi-Fi's reach. One DevTools session per
 * page, so the two settings never undo each other.
 */
async function network(page: Page, bytesPerSecond: number, offline = false): Promise<void> {
  let cdp = sessions.get(page)
  if (!cdp) {
    cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    sessions.set(page, cdp)
  }
  await cdp.send('Network.emulateNetworkConditions', { offline, latency: 20, downloadThroughput: -1, uploadThroughput: bytesPerSecond })
}

const throttle = (page: Page, bytesPerSecond: number) => network(page, bytesPerSecond)

/**
 * Notes every value the upload progress bars show (they live in shadow roots). A string, not a
 * function: tsx would wrap named functions in a helper that the page does not have.
 */
const WATCH_PROGRESS = `(() => {
  const seen = []
  window.__progress = seen
  const find = (root, out) => {
    root.querySelectorAll('progress').forEach((p) => out.push(p))
    root.querySelectorAll('*').forEach((el) => el.shadowRoot && find(el.shadowRoot, out))
    return out
  }
  const tick = () => {
    for (const p of find(document, [])) if (seen[seen.length - 1] !== p.value) seen.push(p.value)
    requestAnimationFrame(tick)
  }
  tick()
})()`

async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(WATCH_PROGRESS)
}

async function usedBytes(cookie: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/files/spaces', headers: { cookie } })
  return res.json().limits.usedBytes as number
}

async function listedNames(cookie: string, space: string): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/files?space=${space}`, headers: { cookie } })
  return (res.json().items as { name: string }[]).map((i) => i.name)
}

let caretaker: Page
let amina: Page
let karim: Page
let rulesHref = ''
const photo = noisePng(300, 300)

t.test('the caretaker uploads the building rules into the library', async (t) => {
  caretaker = await signIn('gardien')
  await menu(caretaker, 'Fichiers')
  await caretaker.getByRole('heading', { level: 1, name: 'Fichiers' }).waitFor()
  t.match(await focused(caretaker), /^H1 Fichiers/, 'focus on the new page’s heading')
  const tabs = caretaker.getByRole('navigation', { name: 'Espaces de fichiers' })
  await tabs.getByRole('link', { name: SHARED }).waitFor()
  t.same((await tabs.getByRole('link').allTextContents()).map((s) => s.trim()), ['Bibliothèque de l’immeuble', SHARED], 'no household space for the caretaker')
  t.equal(await tabs.getByRole('link', { name: 'Bibliothèque de l’immeuble' }).getAttribute('aria-current'), 'page')

  await caretaker.getByLabel('Choisir des fichiers à envoyer').setInputFiles({ name: RULES, mimeType: 'application/pdf', buffer: rulesPdf() })
  const link = caretaker.getByRole('link', { name: RULES, exact: true })
  await link.waitFor()
  t.ok(await caretaker.getByText('Terminé', { exact: true }).isVisible(), 'the upload says it is done')
  t.ok(await caretaker.getByText(/^PDF · \d+ octets · ajouté par Martine le /).isVisible(), 'type, size and who added it in words')
  rulesHref = (await link.getAttribute('href')) ?? ''
  t.match(rulesHref, /^\/api\/v1\/files\/[0-9a-f-]{36}\/content$/)
  await shot(caretaker, '1-library-caretaker')

  await menu(caretaker, 'Stockage')
  await caretaker.getByRole('heading', { level: 1, name: 'Place utilisée' }).waitFor()
  await caretaker.getByText('A – 3e – porte 12').waitFor()
  t.ok(await caretaker.getByText('A – 5e – porte 20').isVisible(), 'each household is listed')
  t.ok(await caretaker.getByText(/^Bibliothèque de l’immeuble : \d+ octets, fichiers : 1$/).isVisible())
})

t.test('a resident finds the rules in the library and opens them', async (t) => {
  amina = await signIn('amina')
  await amina.getByRole('link', { name: /^Fichiers/ }).first().click()
  await amina.getByRole('heading', { level: 1, name: 'Fichiers' }).waitFor()
  const link = amina.getByRole('link', { name: RULES, exact: true })
  await link.waitFor()
  t.equal(await link.getAttribute('href'), rulesHref)
  t.ok(await amina.getByText('Seul le gardien ajoute des fichiers ici. Vous pouvez les ouvrir et les télécharger.').isVisible(), 'read only for residents')
  t.equal(await amina.getByRole('button', { name: `Options ${RULES}` }).count(), 0, 'nothing to change in the library')
  t.ok(await amina.getByRole('link', { name: `Télécharger ${RULES}` }).isVisible())
  const res = await amina.request.get(base + rulesHref)
  t.equal(res.status(), 200)
  t.equal(res.headers()['content-type'], 'application/pdf')
  t.equal(res.headers()['x-content-type-options'], 'nosniff')
  t.match((await res.body()).subarray(0, 5).toString(), '%PDF-')
})

t.test('a resident uploads a photo to the shared space and watches it go', async (t) => {
  await amina.getByRole('link', { name: SHARED }).click()
  await amina.getByRole('heading', { level: 2, name: SHARED }).waitFor()
  await amina.getByText(/^\d+(,\d)? (octets|Ko) utilisés sur 2 Go$/).waitFor()
  t.pass('the household’s room in plain words')
  t.ok(photo.length > 250_000, `a photo of ${photo.length} bytes`)
  await throttle(amina, 120 * 1024)
  await watchProgress(amina)
  await amina.getByLabel('Choisir des fichiers à envoyer').setInputFiles({ name: PHOTO, mimeType: 'image/png', buffer: photo })
  const bar = amina.getByRole('progressbar', { name: `Envoi de ${PHOTO}` })
  await bar.waitFor()
  t.ok(await amina.getByRole('button', { name: `Annuler l’envoi de ${PHOTO}` }).isVisible(), 'it can be cancelled while it goes')
  await amina.getByRole('link', { name: PHOTO, exact: true }).waitFor({ timeout: 60_000 })
  t.equal(await bar.getAttribute('value'), '100')
  t.ok(await amina.getByText('100 %', { exact: true }).isVisible())
  await amina.getByRole('status').filter({ hasText: `${PHOTO} est envoyé.` }).waitFor({ state: 'attached' })
  const seen = await amina.evaluate(() => (window as unknown as { __progress: number[] }).__progress)
  t.ok(seen.some((v) => v > 0 && v < 100), `the bar moved in between (${seen.join(', ')})`)
  t.equal(Math.max(...seen), 100, 'and reached 100 %')
  t.same(seen, [...seen].sort((a, b) => a - b), 'never going back')
  await shot(amina, '2-shared-uploaded')
})

t.test('a neighbour from another flat sees the photo in the shared grid', async (t) => {
  karim = await signIn('karim')
  await menu(karim, 'Fichiers')
  await karim.getByRole('link', { name: SHARED }).click()
  const tile = karim.getByRole('link', { name: PHOTO, exact: true })
  await tile.waitFor()
  const img = tile.locator('img')
  t.equal(await img.getAttribute('loading'), 'lazy')
  t.equal(await img.getAttribute('width'), '160')
  t.match(await img.getAttribute('src'), /\/preview$/, 'the small preview made on the uploader’s phone')
  await img.scrollIntoViewIfNeeded()
  await karim.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle())
  t.ok(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth <= 320), 'the preview is at most 320 px wide')
  await karim.getByRole('button', { name: `Options ${PHOTO}` }).click()
  t.equal(await karim.getByRole('button', { name: `Supprimer ${PHOTO}` }).count(), 0, 'only who added it (or the caretaker) may delete it')
  t.ok(await karim.getByRole('link', { name: `Télécharger ${PHOTO}` }).isVisible())
  await shot(karim, '3-shared-neighbour')
})

t.test('the files page in Arabic reads right to left', async (t) => {
  await karim.getByLabel('Langue').selectOption('ar')
  await karim.getByRole('heading', { level: 1, name: 'الملفات' }).waitFor()
  t.equal(await karim.evaluate(() => document.documentElement.dir), 'rtl')
  t.ok(await karim.getByRole('link', { name: 'مشترك مع الجيران' }).isVisible())
  t.equal(await karim.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling')
  await shot(karim, '4-shared-ar')
  await karim.getByLabel('اللغة').selectOption('fr')
  await karim.getByRole('heading', { level: 1, name: 'Fichiers' }).waitFor()
})

t.test('a connection lost in the middle of an upload resumes where it stopped', async (t) => {
  const data = randomFillSync(Buffer.alloc(400 * 1024))
  await throttle(amina, 40 * 1024)
  await amina.getByLabel('Choisir des fichiers à envoyer').setInputFiles({ name: RESUMED, mimeType: 'application/octet-stream', buffer: data })
  const bar = amina.getByRole('progressbar', { name: `Envoi de ${RESUMED}` })
  await amina.waitForFunction(() => ((window as unknown as { __progress: number[] }).__progress.slice(-1)[0] ?? 0) >= 30)
  await network(amina, 40 * 1024, true)
  try {
    await amina.getByRole('listitem').filter({ hasText: RESUMED }).getByText('Connexion perdue, reprise…').waitFor()
    await amina.getByRole('status').filter({ hasText: 'Connexion perdue, reprise…' }).waitFor({ state: 'attached' })
    t.pass('says the connection is lost and that it will resume')
    await new Promise((r) => setTimeout(r, 1500))
  } finally {
    await throttle(amina, -1)
  }
  const link = amina.getByRole('link', { name: RESUMED, exact: true })
  await link.waitFor({ timeout: 90_000 })
  t.equal(await bar.getAttribute('value'), '100')
  const stored = await amina.request.get(base + (await link.getAttribute('href')))
  const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex')
  t.equal(digest(await stored.body()), digest(data), 'the box holds the very same bytes')
})

t.test('a cancelled upload leaves nothing listed', async (t) => {
  await throttle(amina, 16 * 1024)
  await amina.getByLabel('Choisir des fichiers à envoyer').setInputFiles({ name: CANCELLED, mimeType: 'image/png', buffer: noisePng(200, 200) })
  const bar = amina.getByRole('progressbar', { name: `Envoi de ${CANCELLED}` })
  await bar.waitFor()
  // Cancelled while its bytes are on the way, not before.
  while (Number(await bar.getAttribute('value')) === 0) await new Promise((r) => setTimeout(r, 50))
  t.ok(Number(await bar.getAttribute('value')) < 100, 'part way through')
  await amina.getByRole('button', { name: `Annuler l’envoi de ${CANCELLED}` }).click()
  await amina.getByText('Annulé', { exact: true }).waitFor()
  await throttle(amina, -1)
  // The box forgets it: the room it had reserved comes back (the cancel's DELETE may take a
  // moment), and nothing shows in the folder, now or after a reload.
  const expected = photo.length + 400 * 1024
  let used = -1
  for (let i = 0; i < 100 && used !== expected; i++) {
    if (i) await new Promise((r) => setTimeout(r, 100))
    used = await usedBytes(cookies.amina!)
  }
  t.equal(used, expected, 'the room it had reserved is given back')
  t.same(await listedNames(cookies.amina!, 'shared'), [PHOTO, RESUMED])
  await amina.reload()
  await amina.getByRole('link', { name: PHOTO, exact: true }).waitFor()
  t.equal(await amina.getByText(CANCELLED).count(), 0, 'not listed')
})

t.test('a photo goes to the trash and comes back', async (t) => {
  await amina.getByRole('button', { name: `Options ${PHOTO}` }).click()
  await amina.getByRole('button', { name: `Supprimer ${PHOTO}` }).click()
  await amina.getByRole('status').filter({ hasText: `« ${PHOTO} » est dans la corbeille.` }).waitFor()
  t.equal(await amina.getByRole('link', { name: PHOTO, exact: true }).count(), 0, 'gone from the folder')
  await amina.getByRole('link', { name: 'Corbeille' }).click()
  await amina.getByRole('heading', { level: 1, name: 'Corbeille' }).waitFor()
  await amina.getByRole('heading', { level: 3, name: PHOTO }).waitFor()
  t.ok(await amina.getByText(/^Effacé pour de bon le \d{1,2} \S+ \d{4}$/).isVisible(), 'says when it leaves the trash')
  await amina.getByRole('button', { name: `Remettre en place ${PHOTO}` }).click()
  await amina.getByRole('status').filter({ hasText: `« ${PHOTO} » est remis en place.` }).waitFor()
  await amina.getByRole('link', { name: 'Voir le dossier' }).click()
  await amina.getByRole('link', { name: PHOTO, exact: true }).waitFor()
  t.pass('back in the shared space')
})

t.test('the caretaker sorts the library into a folder, then renames the rules', async (t) => {
  await menu(caretaker, 'Fichiers')
  await caretaker.getByRole('link', { name: RULES, exact: true }).waitFor()
  await caretaker.getByRole('button', { name: 'Nouveau dossier' }).click()
  t.match(await focused(caretaker), /^INPUT/, 'focus on the folder’s name')
  await caretaker.getByLabel('Nom du dossier').fill('Réunions')
  await caretaker.getByRole('button', { name: 'Créer le dossier' }).click()
  await caretaker.getByRole('status').filter({ hasText: 'Dossier « Réunions » créé.' }).waitFor()

  await caretaker.getByRole('button', { name: `Options ${RULES}` }).click()
  await caretaker.getByRole('button', { name: `Déplacer ${RULES}` }).click()
  await caretaker.getByRole('button', { name: 'Réunions', exact: true }).click()
  await caretaker.getByRole('button', { name: 'Remonter d’un dossier' }).waitFor()
  await caretaker.getByRole('button', { name: 'Déplacer ici' }).click()
  await caretaker.getByRole('status').filter({ hasText: `« ${RULES} » est rangé dans « Réunions ».` }).waitFor()
  t.equal(await caretaker.getByRole('link', { name: RULES, exact: true }).count(), 0, 'no longer at the top')

  await caretaker.getByRole('link', { name: 'Réunions', exact: true }).click()
  await caretaker.getByRole('heading', { level: 2, name: 'Réunions' }).waitFor()
  t.match(new URL(caretaker.url()).search, /^\?espace=bibliotheque&dossier=[0-9a-f-]{36}$/)
  const crumbs = caretaker.getByRole('navigation', { name: 'Vous êtes ici' })
  t.same((await crumbs.getByRole('listitem').allTextContents()).map((s) => s.trim()), ['Bibliothèque de l’immeuble', 'Réunions'])
  await caretaker.getByRole('button', { name: `Options ${RULES}` }).click()
  await caretaker.getByRole('button', { name: `Renommer ${RULES}` }).click()
  const name = caretaker.getByLabel('Nouveau nom')
  t.equal(await name.inputValue(), RULES)
  await name.fill('Règlement 2025.pdf')
  await caretaker.getByRole('button', { name: 'Renommer', exact: true }).click()
  await caretaker.getByRole('status').filter({ hasText: 'C’est renommé : « Règlement 2025.pdf ».' }).waitFor()
  await caretaker.getByRole('link', { name: 'Règlement 2025.pdf', exact: true }).waitFor()
  await crumbs.getByRole('link', { name: 'Bibliothèque de l’immeuble' }).click()
  await caretaker.getByRole('link', { name: 'Réunions', exact: true }).waitFor()
  t.equal(await caretaker.getByRole('navigation', { name: 'Vous êtes ici' }).count(), 0, 'back at the top')
})

t.test('no script errors or CSP refusals in any page', async (t) => {
  t.same(pageErrors, [])
})
