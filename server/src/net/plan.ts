// What the network settings mean once worked out: the LAN's numbers, the DHCP pool, the box's
// names and addresses, where palier-net keeps its files. Shared by palier-net (which runs dnsmasq
// or announces the box by mDNS) and the web app (probes, welcome page, the caretaker's console).
import path from 'node:path'
import { ipv4, mask, type Config } from '../config.js'

export interface StaticLease {
  mac: string
  ip: string
  name?: string
}

export interface GatewayPlan {
  interface: string
  address: string
  prefix: number
  netmask: string
  network: string
  broadcast: string
  rangeStart: string
  rangeEnd: string
  /** Addresses in the dynamic pool. */
  poolSize: number
  leaseSeconds: number
  staticLeases: readonly StaticLease[]
}

export interface HttpsPlan {
  name: string
  port: number
  certFile: string
  keyFile: string
  /** https://name[:port] */
  origin: string
  /** The RFC 8908 API, handed out in DHCP option 114. */
  captiveApiUrl: string
}

export interface NetworkPlan {
  mode: Config['networkMode']
  gateway?: GatewayPlan
  https?: HttpsPlan
  /** The name the box answers to over HTTP on the LAN (gateway mode). */
  boxName: string
  /** http://boxName[:port] in gateway mode, else the publicUrl or nothing. */
  httpOrigin?: string
  /** Where a phone not yet accepted is sent: <httpOrigin>/bienvenue. */
  portalUrl?: string
  /** Host mode: the mDNS name with .local. */
  mdnsName?: string
  stateDir: string
  /** dnsmasq's lease file: `<expiry epoch> <mac> <ip> <hostname|*> <client id|*>` per line. */
  leaseFile: string
  /** palier-net's status (JSON, see NetStatus). */
  statusFile: string
  /** dnsmasq's configuration, written by palier-net. */
  dnsmasqConfFile: string
}

/** What palier-net writes to statusFile, atomically, on every change. */
export interface NetStatus {
  mode: Config['networkMode']
  /** palier-net's pid. */
  pid: number
  updatedAt: number
  dnsmasq?: {
    state: 'running' | 'restarting' | 'stopped'
    pid: number | null
    since: number
    restarts: number
    lastError: string | null
  }
  mdns?: {
    state: 'published' | 'failed' | 'stopped'
    name: string
    since: number
    lastError: string | null
  }
}

export const CAPTIVE_API_PATH = '/api/v1/portal/captive'
export const WELCOME_PATH = '/bienvenue'

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** "Résidence Les Tilleuls" → "residence-les-tilleuls". */
export function slugOf(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return slug || 'palier'
}

function origin(scheme: 'http' | 'https', host: string, port: number): string {
  const standard = scheme === 'http' ? 80 : 443
  return `${scheme}://${host}${port === standard ? '' : `:${port}`}`
}

export function networkPlan(config: Config): NetworkPlan {
  const stateDir = config.netStateDir ?? path.join(config.dataDir, 'net')
  const plan: NetworkPlan = {
    mode: config.networkMode,
    boxName: config.boxName,
    stateDir,
    leaseFile: path.join(stateDir, 'dnsmasq.leases'),
    statusFile: path.join(stateDir, 'status.json'),
    dnsmasqConfFile: path.join(stateDir, 'dnsmasq.conf'),
  }
  if (config.httpsName && config.tlsCertFile && config.tlsKeyFile) {
    const o = origin('https', config.httpsName, config.httpsPort)
    plan.https = {
      name: config.httpsName,
      port: config.httpsPort,
      certFile: config.tlsCertFile,
      keyFile: config.tlsKeyFile,
      origin: o,
      captiveApiUrl: `${o}${CAPTIVE_API_PATH}`,
    }
  }
  if (config.networkMode === 'gateway' && config.lanInterface && config.lanAddress) {
    const m = mask(config.lanPrefix)
    const address = ipv4(config.lanAddress)
    const network = (address & m) >>> 0
    const broadcast = (network | (~m >>> 0)) >>> 0
    const start = config.dhcpRangeStart ? ipv4(config.dhcpRangeStart) : network + Math.min(10, Math.max(1, (broadcast - network) >>> 2))
    const end = config.dhcpRangeEnd ? ipv4(config.dhcpRangeEnd) : Math.max(start, broadcast - Math.min(5, (broadcast - network) >>> 3))
    plan.gateway = {
      interface: config.lanInterface,
      address: config.lanAddress,
      prefix: config.lanPrefix,
      netmask: formatIpv4(m),
      network: formatIpv4(network),
      broadcast: formatIpv4(broadcast),
      rangeStart: formatIpv4(start),
      rangeEnd: formatIpv4(end),
      poolSize: end - start + 1,
      leaseSeconds: config.dhcpLeaseHours * 3600,
      staticLeases: config.dhcpStaticLeases,
    }
    plan.httpOrigin = origin('http', config.boxName, config.port)
    plan.portalUrl = `${plan.httpOrigin}${WELCOME_PATH}`
  } else if (config.publicUrl) {
    plan.httpOrigin = config.publicUrl.replace(/\/$/, '')
  }
  if (config.networkMode === 'host') plan.mdnsName = `${config.mdnsHostName ?? slugOf(config.buildingName)}.local`
  return plan
}
