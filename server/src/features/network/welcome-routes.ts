// The welcome flow's pages: /bienvenue (what this network is, "Entrer"), the form that accepts
// the device by its MAC address, and /bienvenue/ok (hand-over to the phone's real browser).
// They work in every mode; only gateway mode remembers devices.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { LANGUAGES, type Config, type Language } from '../../config.js'
import { WELCOME_PATH } from '../../net/plan.js'
import { residentAddresses } from './addresses.js'
import { clientIp } from './clients.js'
import { EnterBodySchema, HtmlPageSchema, WelcomeQuerySchema } from './network-schema.js'
import { qrSvg } from './qr.js'

// The pages and their texts are loaded on the first visit: most boxes never show them (host
// mode), and the web app's idle memory is counted.
const pages = () => import('./welcome.js')
const ENTER_PATH = `${WELCOME_PATH}/entrer`
const OK_PATH = `${WELCOME_PATH}/ok`

const FORM = 'application/x-www-form-urlencoded'

/** The language asked for by ?lang= or the form, else the browser's. */
function languageOf(request: FastifyRequest, asked: string | undefined): Language {
  return asked && (LANGUAGES as readonly string[]).includes(asked) ? (asked as Language) : request.lang
}

export default async function welcomeRoutes(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { plan, portal, clients } = app.network
  const gateway = plan.mode === 'gateway'

  // The "Entrer" form posts one small urlencoded field; no parser for it exists elsewhere.
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  const address = (request: FastifyRequest) => residentAddresses(config, plan, request)[0]!
  const langQuery = (lang: Language) => `?lang=${lang}`

  // Pages, not API: kept out of the OpenAPI document like the web app's own routes.
  const page = { hide: true, produces: ['text/html'] }

  app.get(
    WELCOME_PATH,
    {
      config: { access: 'public' },
      schema: { ...page, summary: 'The captive portal’s welcome page', querystring: WelcomeQuerySchema, response: { 200: HtmlPageSchema } },
    },
    async (request, reply) => {
      const lang = languageOf(request, request.query.lang)
      const html = (await pages()).welcomePage({ lang, buildingName: config.buildingName, accepted: app.network.isAccepted(request), address: address(request) })
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
    },
  )

  app.post(
    ENTER_PATH,
    {
      config: { access: 'public' },
      schema: {
        ...page,
        summary: '“Entrer”: accept this device (gateway mode)',
        body: EnterBodySchema,
        response: { 303: HtmlPageSchema, 409: HtmlPageSchema },
      },
    },
    async (request, reply) => {
      const lang = languageOf(request, request.body?.lang)
      if (gateway) {
        const ip = clientIp(request)
        // The phone may have got its lease a moment ago: read the tables now.
        clients.invalidate()
        const mac = clients.macOf(ip)
        if (!mac) {
          request.log.warn({ ip }, 'portal: no MAC address for this client')
          const html = (await pages()).welcomePage({ lang, buildingName: config.buildingName, accepted: false, address: address(request), error: 'PALIER_DEVICE_UNKNOWN' })
          return reply.code(409).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
        }
        portal.accept(mac, ip, app.now())
        request.log.info({ mac, ip }, 'portal: device accepted')
      }
      const location = OK_PATH + langQuery(lang)
      return reply.code(303).header('location', location).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(`<a href="${location}">OK</a>`)
    },
  )

  app.get(
    OK_PATH,
    {
      config: { access: 'public' },
      schema: {
        ...page,
        summary: 'After “Entrer”: the intranet’s address, a link and a QR code',
        querystring: WelcomeQuerySchema,
        response: { 200: HtmlPageSchema, 302: HtmlPageSchema },
      },
    },
    async (request, reply) => {
      const lang = languageOf(request, request.query.lang)
      if (gateway && !app.network.isAccepted(request)) {
        const location = WELCOME_PATH + langQuery(lang)
        return reply.code(302).header('location', location).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(`<a href="${location}">${location}</a>`)
      }
      const url = address(request)
      const html = (await pages()).okPage({ lang, buildingName: config.buildingName, address: url, qr: await qrSvg(url) })
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
    },
  )
}
