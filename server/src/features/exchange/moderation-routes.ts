// Placeholder: being written by the "moderation" helper, who replaces this file.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'

export default async function moderationRoutes(_app: FastifyInstance, _opts: { config: Config }) {}
