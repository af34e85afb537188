// The captive portal end to end with real parts: palier-net (running dnsmasq) and the web app on
// port 80 in a "box" namespace, a "phone" namespace that gets its address with busybox udhcpc and
// resolves names through the box. Each OS probe, under its real name, is sent to the welcome page
// until the phone taps "Entrer", then gets its exact "online" answer; the acceptance survives a
// restart of the web app; with the web app killed, the phone still renews its lease and DNS still
// answers (DHCP and DNS never depend on the web app).
import t, { type Test } from 'tap'
import type { ChildProcess } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeLan, waitFor } from '../../test/netns.js'
import { startNode } from '../../test/palier-net.js'

const BOX = '10.78.0.1'
const PORTAL = 'http://palier.lan/bienvenue'

t.setTimeout(120_000)

interface Answer {
  status: number
  headers: Map<string, string>
  body: string
}

const APPLE = '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>'
const NM = 'NetworkManager is online\n'

/** Each probe of DESIGN.md's table under the name its system really asks, and its "online" answer. */
const PROBES: readonly { url: string; status: number; body: string; header?: [string, string] }[] = [
  { url: 'http://connectivitycheck.gstatic.com/generate_204', status: 204, body: '' },
  { url: 'http://clients3.google.com/generate_204', status: 204, body: '' },
  { url: 'http://www.google.com/gen_204', status: 204, body: '' },
  { url: 'http://captive.apple.com/hotspot-detect.html', status: 200, body: APPLE },
  { url: 'http://captive.apple.com/', status: 200, body: APPLE },
  { url: 'http://www.apple.com/library/test/success.html', status: 200, body: APPLE },
  { url: 'http://www.msftconnecttest.com/connecttest.txt', status: 200, body: 'Microsoft Connect Test' },
  { url: 'http://www.msftncsi.com/ncsi.txt', status: 200, body: 'Microsoft NCSI' },
  {
    url: 'http://detectportal.firefox.com/canonical.html',
    status: 200,
    body: '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>',
  },
  { url: 'http://detectportal.firefox.com/success.txt', status: 200, body: 'success\n' },
  { url: 'http://connectivity-check.ubuntu.com/', status: 200, body: NM, header: ['x-networkmanager-status', 'online'] },
  { url: 'http://nmcheck.gnome.org/check_network_status.txt', status: 200, body: NM, header: ['x-networkmanager-status', 'online'] },
]

/** `curl -i` output → status, headers (lower-case names; the last of a repeated one), body. */
function parseCurl(out: string): Answer {
  const cut = out.indexOf('\r\n\r\n')
  const head = cut < 0 ? out : out.slice(0, cut)
  const body = cut < 0 ? '' : out.slice(cut + 4)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body }
}

const dir = t.testdir({ data: {}, net: {} })
const configFile = path.join(dir, 'palier.json')
writeFileSync(
  configFile,
  JSON.stringify({
    networkMode: 'gateway',
    lanInterface: 'lan0',
    lanAddress: BOX,
    port: 80,
    host: '0.0.0.0',
    dataDir: path.join(dir, 'data'),
    netStateDir: path.join(dir, 'net'),
    setupCode: 'TEST-SETUP-CODE-1234',
    logLevel: 'warn',
  }),
)
// Settings come from the file only: a PALIER_* variable of the machine running the tests must not leak in.
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PALIER_CONFIG: configFile }
const statusFile = path.join(dir, 'net', 'status.json')

// udhcpc's hook: the address goes on the interface (the test needs IP traffic), the lease is kept.
const hook = path.join(dir, 'udhcpc-hook.sh')
const gotFile = path.join(dir, 'udhcpc-got')
writeFileSync(
  hook,
  `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr replace "$ip/$mask" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "\${router%% *}" dev "$interface"; fi
    echo "$1 $ip" >> ${gotFile}
    ;;
esac
exit 0
`,
)
chmodSync(hook, 0o755)

const lan = await makeLan(t, { clients: ['phone'], resolvers: ['phone'] })
const phone = lan.clients.phone!

function exited(child: ChildProcess, ms = 15_000): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the process did not exit')), ms)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? signal)
    })
  })
}

/** curl on the phone: no ~/.curlrc, no proxy from the environment (the box is the whole world). */
async function curl(url: string, extra: string[] = []): Promise<Answer> {
  const r = await phone.run('curl', ['-q', '--noproxy', '*', '-sS', '-i', '--max-time', '5', ...extra, url])
  if (r.code !== 0) throw new Error(`curl ${url} failed (${r.code}): ${r.stderr.trim()}`)
  return parseCurl(r.stdout)
}

/** The web app answers on port 80 of the box (asked from the box itself). */
async function webReady(web: { child: ChildProcess; output: () => string }): Promise<void> {
  await waitFor('the web app on port 80', 30_000, async () => {
    if (web.child.exitCode !== null) throw new Error(`the web app exited:\n${web.output()}`)
    const r = await lan.box.run('curl', ['-q', '--noproxy', '*', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', `http://${BOX}/api/v1/health`])
    return r.stdout === '200' ? true : undefined
  })
}

const net = startNode(lan.box, 'server/src/net/main.ts', 'palier-net', env)
let web = startNode(lan.box, 'server/src/main.ts', 'web app', env)
t.teardown(async () => {
  // Stopped in order here; netns' teardown kills whatever is left, after a failure too.
  web.child.kill('SIGTERM')
  net.child.kill('SIGTERM')
  await Promise.allSettled([exited(web.child, 5000), exited(net.child, 5000)])
})

let phoneIp = ''

t.test('the phone gets a lease from dnsmasq run by palier-net', async (t) => {
  const started = Date.now()
  await waitFor('dnsmasq running (status.json)', 30_000, () => {
    if (net.child.exitCode !== null) throw new Error(`palier-net exited:\n${net.output()}`)
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as { dnsmasq?: { state: string } }
    return status.dnsmasq?.state === 'running' ? true : undefined
  })
  const r = await phone.run('udhcpc', ['-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-s', hook], { timeoutMs: 30_000 })
  t.equal(r.code, 0, `udhcpc got a lease${r.code === 0 ? '' : `: ${r.stderr}\n${net.output()}`}`)
  const got = readFileSync(gotFile, 'utf8').trim().split('\n').pop() ?? ''
  phoneIp = got.split(' ')[1] ?? ''
  t.match(phoneIp, /^10\.78\.0\.\d+$/, 'an address of the LAN')
  const addr = await phone.run('ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0'])
  t.match(addr.stdout, `inet ${phoneIp}/24`, 'the hook put it on eth0')
  const lookup = await phone.run('getent', ['ahostsv4', 'connectivitycheck.gstatic.com'])
  t.match(lookup.stdout, new RegExp(`^${BOX.replace(/\./g, '\\.')}\\s`), 'a probe name resolves to the box through /etc/resolv.conf')
  await webReady(web)
  t.comment(`lease and web app ready in ${Date.now() - started} ms`)
})

t.test('before "Entrer", every probe is sent to the welcome page, never cached', async (t) => {
  for (const probe of PROBES) {
    const a = await curl(probe.url)
    t.equal(a.status, 302, `${probe.url} → 302`)
    t.equal(a.headers.get('location'), PORTAL, `${probe.url} → the welcome page`)
    t.match(a.headers.get('cache-control') ?? '', /no-store/, `${probe.url}: Cache-Control: no-store`)
  }
  const api = await curl('http://palier.lan/api/v1/portal/captive')
  t.equal(api.status, 200)
  t.match(api.headers.get('content-type'), /^application\/captive\+json/)
  t.match(JSON.parse(api.body), { captive: true }, 'RFC 8908: captive')
})

t.test('the phone opens the welcome page and taps "Entrer"', async (t) => {
  const page = await curl(PORTAL, ['-H', 'Accept-Language: fr-FR,fr;q=0.9'])
  t.equal(page.status, 200, 'the welcome page')
  t.match(page.headers.get('content-type'), /^text\/html/)
  t.match(page.body, /<form[^>]+action="\/bienvenue\/entrer"/, 'a form that works without script')
  t.match(page.body, /Entrer/, 'in French')
  const enter = await curl('http://palier.lan/bienvenue/entrer', ['-X', 'POST', '-H', 'Origin: http://palier.lan', '--data', 'lang=fr'])
  t.equal(enter.status, 303, 'accepted, then sent on')
  t.match(enter.headers.get('location'), /^\/bienvenue\/ok(\?|$)/, 'to the page with the address')
  const ok = await curl('http://palier.lan/bienvenue/ok')
  t.equal(ok.status, 200)
  t.match(ok.body, /<svg/, 'the address as a QR code')
})

async function allOnline(t: Test, when: string): Promise<void> {
  for (const probe of PROBES) {
    const a = await curl(probe.url)
    t.equal(a.status, probe.status, `${when}: ${probe.url} status`)
    t.equal(a.body, probe.body, `${when}: ${probe.url} body`)
    if (probe.header) t.equal(a.headers.get(probe.header[0]), probe.header[1], `${when}: ${probe.url} ${probe.header[0]}`)
  }
  const api = await curl('http://palier.lan/api/v1/portal/captive')
  t.match(JSON.parse(api.body), { captive: false }, `${when}: RFC 8908: not captive`)
}

t.test('after "Entrer", every probe gets its exact online answer', async (t) => {
  await allOnline(t, 'accepted')
})

t.test('the acceptance survives a restart of the web app', async (t) => {
  web.child.kill('SIGTERM')
  t.equal(await exited(web.child), 0, 'the web app closes cleanly on SIGTERM')
  web = startNode(lan.box, 'server/src/main.ts', 'web app', env)
  await webReady(web)
  await allOnline(t, 'after a restart')
})

t.test('with the web app killed, DHCP renews the lease and DNS answers', async (t) => {
  web.child.kill('SIGKILL')
  await exited(web.child)
  const down = await phone.run('curl', ['-q', '--noproxy', '*', '-sS', '-o', '/dev/null', '--max-time', '3', 'http://connectivitycheck.gstatic.com/generate_204'])
  t.not(down.code, 0, 'the web app is really gone')
  const r = await phone.run('udhcpc', ['-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-r', phoneIp, '-s', hook], { timeoutMs: 30_000 })
  t.equal(r.code, 0, 'udhcpc renewed')
  const got = readFileSync(gotFile, 'utf8').trim().split('\n').pop() ?? ''
  t.equal(got.split(' ')[1], phoneIp, 'the same address again')
  const leases = readFileSync(path.join(dir, 'net', 'dnsmasq.leases'), 'utf8')
  t.match(leases, ` ${phoneIp} `, 'dnsmasq keeps the lease in its file')
  for (const [name, want] of [
    ['connectivitycheck.gstatic.com', BOX],
    ['palier.lan', BOX],
    ['dns.msftncsi.com', '131.107.255.255'],
  ] as const) {
    const dig = await phone.run('dig', ['+short', '+time=2', '+tries=2', `@${BOX}`, name, 'A'])
    t.equal(dig.stdout.trim(), want, `DNS: ${name} → ${want}`)
  }
  const status = JSON.parse(readFileSync(statusFile, 'utf8')) as { dnsmasq?: { state: string; restarts: number } }
  t.match(status.dnsmasq, { state: 'running' }, 'palier-net still reports dnsmasq running')
})
