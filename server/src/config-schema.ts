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
