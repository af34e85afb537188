import t from 'tap'
import { AttemptLimiter } from './attempts.js'

const HOUR = 3_600_000

function setup() {
  const clock = { now: 1_700_000_000_000 }
  const limiter = new AttemptLimiter({ freeFailures: 3, maxDelayMs: 8000, maxPerHour: 10 }, () => clock.now)
  return { clock, limiter }
}

t.test('an unknown key may go ahead', async (t) => {
  const { limiter } = setup()
  t.equal(limiter.waitFor('login:amina'), 0)
})

t.test('the first failures are free, then the delay doubles up to the cap', async (t) => {
  const { clock, limiter } = setup()
  const waits: number[] = []
  for (let i = 0; i < 8; i++) {
    limiter.fail('k')
    waits.push(limiter.waitFor('k'))
    clock.now += 8000 // always wait long enough
  }
  t.same(waits, [0, 0, 1000, 2000, 4000, 8000, 8000, 8000])
})

t.test('the wait counts down from the last failure', async (t) => {
  const { clock, limiter } = setup()
  for (let i = 0; i < 4; i++) limiter.fail('k') // 4 failures at once: wait 2 s
  t.equal(limiter.waitFor('k'), 2000)
  clock.now += 1500
  t.equal(limiter.waitFor('k'), 500)
  clock.now += 500
  t.equal(limiter.waitFor('k'), 0)
  clock.now += 10_000
  t.equal(limiter.waitFor('k'), 0)
})

t.test('maxPerHour failures block the key until the oldest is an hour old', async (t) => {
  const { clock, limiter } = setup()
  const first = clock.now
  for (let i = 0; i < 10; i++) {
    limiter.fail('k')
    clock.now += 8000
  }
  // 10 failures, the last at first + 72 s; now = first + 80 s.
  t.equal(limiter.waitFor('k'), HOUR - 80_000)
  clock.now = first + HOUR - 1
  t.equal(limiter.waitFor('k'), 1)
  clock.now = first + HOUR
  // The oldest failure has left the window: 9 remain, the doubling delay (capped) applies,
  // and the last failure is long past it.
  t.equal(limiter.waitFor('k'), 0)
  limiter.fail('k')
  t.equal(limiter.waitFor('k'), first + 8000 + HOUR - clock.now, 'the new oldest now sets the block')
})

t.test('failures older than an hour are forgotten', async (t) => {
  const { clock, limiter } = setup()
  for (let i = 0; i < 5; i++) limiter.fail('k')
  t.equal(limiter.waitFor('k'), 4000)
  clock.now += HOUR
  t.equal(limiter.waitFor('k'), 0)
  limiter.fail('k')
  t.equal(limiter.waitFor('k'), 0, 'one recent failure is free again')
})

t.test('keys are independent', async (t) => {
  const { limiter } = setup()
  for (let i = 0; i < 5; i++) limiter.fail('login:amina')
  t.equal(limiter.waitFor('login:amina'), 4000)
  t.equal(limiter.waitFor('login:karim'), 0)
})

t.test('succeed() clears the key', async (t) => {
  const { clock, limiter } = setup()
  for (let i = 0; i < 10; i++) limiter.fail('k')
  t.equal(limiter.waitFor('k'), HOUR)
  limiter.succeed('k')
  t.equal(limiter.waitFor('k'), 0)
  limiter.fail('k')
  limiter.fail('k')
  t.equal(limiter.waitFor('k'), 0, 'the free failures start over')
  limiter.fail('k')
  t.equal(limiter.waitFor('k'), 1000)
  clock.now += 1
  t.equal(limiter.waitFor('k'), 999)
})
