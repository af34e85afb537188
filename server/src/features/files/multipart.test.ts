// readParts on its own: the parts in order, and every way a body can go wrong ends the reading
// (an error, never a wait) and leaves the rest of the body read.
import t from 'tap'
import type { IncomingMessage } from 'node:http'
import { PassThrough, Readable } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import { FormIncompleteError, FormLimitError, readParts, type FormLimits, type FormPart } from './multipart.js'

const BOUNDARY = 'b0und4ry'
const HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }
const LIMITS: FormLimits = { fileSize: 1024 * 1024, files: 1, fields: 8, fieldSize: 256, parts: 10 }

const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
const fileHead = (name: string, filename: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
const END = `--${BOUNDARY}--\r\n`

/** A request body: what was sent so far, and the stream the server reads. */
function body(...chunks: (string | Buffer)[]): PassThrough & IncomingMessage {
  const raw = new PassThrough()
  for (const c of chunks) raw.write(c)
  return raw as PassThrough & IncomingMessage
}

async function text(stream: Readable): Promise<string> {
  let s = ''
  for await (const c of stream) s += (c as Buffer).toString()
  return s
}

/** Reads every part; files are read whole. */
async function all(raw: IncomingMessage, headers: Record<string, string> = HEADERS, limits = LIMITS) {
  const got: (Extract<FormPart, { type: 'field' }> | { type: 'file'; name: string; filename: string; content: string })[] = []
  for await (const part of readParts(raw, headers, limits)) {
    if (part.type === 'field') got.push(part)
    else got.push({ type: 'file', name: part.name, filename: part.filename, content: await text(part.stream) })
  }
  return got
}

t.test('fields, then the file, in order; a long value is cut and says so', async (t) => {
  const raw = body(field('space', 'shared'), field('note', 'x'.repeat(300)), fileHead('file', '../../a.txt'), 'hello', '\r\n', END)
  raw.end()
  t.same(await all(raw), [
    { type: 'field', name: 'space', value: 'shared', truncated: false },
    { type: 'field', name: 'note', value: 'x'.repeat(256), truncated: true },
    { type: 'file', name: 'file', filename: 'a.txt', content: 'hello' },
  ])
})

t.test('an empty body is an empty form; no boundary or a broken body is incomplete', async (t) => {
  const empty = body()
  empty.end()
  t.same(await all(empty), [])
  const noBoundary = body(END)
  noBoundary.end()
  await t.rejects(all(noBoundary, { 'content-type': 'multipart/form-data' }), FormIncompleteError)
  const garbage = body('not a form at all')
  garbage.end()
  await t.rejects(all(garbage), FormIncompleteError)
})

t.test('too many fields: 413', async (t) => {
  const raw = body(...Array.from({ length: 9 }, (_, i) => field(`f${i}`, 'v')), END)
  raw.end()
  const err = await all(raw).catch((e: unknown) => e)
  t.ok(err instanceof FormLimitError)
  t.equal((err as { statusCode: number }).statusCode, 413)
})

t.test('a body cut inside the file fails the file stream and the reading', async (t) => {
  const raw = body(field('space', 'shared'), fileHead('file', 'a.bin'), Buffer.alloc(1000, 1))
  const parts = readParts(raw, HEADERS, LIMITS)
  t.match((await parts.next()).value, { type: 'field', name: 'space' })
  const file = (await parts.next()).value as Extract<FormPart, { type: 'file' }>
  const reading = text(file.stream)
  raw.end() // the body stops there
  await t.rejects(reading, /terminated early|did not arrive whole/)
  await t.rejects(parts.next(), FormIncompleteError)
})

t.test('a connection closed mid-file destroys the file stream with the error; the reading ends', async (t) => {
  const raw = body(field('space', 'shared'), fileHead('file', 'a.bin'), Buffer.alloc(1000, 1))
  const parts = readParts(raw, HEADERS, LIMITS)
  await parts.next()
  const file = (await parts.next()).value as Extract<FormPart, { type: 'file' }>
  const reading = text(file.stream)
  await tick()
  raw.destroy()
  await t.rejects(reading, FormIncompleteError)
  await t.rejects(parts.next(), FormIncompleteError)
})

t.test('a body received whole but dropped before it was all read is incomplete too', async (t) => {
  const raw = body(field('space', 'shared'), fileHead('file', 'a.bin'), Buffer.alloc(1000, 1))
  const parts = readParts(raw, HEADERS, LIMITS)
  await parts.next()
  const file = (await parts.next()).value as Extract<FormPart, { type: 'file' }>
  file.stream.pause()
  raw.end(Buffer.concat([Buffer.alloc(512 * 1024, 2), Buffer.from(`\r\n${END}`)]))
  await tick()
  raw.destroy() // what was still buffered will never be read
  await t.rejects(text(file.stream), FormIncompleteError)
})

t.test('a body closed before reading starts (or while busboy loads) is incomplete, not a wait', async (t) => {
  const raw = body(field('space', 'shared'))
  raw.destroy()
  await tick()
  await t.rejects(readParts(raw, HEADERS, LIMITS).next(), FormIncompleteError)
})

t.test('leaving the parts early reads the rest of the body to nowhere', async (t) => {
  const raw = body(field('space', 'shared'), fileHead('file', 'a.bin'), Buffer.alloc(64 * 1024, 3))
  const parts = readParts(raw, HEADERS, LIMITS)
  await parts.next()
  const file = (await parts.next()).value as Extract<FormPart, { type: 'file' }>
  file.stream.resume()
  await parts.return()
  t.ok(file.stream.destroyed, 'the file nobody reads is let go')
  const ended = new Promise<void>((resolve) => raw.once('end', resolve))
  raw.end(Buffer.concat([Buffer.alloc(4 * 1024 * 1024, 4), Buffer.from(`\r\n${END}`)]))
  await ended
  t.pass('the whole body was read')
})
