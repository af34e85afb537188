// The captive network's API shapes: the RFC 8908 answer, the caretaker's view of the LAN, the
// welcome pages' inputs. Data only (frozen to JSON at build time, like every *schema.ts module).
import { Type, type Static } from 'typebox'
import { NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'

const MAC_PATTERN = '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$'

export const MacSchema = Type.String({ pattern: MAC_PATTERN, description: 'A MAC address, aa:bb:cc:dd:ee:ff (lower case in answers).' })
export const MacParamsSchema = Type.Object({ mac: MacSchema })

/** RFC 8908 §5: only the members Palier can state truthfully. */
export const CaptiveSchema = Type.Object(
  {
    captive: Type.Boolean({ description: 'True while this device has not tapped “Entrer” on the welcome page (gateway mode only).' }),
    'user-portal-url': Type.String({ description: 'The welcome page, over HTTPS when the box has a certificate.' }),
    'venue-info-url': Type.String({ description: 'The building intranet’s home page.' }),
  },
  { description: 'RFC 8908 Captive Portal API state (application/captive+json).' },
)
export type Captive = Static<typeof CaptiveSchema>

const ModeSchema = Type.Union([Type.Literal('off'), Type.Literal('gateway'), Type.Literal('host')])

export const PoolSchema = Type.Object({
  size: Type.Integer({ description: 'Addresses in the dynamic pool.' }),
  used: Type.Integer({ description: 'Unexpired leases inside the pool.' }),
  free: Type.Integer(),
  use: Type.Number({ description: 'used ÷ size, 0–1.' }),
  alert: Type.Boolean({ description: 'Nearly exhausted: 90 % used, or fewer than 5 addresses left.' }),
  devices: Type.Integer({ description: 'Devices with an unexpired lease (fixed addresses included).' }),
})

export const GatewaySchema = Type.Object({
  interface: Type.String(),
  address: Type.String({ description: 'The box on the LAN.' }),
  prefix: Type.Integer(),
  netmask: Type.String(),
  rangeStart: Type.String(),
  rangeEnd: Type.String(),
  leaseSeconds: Type.Integer(),
  staticLeases: Type.Integer({ description: 'Fixed addresses configured.' }),
})

const Fresh = {
  fresh: Type.Boolean({ description: 'palier-net wrote its status within the last 90 s, its pid is alive, and it runs the configured mode.' }),
}

export const DnsmasqStateSchema = Type.Object({
  state: Type.Union([Type.Literal('running'), Type.Literal('restarting'), Type.Literal('stopped')]),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  since: Type.Number({ description: 'As palier-net wrote it (ms since 1970).' }),
  restarts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  ...Fresh,
})

export const MdnsStateSchema = Type.Object({
  state: Type.Union([Type.Literal('published'), Type.Literal('failed'), Type.Literal('stopped')]),
  name: Type.String(),
  since: Type.Number({ description: 'As palier-net wrote it (ms since 1970).' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  ...Fresh,
})

export const PalierNetSchema = Type.Object({
  present: Type.Boolean({ description: 'palier-net’s status file exists.' }),
  ...Fresh,
  mode: Type.Union([ModeSchema, Type.Null()], { description: 'The mode palier-net last reported.' }),
  updatedAt: Type.Union([Type.Number(), Type.Null()], { description: 'When palier-net last wrote its status (ms since 1970).' }),
})

export const LeaseSchema = Type.Object({
  mac: Type.String(),
  ip: Type.String(),
  hostname: Type.Union([Type.String(), Type.Null()], { description: 'The name the device gave itself, if any.' }),
  expiresAt: Type.Union([TimestampSchema, Type.Null()], { description: 'End of the lease (ms); null for a fixed address.' }),
  accepted: Type.Boolean({ description: 'Its owner tapped “Entrer” on the welcome page.' }),
  acceptedAt: NullableTimestampSchema,
})

export const AcceptedDeviceSchema = Type.Object({
  mac: Type.String(),
  ip: Type.String({ description: 'The address it had when accepted.' }),
  acceptedAt: TimestampSchema,
  connected: Type.Boolean({ description: 'It holds an unexpired lease now.' }),
})

export const NetworkInfoSchema = Type.Object({
  mode: ModeSchema,
  residentsUrl: Type.String({ description: 'The address residents open (the one in the QR code of /network/qr).' }),
  addresses: Type.Array(Type.String(), { description: 'Plain addresses residents can type, the best first (residentsUrl first).' }),
  boxName: Type.String({ description: 'Gateway mode: the box’s name on the LAN.' }),
  mdnsName: Type.Union([Type.String(), Type.Null()], { description: 'Host mode: <name>.local.' }),
  https: Type.Union([Type.Object({ name: Type.String(), origin: Type.String(), captiveApiUrl: Type.String() }), Type.Null()], {
    description: 'HTTPS, when a certificate is configured and could be loaded.',
  }),
  gateway: Type.Union([GatewaySchema, Type.Null()]),
  pool: Type.Union([PoolSchema, Type.Null()], { description: 'Gateway mode: the DHCP pool.' }),
  palierNet: PalierNetSchema,
  dnsmasq: Type.Union([DnsmasqStateSchema, Type.Null()], { description: 'Gateway mode: dnsmasq as palier-net last reported.' }),
  mdns: Type.Union([MdnsStateSchema, Type.Null()], { description: 'Host mode: the mDNS announcement as palier-net last reported.' }),
  leases: Type.Array(LeaseSchema, { description: 'Gateway mode: unexpired leases, by address.' }),
  accepted: Type.Array(AcceptedDeviceSchema, { description: 'Devices that tapped “Entrer”, newest first.' }),
})
export type NetworkInfo = Static<typeof NetworkInfoSchema>

export const SvgSchema = Type.String({ description: 'An SVG image.' })
export const HtmlPageSchema = Type.String({ description: 'An HTML page.' })

// A language the box does not have falls back to Accept-Language, never to an error page.
const LangSchema = Type.String({ maxLength: 16, description: 'fr, en or ar; anything else: the browser’s language.' })
export const WelcomeQuerySchema = Type.Object({ lang: Type.Optional(LangSchema) })
export const EnterBodySchema = Type.Object({ lang: Type.Optional(LangSchema) })
