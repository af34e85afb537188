// Health and public facts about the box: what a supervisor, the welcome page and API clients ask first.
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { prepared } from '../../db/index.js'
import { VERSION } from '../../version.js'
import { caretakerExists } from '../accounts/store.js'

import { HealthSchema, InfoSchema, OpenApiSchema } from './schema.js'

export default async function healthFeature(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get(
    '/health',
    { config: { access: 'public' }, schema: { summary: 'Liveness', tags: ['box'], response: { 200: HealthSchema } } },
    async () => {
      prepared(app.db, 'SELECT 1').get() // the store answers, or this is a 500
      return { status: 'ok' as const, version: VERSION }
    },
  )

  app.get(
    '/info',
    { config: { access: 'public' }, schema: { summary: 'Building name and first-run state', tags: ['box'], response: { 200: InfoSchema } } },
    async () => ({ buildingName: config.buildingName, setupNeeded: !caretakerExists(app.db), version: VERSION }),
  )

  app.get(
    '/openapi.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'This API’s OpenAPI 3 document, generated from the route schemas',
        tags: ['box'],
        response: { 200: OpenApiSchema },
      },
    },
    async () => app.swagger(),
  )
}
