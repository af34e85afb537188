import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig, type Config } from '../config.js'
import { dnsmasqConfig, DnsmasqConfigError, uplinkProblem } from './dnsmasq.js'
import { networkPlan, type NetworkPlan } from './plan.js'

const GATEWAY = { networkMode: 'gateway', lanInterface: 'lan0', lanAddress: '10.78.0.1' } as const

/** The plan of these settings, read like the box reads them (an empty file under them). */
function planOf(t: Test, settings: Partial<Config>): NetworkPlan {
  const dir = t.testdir()
  const file = path.join(dir, 'palier.json')
  writeFileSync(file, '{}')
  return networkPlan(loadConfig({ PALIER_CONFIG: file }, { netStateDir: '/var/lib/palier/net', ...settings }))
}

/** dnsmasq's own syntax check of the text (the installed dnsmasq 2.90): exit code and what it said. */
function dnsmasqAccepts(t: Test, text: string): string {
  const file = path.join(t.testdir(), 'dnsmasq.conf')
  writeFileSync(file, text)
  const r = spawnSync('/usr/sbin/dnsmasq', ['--test', `--conf-file=${file}`], { encoding: 'utf8' })
  return `${r.status} ${r.stdout}${r.stderr}`.trim()
}

t.test('the default gateway: the whole file', async (t) => {
  const text = dnsmasqConfig(planOf(t, GATEWAY))
  t.equal(
    text,
    `# Written by palier-net from Palier's settings: edits here are overwritten.

# The LAN only: dnsmasq binds the LAN interface's own address and nothing else.
interface=lan0
bind-dynamic
except-interface=lo
# No pid file (palier-net keeps the pid); logs go to stderr, which palier-net reads.
pid-file
log-facility=-

# DNS: every name is the box, except the exceptions below; nothing is forwarded.
no-resolv
no-hosts
address=/dns.msftncsi.com/131.107.255.255
address=/use-application-dns.net/
address=/#/10.78.0.1
local=/#/
local-ttl=60
host-record=palier.lan,10.78.0.1

# DHCP, IPv4 only: netmask, router, DNS server, broadcast address, lease time.
dhcp-range=10.78.0.10,10.78.0.250,255.255.255.0,43200
dhcp-option=option:router,10.78.0.1
dhcp-option=option:dns-server,10.78.0.1
dhcp-option=28,10.78.0.255
dhcp-leasefile=/var/lib/palier/net/dnsmasq.leases
dhcp-authoritative
no-ping
`,
  )
  t.match(dnsmasqAccepts(t, text), /^0 dnsmasq: syntax check OK\.$/)
  t.equal(uplinkProblem(text, 'lan0'), null)
})

t.test('another LAN: range, netmask, broadcast and lease time follow the settings', async (t) => {
  const text = dnsmasqConfig(
    planOf(t, { ...GATEWAY, lanInterface: 'eth1', lanAddress: '172.20.1.1', lanPrefix: 16, dhcpRangeStart: '172.20.2.0', dhcpRangeEnd: '172.20.9.255', dhcpLeaseHours: 1, boxName: 'tilleuls.lan' }),
  )
  t.match(text, /^interface=eth1$/m)
  t.match(text, /^dhcp-range=172\.20\.2\.0,172\.20\.9\.255,255\.255\.0\.0,3600$/m)
  t.match(text, /^dhcp-option=option:router,172\.20\.1\.1$/m)
  t.match(text, /^dhcp-option=option:dns-server,172\.20\.1\.1$/m)
  t.match(text, /^dhcp-option=28,172\.20\.255\.255$/m)
  t.match(text, /^address=\/#\/172\.20\.1\.1$/m)
  t.match(text, /^host-record=tilleuls\.lan,172\.20\.1\.1$/m)
  t.notMatch(text, /10\.78\./)
  t.notMatch(text, /^dhcp-option-force=114/m, 'no option 114 without HTTPS')
  t.match(dnsmasqAccepts(t, text), /^0 dnsmasq: syntax check OK\.$/)
})

t.test('static leases become dhcp-host lines', async (t) => {
  const text = dnsmasqConfig(
    planOf(t, {
      ...GATEWAY,
      dhcpStaticLeases: [
        { mac: '02:AB:00:00:00:42', ip: '10.78.0.42', name: 'imprimante' },
        { mac: '02:ab:00:00:00:43', ip: '10.78.0.5' },
      ],
    }),
  )
  const hosts = text.split('\n').filter((l) => l.startsWith('dhcp-host='))
  t.same(hosts, ['dhcp-host=02:ab:00:00:00:42,10.78.0.42,imprimante', 'dhcp-host=02:ab:00:00:00:43,10.78.0.5'])
  t.match(dnsmasqAccepts(t, text), /^0 dnsmasq: syntax check OK\.$/)
})

t.test('option 114 only with HTTPS, naming the RFC 8908 API', async (t) => {
  const https = { httpsName: 'b0042.immeubles.bailleur.example', tlsCertFile: '/etc/palier/tls/cert.pem', tlsKeyFile: '/etc/palier/tls/key.pem' }
  const text = dnsmasqConfig(planOf(t, { ...GATEWAY, ...https }))
  t.match(text, /^dhcp-option-force=114,"https:\/\/b0042\.immeubles\.bailleur\.example\/api\/v1\/portal\/captive"$/m)
  t.match(text, /^host-record=palier\.lan,b0042\.immeubles\.bailleur\.example,10\.78\.0\.1$/m, 'the certificate name is the box too')
  t.match(dnsmasqAccepts(t, text), /^0 dnsmasq: syntax check OK\.$/)

  const port = dnsmasqConfig(planOf(t, { ...GATEWAY, ...https, httpsPort: 8443 }))
  t.match(port, /^dhcp-option-force=114,"https:\/\/b0042\.immeubles\.bailleur\.example:8443\/api\/v1\/portal\/captive"$/m)

  const plain = dnsmasqConfig(planOf(t, GATEWAY))
  t.notMatch(plain, /114/)
})

t.test('only gateway mode with a LAN has a dnsmasq configuration', async (t) => {
  t.throws(() => dnsmasqConfig(planOf(t, {})), DnsmasqConfigError)
  t.throws(() => dnsmasqConfig(planOf(t, { networkMode: 'host' })), DnsmasqConfigError)
  // The settings refuse gateway mode without a LAN; a plan made another way is refused here too.
  const plan = planOf(t, GATEWAY)
  t.throws(() => dnsmasqConfig({ ...plan, gateway: undefined }), { name: 'DnsmasqConfigError', message: /gateway mode/ })
})

t.test('a value that would add a line or an option is refused', async (t) => {
  const plan = planOf(t, GATEWAY)
  const g = plan.gateway!
  t.throws(() => dnsmasqConfig({ ...plan, gateway: { ...g, interface: 'lan0\nlisten-address=0.0.0.0' } }), { name: 'DnsmasqConfigError', message: /lanInterface/ })
  t.throws(() => dnsmasqConfig({ ...plan, gateway: { ...g, address: '10.78.0.1,8.8.8.8 ' } }), { name: 'DnsmasqConfigError', message: /lanAddress/ })
  t.throws(() => dnsmasqConfig({ ...plan, leaseFile: '/tmp/a b' }), { name: 'DnsmasqConfigError', message: /lease file/ })
  t.throws(() => dnsmasqConfig({ ...plan, gateway: { ...g, staticLeases: [{ mac: '02:00:00:00:00:01', ip: '10.78.0.9', name: 'x\ninterface=up0' }] } }), {
    message: /static lease name/,
  })
  const https = planOf(t, { ...GATEWAY, httpsName: 'b.example', tlsCertFile: '/c', tlsKeyFile: '/k' }).https!
  t.throws(() => dnsmasqConfig({ ...plan, https: { ...https, captiveApiUrl: 'https://b.example/x"\ninterface=up0' } }), { message: /captive API URL/ })
})

t.test('uplinkProblem: the guard against serving the uplink', async (t) => {
  const text = dnsmasqConfig(planOf(t, GATEWAY))
  t.equal(uplinkProblem(text, 'lan0'), null)
  t.match(uplinkProblem(text, 'eth1'), /eth1 only/)
  t.match(uplinkProblem(text.replace('bind-dynamic\n', ''), 'lan0'), /bind-dynamic is missing/)
  t.match(uplinkProblem(text.replace('bind-dynamic', 'bind-interfaces'), 'lan0'), /bind-dynamic is missing/)
  t.match(uplinkProblem(text.replace('except-interface=lo\n', ''), 'lan0'), /except-interface=lo/)
  t.match(uplinkProblem(text + 'interface=up0\n', 'lan0'), /lan0 only.*interface=up0/)
  t.match(uplinkProblem(text + 'listen-address=0.0.0.0\n', 'lan0'), /listen-address/)
  t.match(uplinkProblem(text + 'bind-interfaces\n', 'lan0'), /bind-interfaces/)
  t.match(uplinkProblem(text + 'conf-dir=/etc/dnsmasq.d\n', 'lan0'), /conf-dir/)
  // A commented-out line is no option.
  t.equal(uplinkProblem(text + '# listen-address=0.0.0.0\n', 'lan0'), null)
})
