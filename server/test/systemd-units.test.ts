// The box's systemd units (systemd/*.service): `systemd-analyze verify` finds nothing to say about
// them, `systemd-analyze security --offline=yes` scores each within its budget (the scores are
// printed), the hardening the README promises is in each file, and the sysusers snippet creates the
// two service users. No systemd runs here: verify and security read the unit files alone.
import t from 'tap'
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const dir = path.resolve(import.meta.dirname, '../../systemd')
const NODE = '/usr/bin/node'

// Exposure budgets (0 = locked down, 10 = a bare unit; a unit with no hardening scores 9.6).
// The helper runs as root, so it must stay in systemd's "SAFE" band (< 1.0); it scores 0.7. The web
// app and palier-net need the host's network, Internet sockets and a few network capabilities,
// which alone cost about 1.3; they score 1.6 and 1.8, and 2.0 leaves room for one deliberate
// relaxation, not for dropping a whole group of protections.
const units = {
  'palier-web.service': { budget: 2.0, user: 'palier', caps: ['CAP_NET_BIND_SERVICE'], entry: '/opt/palier/server/dist/main.js' },
  'palier-net.service': {
    budget: 2.0,
    user: 'palier-net',
    // No CAP_NET_RAW: dnsmasq runs with no-ping (server/src/net/dnsmasq.ts).
    caps: ['CAP_NET_BIND_SERVICE', 'CAP_NET_ADMIN'],
    entry: '/opt/palier/server/dist/net/main.js',
  },
  'palier-helper.service': { budget: 1.0, user: 'root', caps: [], entry: '/opt/palier/server/dist/helper/main.js' },
} as const

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** Every `Key=value` of the [Service] section, in order (keys may repeat). */
function serviceSettings(text: string): [string, string][] {
  const section = /^\[Service\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? ''
  return section
    .split('\n')
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
}

// `verify` fails when ExecStart's program is missing on the machine. The units name /usr/bin/node
// (Debian's, on the box); where this machine has none, a copy naming this test's own node is
// verified instead, which checks everything else just the same.
const work = mkdtempSync('/tmp/palier-units-')
t.teardown(() => rmSync(work, { recursive: true, force: true }))
function verifiable(name: string): string {
  if (existsSync(NODE)) return path.join(dir, name)
  const copy = path.join(work, name)
  writeFileSync(copy, readFileSync(path.join(dir, name), 'utf8').replaceAll(`ExecStart=${NODE} `, `ExecStart=${process.execPath} `))
  return copy
}

for (const [name, want] of Object.entries(units)) {
  t.test(name, async (t) => {
    const text = readFileSync(path.join(dir, name), 'utf8')
    const verify = await run('systemd-analyze', ['verify', verifiable(name)])
    t.equal(verify.code, 0, `verify exits 0${verify.stderr ? `: ${verify.stderr}` : ''}`)
    // Unknown or misspelt keys are only warnings (exit 0): any output at all is a failure.
    t.equal(verify.stderr + verify.stdout, '', 'verify has nothing to say')

    const security = await run('systemd-analyze', ['security', '--offline=yes', path.join(dir, name)])
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(security.stdout)?.[1])
    t.comment(`${name}: systemd-analyze security exposure ${score} (budget ${want.budget})`)
    t.ok(Number.isFinite(score), `a score was printed${Number.isFinite(score) ? '' : `: ${security.stdout}${security.stderr}`}`)
    t.ok(score <= want.budget, `exposure ${score} ≤ ${want.budget}`)
    // systemd's own gate agrees.
    t.equal((await run('systemd-analyze', ['security', '--offline=yes', `--threshold=${Math.round(want.budget * 10)}`, path.join(dir, name)])).code, 0)

    const settings = serviceSettings(text)
    const get = (key: string) => settings.filter(([k]) => k === key).map(([, v]) => v)
    t.same(get('User'), [want.user])
    t.same(get('Environment').filter((e) => e.startsWith('PALIER_CONFIG=')), want.user === 'root' ? [] : ['PALIER_CONFIG=/etc/palier/palier.json'])
    t.equal(get('ExecStart')[0]?.split(' ')[0], NODE)
    t.equal(get('ExecStart')[0]?.split(' ').at(-1), want.entry)
    const caps = (key: string) => (get(key)[0] ?? '').split(/\s+/).filter(Boolean).sort()
    t.same(caps('CapabilityBoundingSet'), [...want.caps].sort(), 'only the capabilities it needs')
    t.same(caps('AmbientCapabilities'), [...want.caps].sort())
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['RestrictSUIDSGID', 'yes'],
      ['SystemCallArchitectures', 'native'],
    ]) {
      t.same(get(key!), [value], `${key}=${value}`)
    }
    t.ok(get('SystemCallFilter').includes('@system-service'), 'SystemCallFilter=@system-service')
    t.ok(get('RestrictAddressFamilies').length === 1, 'RestrictAddressFamilies set')
  })
}

t.test('palier-helper.service: root without capabilities, writing only its two folders', async (t) => {
  const s = serviceSettings(readFileSync(path.join(dir, 'palier-helper.service'), 'utf8'))
  const get = (key: string) => s.filter(([k]) => k === key).map(([, v]) => v)
  t.same(get('Group'), ['palier-net'], 'socket group: only palier-net may connect')
  t.same(get('ReadWritePaths'), ['/etc/avahi/services'])
  t.same(get('RuntimeDirectory'), ['palier-helper'])
  t.same(get('RestrictAddressFamilies'), ['AF_UNIX'])
  t.same(get('PrivateNetwork'), ['yes'])
  t.same(get('Environment').sort(), ['PALIER_HELPER_AVAHI_DIR=/etc/avahi/services', 'PALIER_HELPER_SOCKET=/run/palier-helper/helper.sock'])
  // MemoryDenyWriteExecute kills V8's JIT; --jitless is what lets the helper run under it.
  t.same(get('MemoryDenyWriteExecute'), ['yes'])
  t.match(get('ExecStart')[0], / --jitless /)
})

t.test('palier-web.service reads palier-net’s files through its group', async (t) => {
  const web = serviceSettings(readFileSync(path.join(dir, 'palier-web.service'), 'utf8'))
  const net = serviceSettings(readFileSync(path.join(dir, 'palier-net.service'), 'utf8'))
  t.same(web.filter(([k]) => k === 'SupplementaryGroups').map(([, v]) => v), ['palier-net'])
  t.same(net.filter(([k]) => k === 'StateDirectoryMode').map(([, v]) => v), ['0750'])
  t.same(net.filter(([k]) => k === 'UMask').map(([, v]) => v), ['0027'], 'files group-readable, not world-readable')
})

t.test('palier.sysusers.conf creates the two service users, without a login shell', async (t) => {
  const root = path.join(work, 'root')
  mkdirSync(path.join(root, 'etc'), { recursive: true })
  const conf = path.join(work, 'palier.conf')
  copyFileSync(path.join(dir, 'palier.sysusers.conf'), conf)
  const r = await run('systemd-sysusers', [`--root=${root}`, conf])
  t.equal(r.code, 0, r.stderr)
  const passwd = readFileSync(path.join(root, 'etc/passwd'), 'utf8')
  t.match(passwd, /^palier:x:\d+:\d+:Palier web app:\/var\/lib\/palier:\/usr\/sbin\/nologin$/m)
  t.match(passwd, /^palier-net:x:\d+:\d+:[^:]*:\/var\/lib\/palier-net:\/usr\/sbin\/nologin$/m)
  t.match(readFileSync(path.join(root, 'etc/group'), 'utf8'), /^palier-net:x:\d+:$/m)
})
