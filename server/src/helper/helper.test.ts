// The privileged helper on a temporary socket and a temporary services folder: what it writes, what
// it refuses, and its entry point as a real process. avahi-set-host-name is stood in for here by
// small shell scripts that record their arguments (so the exact argv is checked, and failures can be
// had on demand); the real avahi-daemon and avahi-set-host-name are driven in
// server/src/net/mdns.test.ts.
import t, { type Test } from 'tap'
import { execFile, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { jsonLog } from '../net/log.js'
import { MAX_REQUEST_BYTES, type HelperAnswer, type HelperRequest } from './actions-schema.js'
import { callHelper, HelperUnavailableError } from './client.js'
import { createHelper, SERVICE_FILE } from './server.js'

const quiet = jsonLog('palier-helper', () => {}, true)
const RECORD = 'printf "%s\\n" "$#" "$@" >> "$(dirname "$0")/argv.log"\n'

/** A short temporary folder: a Unix socket path holds at most 108 bytes, tap's testdir names are longer. */
function tmp(t: Test, files: Record<string, string | object> = {}): string {
  const dir = mkdtempSync('/tmp/palier-helper-')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string') writeFileSync(path.join(dir, name), content)
    else mkdirSync(path.join(dir, name))
  }
  return dir
}

async function start(t: Test, script = RECORD) {
  const dir = tmp(t, { services: {}, 'set-host-name': `#!/bin/sh\n${script}` })
  const setHostName = path.join(dir, 'set-host-name')
  chmodSync(setHostName, 0o755)
  const services = path.join(dir, 'services')
  const socketPath = path.join(dir, 'h.sock')
  const helper = await createHelper({ socketPath, avahiServicesDir: services, setHostName, log: quiet, idleMs: 1000 })
  t.teardown(() => helper.close())
  const argv = () => (existsSync(path.join(dir, 'argv.log')) ? readFileSync(path.join(dir, 'argv.log'), 'utf8') : '')
  return { dir, services, socketPath, helper, argv, call: (r: unknown) => callHelper(socketPath, r as HelperRequest, 5000) }
}

/** Sends raw bytes and returns what comes back before the helper closes the connection. */
function raw(socketPath: string, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath)
    let out = ''
    s.setEncoding('utf8')
    s.on('connect', () => s.write(bytes))
    s.on('data', (c: string) => (out += c))
    s.on('close', () => resolve(out))
    s.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve(out) : reject(err)))
  })
}

/** Sends bytes and shuts the sending side at once (half-close), then reads the answer. */
function rawEnd(socketPath: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: socketPath, allowHalfOpen: true })
    let out = ''
    s.setEncoding('utf8')
    s.on('connect', () => s.end(bytes))
    s.on('data', (c: string) => (out += c))
    s.on('close', () => resolve(out))
    s.on('error', reject)
  })
}

const publish = {
  action: 'mdns.publish',
  hostName: 'residence-les-tilleuls',
  instanceName: 'Résidence Les Tilleuls',
  httpPort: 80,
  httpsPort: null,
}

const HTTP_ONLY = `<?xml version="1.0" standalone="no"?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<!-- Written by palier-helper; rewritten or removed by it. -->
<service-group>
  <name>Résidence Les Tilleuls</name>
  <service>
    <type>_http._tcp</type>
    <port>80</port>
    <txt-record>path=/</txt-record>
  </service>
</service-group>
`

t.test('publish writes the exact service file and sets the host name with one argument', async (t) => {
  const h = await start(t)
  const a = await h.call(publish)
  t.same(a, { ok: true, action: 'mdns.publish', file: path.join(h.services, SERVICE_FILE), hostName: 'residence-les-tilleuls' })
  t.equal(readFileSync(path.join(h.services, SERVICE_FILE), 'utf8'), HTTP_ONLY)
  t.equal(statSync(path.join(h.services, SERVICE_FILE)).mode & 0o777, 0o644)
  t.equal(h.argv(), '1\nresidence-les-tilleuls\n', 'avahi-set-host-name gets exactly the host name')
  t.same(readdirSync(h.services), [SERVICE_FILE], 'no temp file left behind')
  t.equal(statSync(h.socketPath).mode & 0o777, 0o660, 'socket is owner and group only')

  // The same request again leaves the file alone (avahi would re-announce a rewritten file).
  const before = statSync(path.join(h.services, SERVICE_FILE))
  t.match(await h.call(publish), { ok: true })
  t.equal(statSync(path.join(h.services, SERVICE_FILE)).ino, before.ino, 'unchanged file not rewritten')

  // With HTTPS, and a name that needs XML escaping.
  t.match(await h.call({ ...publish, instanceName: 'Bât. <A> & "B" 100%h', httpPort: 8080, httpsPort: 8443 }), { ok: true })
  t.equal(
    readFileSync(path.join(h.services, SERVICE_FILE), 'utf8'),
    `<?xml version="1.0" standalone="no"?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<!-- Written by palier-helper; rewritten or removed by it. -->
<service-group>
  <name>Bât. &lt;A&gt; &amp; "B" 100%h</name>
  <service>
    <type>_http._tcp</type>
    <port>8080</port>
    <txt-record>path=/</txt-record>
  </service>
  <service>
    <type>_https._tcp</type>
    <port>8443</port>
    <txt-record>path=/</txt-record>
  </service>
</service-group>
`,
  )
  t.same(await h.call({ action: 'status' }), { ok: true, action: 'status', published: true, pid: process.pid })

  t.same(await h.call({ action: 'mdns.unpublish' }), { ok: true, action: 'mdns.unpublish', removed: true })
  t.same(readdirSync(h.services), [], 'unpublish removes the file')
  t.same(await h.call({ action: 'mdns.unpublish' }), { ok: true, action: 'mdns.unpublish', removed: false }, 'unpublish twice is fine')
  t.same(await h.call({ action: 'status' }), { ok: true, action: 'status', published: false, pid: process.pid })
})

t.test('refuses unknown actions, extra or bad fields and path tricks, and writes nothing', async (t) => {
  const h = await start(t)
  const refused: [string, unknown, RegExp][] = [
    ['unknown action', { action: 'shell', command: 'reboot' }, /unknown action "shell"/],
    ['no action', { hostName: 'x' }, /unknown action null/],
    ['inherited name as action', { action: '__proto__' }, /unknown action/],
    ['inherited name as action', { action: 'toString' }, /unknown action/],
    ['extra field (a path)', { ...publish, file: '/etc/passwd' }, /must NOT have additional properties/],
    ['extra field (a folder)', { ...publish, avahiServicesDir: '/etc' }, /avahiServicesDir/],
    ['extra field on unpublish', { action: 'mdns.unpublish', file: '/etc/shadow' }, /file/],
    ['path in host name', { ...publish, hostName: '../../etc/passwd' }, /hostName/],
    ['dots in host name', { ...publish, hostName: 'a.b' }, /hostName/],
    ['upper case host name', { ...publish, hostName: 'Palier' }, /hostName/],
    ['leading dash (an option)', { ...publish, hostName: '-h' }, /hostName/],
    ['shell in host name', { ...publish, hostName: '$(reboot)' }, /hostName/],
    ['64-letter host name', { ...publish, hostName: 'a'.repeat(64) }, /hostName/],
    ['empty host name', { ...publish, hostName: '' }, /hostName/],
    ['newline in instance name', { ...publish, instanceName: 'a\n<service>' }, /instanceName/],
    ['empty instance name', { ...publish, instanceName: '' }, /instanceName/],
    ['instance name over 63 bytes', { ...publish, instanceName: 'é'.repeat(40) }, /63 bytes/],
    ['port as text', { ...publish, httpPort: '80' }, /httpPort/],
    ['port 0', { ...publish, httpPort: 0 }, /httpPort/],
    ['port too big', { ...publish, httpsPort: 70000 }, /httpsPort/],
    ['missing field', { action: 'mdns.publish', hostName: 'x', instanceName: 'x', httpPort: 80 }, /httpsPort/],
    ['an array', [publish], /JSON object/],
    ['null', null, /JSON object/],
  ]
  for (const [why, request, error] of refused) {
    const a = await h.call(request)
    t.equal(a.ok, false, why)
    t.match((a as { error: string }).error, error, why)
  }
  t.match(JSON.parse(await raw(h.socketPath, 'not json\n')), { ok: false, error: 'request is not JSON' })
  const long = await raw(h.socketPath, JSON.stringify({ ...publish, instanceName: 'x'.repeat(MAX_REQUEST_BYTES) }) + '\n')
  t.same(JSON.parse(long), { ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` })
  // Without a newline the helper stops reading at the limit rather than buffering forever.
  const endless = await raw(h.socketPath, Buffer.alloc(MAX_REQUEST_BYTES * 4, 'a'))
  t.same(JSON.parse(endless), { ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` })
  t.same(readdirSync(h.services), [], 'nothing written')
  t.equal(h.argv(), '', 'avahi-set-host-name never ran')
  // Only one request per connection: a second line is not acted upon.
  const two = await raw(h.socketPath, JSON.stringify({ action: 'status' }) + '\n' + JSON.stringify(publish) + '\n')
  t.equal(two.trim().split('\n').length, 1)
  t.same(readdirSync(h.services), [], 'the second line did nothing')
  // A client that shuts its side without finishing the line is told so; one that never finishes
  // it is dropped.
  t.same(JSON.parse(await rawEnd(h.socketPath, '{"action":"status"}')), { ok: false, error: 'request must be one line ending with a newline' })
  t.match(JSON.parse(await rawEnd(h.socketPath, '{"action":"status"}\n')), { ok: true, action: 'status' }, 'answered after the client shut its side')
  t.equal(await raw(h.socketPath, '{"action":'), '', 'idle client dropped without an answer')
})

t.test('reports a failing avahi-set-host-name, and takes "no change" as success', async (t) => {
  const failing = await start(t, 'echo "Failed to create client object: Daemon not running" >&2\nexit 1\n')
  const a = (await failing.call(publish)) as HelperAnswer
  t.same(a, { ok: false, error: 'avahi-set-host-name residence-les-tilleuls failed (1): Failed to create client object: Daemon not running' })
  // The file is there all the same: avahi-daemon reads it when it (re)starts.
  t.equal(readFileSync(path.join(failing.services, SERVICE_FILE), 'utf8'), HTTP_ONLY)

  const same = await start(t, 'echo "Failed to create host name resolver: The requested operation is invalid because redundant" >&2\nexit 1\n')
  t.match(await same.call(publish), { ok: true, hostName: 'residence-les-tilleuls' })
})

t.test('the client reports a missing helper as unavailable', async (t) => {
  const dir = tmp(t)
  await t.rejects(callHelper(path.join(dir, 'none.sock'), { action: 'status' }, 1000), HelperUnavailableError)
  // A socket that accepts and never answers.
  const silent = net.createServer(() => {})
  await new Promise<void>((r) => silent.listen(path.join(dir, 'silent.sock'), r))
  t.teardown(() => silent.close())
  await t.rejects(callHelper(path.join(dir, 'silent.sock'), { action: 'status' }, 300), { name: 'HelperUnavailableError', message: /within 300 ms/ })
})

t.test('main.ts: settings from its environment, a stale socket replaced, a live one kept, SIGTERM', async (t) => {
  const dir = tmp(t, { services: {} })
  const socketPath = path.join(dir, 'helper.sock')
  const env = { ...process.env, PALIER_HELPER_SOCKET: socketPath, PALIER_HELPER_AVAHI_DIR: path.join(dir, 'services') }
  const main = path.join(import.meta.dirname, 'main.ts')
  const startMain = () => {
    // --jitless as in palier-helper.service (which denies writable+executable memory).
    const child = spawn(process.execPath, ['--jitless', '--import', 'tsx', main], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    t.teardown(() => void child.kill('SIGKILL'))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    const listening = new Promise<void>((resolve, reject) => {
      const tick = setInterval(() => {
        if (out.includes('"helper listening"')) resolve()
        else if (child.exitCode !== null) reject(new Error(`helper exited: ${out}`))
        else return
        clearInterval(tick)
      }, 50)
    })
    listening.catch(() => {}) // awaited only where the helper is expected to start
    return { child, exited, listening, output: () => out }
  }

  const first = startMain()
  await first.listening
  t.match(await callHelper(socketPath, { action: 'status' }, 5000), { ok: true, published: false, pid: first.child.pid })
  // A second helper on the same socket must not steal it from a live one.
  const second = startMain()
  t.equal(await second.exited, 1)
  t.match(second.output(), /another helper is already listening/)
  t.match(await callHelper(socketPath, { action: 'status' }, 5000), { ok: true, pid: first.child.pid }, 'the first still answers')
  // Killed hard, the first leaves its socket file behind; the next start replaces it.
  first.child.kill('SIGKILL')
  await first.exited
  t.ok(existsSync(socketPath), 'stale socket left by a killed helper')
  const third = startMain()
  await third.listening
  t.match(await callHelper(socketPath, { action: 'status' }, 5000), { ok: true, pid: third.child.pid })
  third.child.kill('SIGTERM')
  t.equal(await third.exited, 0, 'SIGTERM: clean exit')
  t.notOk(existsSync(socketPath), 'socket removed on exit')
})

t.test('only the socket\'s group may connect (as palier-net does through the unit\'s Group=)', async (t) => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (it connects as other users), as CI does')
  const h = await start(t)
  // On the box the folder is 0750 too (RuntimeDirectoryMode); it is opened to all here so that
  // what is checked is the socket's own mode, 0660 with the helper's group (here root's, 0).
  chmodSync(h.dir, 0o755)
  chownSync(h.dir, 0, 0)
  const connectAs = (uid: number, gid: number) =>
    new Promise<string>((resolve) => {
      const code = `const s=require('node:net').connect(${JSON.stringify(h.socketPath)});s.on('connect',()=>s.end('{"action":"status"}\\n'));s.on('data',d=>process.stdout.write(d));s.on('error',e=>process.stdout.write(e.code))`
      // Through `env -i`: tap adds its own NODE_OPTIONS to every child, whose hooks then fail to
      // write tap's files as this other user.
      const argv = ['-i', `PATH=${process.env.PATH}`, process.execPath, '-e', code]
      execFile('/usr/bin/env', argv, { uid, gid, timeout: 10_000, cwd: '/' }, (err, stdout, stderr) =>
        resolve(String(stdout).trim() || `no output: ${err?.message} ${stderr}`),
      )
    })
  t.match(await connectAs(4242, 0), /^\{"ok":true,"action":"status",/, 'another user in the group connects')
  t.equal(await connectAs(4242, 4242), 'EACCES', 'a user outside the group cannot')
})
