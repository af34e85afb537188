// The caretaker's network console without a browser: the state of DHCP/DNS or mDNS in one word,
// how full the address pool is, and the device list as the page shows it (sorted, expiry in words).
import type { NetworkAcceptedDevice, NetworkInfo, NetworkLease, NetworkPool, NetworkService } from '../api/types.js'
import type { MessageKey, Params } from '../i18n/translate.js'

/** What the console says about a service. */
export type ServiceState = 'running' | 'restarting' | 'stopped' | 'failed' | 'unknown'

export const SERVICE_LABEL: Readonly<Record<ServiceState, MessageKey>> = {
  running: 'network.state.running',
  restarting: 'network.state.restarting',
  stopped: 'network.state.stopped',
  failed: 'network.state.failed',
  unknown: 'network.state.unknown',
}

/**
 * A service's state in one word. palier-net's report is trusted only while it is fresh: a report
 * left behind by a palier-net that stopped would otherwise say "running" for ever.
 */
export function serviceState(service: NetworkService | null | undefined): ServiceState {
  if (!service || service.fresh === false) return 'unknown'
  switch (service.state) {
    case 'running':
    case 'published':
      return 'running'
    case 'restarting':
      return 'restarting'
    case 'stopped':
      return 'stopped'
    case 'failed':
      return 'failed'
    default:
      return 'unknown'
  }
}

export interface PoolView {
  /** Whole percent used, never rounded up to 100 while an address is left. */
  percent: number
  /** The colour of the meter. */
  level: 'low' | 'mid' | 'high'
  /** Show the alert: the pool is nearly exhausted. */
  alert: boolean
}

export function poolView(pool: NetworkPool): PoolView {
  const share = pool.size > 0 ? Math.min(1, Math.max(0, pool.used / pool.size)) : 1
  const percent = pool.free > 0 ? Math.min(99, Math.floor(share * 100)) : 100
  const alert = pool.alert || pool.free === 0
  return { percent, level: alert || share >= 0.9 ? 'high' : share >= 0.7 ? 'mid' : 'low', alert }
}

export type Expiry = { kind: 'static' } | { kind: 'expired' } | { kind: 'left'; key: MessageKey; params: Params }

/** How long a lease still runs (ends at `expiresAt` ms, null: a fixed address), in words. */
export function expiryOf(expiresAt: number | null, nowMs: number): Expiry {
  if (expiresAt === null) return { kind: 'static' }
  const left = expiresAt - nowMs
  if (left <= 0) return { kind: 'expired' }
  const minutes = Math.ceil(left / 60_000)
  if (minutes < 60) return { kind: 'left', key: 'network.leftMinutes', params: { m: minutes } }
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0
    ? { kind: 'left', key: 'network.leftHours', params: { h: hours } }
    : { kind: 'left', key: 'network.leftHoursMinutes', params: { h: hours, m: rest } }
}

export interface LeaseRow {
  mac: string
  ip: string
  /** The device's own name, or null (the page says "unnamed device"). */
  name: string | null
  expiry: Expiry
  accepted: boolean
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + (Number(part) || 0), 0)
}

/** A later end wins; a fixed address (null) never ends. */
function endsLater(a: number | null, b: number | null): boolean {
  return a === null ? b !== null : b !== null && a > b
}

/** The devices, in address order (the order dnsmasq hands addresses out), one row per MAC. */
export function leaseRows(leases: readonly NetworkLease[], nowMs: number): LeaseRow[] {
  const byMac = new Map<string, NetworkLease>()
  for (const lease of leases) {
    const mac = lease.mac.toLowerCase()
    const seen = byMac.get(mac)
    // A device that changed address keeps its latest lease only.
    if (!seen || endsLater(lease.expiresAt, seen.expiresAt)) byMac.set(mac, lease)
  }
  return [...byMac.values()]
    .sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip))
    .map((l) => ({
      mac: l.mac.toLowerCase(),
      ip: l.ip,
      name: l.hostname && l.hostname !== '*' ? l.hostname : null,
      expiry: expiryOf(l.expiresAt, nowMs),
      accepted: l.accepted,
    }))
}

/**
 * The address to print in big letters: the first one, as people type it. The scheme goes: a typed
 * name opens over HTTP, and the box sends HTTP on to HTTPS itself when it has a certificate.
 */
export function printedAddress(info: Pick<NetworkInfo, 'addresses'>): string | null {
  const first = info.addresses[0]
  return first ? addressText(first) : null
}

/** An address as typed: "http://palier.lan/" reads "palier.lan". */
export function addressText(address: string): string {
  return address.replace(/^https?:\/\//, '').replace(/\/$/, '')
}

/**
 * Devices that tapped "Entrer" but hold no address now (away, switched off): the caretaker can
 * still forget them, e.g. a phone that was lost or sold. Newest first, as the box lists them.
 */
export function absentAccepted(accepted: readonly NetworkAcceptedDevice[], leases: readonly NetworkLease[]): NetworkAcceptedDevice[] {
  const present = new Set(leases.map((l) => l.mac.toLowerCase()))
  return accepted.filter((a) => !a.connected && !present.has(a.mac.toLowerCase()))
}
