// Host mode's announcement end to end, with real parts: a system D-Bus, a real avahi-daemon in the
// box's network namespace (LAN on lan0), the real privileged helper (main.ts, as a process) writing
// into /etc/avahi/services (the only folder avahi-daemon reads), palier-net itself (main.ts, host
// mode, in the box's namespace) and startMdns in-process for the avahi restart (short timings). What is checked is what a phone sees:
// avahi-browse / avahi-resolve in the box's namespace, and plain DNS queries to port 5353 sent from
// the phone's namespace over the LAN.
//
// Only one avahi-daemon can run on a machine (its pid file and D-Bus name are shared across
// namespaces), so this test refuses to start when one already runs, and never touches an avahi
// service file other than palier.service, which must not exist beforehand.
import t, { type Test } from 'tap'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeLan, waitFor, type Lan, type Netns, type Run } from '../../test/netns.js'
import { startPalierNet } from '../../test/palier-net.js'
import { loadConfig } from '../config.js'
import { SERVICE_FILE } from '../helper/server.js'
import { jsonLog } from './log.js'
import { startMdns, type MdnsStatus } from './mdns.js'
import { networkPlan } from './plan.js'

const AVAHI_SERVICES = '/etc/avahi/services'
const OUR_FILE = path.join(AVAHI_SERVICES, SERVICE_FILE)
const AVAHI_PID = '/run/avahi-daemon/pid'
const DBUS_PID = '/run/dbus/pid'
const DBUS_SOCKET = '/run/dbus/system_bus_socket'
const repo = path.resolve(import.meta.dirname, '../../..')

function sh(cmd: string, args: string[], timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** Alive and not a zombie (a daemon's parent is not always there to reap it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

async function kill(pid: number): Promise<void> {
  if (!alive(pid)) return
  try {
    process.kill(pid, 'SIGTERM')
    await waitFor(`pid ${pid} to exit`, 5000, () => (alive(pid) ? undefined : true))
  } catch {
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** The system bus avahi registers on: reused when one answers, else started (and stopped after). */
async function systemBus(t: Test): Promise<void> {
  const ping = () => sh('dbus-send', ['--system', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetId'])
  if ((await ping()).code === 0) return
  const stale = readPid(DBUS_PID)
  if (stale !== undefined && alive(stale)) throw new Error(`dbus-daemon ${stale} runs but does not answer on ${DBUS_SOCKET}`)
  // dbus-daemon refuses to start over a pid file left by one that died.
  rmSync(DBUS_PID, { force: true })
  mkdirSync('/run/dbus', { recursive: true })
  const r = await sh('dbus-daemon', ['--system', '--fork', '--print-pid'])
  const pid = Number(r.stdout.trim())
  if (r.code !== 0 || !pid) throw new Error(`dbus-daemon --system failed (${r.code}): ${r.stderr}`)
  t.teardown(async () => {
    await kill(pid)
    rmSync(DBUS_PID, { force: true })
    rmSync(DBUS_SOCKET, { force: true })
  })
  await waitFor('the system bus', 5000, async () => ((await ping()).code === 0 ? true : undefined))
}

/** avahi-daemon in the box's namespace, on lan0 only; returns its pid. */
async function startAvahi(box: Netns, conf: string): Promise<number> {
  const r = await box.run('avahi-daemon', ['-D', '--no-drop-root', '--no-chroot', '-f', conf])
  if (r.code !== 0) throw new Error(`avahi-daemon failed (${r.code}): ${r.stderr}`)
  const pid = readPid(AVAHI_PID)
  if (!pid) throw new Error(`avahi-daemon started but wrote no ${AVAHI_PID}`)
  return pid
}

async function stopAvahi(pid: number): Promise<void> {
  await kill(pid)
  if (readPid(AVAHI_PID) === pid) rmSync(AVAHI_PID, { force: true })
}

/** "R\195\169sidence\032A" (avahi-browse -p) → "Résidence A". */
function unescapeAvahi(s: string): string {
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const m = /^\\(\d{3})/.exec(s.slice(i))
    if (m) {
      bytes.push(Number(m[1]))
      i += 3
    } else if (s[i] === '\\' && i + 1 < s.length) {
      bytes.push(...Buffer.from(s[++i]!))
    } else bytes.push(...Buffer.from(s[i]!))
  }
  return Buffer.from(bytes).toString('utf8')
}

interface Found {
  iface: string
  name: string
  type: string
  host: string
  address: string
  port: number
  txt: string
}

/** Every resolved service avahi knows on the LAN (raw types: -k, no "Web Site" lookup). */
async function browse(box: Netns): Promise<Found[]> {
  const r = await box.run('avahi-browse', ['-a', '-r', '-t', '-p', '-k'], { timeoutMs: 15_000 })
  if (r.code !== 0) throw new Error(`avahi-browse failed (${r.code}): ${r.stderr}`)
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('=;'))
    .map((l) => {
      const f = l.split(';')
      return { iface: f[1]!, name: unescapeAvahi(f[3]!), type: f[4]!, host: f[6]!, address: f[7]!, port: Number(f[8]), txt: f[9]! }
    })
}

/** A DNS query sent from the phone to the box's mDNS port, over the LAN's wire (no avahi on the phone). */
async function ask(phone: Netns, box: Lan['lanAddress'], name: string, type: string): Promise<string> {
  const r = await phone.run('dig', ['-p', '5353', `@${box}`, name, type, '+short', '+time=2', '+tries=1'], { timeoutMs: 10_000 })
  // avahi adds the records a resolver will want next (SRV, TXT, addresses) to its answer: the
  // first line is the answer itself.
  return r.code === 0 ? (r.stdout.trim().split('\n')[0] ?? '') : ''
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PALIER_')) env[k] = v
  return { ...env, ...extra }
}

/** A node program from this repo, run from its TypeScript source; output kept for failure messages. */
function node(t: Test, entry: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, entry)], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, output: () => out, exited }
}

// ——— the machine-wide parts, shared by both tests ———

if ((await sh('avahi-daemon', ['--check'])).code === 0) throw new Error('an avahi-daemon already runs on this machine; only one can (stop it first)')
if (existsSync(OUR_FILE)) throw new Error(`${OUR_FILE} exists already; this test would replace it (remove it first)`)
const othersBefore = readdirSync(AVAHI_SERVICES).sort()

const tmp = mkdtempSync('/tmp/palier-mdns-')
t.teardown(() => rmSync(tmp, { recursive: true, force: true }))
const lan = await makeLan(t, { clients: ['phone'], addresses: { phone: '10.78.0.50/24' } })
let avahiPid: number | undefined
t.teardown(async () => {
  if (avahiPid !== undefined) await stopAvahi(avahiPid)
  // Ours only: palier.service and the helper's temp file, whatever the test left.
  for (const name of readdirSync(AVAHI_SERVICES)) {
    if (name === SERVICE_FILE || name.startsWith(`.${SERVICE_FILE}.`)) rmSync(path.join(AVAHI_SERVICES, name), { force: true })
  }
})
await systemBus(t)
const avahiConf = path.join(tmp, 'avahi-daemon.conf')
writeFileSync(
  avahiConf,
  `[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=${lan.lanInterface}\n[wide-area]\nenable-wide-area=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n`,
)
avahiPid = await startAvahi(lan.box, avahiConf)

const helperSocket = path.join(tmp, 'helper.sock')
const helperEnv = cleanEnv({ PALIER_HELPER_SOCKET: helperSocket, PALIER_HELPER_AVAHI_DIR: AVAHI_SERVICES })

function writeConfig(name: string, settings: Record<string, unknown>): string {
  const file = path.join(tmp, name)
  writeFileSync(file, JSON.stringify({ dataDir: path.join(tmp, 'data'), helperSocket, ...settings }))
  return file
}

t.test('palier-net in host mode: waits for the helper, publishes, follows a new name, withdraws on SIGTERM', async (t) => {
  const dir = path.join(tmp, 'palier-net')
  mkdirSync(dir)
  const settings = { networkMode: 'host', buildingName: 'Résidence Les Tilleuls', port: 8080, helperSocket }
  // palier-net first: at boot it may well start before the helper.
  const net = startPalierNet(t, lan.box, dir, settings)
  const mdns = (state: string) => () => {
    if (net.child.exitCode !== null) throw new Error(`palier-net exited (${net.child.exitCode}):\n${net.output()}`)
    const m = net.status()?.mdns
    return m?.state === state ? m : undefined
  }
  const failed = await waitFor('mdns failed in status.json', 15_000, mdns('failed'))
  t.match(failed, { state: 'failed', name: 'residence-les-tilleuls.local', lastError: /cannot reach the helper/ })
  t.notOk(existsSync(OUR_FILE), 'nothing published without the helper')

  const helper = node(t, 'server/src/helper/main.ts', helperEnv)
  const published = await waitFor('mdns published in status.json', 20_000, mdns('published')).catch((err: Error) => {
    throw new Error(`${err.message}\npalier-net said:\n${net.output()}\nhelper said:\n${helper.output()}`)
  })
  t.match(published, { state: 'published', name: 'residence-les-tilleuls.local', lastError: null })

  const named = (name: string) => async () => {
    const s = (await browse(lan.box)).filter((f) => f.name === name)
    return s.length ? s : undefined
  }
  t.same(await waitFor('the service in avahi-browse', 20_000, named('Résidence Les Tilleuls')), [
    {
      iface: 'lan0',
      name: 'Résidence Les Tilleuls',
      type: '_http._tcp',
      host: 'residence-les-tilleuls.local',
      address: lan.lanAddress,
      port: 8080,
      txt: '"path=/"',
    },
  ])
  const resolved = await lan.box.run('avahi-resolve', ['-4', '-n', 'residence-les-tilleuls.local'], { timeoutMs: 10_000 })
  t.equal(resolved.stdout.trim(), `residence-les-tilleuls.local\t${lan.lanAddress}`, 'avahi-resolve gives the box')

  // What a phone on the LAN gets, over the wire.
  const phone = lan.clients.phone!
  t.equal(await ask(phone, lan.lanAddress, 'residence-les-tilleuls.local', 'A'), lan.lanAddress, 'phone: name → box address')
  t.equal(await ask(phone, lan.lanAddress, '_http._tcp.local', 'PTR'), 'R\\195\\169sidence\\032Les\\032Tilleuls._http._tcp.local.', 'phone: the web service')
  t.equal(await ask(phone, lan.lanAddress, 'R\\195\\169sidence\\032Les\\032Tilleuls._http._tcp.local', 'SRV'), '0 0 8080 residence-les-tilleuls.local.')
  t.equal(await ask(phone, lan.lanAddress, '_https._tcp.local', 'PTR'), '', 'no _https._tcp without HTTPS')

  // The caretaker renames the building: palier-net notices the file and publishes the new name.
  net.rewrite({ ...settings, buildingName: 'Les Tilleuls', port: 8081 })
  t.same(
    (await waitFor('the renamed service', 20_000, named('Les Tilleuls'))).map((f) => [f.host, f.port]),
    [['les-tilleuls.local', 8081]],
  )
  await waitFor('the old name to leave avahi-browse', 20_000, async () => ((await named('Résidence Les Tilleuls')()) ? undefined : true))
  t.equal(await ask(phone, lan.lanAddress, 'les-tilleuls.local', 'A'), lan.lanAddress, 'phone: the new name')
  t.match(net.status()?.mdns, { state: 'published', name: 'les-tilleuls.local' })

  net.child.kill('SIGTERM')
  t.match(await net.exited, { code: 0 }, 'palier-net exits cleanly')
  t.notOk(existsSync(OUR_FILE), 'service file removed')
  await waitFor('the service to leave avahi-browse', 20_000, async () => ((await named('Les Tilleuls')()) ? undefined : true))
  t.equal(await ask(phone, lan.lanAddress, '_http._tcp.local', 'PTR'), '', 'phone: service gone')
  t.same(readdirSync(AVAHI_SERVICES).sort(), othersBefore, 'other service files untouched')

  helper.child.kill('SIGTERM')
  t.equal(await helper.exited, 0, 'helper exits cleanly')
})

t.test('only host mode announces: palier-net off publishes nothing, host publishes, back to off withdraws', async (t) => {
  const helper = node(t, 'server/src/helper/main.ts', helperEnv)
  const dir = path.join(tmp, 'palier-net-off')
  mkdirSync(dir)
  const settings = { networkMode: 'off', buildingName: 'Maison Off', port: 8080, helperSocket }
  const net = startPalierNet(t, lan.box, dir, settings)
  await waitFor('status.json in mode off', 15_000, () => (net.status()?.mode === 'off' ? true : undefined))
  // Give a wrongly started announcement the time to show (the first publish takes well under 1 s).
  await new Promise((r) => setTimeout(r, 2000))
  t.notOk(existsSync(OUR_FILE), 'off: no service file')
  t.equal(net.status()?.mdns, undefined, 'off: no mdns in status.json')
  t.same((await browse(lan.box)).filter((f) => f.name === 'Maison Off'), [], 'off: nothing on the LAN')

  net.rewrite({ ...settings, networkMode: 'host' })
  await waitFor('published after switching to host', 20_000, () => (net.status()?.mdns?.state === 'published' ? true : undefined))
  await waitFor('the service in avahi-browse', 20_000, async () => ((await browse(lan.box)).some((f) => f.name === 'Maison Off') ? true : undefined))

  net.rewrite({ ...settings, networkMode: 'off' })
  await waitFor('mdns gone from status.json', 20_000, () => (net.status()?.mode === 'off' && net.status()?.mdns === undefined ? true : undefined))
  t.notOk(existsSync(OUR_FILE), 'back to off: service file removed')
  await waitFor('the service to leave avahi-browse', 20_000, async () => ((await browse(lan.box)).some((f) => f.name === 'Maison Off') ? undefined : true))
  t.pass('back to off: withdrawn from the LAN')

  net.child.kill('SIGTERM')
  t.match(await net.exited, { code: 0 })
  helper.child.kill('SIGTERM')
  t.equal(await helper.exited, 0)
})

t.test('startMdns with HTTPS: both services; avahi restarted → published again; stop() withdraws', async (t) => {
  const cert = path.join(tmp, 'cert.pem')
  const key = path.join(tmp, 'key.pem')
  writeFileSync(cert, '')
  writeFileSync(key, '')
  const configFile = writeConfig('https.json', {
    networkMode: 'host',
    buildingName: 'Le Palier — bâtiment B',
    mdnsHostName: 'batiment-b',
    port: 8080,
    httpsName: 'b0042.immeubles.bailleur.example',
    tlsCertFile: cert,
    tlsKeyFile: key,
    httpsPort: 8443,
  })
  const config = loadConfig({ PALIER_CONFIG: configFile })
  const helper = node(t, 'server/src/helper/main.ts', helperEnv)
  const statuses: MdnsStatus[] = []
  const lines: string[] = []
  // Short timings so that a lost host name comes back within the test.
  const mdns = startMdns(networkPlan(config), config, jsonLog('palier-net', (l) => lines.push(l)), (s) => statuses.push(s), {
    republishMs: 1000,
    retryMinMs: 200,
    retryMaxMs: 1000,
  })
  t.teardown(() => mdns.stop())
  const last = () => statuses[statuses.length - 1]
  await waitFor('published', 20_000, () => (last()?.state === 'published' ? true : undefined)).catch((err: Error) => {
    throw new Error(`${err.message}\n${lines.join('')}\nhelper said:\n${helper.output()}`)
  })

  const ours = (found: Found[]) => found.filter((s) => s.name === 'Le Palier — bâtiment B').sort((a, b) => a.type.localeCompare(b.type))
  const both = await waitFor('both services in avahi-browse', 20_000, async () => {
    const s = ours(await browse(lan.box))
    return s.length === 2 ? s : undefined
  })
  t.same(
    both.map((s) => [s.type, s.host, s.address, s.port]),
    [
      ['_http._tcp', 'batiment-b.local', lan.lanAddress, 8080],
      ['_https._tcp', 'batiment-b.local', lan.lanAddress, 8443],
    ],
  )
  const phone = lan.clients.phone!
  t.match(await ask(phone, lan.lanAddress, '_https._tcp.local', 'PTR'), /^Le\\032Palier\\032\\226\\128\\148\\032b\\195\\162timent\\032B\._https\._tcp\.local\.$/)

  // avahi-daemon restarts (an upgrade, a crash): it comes back under the machine's own host name
  // and re-reads the service file; the next republish sets the building's name again.
  await stopAvahi(avahiPid!)
  avahiPid = undefined
  await waitFor('failed while avahi is down', 10_000, () => (last()?.state === 'failed' ? true : undefined))
  t.match(last(), { state: 'failed', name: 'batiment-b.local', lastError: /avahi-set-host-name batiment-b failed/ })
  avahiPid = await startAvahi(lan.box, avahiConf)
  await waitFor('published again', 15_000, () => (last()?.state === 'published' ? true : undefined))
  const again = await waitFor('the name again after the restart', 20_000, async () => {
    const r = await lan.box.run('avahi-resolve', ['-4', '-n', 'batiment-b.local'], { timeoutMs: 10_000 })
    return r.stdout.trim() ? r.stdout.trim() : undefined
  })
  t.equal(again, `batiment-b.local\t${lan.lanAddress}`)
  t.equal(await ask(phone, lan.lanAddress, 'batiment-b.local', 'A'), lan.lanAddress, 'phone: name → box address after the restart')

  await mdns.stop()
  t.match(last(), { state: 'stopped', lastError: null })
  t.notOk(existsSync(OUR_FILE), 'service file removed')
  await waitFor('the services to leave avahi-browse', 20_000, async () => (ours(await browse(lan.box)).length === 0 ? true : undefined))
  t.same(readdirSync(AVAHI_SERVICES).sort(), othersBefore, 'other service files untouched')
  helper.child.kill('SIGTERM')
  t.equal(await helper.exited, 0)
})
