import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, envName, loadConfig } from './config.js'
import { openDatabase } from './db/index.js'
import { migrations } from './db/migrations/index.js'
import { CARETAKER } from '../test/helpers.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// t.testdir() empties the test's one directory on every call: make it once per test.
const testDirs = new WeakMap<Test, string>()
let files = 0

/** An env with a config file that exists and holds `content`, so /etc/palier is never read. */
function withFile(t: Test, content: unknown, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = testDirs.get(t) ?? t.testdir()
  testDirs.set(t, dir)
  const file = path.join(dir, `palier-${++files}.json`)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return { PALIER_CONFIG: file, ...env }
}

/** The network settings' defaults (networkMode off: nothing served). */
const NETWORK_DEFAULTS = {
  networkMode: 'off',
  lanPrefix: 24,
  dhcpLeaseHours: 12,
  dhcpStaticLeases: [],
  boxName: 'palier.lan',
  httpsPort: 443,
  helperSocket: '/run/palier-helper/helper.sock',
  dnsmasqPath: '/usr/sbin/dnsmasq',
}

function configError(t: Test, env: NodeJS.ProcessEnv, message: string | RegExp) {
  t.throws(() => loadConfig(env), { constructor: ConfigError, name: 'ConfigError', message })
}

t.test('envName maps each setting to its PALIER_ variable', async (t) => {
  t.equal(envName('port'), 'PALIER_PORT')
  t.equal(envName('dataDir'), 'PALIER_DATA_DIR')
  t.equal(envName('caretakerIdleMinutes'), 'PALIER_CARETAKER_IDLE_MINUTES')
  t.equal(envName('filesHouseholdQuotaMB'), 'PALIER_FILES_HOUSEHOLD_QUOTA_MB')
  // Every variable the README documents is the one the box reads.
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  for (const key of Object.keys(loadConfig({}, {}))) t.match(readme, '`' + envName(key) + '`', `README names ${envName(key)}`)
  t.equal(envName('publicUrl'), 'PALIER_PUBLIC_URL')
})

t.test('defaults, with an empty file', async (t) => {
  const config = loadConfig(withFile(t, {}))
  t.same(config, {
    port: 8080,
    host: '0.0.0.0',
    dataDir: path.resolve('./.data'),
    buildingName: 'Mon immeuble',
    defaultLanguage: 'fr',
    residentIdleDays: 30,
    caretakerIdleMinutes: 30,
    inviteValidityDays: 30,
    filesMaxFileMB: 2048,
    filesHouseholdQuotaMB: 2048,
    filesReserveMB: 1024,
    filesTrashDays: 30,
    filesUploadExpiryHours: 24,
    ...NETWORK_DEFAULTS,
    trustProxy: false,
    logLevel: 'info',
  })
  t.notOk('setupCode' in config)
  t.notOk('publicUrl' in config)
  t.ok(Object.isFrozen(config))
})

t.test('the file named by PALIER_CONFIG is read', async (t) => {
  const config = loadConfig(
    withFile(t, {
      port: 9000,
      host: '192.168.1.20',
      dataDir: '/var/lib/palier',
      buildingName: 'Résidence Les Tilleuls',
      publicUrl: 'http://192.168.1.20:9000',
      defaultLanguage: 'ar',
      residentIdleDays: 60,
      caretakerIdleMinutes: 15,
      inviteValidityDays: 7,
      trustProxy: true,
      logLevel: 'warn',
      setupCode: 'PROVISION-CODE-01',
    }),
  )
  t.same(config, {
    port: 9000,
    host: '192.168.1.20',
    dataDir: '/var/lib/palier',
    buildingName: 'Résidence Les Tilleuls',
    publicUrl: 'http://192.168.1.20:9000',
    defaultLanguage: 'ar',
    residentIdleDays: 60,
    caretakerIdleMinutes: 15,
    inviteValidityDays: 7,
    filesMaxFileMB: 2048,
    filesHouseholdQuotaMB: 2048,
    filesReserveMB: 1024,
    filesTrashDays: 30,
    filesUploadExpiryHours: 24,
    ...NETWORK_DEFAULTS,
    trustProxy: true,
    logLevel: 'warn',
    setupCode: 'PROVISION-CODE-01',
  })
})

t.test('a partial file keeps the defaults for the rest; a relative dataDir is made absolute', async (t) => {
  const config = loadConfig(withFile(t, { buildingName: 'Les Tilleuls', dataDir: 'var/palier' }))
  t.equal(config.buildingName, 'Les Tilleuls')
  t.equal(config.port, 8080)
  t.equal(config.dataDir, path.resolve('var/palier'))
})

t.test('the example file is a valid configuration', async (t) => {
  const config = loadConfig({ PALIER_CONFIG: path.join(ROOT, 'palier.example.json') })
  t.equal(config.buildingName, 'Résidence Les Tilleuls')
})

t.test('PALIER_* variables override the file', async (t) => {
  const env = withFile(t, { port: 9000, buildingName: 'Les Tilleuls', trustProxy: true, defaultLanguage: 'en' }, {
    PALIER_PORT: '9100',
    PALIER_BUILDING_NAME: 'Les Platanes',
    PALIER_TRUST_PROXY: 'false',
    PALIER_DEFAULT_LANGUAGE: 'ar',
    PALIER_RESIDENT_IDLE_DAYS: ' 45 ',
    PALIER_SETUP_CODE: 'abcd-efgh-jkmn',
    PALIER_PUBLIC_URL: 'https://b0042.example.org',
  })
  const config = loadConfig(env)
  t.equal(config.port, 9100)
  t.equal(config.buildingName, 'Les Platanes')
  t.equal(config.trustProxy, false)
  t.equal(config.defaultLanguage, 'ar')
  t.equal(config.residentIdleDays, 45)
  t.equal(config.setupCode, 'abcd-efgh-jkmn')
  t.equal(config.publicUrl, 'https://b0042.example.org')
})

t.test('booleans from the environment: true/1 and false/0', async (t) => {
  t.equal(loadConfig(withFile(t, {}, { PALIER_TRUST_PROXY: 'true' })).trustProxy, true)
  t.equal(loadConfig(withFile(t, {}, { PALIER_TRUST_PROXY: '1' })).trustProxy, true)
  t.equal(loadConfig(withFile(t, { trustProxy: true }, { PALIER_TRUST_PROXY: '0' })).trustProxy, false)
})

t.test('an empty variable is ignored, and overrides come last', async (t) => {
  const env = withFile(t, { port: 9000 }, { PALIER_PORT: '', PALIER_BUILDING_NAME: 'Les Platanes' })
  t.equal(loadConfig(env).port, 9000)
  t.equal(loadConfig(env, { buildingName: 'Les Cèdres' }).buildingName, 'Les Cèdres')
})

t.test('a bad value names the setting, its variable and what is allowed', async (t) => {
  configError(t, withFile(t, {}, { PALIER_PORT: 'abc' }), 'bad value for setting port (PALIER_PORT): "abc"; allowed: an integer from 0 to 65535')
  configError(t, withFile(t, {}, { PALIER_PORT: '70000' }), 'bad value for setting port (PALIER_PORT): 70000; allowed: an integer from 0 to 65535')
  configError(t, withFile(t, {}, { PALIER_PORT: '80.5' }), 'bad value for setting port (PALIER_PORT): "80.5"; allowed: an integer from 0 to 65535')
  configError(
    t,
    withFile(t, {}, { PALIER_DEFAULT_LANGUAGE: 'de' }),
    'bad value for setting defaultLanguage (PALIER_DEFAULT_LANGUAGE): "de"; allowed: one of "fr", "en", "ar"',
  )
  configError(
    t,
    withFile(t, {}, { PALIER_PUBLIC_URL: 'ftp://x' }),
    'bad value for setting publicUrl (PALIER_PUBLIC_URL): "ftp://x"; allowed: an address like http://192.168.1.10:8080 or https://b0042.example.org',
  )
  configError(t, withFile(t, {}, { PALIER_TRUST_PROXY: 'yes' }), 'bad value for setting trustProxy (PALIER_TRUST_PROXY): "yes"; allowed: true or false')
  configError(t, withFile(t, {}, { PALIER_SETUP_CODE: 'short' }), 'bad value for setting setupCode (PALIER_SETUP_CODE): "short"; allowed: text of 8 to 64 characters')
  configError(
    t,
    withFile(t, {}, { PALIER_LOG_LEVEL: 'verbose' }),
    'bad value for setting logLevel (PALIER_LOG_LEVEL): "verbose"; allowed: one of "fatal", "error", "warn", "info", "debug", "trace", "silent"',
  )
  configError(
    t,
    withFile(t, {}, { PALIER_CARETAKER_IDLE_MINUTES: '1' }),
    'bad value for setting caretakerIdleMinutes (PALIER_CARETAKER_IDLE_MINUTES): 1; allowed: an integer from 5 to 1440',
  )
})

t.test('a bad value in the file is reported the same way', async (t) => {
  configError(t, withFile(t, { port: '8080' }), 'bad value for setting port (PALIER_PORT): "8080"; allowed: an integer from 0 to 65535')
  configError(t, withFile(t, { defaultLanguage: 'de' }), 'bad value for setting defaultLanguage (PALIER_DEFAULT_LANGUAGE): "de"; allowed: one of "fr", "en", "ar"')
  configError(t, withFile(t, { buildingName: '' }), 'bad value for setting buildingName (PALIER_BUILDING_NAME): ""; allowed: text of 1 to 80 characters')
  configError(t, withFile(t, { publicUrl: 'http://x/palier' }), 'bad value for setting publicUrl (PALIER_PUBLIC_URL): "http://x/palier"; allowed: an address like http://192.168.1.10:8080 or https://b0042.example.org')
})

t.test('the environment can fix a bad value in the file', async (t) => {
  t.equal(loadConfig(withFile(t, { port: 'abc' }, { PALIER_PORT: '8081' })).port, 8081)
})

t.test('an unknown key in the file is refused, with the list of known settings', async (t) => {
  configError(
    t,
    withFile(t, { prot: 8080 }),
    'unknown setting "prot"; allowed: port, host, dataDir, setupCode, buildingName, publicUrl, defaultLanguage, residentIdleDays, caretakerIdleMinutes, inviteValidityDays, filesMaxFileMB, filesHouseholdQuotaMB, filesReserveMB, filesTrashDays, filesUploadExpiryHours, networkMode, lanInterface, lanAddress, lanPrefix, dhcpRangeStart, dhcpRangeEnd, dhcpLeaseHours, dhcpStaticLeases, boxName, httpsName, tlsCertFile, tlsKeyFile, httpsPort, mdnsHostName, netStateDir, helperSocket, dnsmasqPath, trustProxy, logLevel',
  )
})

t.test('a file that is not a JSON object is refused', async (t) => {
  const badJson = withFile(t, '{"port": 8080,}')
  // The end of the message is V8's own wording, which changes between Node versions.
  t.throws(() => loadConfig(badJson), {
    constructor: ConfigError,
    message: new RegExp(`^configuration file ${badJson.PALIER_CONFIG} is not valid JSON: .*position 14`),
  })
  const array = withFile(t, '[]')
  configError(t, array, `configuration file ${array.PALIER_CONFIG} must hold a JSON object`)
})

t.test('a PALIER_CONFIG file that does not exist is an error (unlike the default path)', async (t) => {
  const file = path.join(t.testdir(), 'nowhere.json')
  configError(t, { PALIER_CONFIG: file }, `cannot read configuration file ${file}: ENOENT: no such file or directory, open '${file}'`)
})

// ---- The real entry point, as a child process ------------------------------------------------

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves with the first match of `re` on stdout; rejects if the process ends first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
}

/** The test's directory (call once per test) with an empty config file and a data folder. */
function box(t: Test) {
  const dir = t.testdir({ 'palier.json': '{}', data: {} })
  return { config: path.join(dir, 'palier.json'), dataDir: path.join(dir, 'data') }
}

function runMain(t: Test, { config, dataDir }: { config: string; dataDir: string }, env: Record<string, string>): Run {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('PALIER_') && !k.startsWith('TAP') && k !== 'NODE_OPTIONS'),
  )
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...base, PALIER_CONFIG: config, PALIER_DATA_DIR: dataDir, PALIER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s))
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s))
  // 'close', not 'exit': by then everything the process wrote has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  )
  let ended = false
  void exited.then(() => (ended = true))
  t.teardown(() => {
    if (!ended) child.kill('SIGKILL')
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now()
        const poll = () => {
          const m = out.match(re)
          if (m) return resolve(m)
          if (ended) return reject(new Error(`process ended before ${re}; stdout: ${out}; stderr: ${err}`))
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${re}; stdout: ${out}; stderr: ${err}`))
          setTimeout(poll, 20)
        }
        poll()
      })
    },
  }
}

const SETUP_LINE = /^setup code: (.+)$/m
const UP_LINE = /^palier: (.+) is up on (http:\/\/127\.0\.0\.1:(\d+)) \(data in (.+)\)$/m

t.test('main exits with code 2 and names the setting on a bad configuration', async (t) => {
  const run = runMain(t, box(t), { PALIER_PORT: 'abc' })
  const { code, signal } = await run.exited
  t.equal(code, 2)
  t.equal(signal, null)
  t.equal(
    run.stderr(),
    'palier: configuration error: bad value for setting port (PALIER_PORT): "abc"; allowed: an integer from 0 to 65535\n',
  )
  t.equal(run.stdout(), '')
})

t.test('main exits with code 3 on a database newer than the code', async (t) => {
  const dirs = box(t)
  const db = openDatabase(path.join(dirs.dataDir, 'palier.sqlite'))
  db.pragma(`user_version = ${migrations.length + 5}`)
  db.close()
  const run = runMain(t, dirs, { PALIER_PORT: '0', PALIER_HOST: '127.0.0.1' })
  const { code } = await run.exited
  t.equal(code, 3)
  t.equal(
    run.stderr(),
    `palier: database schema version ${migrations.length + 5} is newer than this Palier knows (${migrations.length}); refusing to open it (was an update rolled back?)\n`,
    'the refusal, and nothing else, on stderr',
  )
})

t.test('main starts, answers, prints the setup code and stops cleanly on SIGTERM', async (t) => {
  const dirs = box(t)
  const run = runMain(t, dirs, { PALIER_PORT: '0', PALIER_HOST: '127.0.0.1', PALIER_BUILDING_NAME: 'Les Tilleuls' })
  const setup = await run.waitFor(SETUP_LINE)
  const up = run.stdout().match(UP_LINE)
  t.ok(up, `"is up" line in ${JSON.stringify(run.stdout())}`)
  t.equal(up?.[1], 'Les Tilleuls')
  t.equal(up?.[4], dirs.dataDir)
  const port = up?.[3]
  t.not(port, '0', 'a real port was picked')
  t.match(run.stdout(), new RegExp(`^open: http://localhost:${port}/$`, 'm'))
  t.match(setup[1], /^[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}$/)

  const res = await fetch(`${up?.[2]}/api/v1/health`)
  t.equal(res.status, 200)
  t.same(await res.json(), { status: 'ok', version: '0.1.0' })

  run.child.kill('SIGTERM')
  t.same(await run.exited, { code: 0, signal: null }, 'clean exit')
  t.equal(run.stderr(), '', 'nothing on stderr: no warning at start-up or shutdown')
})

t.test('a generated setup code is the same after a restart, and gone once used', async (t) => {
  const dirs = box(t)
  const env = { PALIER_PORT: '0', PALIER_HOST: '127.0.0.1' }

  const first = runMain(t, dirs, env)
  const code1 = (await first.waitFor(SETUP_LINE))[1]
  first.child.kill('SIGTERM')
  t.equal((await first.exited).code, 0)

  const second = runMain(t, dirs, env)
  const code2 = (await second.waitFor(SETUP_LINE))[1]
  t.equal(code2, code1, 'same code printed after the restart')
  const base = second.stdout().match(UP_LINE)?.[2]
  const res = await fetch(`${base}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: code2, ...CARETAKER }),
  })
  t.equal(res.status, 201, 'the printed code creates the caretaker')
  second.child.kill('SIGTERM')
  t.equal((await second.exited).code, 0)

  const third = runMain(t, dirs, env)
  await third.waitFor(/^open: .+$/m)
  third.child.kill('SIGTERM')
  t.equal((await third.exited).code, 0)
  t.notMatch(third.stdout(), /setup code/, 'no setup code once the caretaker exists')
})

t.test('PALIER_SETUP_CODE is printed as given', async (t) => {
  const run = runMain(t, box(t), { PALIER_PORT: '0', PALIER_HOST: '127.0.0.1', PALIER_SETUP_CODE: 'Provision-2026-b0042' })
  const setup = await run.waitFor(SETUP_LINE)
  t.equal(setup[1], 'Provision-2026-b0042')
  run.child.kill('SIGTERM')
  t.equal((await run.exited).code, 0)
})

t.test('network settings: gateway needs its LAN, HTTPS all three files, the pool inside the LAN', async (t) => {
  const gateway = { networkMode: 'gateway', lanInterface: 'wlan0', lanAddress: '10.78.0.1' }
  const config = loadConfig(withFile(t, { ...gateway, dhcpStaticLeases: [{ mac: '02:00:00:00:00:01', ip: '10.78.0.5', name: 'imprimante' }] }))
  t.equal(config.networkMode, 'gateway')
  t.same(config.dhcpStaticLeases, [{ mac: '02:00:00:00:00:01', ip: '10.78.0.5', name: 'imprimante' }])
  configError(t, withFile(t, { networkMode: 'gateway', lanInterface: 'wlan0' }), /gateway" needs lanInterface \(PALIER_LAN_INTERFACE\) and lanAddress/)
  configError(t, withFile(t, {}, { PALIER_NETWORK_MODE: 'gateway', PALIER_LAN_ADDRESS: '10.78.0.1' }), /needs lanInterface/)
  configError(t, withFile(t, { ...gateway, lanAddress: '10.78.0.300' }), /bad value for setting lanAddress \(PALIER_LAN_ADDRESS\): "10.78.0.300"; allowed: an IPv4 address/)
  configError(t, withFile(t, { ...gateway, dhcpRangeStart: '10.79.0.10' }), /dhcpRangeStart \(PALIER_DHCP_RANGE_START\) 10.79.0.10 is not in the LAN 10.78.0.1\/24/)
  configError(t, withFile(t, { ...gateway, dhcpRangeStart: '10.78.0.100', dhcpRangeEnd: '10.78.0.20' }), /comes after dhcpRangeEnd/)
  configError(t, withFile(t, { ...gateway, dhcpStaticLeases: [{ mac: '02:00:00:00:00:01', ip: '192.168.1.5' }] }), /static lease 02:00:00:00:00:01 → 192.168.1.5 is not in the LAN/)
  configError(t, withFile(t, { ...gateway, dhcpStaticLeases: [{ mac: 'nope', ip: '10.78.0.5' }] }), /bad value for setting dhcpStaticLeases/)
  configError(t, withFile(t, { httpsName: 'b0042.example.org', tlsCertFile: '/etc/palier/cert.pem' }), /HTTPS needs all three of httpsName/)
  configError(t, withFile(t, { boxName: 'Palier LAN' }), /bad value for setting boxName \(PALIER_BOX_NAME\).*a lower-case host name/)
  const fromEnv = loadConfig(withFile(t, gateway, { PALIER_DHCP_STATIC_LEASES: '[{"mac":"02:00:00:00:00:02","ip":"10.78.0.6"}]', PALIER_LAN_PREFIX: '16' }))
  t.same(fromEnv.dhcpStaticLeases, [{ mac: '02:00:00:00:00:02', ip: '10.78.0.6' }])
  t.equal(fromEnv.lanPrefix, 16)
  configError(t, withFile(t, gateway, { PALIER_DHCP_STATIC_LEASES: '[{' }), /dhcpStaticLeases \(PALIER_DHCP_STATIC_LEASES\): not a JSON list/)
})
