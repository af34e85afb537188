// The network console's rules without a browser: a service's state in one word (a stale report
// is "unknown"), the pool meter and its alert, lease expiry in words, the device list's order.
import t from 'tap'
import type { NetworkAcceptedDevice, NetworkLease } from '../src/api/types.js'
import { fr } from '../src/i18n/fr.js'
import { format } from '../src/i18n/translate.js'
import { absentAccepted, addressText, expiryOf, leaseRows, poolView, printedAddress, serviceState } from '../src/network/model.js'

const NOW = 1_800_000_000_000
const MIN = 60_000

t.test('a service state is trusted only while palier-net keeps writing it', async (t) => {
  const base = { since: NOW, lastError: null }
  t.equal(serviceState({ ...base, state: 'running', fresh: true }), 'running')
  t.equal(serviceState({ ...base, state: 'published', fresh: true }), 'running', 'mDNS published')
  t.equal(serviceState({ ...base, state: 'restarting', fresh: true }), 'restarting')
  t.equal(serviceState({ ...base, state: 'stopped', fresh: true }), 'stopped')
  t.equal(serviceState({ ...base, state: 'failed', fresh: true }), 'failed')
  t.equal(serviceState({ ...base, state: 'running', fresh: false }), 'unknown', 'palier-net stopped writing')
  t.equal(serviceState(undefined), 'unknown', 'no report at all')
  t.equal(serviceState({ ...base, state: 'something-new', fresh: true }), 'unknown')
})

t.test('the pool meter: percent never shows 100 while an address is left; the alert', async (t) => {
  t.same(poolView({ size: 186, used: 0, free: 186, use: 0, alert: false, devices: 0 }), { percent: 0, level: 'low', alert: false })
  t.same(poolView({ size: 186, used: 140, free: 46, use: 140 / 186, alert: false, devices: 141 }), { percent: 75, level: 'mid', alert: false })
  t.same(poolView({ size: 186, used: 185, free: 1, use: 185 / 186, alert: true, devices: 185 }), { percent: 99, level: 'high', alert: true })
  t.same(poolView({ size: 186, used: 186, free: 0, use: 1, alert: true, devices: 190 }), { percent: 100, level: 'high', alert: true })
  t.same(poolView({ size: 10, used: 6, free: 4, use: 0.6, alert: true, devices: 6 }), { percent: 60, level: 'high', alert: true }, 'the server says: fewer than 5 left')
  t.same(poolView({ size: 0, used: 0, free: 0, use: 1, alert: false, devices: 0 }), { percent: 100, level: 'high', alert: true }, 'an empty pool is exhausted')
})

t.test('a lease end in words', async (t) => {
  const words = (expiresAt: number | null) => {
    const e = expiryOf(expiresAt, NOW)
    return e.kind === 'left' ? format(fr[e.key], e.params) : e.kind
  }
  t.equal(words(null), 'static')
  t.equal(words(NOW - 1), 'expired')
  t.equal(words(NOW), 'expired')
  t.equal(words(NOW + 30_000), 'dans 1 min', 'rounded up: the lease is not over')
  t.equal(words(NOW + 59 * MIN), 'dans 59 min')
  t.equal(words(NOW + 60 * MIN), 'dans 1 h')
  t.equal(words(NOW + 12 * 60 * MIN - 90_000), 'dans 11 h 59 min')
})

t.test('devices in address order, one row per MAC, names cleaned', async (t) => {
  const leases: NetworkLease[] = [
    { mac: 'AA:00:00:00:00:02', ip: '10.78.0.100', hostname: 'tablette-nadia', expiresAt: NOW + 10 * MIN, accepted: true, acceptedAt: NOW - MIN },
    { mac: 'aa:00:00:00:00:01', ip: '10.78.0.9', hostname: null, expiresAt: null, accepted: false, acceptedAt: null },
    { mac: 'aa:00:00:00:00:03', ip: '10.78.0.20', hostname: '*', expiresAt: NOW - 5, accepted: false, acceptedAt: null },
    // The same phone, an older lease on another address.
    { mac: 'aa:00:00:00:00:02', ip: '10.78.0.11', hostname: 'tablette-nadia', expiresAt: NOW + MIN, accepted: true, acceptedAt: NOW - MIN },
  ]
  const rows = leaseRows(leases, NOW)
  t.same(
    rows.map((r) => [r.ip, r.mac, r.name, r.expiry.kind, r.accepted]),
    [
      ['10.78.0.9', 'aa:00:00:00:00:01', null, 'static', false],
      ['10.78.0.20', 'aa:00:00:00:00:03', null, 'expired', false],
      ['10.78.0.100', 'aa:00:00:00:00:02', 'tablette-nadia', 'left', true],
    ],
  )
  t.same(leaseRows([], NOW), [])
  t.same(
    absentAccepted(
      [
        { mac: 'aa:00:00:00:00:02', ip: '10.78.0.100', acceptedAt: NOW - MIN, connected: true },
        { mac: 'aa:00:00:00:00:09', ip: '10.78.0.30', acceptedAt: NOW - 90 * MIN, connected: false },
      ] satisfies NetworkAcceptedDevice[],
      leases,
    ).map((a) => a.mac),
    ['aa:00:00:00:00:09'],
    'accepted devices away from the Wi-Fi can be forgotten too',
  )
})

t.test('the printed address is the first one, as people type it', async (t) => {
  t.equal(printedAddress({ addresses: ['http://palier.lan/', 'http://10.78.0.1/'] }), 'palier.lan')
  t.equal(printedAddress({ addresses: ['https://b0042.immeubles.test/', 'http://palier.lan/'] }), 'b0042.immeubles.test', 'typed, it opens over HTTP and the box sends it on to HTTPS')
  t.equal(printedAddress({ addresses: [] }), null)
  t.equal(addressText('http://10.78.0.1:8080/'), '10.78.0.1:8080')
})
