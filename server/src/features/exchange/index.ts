// Neighbour exchange: lend, give, help, swap — inside the building. Households meet through
// listings and private conversations; the exchange itself happens face to face. Only per-day
// counters ever reach the outbox.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import listings from './listings-routes.js'
import conversations from './conversations-routes.js'
import loans from './loans-routes.js'
import moderation from './moderation-routes.js'
import { flushCounters } from './listings-store.js'

const FLUSH_EVERY_MS = 3_600_000

export default async function exchange(app: FastifyInstance, opts: { config: Config }) {
  // Days that ended while the box was off are sent at start-up, the others within the hour.
  const flush = () => {
    try {
      flushCounters(app.db, app.now())
    } catch (err) {
      app.log.error({ err }, 'exchange counters not queued')
    }
  }
  flush()
  const timer = setInterval(flush, FLUSH_EVERY_MS)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))

  // Only the config: the options also carry the feature's '/api/v1' prefix, which the route
  // modules would otherwise add a second time.
  const routeOpts = { config: opts.config }
  await app.register(listings, routeOpts)
  await app.register(conversations, routeOpts)
  await app.register(loans, routeOpts)
  await app.register(moderation, routeOpts)
}
