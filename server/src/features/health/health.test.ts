import t from 'tap'
import { build } from '../../../test/helpers.js'

t.test('health answers ok with the version', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', version: '0.1.0' })
})

t.test('info says setup is needed until the caretaker exists', async (t) => {
  const { app } = await build(t, { buildingName: 'Les Tilleuls' })
  const res = await app.inject({ method: 'GET', url: '/api/v1/info' })
  t.same(res.json(), { buildingName: 'Les Tilleuls', setupNeeded: true, version: '0.1.0' })
})
