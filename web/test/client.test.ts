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

t.test('the board sends the ETag it holds and reuses its copy on 304', async (t) => {
  const page = { notices: [{ id: 'n1' }], nextCursor: null }
  let round = 0
  const { fn, calls } = fakeFetch(() => {
    round++
    return round === 1 ? json(200, page, { etag: '"v1"' }) : new Response(null, { status: 304, headers: { etag: '"v1"' } })
  })
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  t.same(await api.board(), { ...page, savedAt: null })
  t.same(await api.board(), { ...page, savedAt: null }, '304: the copy held')
  t.equal(calls[0]?.url, '/api/v1/notices')
  t.equal(calls[0]?.init.cache, 'no-cache', 'the browser may revalidate its own copy too')
  t.equal((calls[0]?.init.headers as Record<string, string>)['If-None-Match'], undefined)
  t.equal((calls[1]?.init.headers as Record<string, string>)['If-None-Match'], '"v1"')
  api.forget()
  await api.board().catch(() => undefined)
  t.equal((calls[2]?.init.headers as Record<string, string>)['If-None-Match'], undefined, 'forgotten at sign-out')
})

t.test('an answer from the service worker’s copy says when it was saved', async (t) => {
  const date = 'Fri, 14 Mar 2025 10:32:00 GMT'
  const { fn, calls } = fakeFetch(() => json(200, { notices: [], nextCursor: 'c2' }, { 'x-palier-from-cache': '1', date }))
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  t.same(await api.board({ cursor: 'c1', limit: 10 }), { notices: [], nextCursor: 'c2', savedAt: Date.parse(date) })
  t.equal(calls[0]?.url, '/api/v1/notices?cursor=c1&limit=10')
})

t.test('photos are sent as they are, with their type', async (t) => {
  const { fn, calls } = fakeFetch(() => json(201, { id: 'i', url: '/x', mime: 'image/png' }))
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  const image = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' })
  await api.uploadNoticeImage('n/1', image)
  await api.uploadIncidentPhoto('i1', image)
  t.equal(calls[0]?.url, '/api/v1/notices/n%2F1/images')
  t.equal(calls[0]?.init.body, image)
  t.equal((calls[0]?.init.headers as Record<string, string>)['Content-Type'], 'image/png')
  t.equal(calls[1]?.url, '/api/v1/incidents/i1/photo')
})

t.test('notice and incident calls use the contract’s methods and paths', async (t) => {
  const { fn, calls } = fakeFetch(({ url }) =>
    url.includes('/seen') ? new Response(null, { status: 204 }) : json(200, { incidents: [], notices: [], nextCursor: null }),
  )
  const api = new ApiClient({ language: () => 'fr', fetch: fn })
  await api.react('n1', 'going', true)
  await api.react('n1', 'thanks', false)
  await api.markSeen('n1')
  await api.noticeArchive({ q: 'eau chaude' })
  await api.similarIncidents({ category: 'lift', placeKind: 'entrance', placeDetail: 'Entrée A' })
  await api.incidents('closed')
  await api.markAffected('i1', true)
  await api.setIncidentStatus('i1', 'in_progress')
  await api.confirmIncident('i1', false, 'Toujours bloqué')
  await api.mergeIncident('i1', 'i2')
  const seen = calls.map((c) => `${c.init.method} ${c.url}${c.init.body ? ' ' + String(c.init.body) : ''}`)
  t.same(seen, [
    'PUT /api/v1/notices/n1/reactions/going',
    'DELETE /api/v1/notices/n1/reactions/thanks',
    'POST /api/v1/notices/n1/seen',
    'GET /api/v1/notices/archive?q=eau+chaude',
    'GET /api/v1/incidents/similar?category=lift&placeKind=entrance&placeDetail=Entr%C3%A9e+A',
    'GET /api/v1/incidents?status=closed',
    'POST /api/v1/incidents/i1/affected {"contactOk":true}',
    'POST /api/v1/incidents/i1/status {"status":"in_progress"}',
    'POST /api/v1/incidents/i1/confirm {"fixed":false,"message":"Toujours bloqué"}',
    'POST /api/v1/incidents/i1/merge {"into":"i2"}',
  ])
  t.equal(api.printNoticeUrl('n1'), '/api/v1/print/notices/n1')
  t.equal(api.printDigestUrl(), '/api/v1/print/digest')
})
