// dnsmasq's configuration in gateway mode, made from the network plan: DHCP and the captive DNS on
// the LAN interface only (the uplink is never answered), the box as router and DNS server.
import type { NetworkPlan } from './plan.js'

/** The names whose answers differ from "the box" (DESIGN.md, "Network modes"). */
export const NCSI_DNS_NAME = 'dns.msftncsi.com'
export const NCSI_DNS_ADDRESS = '131.107.255.255'
/** Firefox turns its own DNS-over-HTTPS off when this name does not exist. */
export const CANARY_DOMAIN = 'use-application-dns.net'
export const DNS_TTL_SECONDS = 60

/** A plan that cannot be turned into a safe dnsmasq configuration. */
export class DnsmasqConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DnsmasqConfigError'
  }
}

// Each value ends up on a line of its own: anything able to start another line or option is refused.
const SAFE = /^[A-Za-z0-9_.:/@%+~=-]+$/

function safe(what: string, value: string): string {
  if (!SAFE.test(value)) throw new DnsmasqConfigError(`${what} ${JSON.stringify(value)} cannot go into dnsmasq's configuration`)
  return value
}

export function dnsmasqConfig(plan: NetworkPlan): string {
  const g = plan.gateway
  if (plan.mode !== 'gateway' || !g) throw new DnsmasqConfigError('dnsmasq runs only in gateway mode, with the LAN interface and address set')
  const box = safe('lanAddress', g.address)
  const names = [plan.boxName, ...(plan.https && plan.https.name !== plan.boxName ? [plan.https.name] : [])].map((n) => safe('box name', n))
  const lines = [
    '# Written by palier-net from Palier\'s settings: edits here are overwritten.',
    '',
    '# The LAN only: dnsmasq binds the LAN interface\'s own address and nothing else.',
    `interface=${safe('lanInterface', g.interface)}`,
    // bind-dynamic, not bind-interfaces: both bind the LAN address only, but bind-interfaces also
    // answers a query sent to that address over the uplink (checked in dhcp-dns.test.ts), while
    // bind-dynamic also checks the interface a query came in on (and copes with lan0 coming up late).
    'bind-dynamic',
    'except-interface=lo',
    '# No pid file (palier-net keeps the pid); logs go to stderr, which palier-net reads.',
    'pid-file',
    'log-facility=-',
    '',
    '# DNS: every name is the box, except the exceptions below; nothing is forwarded.',
    'no-resolv',
    'no-hosts',
    `address=/${NCSI_DNS_NAME}/${NCSI_DNS_ADDRESS}`,
    `address=/${CANARY_DOMAIN}/`,
    `address=/#/${box}`,
    // Without it, dnsmasq ≥ 2.86 tries to forward AAAA and the like, and answers REFUSED.
    'local=/#/',
    `local-ttl=${DNS_TTL_SECONDS}`,
    // The box's own names also answer reverse lookups of its address.
    `host-record=${names.join(',')},${box}`,
    '',
    '# DHCP, IPv4 only: netmask, router, DNS server, broadcast address, lease time.',
    `dhcp-range=${safe('dhcpRangeStart', g.rangeStart)},${safe('dhcpRangeEnd', g.rangeEnd)},${safe('netmask', g.netmask)},${g.leaseSeconds}`,
    `dhcp-option=option:router,${box}`,
    `dhcp-option=option:dns-server,${box}`,
    `dhcp-option=28,${safe('broadcast', g.broadcast)}`,
    `dhcp-leasefile=${safe('lease file', plan.leaseFile)}`,
    // The only DHCP server of this LAN: answer clients that come back with an address we forgot.
    'dhcp-authoritative',
    // dnsmasq pings each address before offering it and waits up to 3 s without reading further
    // requests: a burst of DISCOVERs from random MACs then starves real phones (flood.test.ts).
    // The lease file is the only source of truth instead (fixed devices get static leases).
    'no-ping',
  ]
  if (g.staticLeases.length) lines.push('', '# Static leases.')
  for (const lease of g.staticLeases) {
    const fields = [safe('static lease MAC', lease.mac.toLowerCase()), safe('static lease IP', lease.ip)]
    if (lease.name) fields.push(safe('static lease name', lease.name))
    lines.push(`dhcp-host=${fields.join(',')}`)
  }
  if (plan.https) {
    // RFC 8910 needs HTTPS: offered only with a certificate. Forced, since few clients ask for it.
    const url = plan.https.captiveApiUrl
    if (!/^https:\/\/[A-Za-z0-9.:-]+\/[A-Za-z0-9/._-]*$/.test(url)) throw new DnsmasqConfigError(`captive API URL ${JSON.stringify(url)} cannot go into dnsmasq's configuration`)
    lines.push('', '# RFC 8910 captive-portal API (HTTPS is configured).', `dhcp-option-force=114,"${url}"`)
  }
  const text = lines.join('\n') + '\n'
  const problem = uplinkProblem(text, g.interface)
  if (problem) throw new DnsmasqConfigError(problem)
  return text
}

/**
 * Checks that a configuration serves the LAN interface only (a guard against a later edit of
 * dnsmasqConfig): one interface= line naming it, bind-dynamic, lo excluded, and none of the
 * options that would open other interfaces or addresses. Returns what is wrong, or null.
 */
export function uplinkProblem(text: string, lanInterface: string): string | null {
  const options = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const interfaces = options.filter((l) => l.startsWith('interface='))
  if (interfaces.length !== 1 || interfaces[0] !== `interface=${lanInterface}`) return `dnsmasq must listen on ${lanInterface} only (found ${interfaces.join(', ') || 'no interface= line'})`
  if (!options.includes('bind-dynamic')) return 'bind-dynamic is missing: dnsmasq would bind every address, or answer the LAN address over the uplink'
  if (!options.includes('except-interface=lo')) return 'except-interface=lo is missing'
  const opener = options.find((l) => /^(listen-address|bind-interfaces|auth-server|interface-name|no-dhcp-interface|dhcp-relay|conf-file|conf-dir|servers-file|addn-hosts)\b/.test(l))
  if (opener) return `"${opener}" has no place in Palier's dnsmasq configuration`
  return null
}
