// Placeholder: being written by the "loans" helper, who replaces this file.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'

export default async function loansRoutes(_app: FastifyInstance, _opts: { config: Config }) {}
