// The settings and what each may hold; config.ts layers and checks them. Data only (frozen to
// JSON at build time, like every *schema.ts module).
import { Type } from 'typebox'

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
