import t from 'tap'
import { loadConfig } from '../config.js'
import { networkPlan, slugOf } from './plan.js'
import { parseArp, parseLeases, poolState } from './leases.js'

const base = { dataDir: '/var/lib/palier' }

t.test('off by default: no gateway, no portal, files under dataDir/net', async (t) => {
  const plan = networkPlan(loadConfig({}, base))
  t.equal(plan.mode, 'off')
  t.equal(plan.gateway, undefined)
  t.equal(plan.portalUrl, undefined)
  t.equal(plan.https, undefined)
  t.equal(plan.leaseFile, '/var/lib/palier/net/dnsmasq.leases')
  t.equal(plan.statusFile, '/var/lib/palier/net/status.json')
})

t.test('gateway numbers: netmask, broadcast, default pool, portal address', async (t) => {
  const plan = networkPlan(loadConfig({}, { ...base, networkMode: 'gateway', lanInterface: 'wlan0', lanAddress: '10.78.0.1', port: 80 }))
  t.match(plan.gateway, { netmask: '255.255.255.0', network: '10.78.0.0', broadcast: '10.78.0.255', rangeStart: '10.78.0.10', rangeEnd: '10.78.0.250', poolSize: 241, leaseSeconds: 43200 })
  t.equal(plan.portalUrl, 'http://palier.lan/bienvenue')
  const wide = networkPlan(loadConfig({}, { ...base, networkMode: 'gateway', lanInterface: 'br0', lanAddress: '172.20.3.1', lanPrefix: 22, port: 8080, boxName: 'tilleuls.lan' }))
  t.match(wide.gateway, { netmask: '255.255.252.0', network: '172.20.0.0', broadcast: '172.20.3.255', rangeStart: '172.20.0.10', rangeEnd: '172.20.3.250' })
  t.equal(wide.portalUrl, 'http://tilleuls.lan:8080/bienvenue')
  const fixed = networkPlan(loadConfig({}, { ...base, networkMode: 'gateway', lanInterface: 'wlan0', lanAddress: '10.78.0.1', dhcpRangeStart: '10.78.0.100', dhcpRangeEnd: '10.78.0.109', netStateDir: '/var/lib/palier-net' }))
  t.match(fixed.gateway, { rangeStart: '10.78.0.100', rangeEnd: '10.78.0.109', poolSize: 10 })
  t.equal(fixed.leaseFile, '/var/lib/palier-net/dnsmasq.leases')
})

t.test('HTTPS gives the captive API address; host mode the mDNS name', async (t) => {
  const tls = { httpsName: 'b0042.immeubles.bailleur.example', tlsCertFile: '/etc/palier/tls/cert.pem', tlsKeyFile: '/etc/palier/tls/key.pem' }
  const plan = networkPlan(loadConfig({}, { ...base, ...tls, networkMode: 'host', buildingName: 'Résidence Les Tilleuls' }))
  t.equal(plan.https?.captiveApiUrl, 'https://b0042.immeubles.bailleur.example/api/v1/portal/captive')
  t.equal(plan.mdnsName, 'residence-les-tilleuls.local')
  t.equal(networkPlan(loadConfig({}, { ...base, ...tls, httpsPort: 8443, networkMode: 'host', mdnsHostName: 'b0042' })).https?.origin, 'https://b0042.immeubles.bailleur.example:8443')
  t.equal(networkPlan(loadConfig({}, { ...base, networkMode: 'host', mdnsHostName: 'b0042' })).mdnsName, 'b0042.local')
  t.equal(slugOf('  ¡¡ !! '), 'palier')
  t.equal(slugOf('Cité 7 — Bâtiment B'), 'cite-7-batiment-b')
})

t.test('leases and ARP are read as dnsmasq and the kernel write them; the pool state counts live leases in the pool', async (t) => {
  const leases = parseLeases(
    [
      '1900000000 02:aa:bb:cc:dd:01 10.78.0.11 pixel-7 01:02:aa:bb:cc:dd:01',
      '1900000000 02:AA:BB:CC:DD:02 10.78.0.12 * *',
      '100 02:aa:bb:cc:dd:03 10.78.0.13 old *',
      '0 02:aa:bb:cc:dd:04 10.78.0.5 imprimante *',
      'garbage line',
      '',
    ].join('\n'),
  )
  t.same(leases.map((l) => [l.mac, l.ip, l.hostname]), [
    ['02:aa:bb:cc:dd:01', '10.78.0.11', 'pixel-7'],
    ['02:aa:bb:cc:dd:02', '10.78.0.12', null],
    ['02:aa:bb:cc:dd:03', '10.78.0.13', 'old'],
    ['02:aa:bb:cc:dd:04', '10.78.0.5', 'imprimante'],
  ])
  const gateway = networkPlan(loadConfig({}, { ...base, networkMode: 'gateway', lanInterface: 'wlan0', lanAddress: '10.78.0.1', dhcpRangeStart: '10.78.0.10', dhcpRangeEnd: '10.78.0.19' })).gateway!
  t.same(poolState(gateway, leases, 1_800_000_000), { size: 10, used: 2, free: 8, use: 0.2, alert: false, devices: 3 })
  const crowd = Array.from({ length: 9 }, (_, i) => ({ expiresAt: 1_900_000_000, mac: `02:00:00:00:00:0${i}`, ip: `10.78.0.1${i}`, hostname: null, clientId: null }))
  t.match(poolState(gateway, crowd, 1_800_000_000), { used: 9, free: 1, alert: true })
  const arp = parseArp(
    'IP address       HW type     Flags       HW address            Mask     Device\n' +
      '10.78.0.11       0x1         0x2         02:AA:BB:CC:DD:01     *        lan0\n' +
      '10.78.0.12       0x1         0x0         00:00:00:00:00:00     *        lan0\n',
  )
  t.same([...arp], [['10.78.0.11', '02:aa:bb:cc:dd:01']])
})
