// The privileged helper: a Unix socket where palier-net (unprivileged) asks for the few things
// that need root. One JSON line in, one JSON line out, one request per connection. Every request
// is checked against the fixed list in actions-schema.ts before anything is touched; where files
// go and which programs run come from the helper's own options, never from the request.
import { execFile } from 'node:child_process'
import { chmodSync, lstatSync, unlinkSync } from 'node:fs'
import { open, readFile, rename, unlink } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import type { NetLog } from '../net/log.js'
import { ActionSchemas, MAX_REQUEST_BYTES, type HelperAnswer, type HelperRequest, type MdnsPublishRequest } from './actions-schema.js'

export interface HelperOptions {
  socketPath: string
  /** avahi-daemon's service folder (/etc/avahi/services on the box); the helper writes palier.service there. */
  avahiServicesDir: string
  /** The avahi-set-host-name program (/usr/bin/avahi-set-host-name on the box). */
  setHostName: string
  log: NetLog
  /** A client that sends nothing for this long is dropped (default 5 s). */
  idleMs?: number
}

export interface Helper {
  close(): Promise<void>
}

/** The one file the helper owns in avahiServicesDir. */
export const SERVICE_FILE = 'palier.service'

// Additional properties are refused, not stripped: a request with a field the helper does not
// know is a caller bug or a probe, and either way nothing should happen.
const ajv = new Ajv({ strict: false, allErrors: false, removeAdditional: false, coerceTypes: false, useDefaults: false })
const validators = new Map<string, ValidateFunction>(Object.entries(ActionSchemas).map(([action, schema]) => [action, ajv.compile(schema)]))

/** Checks one request line; the reason is meant for the caller's log. */
export function parseRequest(line: string): { request: HelperRequest } | { error: string } {
  let data: unknown
  try {
    data = JSON.parse(line)
  } catch {
    return { error: 'request is not JSON' }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { error: 'request must be a JSON object' }
  const action = (data as { action?: unknown }).action
  // Own-property lookup: "__proto__" or "toString" must not reach a validator.
  const validate = typeof action === 'string' && Object.hasOwn(ActionSchemas, action) ? validators.get(action) : undefined
  if (!validate) return { error: `unknown action ${JSON.stringify(action ?? null).slice(0, 60)}; known: ${Object.keys(ActionSchemas).join(', ')}` }
  if (!validate(data)) {
    const e = validate.errors?.[0]
    const field = e?.instancePath.slice(1) || (e?.params as { additionalProperty?: string } | undefined)?.additionalProperty || ''
    return { error: `bad request for ${action}: ${field ? `${field} ` : ''}${e?.message ?? 'invalid'}` }
  }
  const request = data as HelperRequest
  // A DNS label holds 63 bytes, and a building name in Arabic takes two bytes a letter.
  if (request.action === 'mdns.publish' && Buffer.byteLength(request.instanceName) > 63) {
    return { error: 'bad request for mdns.publish: instanceName is longer than 63 bytes in UTF-8' }
  }
  return { request }
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * The avahi service file for a publish request. The name is literal (no replace-wildcards): it is
 * the building's name, and a "%h" in it must stay as typed rather than become the host name.
 */
export function serviceXml(r: MdnsPublishRequest): string {
  const service = (type: string, port: number) =>
    `  <service>\n    <type>${type}</type>\n    <port>${port}</port>\n    <txt-record>path=/</txt-record>\n  </service>\n`
  return (
    `<?xml version="1.0" standalone="no"?>\n` +
    `<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n` +
    `<!-- Written by palier-helper; rewritten or removed by it. -->\n` +
    `<service-group>\n` +
    `  <name>${xmlText(r.instanceName)}</name>\n` +
    service('_http._tcp', r.httpPort) +
    (r.httpsPort === null ? '' : service('_https._tcp', r.httpsPort)) +
    `</service-group>\n`
  )
}

function run(file: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // execFile, no shell: the host name is one argv entry whatever it holds (and the schema
    // already limits it to [a-z0-9-]).
    execFile(file, args, { timeout: 10_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      const output = `${stderr}${stdout}`.trim() || (err ? err.message : '')
      resolve({ code, output })
    })
  })
}

export async function createHelper(opts: HelperOptions): Promise<Helper> {
  const { log } = opts
  const serviceFile = path.join(opts.avahiServicesDir, SERVICE_FILE)
  const idleMs = opts.idleMs ?? 5_000

  async function publish(r: MdnsPublishRequest): Promise<HelperAnswer> {
    const xml = serviceXml(r)
    const current = await readFile(serviceFile, 'utf8').catch(() => undefined)
    // Rewriting an unchanged file would make avahi withdraw and re-announce the service every
    // time palier-net republishes (every few minutes).
    if (current !== xml) {
      // Temp file + rename in the same folder: avahi (which watches the folder) never reads a
      // half-written file.
      const tmp = path.join(opts.avahiServicesDir, `.${SERVICE_FILE}.${process.pid}.tmp`)
      const fh = await open(tmp, 'w', 0o644)
      try {
        // Readable by avahi-daemon, which runs as its own user, whatever the helper's umask.
        await fh.chmod(0o644)
        await fh.writeFile(xml)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, serviceFile)
      log.info('avahi service file written', { file: serviceFile, instanceName: r.instanceName, httpPort: r.httpPort, httpsPort: r.httpsPort })
    }
    const set = await run(opts.setHostName, [r.hostName])
    // avahi answers "redundant" (AVAHI_ERR_NO_CHANGE) when the name is already the one it uses.
    if (set.code !== 0 && !/redundant/i.test(set.output)) {
      log.warn('avahi-set-host-name failed', { hostName: r.hostName, code: set.code, output: set.output })
      return { ok: false, error: `avahi-set-host-name ${r.hostName} failed (${set.code ?? 'killed'}): ${set.output.slice(0, 300)}` }
    }
    if (set.code === 0) log.info('mDNS host name set', { hostName: r.hostName })
    return { ok: true, action: 'mdns.publish', file: serviceFile, hostName: r.hostName }
  }

  async function unpublish(): Promise<HelperAnswer> {
    let removed = true
    try {
      await unlink(serviceFile)
      log.info('avahi service file removed', { file: serviceFile })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      removed = false
    }
    // The host name stays: it is the box's name on the LAN, announced by avahi with or without a service.
    return { ok: true, action: 'mdns.unpublish', removed }
  }

  async function status(): Promise<HelperAnswer> {
    const published = await readFile(serviceFile, 'utf8').then(
      () => true,
      () => false,
    )
    return { ok: true, action: 'status', published, pid: process.pid }
  }

  async function perform(r: HelperRequest): Promise<HelperAnswer> {
    switch (r.action) {
      case 'mdns.publish':
        return publish(r)
      case 'mdns.unpublish':
        return unpublish()
      case 'status':
        return status()
    }
  }

  // One action at a time: two publishes racing on the temp file or a publish crossing an
  // unpublish would leave avahi with whichever finished last.
  let queue: Promise<unknown> = Promise.resolve()
  function serialised(r: HelperRequest): Promise<HelperAnswer> {
    const next = queue.then(() => perform(r))
    queue = next.catch(() => undefined)
    return next
  }

  function answer(socket: net.Socket, a: HelperAnswer): void {
    socket.end(JSON.stringify(a) + '\n')
    // A client that keeps its side open after the answer is not kept waiting on forever.
    socket.setTimeout(idleMs, () => socket.destroy())
  }

  function handle(socket: net.Socket): void {
    let buf = Buffer.alloc(0)
    let done = false
    socket.setTimeout(idleMs, () => {
      if (!done) log.warn('helper client idle, dropped')
      socket.destroy()
    })
    socket.on('error', () => socket.destroy())
    socket.on('end', () => {
      if (done) return
      done = true
      answer(socket, { ok: false, error: 'request must be one line ending with a newline' })
    })
    socket.on('data', (chunk: Buffer) => {
      if (done) return
      buf = Buffer.concat([buf, chunk])
      const nl = buf.indexOf(0x0a)
      if (nl === -1 && buf.length <= MAX_REQUEST_BYTES) return
      done = true
      // The idle limit is for reading the request; the action has its own time limits.
      socket.setTimeout(0)
      if (nl === -1 || nl > MAX_REQUEST_BYTES) {
        log.warn('helper request refused: too long', { bytes: buf.length })
        return answer(socket, { ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` })
      }
      const parsed = parseRequest(buf.subarray(0, nl).toString('utf8'))
      if ('error' in parsed) {
        log.warn('helper request refused', { error: parsed.error })
        return answer(socket, { ok: false, error: parsed.error })
      }
      serialised(parsed.request).then(
        (a) => answer(socket, a),
        (err: Error) => {
          log.error('helper action failed', { action: parsed.request.action, error: err.message })
          answer(socket, { ok: false, error: `${parsed.request.action} failed: ${err.message}` })
        },
      )
    })
  }

  // Half-open allowed: a client may send its line and shut its side at once (`socket.end(line)`);
  // the answer must still reach it after the action, which takes a while.
  const server = net.createServer({ allowHalfOpen: true }, handle)
  // Its only client is palier-net, one call at a time; a pile of connections is a bug or abuse.
  server.maxConnections = 16
  await listen(server, opts.socketPath)
  // Owner and group only: the unit runs the helper with Group=palier-net, so the socket's group
  // is palier-net and nobody else on the box may connect.
  chmodSync(opts.socketPath, 0o660)
  log.info('helper listening', { socket: opts.socketPath, avahiServicesDir: opts.avahiServicesDir })

  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // In-flight answers finish; idle clients are dropped by their timeout.
      }).then(() => queue.then(() => undefined)),
  }
}

function listenOnce(server: net.Server, socketPath: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/**
 * Listens on socketPath. A socket file left by a helper that was killed makes listen() fail with
 * EADDRINUSE: it is removed when nothing answers on it, while a live helper is left alone.
 */
async function listen(server: net.Server, socketPath: string): Promise<void> {
  try {
    return await listenOnce(server, socketPath)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    // Linux also says EADDRINUSE for a path longer than a socket address holds (108 bytes).
    if (!lstatSync(socketPath, { throwIfNoEntry: false })) throw err
  }
  if (!lstatSync(socketPath).isSocket()) throw new Error(`${socketPath} exists and is not a socket; not removing it`)
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
  if (live) throw new Error(`another helper is already listening on ${socketPath}`)
  unlinkSync(socketPath)
  await listenOnce(server, socketPath)
}
