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
export const PHONE = { width: 360, height: 740 }

export interface Harness {
  app: FastifyInstance
  base: string
  browser: Browser
  /** Errors the pages printed: uncaught exceptions, CSP refusals… (not expected 401/403 answers). */
  pageErrors: string[]
  /** A new phone-sized browser context in French whose pages report their errors. */
  phone(): Promise<BrowserContext>
  watch(page: Page): void
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
  return { app, base, browser, pageErrors, phone, watch }
}

/** The element that has the focus, looking inside shadow roots. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el ? `${el.tagName} ${el.textContent?.trim() ?? ''}` : ''
  })
}
