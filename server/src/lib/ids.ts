// Time-ordered ids (UUIDv7, RFC 9562) made on the box. Monotonic within the process even when
// the clock stands still or steps back (a Pi has no RTC): the counter carries the order.
import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0 // 12-bit rand_a used as a counter within one millisecond

export function newId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    counter = randomBytes(2).readUInt16BE(0) & 0x7ff // leave room to count up
  } else {
    counter++
    if (counter > 0xfff) {
      lastMs++
      counter = 0
    }
  }
  const b = randomBytes(16)
  const ms = lastMs
  b[0] = Math.floor(ms / 2 ** 40) & 0xff
  b[1] = Math.floor(ms / 2 ** 32) & 0xff
  b[2] = (ms >>> 24) & 0xff
  b[3] = (ms >>> 16) & 0xff
  b[4] = (ms >>> 8) & 0xff
  b[5] = ms & 0xff
  b[6] = 0x70 | ((counter >>> 8) & 0x0f)
  b[7] = counter & 0xff
  b[8] = 0x80 | (b[8]! & 0x3f)
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export const ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
