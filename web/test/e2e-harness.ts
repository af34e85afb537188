// What the browser tests share: the real server on a loopback port serving a fresh build of the
// web app, Debian's Chromium driven by playwright-core, phone-sized contexts that collect page
// errors, and a way to find the focused element through shadow roots.
import type { Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = '/usr/bin/chromium'
export const SETUP_CODE = 'TEST-SETUP-CODE-1234'
export const PASSWORD = 'voisins-sympas-du-3e'
export const PHONE = { width: 360, height: 740 }

/** A flat of entrance A and its resident: label, floor, login, display name. */
export type Household = readonly [label: string, floor: string, login: string, name: string]

export interface Harness {
  app: FastifyInstance
  base: string
  browser: Browser
  /** Errors the pages printed: uncaught exceptions, CSP refusals… (not expected 401/403 answers). */
  pageErrors: string[]
  /** A new phone-sized browser context in French whose pages report their errors. */
  phone(): Promise<BrowserContext>
  watch(page: Page): void
  /** An API call as a script would make it; throws on anything but success. */
  call(method: 'POST' | 'PUT', url: string, cookie: string | null, payload: unknown): Promise<{ body: any; cookie: string }>
  /** Through the API: the caretaker (login "gardien") and one resident per household; their cookies. */
  building(households: readonly Household[]): Promise<{ caretaker: string; residents: Record<string, string> }>
  /** A new phone, signed in through the login page (dialogs accepted), on the home page. */
  signIn(login: string): Promise<Page>
}

export async function startHarness(t: Test): Promise<Harness> {
  // Never a silent pass: without the browser the test fails and says how to get it.
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (make test does)`)
  // Test what the code is now, not a stale build; built apart so web/dist is left alone.
  const dir = t.testdir({ data: {}, dist: {} })
  const webDir = path.join(dir, 'dist')
  execFileSync(process.execPath, [path.join(WEB, 'build.mjs'), '--outdir', webDir], { stdio: 'ignore' })
  const config = loadConfig({}, { dataDir: path.join(dir, 'data'), setupCode: SETUP_CODE, port: 0, host: '127.0.0.1', logLevel: 'silent' })
  const app = await buildApp(config, { webDir })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  })
  t.teardown(async () => {
    await browser.close()
    await app.close()
  })
  const pageErrors: string[] = []
  const watch = (page: Page) => {
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(`${page.url()}: ${msg.text()}`)
    })
  }
  const phone = async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', deviceScaleFactor: 1 })
    context.on('page', watch)
    return context
  }
  const call: Harness['call'] = async (method, url, cookie, payload) => {
    const res = await app.inject({ method, url: '/api/v1' + url, headers: cookie ? { cookie } : {}, payload: payload as object })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    const c = res.cookies.find((x) => x.name === 'palier' || x.name === '__Host-palier')
    return { body: res.json(), cookie: c ? `${c.name}=${c.value}` : '' }
  }
  const building: Harness['building'] = async (households) => {
    const caretaker = (await call('POST', '/setup', null, { code: SETUP_CODE, login: 'gardien', displayName: 'Martine', password: PASSWORD })).cookie
    const residents: Record<string, string> = {}
    for (const [label, floor, login, name] of households) {
      const flat = (await call('POST', '/flats', caretaker, { label, entrance: 'A', floor, door: label.slice(-2) })).body
      const invite = (await call('POST', `/flats/${flat.id}/invites`, caretaker, {})).body
      residents[login] = (await call('POST', '/join', null, { code: invite.code, login, displayName: name, password: PASSWORD })).cookie
    }
    return { caretaker, residents }
  }
  const signIn = async (login: string) => {
    const page = await (await phone()).newPage()
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto(base + '/connexion')
    await page.getByLabel('Identifiant', { exact: true }).fill(login)
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    await page.getByRole('heading', { level: 1, name: /^Bonjour, / }).waitFor()
    return page
  }
  return { app, base, browser, pageErrors, phone, watch, call, building, signIn }
}

/** Follows an entry of the main menu. */
export function menu(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true }).click()
}

/** The element that has the focus, looking inside shadow roots. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el ? `${el.tagName} ${el.textContent?.trim() ?? ''}` : ''
  })
}
