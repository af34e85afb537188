// The settings and what each may hold; config.ts layers and checks them. Data only (frozen to
// JSON at build time, like every *schema.ts module).
import { Type } from 'typebox'

const IPV4 = '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$'
const HOSTNAME = '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'TCP port of the web app.' }),
    host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the web app listens on.' }),
    dataDir: Type.String({ minLength: 1, default: './.data', description: 'Folder holding palier.sqlite and the files folder.' }),
    setupCode: Type.Optional(
      Type.String({ minLength: 8, maxLength: 64, description: 'One-time code that creates the caretaker account. Generated and printed when unset.' }),
    ),
    buildingName: Type.String({ minLength: 1, maxLength: 80, default: 'Mon immeuble', description: 'Name shown on pages and printed letters.' }),
    publicUrl: Type.Optional(
      Type.String({ pattern: '^https?://[^\\s/]+(:[0-9]+)?/?$', description: 'Address residents open (printed on invitations). Defaults to the address the caretaker uses.' }),
    ),
    defaultLanguage: Type.Union([Type.Literal('fr'), Type.Literal('en'), Type.Literal('ar')], {
      default: 'fr',
      description: 'Language when the browser asks for none we have.',
    }),
    residentIdleDays: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'A resident session ends after this many days without use.' }),
    caretakerIdleMinutes: Type.Integer({ minimum: 5, maximum: 1440, default: 30, description: 'A caretaker session ends after this many minutes without use.' }),
    inviteValidityDays: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'How long an invitation code stays valid.' }),
    filesMaxFileMB: Type.Integer({ minimum: 1, maximum: 1048576, default: 2048, description: 'Largest file a person may add to the shared storage, in MiB.' }),
    filesHouseholdQuotaMB: Type.Integer({
      minimum: 1,
      maximum: 1048576,
      default: 2048,
      description: 'Storage each household may use (its own space, what its members share, their trash), in MiB.',
    }),
    filesReserveMB: Type.Integer({
      minimum: 0,
      maximum: 1048576,
      default: 1024,
      description: 'Free space kept on the data disk: under it, uploads are refused (507) while reading goes on, in MiB.',
    }),
    filesTrashDays: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'Days a deleted file stays in the trash before it is removed for good.' }),
    filesUploadExpiryHours: Type.Integer({
      minimum: 1,
      maximum: 720,
      default: 24,
      description: 'Hours an unfinished resumable upload is kept so it can resume, before its bytes are removed.',
    }),
    networkMode: Type.Union([Type.Literal('off'), Type.Literal('gateway'), Type.Literal('host')], {
      default: 'off',
      description:
        'off: no DHCP, DNS or mDNS (a laptop, a test). gateway: the box serves DHCP and DNS on lanInterface and answers the phones’ connectivity probes. host: the box joins an existing LAN and announces itself by mDNS.',
    }),
    lanInterface: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,15}$', description: 'Gateway mode: the building LAN interface (the only one DHCP and DNS answer on).' }),
    ),
    lanAddress: Type.Optional(Type.String({ pattern: IPV4, description: 'Gateway mode: the box’s IPv4 address on the LAN interface, e.g. 10.78.0.1.' })),
    lanPrefix: Type.Integer({ minimum: 8, maximum: 29, default: 24, description: 'Gateway mode: prefix length of the LAN (24 = 255.255.255.0).' }),
    dhcpRangeStart: Type.Optional(Type.String({ pattern: IPV4, description: 'Gateway mode: first address handed out (default: the 10th of the LAN).' })),
    dhcpRangeEnd: Type.Optional(Type.String({ pattern: IPV4, description: 'Gateway mode: last address handed out (default: 5 below the broadcast address).' })),
    dhcpLeaseHours: Type.Integer({ minimum: 1, maximum: 168, default: 12, description: 'Gateway mode: DHCP lease time, in hours.' }),
    dhcpStaticLeases: Type.Array(
      Type.Object(
        {
          mac: Type.String({ pattern: '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$' }),
          ip: Type.String({ pattern: IPV4 }),
          name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,63}$' })),
        },
        { additionalProperties: false },
      ),
      { default: [], maxItems: 500, description: 'Gateway mode: fixed addresses, a JSON list of {"mac", "ip", "name"?} (in the environment too).' },
    ),
    boxName: Type.String({
      pattern: HOSTNAME,
      default: 'palier.lan',
      description: 'Gateway mode: the name the box is reached by over HTTP on the LAN (the welcome page’s address); local DNS answers it, like every name, with lanAddress.',
    }),
    httpsName: Type.Optional(
      Type.String({ pattern: HOSTNAME, description: 'Name of the box’s certificate (e.g. b0042.immeubles.bailleur.example); with tlsCertFile and tlsKeyFile, turns HTTPS on.' }),
    ),
    tlsCertFile: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate (with its chain) for httpsName.' })),
    tlsKeyFile: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key of tlsCertFile.' })),
    httpsPort: Type.Integer({ minimum: 0, maximum: 65535, default: 443, description: 'TCP port of HTTPS when a certificate is configured.' }),
    mdnsHostName: Type.Optional(
      Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', description: 'Host mode: the mDNS name, without .local (default: made from buildingName).' }),
    ),
    netStateDir: Type.Optional(
      Type.String({ minLength: 1, description: 'Folder of palier-net: dnsmasq’s configuration, lease file and status (default: dataDir/net).' }),
    ),
    helperSocket: Type.String({
      minLength: 1,
      default: '/run/palier-helper/helper.sock',
      description: 'Unix socket of the privileged helper (host mode: the avahi service file and mDNS host name).',
    }),
    dnsmasqPath: Type.String({ minLength: 1, default: '/usr/sbin/dnsmasq', description: 'The dnsmasq program palier-net runs in gateway mode.' }),
    trustProxy: Type.Boolean({ default: false, description: 'Trust X-Forwarded-* headers (only behind a local reverse proxy).' }),
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info', description: 'Log verbosity.' },
    ),
  },
  { additionalProperties: false },
)
