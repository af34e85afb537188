// Placeholder: being written by the "conversations" helper, who replaces this file.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'

export default async function conversationsRoutes(_app: FastifyInstance, _opts: { config: Config }) {}
