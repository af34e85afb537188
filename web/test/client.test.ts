// The API client with a fake fetch: what it sends, and how it reports errors.
import t from 'tap'
import { ApiClient, ApiError, NETWORK_ERROR } from '../src/api/client.js'

interface Call {
  url: string
  init: RequestInit
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = []
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} }
    calls.push(call)
    return respond(call)
  }) as typeof fetch
  return { fn, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })

t.test('requests carry the language, same-origin credentials and JSON', async (t) => {
  let lang = 'fr'
  const me = { id: '1', login: 'amina', displayName: 'Amina', role: 'resident', flat: null }
  const { fn, calls } = fakeFetch(() => json(200, me))
  const api = new ApiClient({ language: () => lang, fetch: fn })
  t.same(await api.signIn('amina', 'correct horse battery'), me)
  lang = 'ar'
  await api.me()
  const [signIn, getMe] = calls
  t.equal(signIn?.url, '/api/v1/session')
  t.equal(signIn?.init.method, 'POST')
  t.equal(signIn?.init.credentials, 'same-origin')
  t.same(JSON.parse(String(signIn?.init.body)), { login: 'amina', password: 'correct horse battery' })
  const headers = signIn?.init.headers as Record<string, string>
  t.equal(headers['Accept-Language'], 'fr')
  t.equal(headers['Content-Type'], 'application/json')
  t.equal((getMe?.init.headers as Record<string, string>)['Accept-Language'], 'ar')
  t.equal(getMe?.init.method, 'GET')
  t.equal(getMe?.init.body, undefined)
})

t.test('lists are unwrapped and ids are escaped in paths', async (t) => {
  const { fn, calls } = fakeFetch(({ url }) =>
    url.endsWith('/invites') ? json(200, { invites: [] }) : json(200, { flats: [{ id: 'a' }] }),
  )
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  t.same(await api.flats(), [{ id: 'a' }])
  t.same(await api.invites('a/b'), [])
  t.equal(calls[1]?.url, '/api/v1/flats/a%2Fb/invites')
  t.equal(api.printInvitationsUrl(['x', 'y z']), '/api/v1/print/invitations?flat=x&flat=y%20z')
})

t.test('204 answers resolve to undefined', async (t) => {
  const { fn } = fakeFetch(() => new Response(null, { status: 204 }))
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  t.equal(await api.signOut(), undefined)
})

t.test('error answers become ApiError with the server message, field and Retry-After', async (t) => {
  const { fn } = fakeFetch(() =>
    json(429, { code: 'PALIER_RATE_LIMITED', message: 'Trop de tentatives. Réessayez dans 30 secondes.', field: 'password' }, { 'retry-after': '30' }),
  )
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  const err = await api.signIn('amina', 'x').catch((e: unknown) => e)
  t.ok(err instanceof ApiError)
  t.match(err, {
    status: 429,
    code: 'PALIER_RATE_LIMITED',
    message: 'Trop de tentatives. Réessayez dans 30 secondes.',
    field: 'password',
    retryAfter: 30,
  })
})

t.test('401 calls onUnauthenticated; non-JSON errors get an empty message', async (t) => {
  let lost = 0
  const { fn } = fakeFetch(({ url }) =>
    url.endsWith('/me') ? json(401, { code: 'PALIER_UNAUTHENTICATED', message: 'Veuillez vous connecter.' }) : new Response('Bad gateway', { status: 502 }),
  )
  const api = new ApiClient({ language: () => 'fr', fetch: fn, onUnauthenticated: () => lost++ })
  await t.rejects(api.me(), { status: 401, code: 'PALIER_UNAUTHENTICATED' })
  t.equal(lost, 1)
  await t.rejects(api.flats(), { status: 502, code: 'PALIER_HTTP_502', message: '' })
  t.equal(lost, 1)
})

t.test('a network failure is an ApiError with status 0; an abort stays an abort', async (t) => {
  const { fn } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')))
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  await t.rejects(api.info(), { status: 0, code: NETWORK_ERROR })
  const aborting = fakeFetch(() => Promise.reject(new DOMException('aborted', 'AbortError')))
  const api2 = new ApiClient({ language: () => 'fr', fetch: aborting.fn })
  await t.rejects(api2.info(), { name: 'AbortError' })
})
