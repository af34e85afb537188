// Walks every route of the OpenAPI document as an anonymous visitor, a resident and the
// caretaker, and checks each is refused exactly when it should be. A new route must be added
// to EXPECTED, so nobody ships a route without deciding who may call it.
import t from 'tap'
import { build, building } from './helpers.js'

type Access = 'public' | 'member' | 'caretaker'

const EXPECTED: Record<string, Access> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/info': 'public',
  'GET /api/v1/openapi.json': 'public',
  'POST /api/v1/setup': 'public',
  'POST /api/v1/session': 'public',
  'DELETE /api/v1/session': 'public',
  'POST /api/v1/join': 'public',
  'POST /api/v1/password-reset': 'public',
  'GET /api/v1/me': 'member',
  'PUT /api/v1/me/password': 'member',
  'GET /api/v1/residents': 'caretaker',
  'POST /api/v1/residents/{id}/revoke': 'caretaker',
  'POST /api/v1/residents/{id}/reset-code': 'caretaker',
  'GET /api/v1/flats': 'caretaker',
  'POST /api/v1/flats': 'caretaker',
  'POST /api/v1/flats/import': 'caretaker',
  'POST /api/v1/flats/{id}/revoke': 'caretaker',
  'GET /api/v1/flats/{id}/invites': 'caretaker',
  'POST /api/v1/flats/{id}/invites': 'caretaker',
  'DELETE /api/v1/invites/{id}': 'caretaker',
  'GET /api/v1/print/invitations': 'caretaker',
  'GET /api/v1/notices': 'member',
  'POST /api/v1/notices': 'member',
  'GET /api/v1/notices/pending': 'caretaker',
  'GET /api/v1/notices/archive': 'caretaker',
  'GET /api/v1/notices/{id}': 'member',
  'PATCH /api/v1/notices/{id}': 'member',
  'POST /api/v1/notices/{id}/archive': 'caretaker',
  'POST /api/v1/notices/{id}/approve': 'caretaker',
  'POST /api/v1/notices/{id}/reject': 'caretaker',
  'PUT /api/v1/notices/{id}/reactions/{kind}': 'member',
  'DELETE /api/v1/notices/{id}/reactions/{kind}': 'member',
  'POST /api/v1/notices/{id}/seen': 'member',
  'GET /api/v1/notices/{id}/stats': 'caretaker',
  'POST /api/v1/notices/{id}/images': 'member',
  'GET /api/v1/notices/{id}/images/{imageId}': 'member',
  'GET /api/v1/settings/notices': 'member',
  'PUT /api/v1/settings/notices': 'caretaker',
  'GET /api/v1/print/notices/{id}': 'caretaker',
  'GET /api/v1/print/digest': 'caretaker',
  'GET /api/v1/incidents': 'member',
  'GET /api/v1/incidents/similar': 'member',
  'POST /api/v1/incidents': 'member',
  'GET /api/v1/incidents/{id}': 'member',
  'POST /api/v1/incidents/{id}/photo': 'member',
  'GET /api/v1/incidents/{id}/photo/{photoId}': 'member',
  'POST /api/v1/incidents/{id}/affected': 'member',
  'POST /api/v1/incidents/{id}/status': 'caretaker',
  'POST /api/v1/incidents/{id}/messages': 'caretaker',
  'POST /api/v1/incidents/{id}/confirm': 'member',
  'POST /api/v1/incidents/{id}/merge': 'caretaker',
  'POST /api/v1/incidents/{id}/notice': 'caretaker',
  'OPTIONS /api/v1/files/uploads': 'member',
  'POST /api/v1/files/uploads': 'member',
  'HEAD /api/v1/files/uploads/{id}': 'member',
  'PATCH /api/v1/files/uploads/{id}': 'member',
  'DELETE /api/v1/files/uploads/{id}': 'member',
  'GET /api/v1/files/spaces': 'member',
  'GET /api/v1/files': 'member',
  'POST /api/v1/files': 'member',
  'POST /api/v1/files/folders': 'member',
  'GET /api/v1/files/trash': 'member',
  'DELETE /api/v1/files/trash/{id}': 'member',
  'GET /api/v1/files/usage': 'caretaker',
  'GET /api/v1/files/{id}': 'member',
  'PATCH /api/v1/files/{id}': 'member',
  'DELETE /api/v1/files/{id}': 'member',
  'POST /api/v1/files/{id}/restore': 'member',
  'GET /api/v1/files/{id}/content': 'member',
  'GET /api/v1/files/{id}/preview': 'member',
  'PUT /api/v1/files/{id}/preview': 'member',
  'GET /api/v1/exchange/listings': 'member',
  'POST /api/v1/exchange/listings': 'member',
  'GET /api/v1/exchange/listings/mine': 'member',
  'GET /api/v1/exchange/listings/{id}': 'member',
  'PATCH /api/v1/exchange/listings/{id}': 'member',
  'POST /api/v1/exchange/listings/{id}/renew': 'member',
  'POST /api/v1/exchange/listings/{id}/photos': 'member',
  'GET /api/v1/exchange/listings/{id}/photos/{photoId}': 'member',
  'DELETE /api/v1/exchange/listings/{id}/photos/{photoId}': 'member',
  'GET /api/v1/exchange/summary': 'member',
  'POST /api/v1/exchange/listings/{id}/conversations': 'member',
  'GET /api/v1/exchange/conversations': 'member',
  'GET /api/v1/exchange/conversations/{id}': 'member',
  'POST /api/v1/exchange/conversations/{id}/messages': 'member',
  'GET /api/v1/exchange/blocks': 'member',
  'POST /api/v1/exchange/blocks': 'member',
  'DELETE /api/v1/exchange/blocks/{flatId}': 'member',
  'POST /api/v1/exchange/reports': 'member',
  'GET /api/v1/exchange/reports': 'caretaker',
  'POST /api/v1/exchange/reports/{targetKind}/{targetId}/resolve': 'caretaker',
  'GET /api/v1/exchange/settings': 'member',
  'PUT /api/v1/exchange/settings': 'caretaker',
  'GET /api/v1/exchange/on-behalf': 'caretaker',
  'GET /api/v1/exchange/loans': 'member',
  'POST /api/v1/exchange/loans': 'member',
  'POST /api/v1/exchange/loans/{id}/confirm': 'member',
  'POST /api/v1/exchange/loans/{id}/returned': 'member',
  'POST /api/v1/exchange/loans/{id}/cancel': 'member',
  'POST /api/v1/exchange/thanks': 'member',
  'GET /api/v1/exchange/households/{flatId}': 'member',
  'GET /api/v1/exchange/timebank': 'member',
  'POST /api/v1/exchange/timebank/transfers': 'member',
  'POST /api/v1/exchange/timebank/transfers/{id}/confirm': 'member',
  'POST /api/v1/exchange/timebank/transfers/{id}/decline': 'member',
  'POST /api/v1/exchange/timebank/transfers/{id}/cancel': 'member',
  'GET /api/v1/portal/captive': 'public',
  'GET /api/v1/network': 'caretaker',
  'GET /api/v1/network/qr': 'caretaker',
  'DELETE /api/v1/network/accepted/{mac}': 'caretaker',
}

// Routes that act as a household: the caretaker without `asFlat` has none (403 PALIER_RESIDENTS_ONLY).
const HOUSEHOLD_ONLY = new Set(['GET /api/v1/exchange/listings/mine', 'GET /api/v1/exchange/summary',
  'GET /api/v1/exchange/loans', 'POST /api/v1/exchange/loans/{id}/confirm', 'POST /api/v1/exchange/loans/{id}/returned', 'POST /api/v1/exchange/loans/{id}/cancel',
  'GET /api/v1/exchange/timebank', 'POST /api/v1/exchange/timebank/transfers/{id}/confirm', 'POST /api/v1/exchange/timebank/transfers/{id}/decline', 'POST /api/v1/exchange/timebank/transfers/{id}/cancel'])

t.test('every route is refused to whom it must be', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident } = await building(app)
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    openapi: string
    paths: Record<string, Record<string, { 'x-access'?: Access; security?: unknown[]; responses: Record<string, unknown> }>>
  }
  t.match(doc.openapi, /^3\./)
  const seen: string[] = []
  // An id that exists nowhere: authorised callers get 404, others their refusal first.
  const id = '01890000-0000-7000-8000-000000000000'
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`
      seen.push(key)
      const expected = EXPECTED[key]
      t.ok(expected, `${key} is listed in the access table`)
      t.equal(op['x-access'], expected, `${key} declares ${expected}`)
      t.ok(Object.keys(op.responses).length > 0, `${key} documents its answers`)
      if (expected !== 'public') t.same(op.security, [{ session: [] }], `${key} documents the session cookie`)
      const url = path.replace('{id}', id)
      const call = (cookie?: string) =>
        app.inject({ method: method.toUpperCase() as 'GET', url, headers: cookie ? { cookie } : {}, payload: method === 'get' ? undefined : {} })
      const anon = await call()
      if (expected === 'public') {
        // Public routes behave the same for everyone (and calling DELETE /session signed in would sign out).
        t.notOk([401, 403].includes(anon.statusCode), `${key} open to anonymous (${anon.statusCode})`)
        t.ok(anon.statusCode < 500, `${key} no 5xx (${anon.statusCode})`)
        continue
      }
      const asResident = await call(resident)
      const asCaretaker = await call(caretaker)
      {
        t.equal(anon.statusCode, 401, `${key} refuses anonymous`)
        // A HEAD answer has no body to read the code from.
        if (method !== 'head') t.equal(anon.json().code, 'PALIER_UNAUTHENTICATED')
      }
      if (expected === 'caretaker') {
        t.equal(asResident.statusCode, 403, `${key} refuses residents`)
        t.equal(asResident.json().code, 'PALIER_FORBIDDEN')
      } else {
        t.notOk([401, 403].includes(asResident.statusCode), `${key} open to residents (${asResident.statusCode})`)
      }
      if (HOUSEHOLD_ONLY.has(key)) t.equal(asCaretaker.json().code, 'PALIER_RESIDENTS_ONLY', `${key} needs a household`)
      else t.notOk([401, 403].includes(asCaretaker.statusCode), `${key} open to the caretaker (${asCaretaker.statusCode})`)
      t.ok(asCaretaker.statusCode < 500 && asResident.statusCode < 500, `${key} no 5xx (${asResident.statusCode}, ${asCaretaker.statusCode})`)
    }
  }
  t.same(seen.sort(), Object.keys(EXPECTED).sort(), 'the document lists exactly the expected routes')
})
