import t from 'tap'
import {
  CARETAKER,
  RESIDENT_PASSWORD,
  SETUP_CODE,
  build,
  building,
  createFlat,
  createInvite,
  joinAs,
  sessionCookie,
  setupCaretaker,
} from '../../../test/helpers.js'
import { pendingSetupCode } from './setup.js'

t.test('setup: the code creates the caretaker once, then answers 409', async (t) => {
  const { app } = await build(t)
  const wrong = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...CARETAKER, code: 'WRONG-CODE-9999' } })
  t.equal(wrong.statusCode, 403)
  t.equal(wrong.json().code, 'PALIER_SETUP_CODE_WRONG')
  t.equal(wrong.json().message, 'Ce code de mise en service n’est pas le bon.')

  const ok = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...CARETAKER, code: SETUP_CODE.toLowerCase() } })
  t.equal(ok.statusCode, 201)
  t.same(ok.json(), { id: ok.json().id, login: 'gardien', displayName: 'Mme Diallo', role: 'caretaker', flat: null })
  const cookie = ok.cookies.find((c) => c.name === 'palier')!
  t.equal(cookie.httpOnly, true)
  t.equal(cookie.sameSite, 'Lax')
  t.equal(cookie.path, '/')
  t.equal(cookie.value.length, 22, '128-bit token in base64url')

  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookie(ok) } })
  t.equal(me.statusCode, 200)
  t.equal(me.json().role, 'caretaker')

  const again = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...CARETAKER, login: 'autre', code: SETUP_CODE } })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'PALIER_SETUP_DONE')

  const info = await app.inject({ method: 'GET', url: '/api/v1/info' })
  t.equal(info.json().setupNeeded, false)
})

t.test('setup: a generated code is kept until used, and is gone after', async (t) => {
  const { app, config } = await build(t, { setupCode: undefined })
  const code = pendingSetupCode(app.db, config)!
  t.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  t.equal(pendingSetupCode(app.db, config), code, 'same code on the next start')
  const res = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...CARETAKER, code: code.replace(/-/g, ' ') } })
  t.equal(res.statusCode, 201)
  t.equal(pendingSetupCode(app.db, config), null)
})

t.test('setup: bad fields are 400 naming the field, and nothing is created', async (t) => {
  const { app } = await build(t)
  const cases: [Record<string, string>, string, string][] = [
    [{ password: 'court' }, 'PALIER_PASSWORD_TOO_SHORT', 'password'],
    [{ password: 'azertyuiop' }, 'PALIER_PASSWORD_TOO_COMMON', 'password'],
    [{ password: 'motdepasse' }, 'PALIER_PASSWORD_TOO_COMMON', 'password'],
    [{ password: 'gardien-2024' }, 'PALIER_PASSWORD_IS_LOGIN', 'password'],
    [{ login: 'a b' }, 'PALIER_LOGIN_INVALID', 'login'],
    [{ login: 'xy' }, 'PALIER_LOGIN_INVALID', 'login'],
    [{ displayName: '   ' }, 'PALIER_DISPLAY_NAME_INVALID', 'displayName'],
  ]
  for (const [change, code, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...CARETAKER, code: SETUP_CODE, ...change } })
    t.equal(res.statusCode, 400, `${code} is 400`)
    t.equal(res.json().code, code)
    t.equal(res.json().field, field)
  }
  const missing = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { code: SETUP_CODE, login: 'gardien' } })
  t.equal(missing.statusCode, 400)
  t.equal(missing.json().code, 'PALIER_INVALID_INPUT')
  t.equal(missing.json().field, 'displayName')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/info' })).json().setupNeeded, true)
})

t.test('login: right password gives a new session; wrong and unknown get the same 401', async (t) => {
  const { app } = await build(t)
  const first = await setupCaretaker(app)
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { cookie: first },
    payload: { login: 'GARDIEN', password: CARETAKER.password },
  })
  t.equal(login.statusCode, 200)
  t.equal(login.json().login, 'gardien')
  const second = sessionCookie(login)
  t.not(second, first, 'a new token at login')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: first } })).statusCode, 401, 'the token presented at login is dropped')

  const wrong = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'gardien', password: 'pas-le-bon-mot' } })
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'personne', password: 'pas-le-bon-mot' } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.same(wrong.json(), { code: 'PALIER_BAD_CREDENTIALS', message: 'Identifiant ou mot de passe incorrect.' })
  const en = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { 'accept-language': 'en-GB,en;q=0.9' },
    payload: { login: 'personne', password: 'pas-le-bon-mot' },
  })
  t.equal(en.json().message, 'Wrong login or password.')
})

t.test('login: unknown logins cost as much time as wrong passwords', async (t) => {
  const { app } = await build(t)
  await setupCaretaker(app)
  const time = async (login: string) => {
    const start = process.hrtime.bigint()
    await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password: 'pas-le-bon-mot' } })
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  await time('gardien') // warm-up
  const wrong = [await time('gardien'), await time('gardien')]
  const unknown = [await time('nobody1'), await time('nobody2')]
  // Both run a full scrypt (tens of ms); an early return for unknown logins would take < 2 ms.
  t.ok(Math.min(...unknown) > Math.min(...wrong) / 4, `unknown ${unknown} ms vs wrong ${wrong} ms`)
})

t.test('login: failures slow down, then 429 with Retry-After, per account', async (t) => {
  const { app, clock } = await build(t)
  await setupCaretaker(app)
  const attempt = (login: string, password = 'pas-le-bon-mot') =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password } })
  for (let i = 0; i < 5; i++) t.equal((await attempt('gardien')).statusCode, 401, `free failure ${i + 1}`)
  const limited = await attempt('gardien', CARETAKER.password)
  t.equal(limited.statusCode, 429, 'after 5 failures even the right password waits')
  t.equal(limited.json().code, 'PALIER_RATE_LIMITED')
  t.equal(limited.headers['retry-after'], '1')
  t.equal(limited.json().message, 'Trop de tentatives. Réessayez dans 1 s.')
  t.equal((await attempt('other-login')).statusCode, 401, 'another account is not slowed down')
  clock.advance(1_000)
  t.equal((await attempt('gardien')).statusCode, 401, 'sixth failure checked after the delay')
  const longer = await attempt('gardien')
  t.equal(longer.statusCode, 429)
  t.equal(longer.headers['retry-after'], '2', 'the delay doubles')
  clock.advance(2_000)
  t.equal((await attempt('gardien', CARETAKER.password)).statusCode, 200, 'after the delay the right password works')
  t.equal((await attempt('gardien')).statusCode, 401, 'success cleared the account counter')
})

t.test('login: an attacker going as fast as allowed gets at most 100 tries an hour', async (t) => {
  const { app, clock } = await build(t)
  await setupCaretaker(app)
  const start = clock.now
  let checked = 0
  let i = 0
  // Each attempt comes from a new address, so only the per-account limit applies.
  while (clock.now - start < 3_600_000) {
    i++
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress: `10.1.${Math.floor(i / 250)}.${i % 250}`,
      payload: { login: 'gardien', password: 'pas-le-bon-mot' },
    })
    if (res.statusCode === 401) checked++
    else {
      t.equal(res.statusCode, 429)
      clock.advance(Number(res.headers['retry-after']) * 1000)
    }
  }
  t.ok(checked <= 100, `${checked} passwords tried in an hour`)
  t.ok(checked >= 50, 'a legitimate user is slowed, never locked out for the hour')
})

t.test('login: a revoked resident cannot sign in, and their sessions end at once', async (t) => {
  const { app } = await build(t)
  const { caretaker, resident } = await building(app)
  const list = await app.inject({ method: 'GET', url: '/api/v1/residents', headers: { cookie: caretaker } })
  const amina = list.json().residents[0]
  t.equal(amina.login, 'amina')
  const revoke = await app.inject({ method: 'POST', url: `/api/v1/residents/${amina.id}/revoke`, headers: { cookie: caretaker } })
  t.equal(revoke.statusCode, 200)
  t.type(revoke.json().revokedAt, 'number')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 401)
  const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'amina', password: RESIDENT_PASSWORD } })
  t.equal(login.statusCode, 403)
  t.equal(login.json().code, 'PALIER_ACCESS_REVOKED')
  const caretakerSelf = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caretaker } })
  const revokeCaretaker = await app.inject({ method: 'POST', url: `/api/v1/residents/${caretakerSelf.json().id}/revoke`, headers: { cookie: caretaker } })
  t.equal(revokeCaretaker.statusCode, 404, 'the caretaker is not a resident')
})

t.test('logout ends the session on the box', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })
  t.equal(out.statusCode, 204)
  t.ok(out.cookies.find((c) => c.name === 'palier' && c.value === ''), 'cookie cleared')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 401, 'old token refused')
})

t.test('sessions: idle expiry is short for the caretaker, long for residents', async (t) => {
  const { app, clock } = await build(t, { caretakerIdleMinutes: 30, residentIdleDays: 30 })
  const { caretaker, resident } = await building(app)
  clock.advance(20 * 60_000)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caretaker } })).statusCode, 200, 'used within 30 min')
  clock.advance(20 * 60_000)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caretaker } })).statusCode, 200, 'idle time counts from last use')
  clock.advance(31 * 60_000)
  const expired = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caretaker } })
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().code, 'PALIER_SESSION_EXPIRED')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 200, 'resident still in after 71 min')
  clock.advance(29 * 86_400_000)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 200)
  clock.advance(31 * 86_400_000)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 401)
})

t.test('sessions: tokens are stored hashed', async (t) => {
  const { app } = await build(t)
  const cookie = await setupCaretaker(app)
  const token = cookie.split('=')[1]!
  const rows = app.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: Buffer }[]
  t.equal(rows.length, 1)
  t.equal(rows[0]!.token_hash.length, 32)
  t.not(rows[0]!.token_hash.toString('base64url'), token)
  const raw = app.db.prepare("SELECT count(*) AS n FROM sessions WHERE CAST(token_hash AS TEXT) = ?").get(token) as { n: number }
  t.equal(raw.n, 0)
})

t.test('sessions: the cookie is __Host- prefixed and Secure under HTTPS', async (t) => {
  const { app } = await build(t, { trustProxy: true })
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { ...CARETAKER, code: SETUP_CODE },
  })
  t.equal(res.statusCode, 201)
  const c = res.cookies[0]!
  t.equal(c.name, '__Host-palier')
  t.equal(c.secure, true)
  t.equal(c.path, '/')
  t.equal(c.domain, undefined)
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-forwarded-proto': 'https', cookie: `__Host-palier=${c.value}` } })
  t.equal(me.statusCode, 200)
  t.match(me.headers['strict-transport-security'], /max-age=/)
})

t.test('join: a resident joins with the flat’s code; several per flat; logins unique', async (t) => {
  const { app } = await build(t)
  const caretaker = await setupCaretaker(app)
  const flat = await createFlat(app, caretaker, 'Bâtiment A – 3e – porte 12')
  const invite = await createInvite(app, caretaker, flat.id)
  t.match(invite.code, /^[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}$/)

  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/join',
    payload: { code: invite.code.toLowerCase().replace(/-/g, ''), login: 'Amina.B', displayName: '  Amina   B. ', password: RESIDENT_PASSWORD },
  })
  t.equal(res.statusCode, 201)
  t.same(res.json(), {
    id: res.json().id,
    login: 'amina.b',
    displayName: 'Amina B.',
    role: 'resident',
    flat: { id: flat.id, label: 'Bâtiment A – 3e – porte 12', entrance: '', floor: '', door: '' },
  })
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookie(res) } })
  t.equal(me.json().displayName, 'Amina B.')

  await joinAs(app, invite.code, 'karim', 'Karim')
  const taken = await app.inject({
    method: 'POST',
    url: '/api/v1/join',
    payload: { code: invite.code, login: 'AMINA.B', displayName: 'Autre', password: RESIDENT_PASSWORD },
  })
  t.equal(taken.statusCode, 409)
  t.equal(taken.json().code, 'PALIER_LOGIN_TAKEN')
  t.equal(taken.json().field, 'login')
  const flats = await app.inject({ method: 'GET', url: '/api/v1/flats', headers: { cookie: caretaker } })
  t.equal(flats.json().flats[0].residentCount, 2)
})

t.test('join: wrong, expired and revoked codes are refused', async (t) => {
  const { app, clock } = await build(t, { inviteValidityDays: 7 })
  const caretaker = await setupCaretaker(app)
  const flat = await createFlat(app, caretaker, 'B-1')
  const join = (code: string, login: string) =>
    app.inject({ method: 'POST', url: '/api/v1/join', payload: { code, login, displayName: login, password: RESIDENT_PASSWORD } })

  const wrong = await join('AAAA-AAAA-AAAA', 'un')
  t.equal(wrong.statusCode, 400)
  t.equal(wrong.json().code, 'PALIER_INVITE_INVALID')
  t.equal(wrong.json().field, 'code')

  const revoked = await createInvite(app, caretaker, flat.id)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/invites/${revoked.id}`, headers: { cookie: caretaker } })).statusCode, 204)
  t.equal((await join(revoked.code, 'deux')).json().code, 'PALIER_INVITE_INVALID')

  const expiring = await createInvite(app, caretaker, flat.id)
  clock.advance(7 * 86_400_000 + 1)
  t.equal((await join(expiring.code, 'trois')).json().code, 'PALIER_INVITE_INVALID')

  const again = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: CARETAKER.login, password: CARETAKER.password } })
  const caretaker2 = sessionCookie(again)
  const good = await createInvite(app, caretaker2, flat.id)
  t.equal((await join(good.code, 'quatre')).statusCode, 201)
  await app.inject({ method: 'POST', url: `/api/v1/flats/${flat.id}/revoke`, headers: { cookie: caretaker2 } })
  t.equal((await join(good.code, 'cinq')).json().code, 'PALIER_INVITE_INVALID', 'a revoked flat’s codes stop working')
})

t.test('join: guessing codes is rate limited per address', async (t) => {
  const { app } = await build(t)
  await setupCaretaker(app)
  const statuses: number[] = []
  for (let i = 0; i < 11; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/join',
      payload: { code: `AAAA-AAAA-AA${i.toString().padStart(2, '3')}`, login: `x${i}xx`, displayName: 'x', password: RESIDENT_PASSWORD },
    })
    statuses.push(res.statusCode)
  }
  t.same(statuses.slice(0, 10), Array(10).fill(400), '10 wrong codes are checked')
  t.equal(statuses[10], 429, 'then the address must wait')
})

t.test('revoking a flat signs out all its residents at once', async (t) => {
  const { app } = await build(t)
  const { caretaker, flat, invite, resident } = await building(app)
  const second = await joinAs(app, invite.code, 'karim')
  const res = await app.inject({ method: 'POST', url: `/api/v1/flats/${flat.id}/revoke`, headers: { cookie: caretaker } })
  t.equal(res.statusCode, 200)
  t.type(res.json().revokedAt, 'number')
  t.equal(res.json().activeInviteCount, 0)
  for (const cookie of [resident, second]) {
    t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 401)
  }
  const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'karim', password: RESIDENT_PASSWORD } })
  t.equal(login.json().code, 'PALIER_ACCESS_REVOKED')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caretaker } })).statusCode, 200, 'the caretaker stays in')
})

t.test('password reset: the caretaker hands a one-time code; old sessions end', async (t) => {
  const { app, clock } = await build(t)
  const { caretaker, resident } = await building(app)
  const amina = (await app.inject({ method: 'GET', url: '/api/v1/residents', headers: { cookie: caretaker } })).json().residents[0]
  const made = await app.inject({ method: 'POST', url: `/api/v1/residents/${amina.id}/reset-code`, headers: { cookie: caretaker } })
  t.equal(made.statusCode, 201)
  const { code } = made.json()
  const reset = (payload: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/v1/password-reset', payload: { login: 'amina', code, password: 'nouveau-jardin-fleuri', ...payload } })

  t.equal((await reset({ code: 'AAAA-AAAA-AAAA' })).json().code, 'PALIER_RESET_INVALID')
  t.equal((await reset({ login: 'karim' })).json().code, 'PALIER_RESET_INVALID', 'the code belongs to one person')
  t.equal((await reset({ password: '12345678' })).json().code, 'PALIER_PASSWORD_TOO_COMMON')
  t.equal((await reset({})).statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 401, 'old session ended')
  t.equal((await reset({ password: 'encore-un-autre-mot' })).json().code, 'PALIER_RESET_INVALID', 'single use')
  const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'amina', password: 'nouveau-jardin-fleuri' } })
  t.equal(login.statusCode, 200)

  const second = (await app.inject({ method: 'POST', url: `/api/v1/residents/${amina.id}/reset-code`, headers: { cookie: caretaker } })).json()
  clock.advance(73 * 3_600_000)
  const late = await app.inject({ method: 'POST', url: '/api/v1/password-reset', payload: { login: 'amina', code: second.code, password: 'trop-tard-pour-lui' } })
  t.equal(late.json().code, 'PALIER_RESET_INVALID', 'expired after 72 h')
})

t.test('change password: needs the current one, keeps this session, ends the others', async (t) => {
  const { app } = await build(t)
  const { resident } = await building(app)
  const other = sessionCookie(await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'amina', password: RESIDENT_PASSWORD } }))
  const bad = await app.inject({
    method: 'PUT',
    url: '/api/v1/me/password',
    headers: { cookie: resident },
    payload: { currentPassword: 'pas-le-bon-mot', password: 'nouveau-jardin-fleuri' },
  })
  t.equal(bad.statusCode, 403)
  t.equal(bad.json().field, 'currentPassword')
  const ok = await app.inject({
    method: 'PUT',
    url: '/api/v1/me/password',
    headers: { cookie: resident },
    payload: { currentPassword: RESIDENT_PASSWORD, password: 'nouveau-jardin-fleuri' },
  })
  t.equal(ok.statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: resident } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 401)
})

t.test('sessions held in memory still end at once on revocation, reset and logout', async (t) => {
  const { app } = await build(t)
  const { caretaker, flat, invite, resident } = await building(app)
  const karim = await joinAs(app, invite.code, 'karim')
  const me = (cookie: string) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })
  // Warm the cache for both residents first.
  t.equal((await me(resident)).statusCode, 200)
  t.equal((await me(karim)).statusCode, 200)
  const list = (await app.inject({ method: 'GET', url: '/api/v1/residents', headers: { cookie: caretaker } })).json().residents
  const amina = list.find((r: { login: string }) => r.login === 'amina')
  await app.inject({ method: 'POST', url: `/api/v1/residents/${amina.id}/revoke`, headers: { cookie: caretaker } })
  t.equal((await me(resident)).statusCode, 401, 'revoked person out on the next request')
  t.equal((await me(karim)).statusCode, 200, 'the other resident stays in')
  await app.inject({ method: 'POST', url: `/api/v1/flats/${flat.id}/revoke`, headers: { cookie: caretaker } })
  t.equal((await me(karim)).statusCode, 401, 'revoked flat out on the next request')
  t.equal((await me(caretaker)).statusCode, 200)
  await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: caretaker } })
  t.equal((await me(caretaker)).statusCode, 401, 'logged-out token refused on the next request')
})
