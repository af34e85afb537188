// Shared test helpers: a fresh app on a fresh temporary data directory per test, and short
// ways to set up the caretaker, flats and residents through the real HTTP routes.
import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'

export const SETUP_CODE = 'TEST-SETUP-CODE-1234'
export const CARETAKER = { login: 'gardien', displayName: 'Mme Diallo', password: 'escalier-fleuri-42' }
export const RESIDENT_PASSWORD = 'voisins-sympas-du-3e'

export interface Built {
  app: FastifyInstance
  config: Config
  /** The test clock: move it forward with `clock.advance(ms)`. */
  clock: { now: number; advance(ms: number): void }
}

export async function build(t: Test, overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<Built> {
  const dataDir = t.testdir()
  const config = loadConfig({}, { dataDir, setupCode: SETUP_CODE, logLevel: 'silent', ...overrides })
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      this.now += ms
    },
  }
  const app = await buildApp(config, { now: () => clock.now, ...options })
  t.teardown(() => app.close())
  return { app, config, clock }
}

/** The `name=value` part of the response's session cookie, for the next request. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'palier' || x.name === '__Host-palier')
  if (!c || !c.value) throw new Error(`no session cookie in answer ${res.statusCode}: ${res.body}`)
  return `${c.name}=${c.value}`
}

export async function setupCaretaker(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { code: SETUP_CODE, ...CARETAKER } })
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`)
  return sessionCookie(res)
}

export async function createFlat(app: FastifyInstance, cookie: string, label: string): Promise<{ id: string; label: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/flats', headers: { cookie }, payload: { label } })
  if (res.statusCode !== 201) throw new Error(`flat failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

export async function createInvite(app: FastifyInstance, cookie: string, flatId: string): Promise<{ id: string; code: string }> {
  const res = await app.inject({ method: 'POST', url: `/api/v1/flats/${flatId}/invites`, headers: { cookie } })
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

export async function joinAs(app: FastifyInstance, code: string, login: string, displayName = login): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/join', payload: { code, login, displayName, password: RESIDENT_PASSWORD } })
  if (res.statusCode !== 201) throw new Error(`join failed: ${res.statusCode} ${res.body}`)
  return sessionCookie(res)
}

/** Caretaker + one flat + one resident in it. */
export async function building(app: FastifyInstance) {
  const caretaker = await setupCaretaker(app)
  const flat = await createFlat(app, caretaker, 'A-12')
  const invite = await createInvite(app, caretaker, flat.id)
  const resident = await joinAs(app, invite.code, 'amina', 'Amina')
  return { caretaker, flat, invite, resident }
}
