// Reads a multipart/form-data body as it streams, part by part, with @fastify/busboy. Busboy is
// loaded on the first form only: an idle box does not carry a parser nobody has used yet.
import createError from '@fastify/error'
import type { BusboyFileStream, BusboyHeaders, BusboyInstance } from '@fastify/busboy'
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'

/** The body was cut, closed early or is no well-formed form (no boundary, broken framing). */
export const FormIncompleteError = createError('FORM_INCOMPLETE', 'the form did not arrive whole or could not be read', 400)
/** More parts, files or fields than the limits allow. */
export const FormLimitError = createError<[string]>('FORM_LIMIT', 'too many %s in the form', 413)

export interface FormLimits {
  /** A longer file's stream ends early, with `truncated` set: the reader holds it to less. */
  fileSize: number
  files: number
  fields: number
  /** A longer value is cut, and its part says so (`truncated`). */
  fieldSize: number
  parts: number
}

export type FormPart =
  | { type: 'field'; name: string; value: string; truncated: boolean }
  | { type: 'file'; name: string; filename: string; stream: Readable }

type Item = FormPart | Error | null // null: the form ended

/**
 * The parts of the form on `raw`, in order. A file's stream must be read (or resumed) before the
 * next part can come. A cut, malformed or early-closed body rejects with FormIncompleteError,
 * and also destroys the file stream being read with it, so whoever reads it fails instead of
 * waiting. Once the loop is left, for whatever reason, the rest of the body is read and dropped:
 * an answer can then reach the client and the connection stays usable.
 */
export async function* readParts(raw: IncomingMessage, headers: IncomingHttpHeaders, limits: FormLimits): AsyncGenerator<FormPart, void, undefined> {
  const { Busboy } = await import('@fastify/busboy')
  // Closed while busboy loaded (or before): no 'close' would come again to end the wait.
  if (raw.destroyed && !raw.readableEnded) throw new FormIncompleteError()

  const queue: Item[] = []
  let wake: (() => void) | undefined
  const push = (item: Item) => {
    queue.push(item)
    wake?.()
    wake = undefined
  }
  let failed = false
  let lastError: Error | undefined
  let current: BusboyFileStream | undefined
  let sawData = false
  const onData = () => {
    sawData = true
  }
  const fail = (err: Error) => {
    if (failed) return
    failed = true
    raw.unpipe(busboy)
    if (current && !current.destroyed) current.destroy(err)
    push(err)
  }
  // A 'close' before 'end' means busboy will never see the rest (a cut connection; or a request
  // received whole but dropped before it was all read): nothing would end the form otherwise.
  const onClose = () => {
    if (!raw.readableEnded) fail(new FormIncompleteError())
  }
  // As @fastify/multipart did: a limit is reported after the part busboy holds, and again at the end.
  const onLimit = (what: string) => () => {
    lastError ??= new FormLimitError(what)
    const err = lastError
    process.nextTick(() => push(err))
  }

  let busboy: BusboyInstance
  try {
    busboy = new Busboy({ headers: headers as BusboyHeaders, limits })
  } catch (err) {
    // No boundary, or a type busboy does not read.
    throw new FormIncompleteError({ cause: err })
  }
  busboy.on('field', (name, value, _nameTruncated, truncated) => push({ type: 'field', name, value, truncated }))
  busboy.on('file', (name, stream, filename) => {
    // Busboy emits the framing errors of a cut part on the stream itself: unheard, one would
    // crash the process. Whoever reads the stream adds their own listener.
    stream.on('error', () => {})
    current = stream
    // A part sent as application/octet-stream without a filename is a file too.
    push({ type: 'file', name, filename: filename ?? '', stream })
  })
  busboy.on('partsLimit', onLimit('parts'))
  busboy.on('filesLimit', onLimit('files'))
  busboy.on('fieldsLimit', onLimit('fields'))
  busboy.on('finish', () => push(lastError ?? null))
  busboy.on('error', (err) => {
    // A body without a single byte is an empty form (no file), not a cut one.
    if (!sawData && (err as Error).message === 'Unexpected end of multipart data') push(null)
    else fail(new FormIncompleteError({ cause: err }))
  })
  raw.on('close', onClose)
  raw.once('data', onData)
  raw.pipe(busboy)

  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      const item = queue.shift()!
      if (item === null) return
      if (item instanceof Error) throw item
      yield item
    }
  } finally {
    raw.removeListener('close', onClose)
    raw.removeListener('data', onData)
    raw.unpipe(busboy)
    // A file nobody reads any more would hold busboy (and its buffers) until collected.
    if (current && !current.readableEnded && !current.destroyed) current.destroy()
    if (!raw.readableEnded) raw.resume()
  }
}
