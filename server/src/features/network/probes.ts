// The captive portal's front door, one global onRequest hook registered before the security and
// session hooks: in gateway mode it answers the phones' connectivity probes on any Host name
// (302 to the welcome page until the device tapped "Entrer", then each system's "online"
// answer) and sends requests for other sites' names to the welcome page or the intranet; with a
// certificate, it sends plain-HTTP pages to HTTPS. Also the network service the routes share.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { Config } from '../../config.js'
import { CAPTIVE_API_PATH, WELCOME_PATH, type NetworkPlan } from '../../net/plan.js'
import { LeaseWatcher } from '../../net/leases.js'
import { SECURITY_HEADERS } from '../../plugins/security.js'
import { escapeHtml } from '../flats/print.js'
import { ClientLookup, clientIp } from './clients.js'
import { PortalStore } from './portal-store.js'

export interface Network {
  /** The network plan in force (without `https` when the certificate could not be loaded). */
  plan: NetworkPlan
  portal: PortalStore
  clients: ClientLookup
  /** The intranet's home: the HTTPS origin when there is one, else the LAN's HTTP origin. */
  homeOrigin: string | undefined
  /** True when the device behind this request tapped "Entrer" (gateway mode). */
  isAccepted(request: FastifyRequest): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    network: Network
  }
}

export interface ProbesOptions {
  config: Config
  plan: NetworkPlan
  /** The kernel's ARP table (default /proc/net/arp). */
  arpFile?: string
  /** How often the lease file and the ARP table may be re-read, in ms (default 1000). */
  checkMs?: number
}

interface Probe {
  status: number
  type?: string
  body?: string
  headers?: Record<string, string>
}

const APPLE: Probe = { status: 200, type: 'text/html', body: '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>' }
const NETWORK_MANAGER: Probe = {
  status: 200,
  type: 'text/plain; charset=utf-8',
  body: 'NetworkManager is online\n',
  headers: { 'x-networkmanager-status': 'online' },
}

/** Probe path (any Host) → the "online" answer. */
export const PROBE_PATHS: ReadonlyMap<string, Probe> = new Map<string, Probe>([
  ['/generate_204', { status: 204 }],
  ['/gen_204', { status: 204 }],
  ['/hotspot-detect.html', APPLE],
  ['/library/test/success.html', APPLE],
  ['/connecttest.txt', { status: 200, type: 'text/plain', body: 'Microsoft Connect Test' }],
  ['/ncsi.txt', { status: 200, type: 'text/plain', body: 'Microsoft NCSI' }],
  ['/canonical.html', { status: 200, type: 'text/html', body: '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>' }],
  ['/success.txt', { status: 200, type: 'text/plain', body: 'success\n' }],
  ['/check_network_status.txt', NETWORK_MANAGER],
])

/** Probe host (any path) → the "online" answer. */
export const PROBE_HOSTS: ReadonlyMap<string, Probe> = new Map<string, Probe>([
  ['captive.apple.com', APPLE],
  ['connectivity-check.ubuntu.com', NETWORK_MANAGER],
])

/** `Host` header → lower-case host name, without port or IPv6 brackets. */
export function hostnameOf(host: string | undefined): string {
  if (!host) return ''
  if (host.charCodeAt(0) === 91 /* [ */) return host.slice(1, host.indexOf(']')).toLowerCase()
  const colon = host.indexOf(':')
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase()
}

const IPV4_LITERAL = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/** What stays reachable over plain HTTP when the box has a certificate. */
function httpAllowed(path: string): boolean {
  return (
    path === WELCOME_PATH ||
    path.startsWith(WELCOME_PATH + '/') ||
    path === CAPTIVE_API_PATH ||
    path === '/api/v1/health' ||
    PROBE_PATHS.has(path)
  )
}

function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

function redirect(reply: FastifyReply, status: number, location: string): void {
  void reply
    .headers(SECURITY_HEADERS)
    .code(status)
    .header('location', location)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><title>Palier</title><a href="${escapeHtml(location)}">${escapeHtml(location)}</a>\n`)
}

export default fp<ProbesOptions>(
  async (app, { config, plan, arpFile = '/proc/net/arp', checkMs = 1000 }) => {
    const portal = new PortalStore(app.db)
    const clients = new ClientLookup(new LeaseWatcher(plan.leaseFile, checkMs), arpFile, checkMs)
    const gateway = config.networkMode === 'gateway'
    const homeOrigin = plan.https?.origin ?? plan.httpOrigin

    const isAccepted = (request: FastifyRequest): boolean => {
      if (!gateway) return false
      const mac = clients.macOf(clientIp(request))
      return mac !== undefined && portal.isAccepted(mac)
    }
    app.decorate('network', { plan, portal, clients, homeOrigin, isAccepted })

    // The names the box answers to; any IP literal is the box too (nothing is routed beyond it,
    // so a request for another address never reaches this server).
    const ownNames = new Set(['localhost', config.boxName, plan.https?.name, plan.mdnsName, config.lanAddress].filter((n): n is string => !!n))
    if (config.publicUrl) ownNames.add(new URL(config.publicUrl).hostname.toLowerCase())
    const isOwn = (name: string) => name === '' || ownNames.has(name) || IPV4_LITERAL.test(name) || name.includes(':')

    const portalUrl = plan.portalUrl ?? WELCOME_PATH
    const home = `${homeOrigin ?? ''}/`
    const httpsOrigin = plan.https?.origin

    const answerProbe = (request: FastifyRequest, reply: FastifyReply, probe: Probe): void => {
      if (!isAccepted(request)) return redirect(reply, 302, portalUrl)
      void reply.headers(SECURITY_HEADERS).code(probe.status).header('cache-control', 'no-store')
      if (probe.headers) void reply.headers(probe.headers)
      if (probe.type) void reply.type(probe.type)
      void reply.send(probe.body)
    }

    const toHttps = (request: FastifyRequest, reply: FastifyReply, path: string): boolean => {
      if (httpsOrigin === undefined || request.protocol === 'https' || httpAllowed(path)) return false
      // Temporary redirects: browsers keep a permanent one forever, and the certificate may be
      // removed one day (HSTS, sent on HTTPS answers, already keeps browsers on HTTPS meanwhile).
      redirect(reply, request.method === 'GET' || request.method === 'HEAD' ? 302 : 307, httpsOrigin + request.url)
      return true
    }

    // Callback style, and a Map/Set lookup first: this runs on every request.
    const gatewayHook: onRequestHookHandler = (request, reply, done) => {
      const path = pathOf(request.url)
      const name = hostnameOf(request.headers.host)
      const own = isOwn(name)
      const probe = PROBE_PATHS.get(path) ?? (own ? undefined : PROBE_HOSTS.get(name))
      if (probe !== undefined && (request.method === 'GET' || request.method === 'HEAD')) return answerProbe(request, reply, probe)
      if (!own) return redirect(reply, 302, isAccepted(request) ? home : portalUrl)
      if (toHttps(request, reply, path)) return
      done()
    }
    const httpsHook: onRequestHookHandler = (request, reply, done) => {
      if (toHttps(request, reply, pathOf(request.url))) return
      done()
    }

    if (gateway) app.addHook('onRequest', gatewayHook)
    else if (httpsOrigin !== undefined) app.addHook('onRequest', httpsHook)
  },
  { name: 'palier-network', dependencies: ['palier-db'] },
)
