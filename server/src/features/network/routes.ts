// The network's API: the RFC 8908 Captive Portal API for the phones, and the caretaker's view of
// the LAN (leases, pool, palier-net's state), the residents' address as a QR code, and
// forgetting a device that tapped "Entrer".
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { ipv4 } from '../../config.js'
import { NotFoundError } from '../../lib/errors.js'
import { EmptySchema } from '../../lib/schemas.js'
import { errorResponses } from '../../lib/responses.js'
import { poolState } from '../../net/leases.js'
import { CAPTIVE_API_PATH, WELCOME_PATH, type NetStatus } from '../../net/plan.js'
import { STATUS_HEARTBEAT_MS } from '../../net/status.js'
import { residentAddresses } from './addresses.js'
import { CaptiveSchema, MacParamsSchema, NetworkInfoSchema, SvgSchema, type Captive, type NetworkInfo } from './network-schema.js'
import { qrSvg } from './qr.js'

/** palier-net's status.json, or undefined when it has not written one (or it is unreadable). */
function readStatus(file: string): NetStatus | undefined {
  try {
    const status = JSON.parse(readFileSync(file, 'utf8')) as NetStatus
    return status && typeof status === 'object' ? status : undefined
  } catch {
    return undefined
  }
}

/** palier-net rewrites its status every heartbeat: older than three, it is the last word of a palier-net that is gone. */
const STALE_AFTER_MS = 3 * STATUS_HEARTBEAT_MS

function pidAlive(pid: unknown): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // Another user's process (palier-net runs under its own account) still exists.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** palier-net is alive, wrote lately, and runs the mode the settings ask for. */
function isFresh(status: NetStatus | undefined, mode: Config['networkMode'], now: number): boolean {
  return status !== undefined && status.mode === mode && typeof status.updatedAt === 'number' && now - status.updatedAt < STALE_AFTER_MS && pidAlive(status.pid)
}

export default async function networkRoutes(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { plan, portal, clients } = app.network
  const captiveApiPath = CAPTIVE_API_PATH.replace(/^\/api\/v1/, '')

  app.get(
    captiveApiPath,
    {
      config: { access: 'public' },
      schema: {
        summary: 'RFC 8908 Captive Portal API: whether this device still has to go through the welcome page',
        description: 'Answered as application/captive+json with Cache-Control: private. Handed out in DHCP option 114 when the box has a certificate.',
        tags: ['network'],
        produces: ['application/captive+json'],
        response: { 200: CaptiveSchema },
      },
    },
    async (request, reply) => {
      const origin = plan.https?.origin ?? plan.httpOrigin ?? `${request.protocol}://${request.host}`
      const body: Captive = {
        captive: plan.mode === 'gateway' && !app.network.isAccepted(request),
        'user-portal-url': `${origin}${WELCOME_PATH}`,
        'venue-info-url': `${app.network.homeOrigin ?? origin}/`,
      }
      // As bytes: Fastify would add "; charset=utf-8" to a JSON type it serialises, and RFC 8908
      // clients expect the bare media type.
      return reply.type('application/captive+json').header('cache-control', 'private').send(Buffer.from(JSON.stringify(body)) as never)
    },
  )

  app.get(
    '/network',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'The building network: mode, addresses, DHCP pool, palier-net’s state, leases and accepted devices',
        tags: ['network'],
        response: { 200: NetworkInfoSchema, ...errorResponses(401, 403) },
      },
    },
    async (request): Promise<NetworkInfo> => {
      const now = app.now()
      const status = readStatus(plan.statusFile)
      const fresh = isFresh(status, config.networkMode, now)
      const accepted = portal.list()
      const acceptedAt = new Map(accepted.map((d) => [d.mac, d.acceptedAt]))
      const gw = plan.gateway
      const all = gw ? clients.leases.all() : []
      const live = all.filter((l) => l.expiresAt === 0 || l.expiresAt * 1000 > now).sort((a, b) => ipv4(a.ip) - ipv4(b.ip))
      const connected = new Set(live.map((l) => l.mac))
      const addresses = residentAddresses(config, plan, request)
      return {
        mode: config.networkMode,
        residentsUrl: addresses[0]!,
        addresses,
        boxName: config.boxName,
        mdnsName: plan.mdnsName ?? null,
        https: plan.https ? { name: plan.https.name, origin: plan.https.origin, captiveApiUrl: plan.https.captiveApiUrl } : null,
        gateway: gw
          ? {
              interface: gw.interface,
              address: gw.address,
              prefix: gw.prefix,
              netmask: gw.netmask,
              rangeStart: gw.rangeStart,
              rangeEnd: gw.rangeEnd,
              leaseSeconds: gw.leaseSeconds,
              staticLeases: gw.staticLeases.length,
            }
          : null,
        pool: gw ? poolState(gw, all, Math.floor(now / 1000)) : null,
        palierNet: { present: status !== undefined, fresh, mode: status?.mode ?? null, updatedAt: status?.updatedAt ?? null },
        dnsmasq: status?.dnsmasq ? { ...status.dnsmasq, fresh } : null,
        mdns: status?.mdns ? { ...status.mdns, fresh } : null,
        leases: live.map((l) => ({
          mac: l.mac,
          ip: l.ip,
          hostname: l.hostname,
          expiresAt: l.expiresAt === 0 ? null : l.expiresAt * 1000,
          accepted: portal.isAccepted(l.mac),
          acceptedAt: acceptedAt.get(l.mac) ?? null,
        })),
        accepted: accepted.map((d) => ({ ...d, connected: connected.has(d.mac) })),
      }
    },
  )

  app.get(
    '/network/qr',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'QR code (SVG) of the address residents open, to print',
        tags: ['network'],
        produces: ['image/svg+xml'],
        response: { 200: SvgSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const svg = await qrSvg(residentAddresses(config, plan, request)[0]!)
      return reply.type('image/svg+xml').header('cache-control', 'private, no-cache').send(svg)
    },
  )

  app.delete(
    '/network/accepted/:mac',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Forget a device that tapped “Entrer”: it gets the welcome page again',
        tags: ['network'],
        params: MacParamsSchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!portal.forget(request.params.mac)) throw new NotFoundError()
      request.log.info({ mac: request.params.mac.toLowerCase() }, 'portal device forgotten')
      return reply.code(204).send(null)
    },
  )
}
