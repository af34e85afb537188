import t from 'tap'
import { ID_PATTERN, newId } from './ids.js'

const pattern = new RegExp(ID_PATTERN)

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16)
}

// The generator keeps its last timestamp across calls (it is module state), so the tests run in
// order and each one that checks the embedded time uses a time later than any before it.

t.test('an id without a time argument carries the current time', async (t) => {
  const before = Date.now()
  const id = newId()
  const after = Date.now()
  t.match(id, pattern)
  t.ok(timestampOf(id) >= before && timestampOf(id) <= after, `${timestampOf(id)} within [${before}, ${after}]`)
})

t.test('format: 36 characters, version 7, RFC 9562 variant', async (t) => {
  for (let i = 0; i < 1000; i++) {
    const id = newId()
    if (!pattern.test(id)) t.fail(`${id} does not match ID_PATTERN`)
    const hex = id.replace(/-/g, '')
    if (hex[12] !== '7') t.fail(`${id}: version nibble is ${hex[12]}`)
    if ((parseInt(hex[16]!, 16) & 0b1100) !== 0b1000) t.fail(`${id}: variant bits are not 10`)
  }
  const id = newId()
  t.equal(id.length, 36)
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
})

t.test('the embedded timestamp decodes to the given milliseconds', async (t) => {
  const ms = Date.UTC(4001, 0, 15, 8, 30, 0, 123) // far past the wall clock: a fresh millisecond
  const id = newId(ms)
  t.equal(timestampOf(id), ms)
  t.equal(id.slice(0, 13), ms.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-'))
  const later = ms + 86_400_000
  t.equal(timestampOf(newId(later)), later)
})

t.test('10 000 ids with the same time are strictly increasing', async (t) => {
  const ms = Date.UTC(4002, 5, 1)
  const ids = Array.from({ length: 10_000 }, () => newId(ms))
  let bad = 0
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) bad++
  t.equal(bad, 0, 'every id sorts after the one before')
  t.equal(new Set(ids).size, 10_000)
  t.equal(timestampOf(ids[0]!), ms)
  // The 12-bit counter overflows into the next milliseconds rather than repeating or going back.
  const last = timestampOf(ids[ids.length - 1]!)
  t.ok(last > ms && last <= ms + 5, `last timestamp ${last} is a few ms after ${ms}`)
  t.ok(ids.every((id) => pattern.test(id)))
})

t.test('10 000 ids keep increasing while the clock goes backwards', async (t) => {
  const start = Date.UTC(4003, 0, 1)
  const first = newId(start)
  const ids = [first]
  for (let i = 1; i < 10_000; i++) ids.push(newId(start - i * 1000)) // a Pi without RTC stepping back
  let bad = 0
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) bad++
  t.equal(bad, 0, 'every id sorts after the one before')
  t.equal(new Set(ids).size, 10_000)
  t.ok(timestampOf(ids[ids.length - 1]!) >= start, 'the timestamp never goes below the highest seen')
  // Once the clock is past the last id again, ids carry the real time again.
  const resumed = Date.UTC(4003, 0, 2)
  const next = newId(resumed)
  t.ok(ids[ids.length - 1]! < next)
  t.equal(timestampOf(next), resumed)
})
