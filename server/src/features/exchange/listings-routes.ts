// Placeholder: being written by the "listings" helper, who replaces this file.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'

export default async function listingsRoutes(_app: FastifyInstance, _opts: { config: Config }) {}
