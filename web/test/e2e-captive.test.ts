// The captive portal in a real browser: Debian's Chromium runs inside a "phone" network namespace
// that got its address from the box's dnsmasq (palier-net) and resolves every name through it.
// Opening Android's probe lands on the welcome page over plain HTTP; "Entrer" accepts the phone;
// the link goes on to the intranet over HTTPS under the box's certificate (from a throw-away
// certificate authority that only this test's browser trusts), where the service worker starts.
// There the caretaker's network console shows the phone, prints only the poster, and forgets the
// phone, whose probe then goes back to the welcome page.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { makeLan, waitFor } from '../../server/test/netns.js'
import { startNode } from '../../server/test/palier-net.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CHROMIUM = '/usr/bin/chromium'
const BOX = '10.78.0.1'
const HTTPS_NAME = 'b0042.immeubles.test'
const INTRANET = `https://${HTTPS_NAME}/`
const BUILDING = 'Résidence Les Tilleuls'
const PHONE_NAME = 'telephone-amina'
const SETUP_CODE = 'TEST-SETUP-CODE-1234'
const PASSWORD = 'voisins-sympas-du-3e'

t.setTimeout(120_000)

if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (make test does)`)

const dir = t.testdir({ data: {}, net: {}, dist: {}, home: {}, tls: {} })
const tls = path.join(dir, 'tls')
const home = path.join(dir, 'home')
const webDir = path.join(dir, 'dist')

/** A tool of the certificate steps, run in the tls folder; its error output shows if it fails. */
function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: tls })
}

// A certificate authority made for this run, and the box's certificate signed by it.
writeFileSync(
  path.join(tls, 'box.ext'),
  `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${HTTPS_NAME}\n`,
)
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
const CA_EXT = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
run('openssl', ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Palier test CA', ...CA_EXT])
run('openssl', ['req', ...EC, '-keyout', 'box.key', '-out', 'box.csr', '-subj', `/CN=${HTTPS_NAME}`])
run('openssl', ['x509', '-req', '-in', 'box.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'box.pem', '-days', '2', '-extfile', 'box.ext'])
// Trusted in a fresh NSS database under the browser's own HOME only (never the machine's).
const nssdb = path.join(home, '.pki', 'nssdb')
mkdirSync(nssdb, { recursive: true })
run('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password'])
run('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'palier-test-ca', '-i', path.join(tls, 'ca.pem')])

// What the code is now, built apart so that web/dist is left alone.
execFileSync(process.execPath, [path.join(ROOT, 'web', 'build.mjs'), '--outdir', webDir], { stdio: 'ignore' })

const configFile = path.join(dir, 'palier.json')
writeFileSync(
  configFile,
  JSON.stringify({
    buildingName: BUILDING,
    networkMode: 'gateway',
    lanInterface: 'lan0',
    lanAddress: BOX,
    port: 80,
    host: '0.0.0.0',
    httpsName: HTTPS_NAME,
    tlsCertFile: path.join(tls, 'box.pem'),
    tlsKeyFile: path.join(tls, 'box.key'),
    httpsPort: 443,
    dataDir: path.join(dir, 'data'),
    netStateDir: path.join(dir, 'net'),
    setupCode: SETUP_CODE,
    logLevel: 'warn',
  }),
)
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PALIER_CONFIG: configFile, PALIER_WEB_DIR: webDir }

const hook = path.join(dir, 'udhcpc-hook.sh')
writeFileSync(hook, '#!/bin/sh\ncase "$1" in bound|renew) ip addr replace "$ip/$mask" dev "$interface" ;; esac\nexit 0\n')
chmodSync(hook, 0o755)

const lan = await makeLan(t, { clients: ['phone'], resolvers: ['phone'] })
const phone = lan.clients.phone!

/** Chromium inside the phone's namespace (its /etc/resolv.conf names the box), with its own HOME. */
const wrapper = path.join(dir, 'chromium-in-phone.sh')
writeFileSync(
  wrapper,
  `#!/bin/sh\nexport HOME='${home}'\nunset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY\nexec ip netns exec '${phone.name}' ${CHROMIUM} "$@"\n`,
)
chmodSync(wrapper, 0o755)

const net = startNode(lan.box, 'server/src/net/main.ts', 'palier-net', env)
const web = startNode(lan.box, 'server/src/main.ts', 'web app', env)
let browser: Browser | undefined
/** The phone's page, on the intranet once the second test is done. */
let page: Page | undefined
t.teardown(async () => {
  await browser?.close().catch(() => undefined)
  web.child.kill('SIGTERM')
  net.child.kill('SIGTERM')
})

const pageErrors: string[] = []
function watch(page: Page): void {
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
}

t.test('the phone is on the building Wi-Fi; the box answers over HTTP and HTTPS', async (t) => {
  await waitFor('dnsmasq running', 30_000, () => {
    if (net.child.exitCode !== null) throw new Error(`palier-net exited:\n${net.output()}`)
    const status = JSON.parse(readFileSync(path.join(dir, 'net', 'status.json'), 'utf8')) as { dnsmasq?: { state: string } }
    return status.dnsmasq?.state === 'running' ? true : undefined
  })
  const lease = await phone.run('udhcpc', ['-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-x', `hostname:${PHONE_NAME}`, '-s', hook], {
    timeoutMs: 30_000,
  })
  t.equal(lease.code, 0, 'udhcpc got a lease')
  for (const url of [`http://${BOX}/api/v1/health`, `${INTRANET}api/v1/health`]) {
    await waitFor(url, 30_000, async () => {
      if (web.child.exitCode !== null) throw new Error(`the web app exited:\n${web.output()}`)
      // From the phone, through the box's DNS; the certificate checked against the test CA.
      const r = await phone.run('curl', ['-q', '--noproxy', '*', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', '--cacert', path.join(tls, 'ca.pem'), url])
      return r.stdout === '200' ? true : undefined
    })
  }
  t.pass('both answer')
})

t.test('probe → welcome page over HTTP → "Entrer" → the intranet over HTTPS with its service worker', async (t) => {
  browser = await chromium.launch({
    executablePath: wrapper,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--no-proxy-server',
    ],
  })
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fr-FR' })
  page = await context.newPage()
  watch(page)

  // What Android opens when its probe is redirected: the probe's address, followed.
  page.on('dialog', (dialog) => void dialog.accept())
  await page.goto('http://connectivitycheck.gstatic.com/generate_204')
  t.equal(page.url(), 'http://palier.lan/bienvenue', 'the probe led to the welcome page, over plain HTTP')
  const enter = page.getByRole('button', { name: 'Entrer', exact: true })
  await enter.waitFor()
  t.equal(await page.evaluate(() => document.documentElement.lang), 'fr', 'in French')

  await enter.click()
  await page.waitForURL((url) => url.pathname === '/bienvenue/ok')
  t.equal(new URL(page.url()).origin, 'http://palier.lan', 'still on the portal')
  const open = page.getByRole('link', { name: 'Ouvrir le site de l’immeuble' })
  t.equal(await open.getAttribute('href'), INTRANET, 'the link goes to the HTTPS name')

  // The phone is accepted: a probe now gets its online answer, in the browser too (a 204 is
  // never shown by a browser, so Apple's probe here; curl checks every probe in captive-flow).
  const other = await context.newPage()
  const probe = await other.goto('http://captive.apple.com/hotspot-detect.html')
  t.equal(probe?.status(), 200, 'Apple\'s probe answers 200 once accepted')
  t.equal(await other.title(), 'Success', 'with the "Success" page')
  await other.close()

  await open.click()
  await page.waitForURL(INTRANET)
  await page.getByRole('heading', { level: 1, name: BUILDING }).waitFor()
  t.ok(await page.evaluate(() => window.isSecureContext), 'a secure context: the certificate is trusted')

  const active = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready
    return registration.active?.scriptURL ?? null
  })
  t.equal(active, `${INTRANET}sw.js`, 'the service worker is active')
  await page.reload()
  await page.getByRole('heading', { level: 1, name: BUILDING }).waitFor()
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)
  t.equal(controlled, `${INTRANET}sw.js`, 'after a reload, the page is controlled by it')
  t.same(pageErrors, [], 'no page errors')
})

/** The probe as the phone's system sends it (curl, not the browser): its status code. */
async function probeStatus(): Promise<string> {
  const r = await phone.run('curl', ['-q', '--noproxy', '*', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', 'http://connectivitycheck.gstatic.com/generate_204'])
  return r.stdout
}

t.test('the caretaker\'s network console shows the phone, prints the poster, forgets the phone', async (t) => {
  if (!page) throw new Error('the previous test did not reach the intranet')
  const p = page
  // The caretaker's account, made from this very phone (the box is not set up yet).
  const setup = await p.evaluate(
    async ({ code, password }) => {
      const res = await fetch('/api/v1/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, login: 'gardien', displayName: 'Martine', password }),
      })
      return res.status
    },
    { code: SETUP_CODE, password: PASSWORD },
  )
  t.equal(setup, 201, 'caretaker account created')
  await p.goto(`${INTRANET}reseau`)
  await p.getByRole('heading', { level: 1, name: 'Réseau' }).waitFor()
  t.equal(await p.title(), 'Réseau – Palier', 'the page title')
  await p.getByText('La boîte distribue elle-même les adresses').waitFor()
  t.equal(await p.locator('palier-network .poster .address').textContent(), HTTPS_NAME, 'the address to type, in big letters')
  const qr = p.getByRole('img', { name: `QR code qui ouvre ${HTTPS_NAME}` })
  await qr.waitFor()
  await p.waitForFunction(() => {
    const img = document.querySelector('palier-app')?.shadowRoot?.querySelector('palier-network')?.shadowRoot?.querySelector('img')
    return img !== null && img !== undefined && img.complete && img.naturalWidth > 0
  })
  t.pass('the QR code image loaded')
  t.ok(await p.getByText('Service DHCP et DNS (dnsmasq) : en marche').isVisible(), 'dnsmasq running')
  t.ok(await p.getByText('Appareils connectés : 1').isVisible(), 'one device')
  t.ok(await p.getByLabel(/^Adresses utilisées : 1 sur \d+/).isVisible(), 'the pool meter, labelled')
  t.equal(await p.getByRole('alert').count(), 0, 'no alert: the pool is nearly empty, palier-net answers')
  const device = p.locator('palier-network .devices > li').filter({ hasText: PHONE_NAME })
  t.match(await device.textContent(), /Adresse IP\s*10\.78\.0\.\d+/, 'its address')
  t.match(await device.textContent(), /Entré\s*oui/, 'accepted')

  await p.screenshot({ path: '/tmp/palier-e2e-captive-console.png', fullPage: true })

  // Printed: the address and the QR code only.
  await p.emulateMedia({ media: 'print' })
  t.notOk(await p.getByRole('navigation', { name: 'Menu principal' }).isVisible(), 'no menu on paper')
  t.notOk(await p.getByRole('heading', { level: 1, name: 'Réseau' }).isVisible(), 'no page title on paper')
  t.notOk(await device.isVisible(), 'no device list on paper')
  t.ok(await qr.isVisible(), 'the QR code is printed')
  t.ok(await p.locator('palier-network .poster .address').isVisible(), 'the address is printed')
  t.notOk(await p.getByText('Elle marche aussi avec :').isVisible(), 'only the main address')
  t.notOk(await p.getByRole('button', { name: 'Imprimer l’affiche' }).isVisible(), 'not the button')
  await p.screenshot({ path: '/tmp/palier-e2e-captive-poster.png', fullPage: true })
  await p.emulateMedia({ media: 'screen' })

  t.equal(await probeStatus(), '204', 'the phone is accepted')
  await device.getByRole('button', { name: `Oublier ${PHONE_NAME}` }).click()
  await p.getByRole('status').filter({ hasText: `${PHONE_NAME} est oublié` }).waitFor()
  await p.locator('palier-network .devices > li').filter({ hasText: PHONE_NAME }).filter({ hasText: /Entré\s*non/ }).waitFor()
  t.pass('the list shows it is no longer accepted')
  t.equal(await probeStatus(), '302', 'its probe is sent to the welcome page again')
  t.same(pageErrors, [], 'no page errors')
})
