// `make bench`, part "files": upload and download of a 1 GB file through the box's shared
// storage against a bare Node server doing the same on the same disk, in the same run. See
// bench/README.md ("Shared storage").
//
// Starts the built box on a fresh data folder with the quota raised for a file this size, and
// bench/bare-files.mjs (node:http, socket → file + fsync, file → socket); signs a resident in
// through the API; writes a source file once (a random 1 MB block repeated) in a temp folder; then
// runs rounds of five transfers of the whole file:
//   box tus upload (POST /api/v1/files/uploads, then PATCHes of the web uploader's chunk size:
//   what the web app does), baseline upload, box multipart upload (POST /api/v1/files), in turns
//   at each place of the round; then box download (GET /api/v1/files/:id/content of the tus
//   upload) and baseline download, alternating which goes first.
// The client (this process) reads the source from disk and writes downloads to disk. During
// each transfer the server's VmRSS is read every 50 ms. Everything is deleted at the end.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, statfsSync, writeFileSync } from 'node:fs'
import { open, readdir, rm } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import {
  HOST,
  cpuSeconds,
  envInt,
  expectStatus,
  fmt,
  freePort,
  log,
  mb,
  median,
  populate,
  registerTempDir,
  request,
  rssBytes,
  sampleRss,
  sleep,
  spread,
  startBox,
  startChild,
  stopChild,
  table,
  waitReady,
} from './lib.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BARE_MAIN = path.join(ROOT, 'bench/bare-files.mjs')
// BENCH_BASELINE_NODE_ARGS: node flags for the baseline (none by default, like bench/hello.mjs).
const BARE_NODE_ARGS = (process.env.BENCH_BASELINE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
const RESULTS = path.join(ROOT, 'bench/results/files.json')
const MiB = 1024 * 1024

/** The web uploader's chunk size (CHUNK_BYTES in web/src/files/uploader.ts), in MiB; 0 if not found. */
function webChunkMb() {
  try {
    const text = readFileSync(path.join(ROOT, 'web/src/files/uploader.ts'), 'utf8')
    const m = /export const CHUNK_BYTES\s*=\s*([\d_\s*]+)/.exec(text)
    if (!m) return 0
    const bytes = m[1].split('*').reduce((p, x) => p * Number(x.trim().replaceAll('_', '')), 1)
    return Number.isInteger(bytes / MiB) ? bytes / MiB : 0
  } catch {
    return 0
  }
}

const GOALS = { minUploadRatio: 0.5, minDownloadRatio: 0.8, maxRssGrowthMb: 30 }

export const FILES_SETTINGS = {
  sizeMb: envInt('BENCH_FILE_MB', 1024, { max: 4096 }), // MiB: the "1 GB" file
  rounds: envInt('BENCH_FILE_ROUNDS', 3, { max: 20 }),
  // PATCH requests of n MiB each, by default the web uploader's chunk (8 MiB); 0: the whole body in one PATCH.
  tusChunkMb: envInt('BENCH_TUS_CHUNK_MB', webChunkMb(), { min: 0, max: 4096 }),
  warmupMb: 32, // one uncounted transfer of each kind first
  rssEveryMs: 50,
  idlePauseMs: 1000, // quiet time before each transfer; the RSS then is its "idle" value
  stallSeconds: 60, // a request with no progress for this long fails the bench
  reserveMb: 64, // the box's free-space reserve, lowered for the bench
  readChunkKb: 256, // the client's read size from the source file
}

/** Seconds the part may take before the watchdog in run.mjs gives up (transfers at ≥ 15 MB/s). */
export function filesPlannedSeconds() {
  const s = FILES_SETTINGS
  const perTransfer = s.sizeMb / 15 + s.idlePauseMs / 1000 + 5
  return Math.ceil(60 + s.sizeMb / 50 + s.rounds * 5 * perTransfer + 5 * (s.warmupMb / 15 + 2))
}

// ---------------------------------------------------------------- client side of a transfer
// (The transfers are exported for one-off probes, e.g. a profile of one kind of transfer.)

/**
 * One request with a streamed body (or none); resolves { status, headers, body } once the
 * answer has been read whole. If the server answers before taking the whole body (a refusal),
 * the upload stops and the answer is returned.
 */
function send(port, { method, path: urlPath, headers = {}, body, length, agent = false }) {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path: urlPath,
        agent,
        headers: { ...headers, ...(length !== undefined ? { 'content-length': length } : {}) },
      },
      (res) => {
        answered = true
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          body?.destroy?.()
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed = text
          try {
            parsed = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, body: parsed })
        })
        res.on('error', reject)
      },
    )
    req.setTimeout(FILES_SETTINGS.stallSeconds * 1000, () =>
      req.destroy(new Error(`${method} ${urlPath}: no progress for ${FILES_SETTINGS.stallSeconds} s`)),
    )
    req.on('error', (err) => {
      // A server that refuses early may reset the connection while the body is still flowing.
      if (!answered) reject(err)
    })
    if (body) {
      body.on('error', (err) => req.destroy(err))
      body.pipe(req)
    } else req.end()
  })
}

/**
 * GET into a file on disk; resolves { status, headers, bytes } when the file stream has finished.
 * The file is overwritten in place, never truncated (see where benchFiles writes it first).
 */
function fetchToFile(port, urlPath, headers, dest) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method: 'GET', path: urlPath, agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: 0, body: Buffer.concat(chunks).toString('utf8') }))
        return
      }
      let bytes = 0
      res.on('data', (c) => (bytes += c.length))
      pipeline(res, createWriteStream(dest, { flags: 'r+' })).then(() => resolve({ status: 200, headers: res.headers, bytes }), reject)
    })
    req.setTimeout(FILES_SETTINGS.stallSeconds * 1000, () => req.destroy(new Error(`GET ${urlPath}: no progress for ${FILES_SETTINGS.stallSeconds} s`)))
    req.on('error', reject)
    req.end()
  })
}

const readSource = (file, opts = {}) => createReadStream(file, { highWaterMark: FILES_SETTINGS.readChunkKb * 1024, ...opts })

async function fsyncFile(file) {
  const handle = await open(file, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function sha256Of(file, length) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: MiB, end: length - 1 })) hash.update(chunk)
  return hash.digest('hex')
}

/** The source: one random 1 MiB block repeated (no server compresses or deduplicates). Returns its SHA-256. */
export async function writeSource(file, sizeMb) {
  const block = randomBytes(MiB)
  const hash = createHash('sha256')
  const handle = await open(file, 'w')
  try {
    for (let i = 0; i < sizeMb; i++) {
      await handle.write(block)
      hash.update(block)
    }
    await handle.sync()
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

// ---------------------------------------------------------------- the transfers

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64')

/**
 * The web app's way: tus creation, then PATCHes of the web uploader's chunk size (or one PATCH
 * for the whole body), on one kept-alive connection as a browser would.
 */
export async function tusUpload(box, source, size, name) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  try {
    return await tusUploadWith(agent, box, source, size, name)
  } finally {
    agent.destroy()
  }
}

async function tusUploadWith(agent, box, source, size, name) {
  const headers = { ...box.headers, 'tus-resumable': '1.0.0' }
  const created = await send(box.port, {
    agent,
    method: 'POST',
    path: '/api/v1/files/uploads',
    headers: { ...headers, 'upload-length': String(size), 'upload-metadata': `filename ${b64(name)},space ${b64('household')}` },
  })
  expectStatus(created, 201, 'POST /api/v1/files/uploads')
  const location = created.headers.location
  if (!location) throw new Error('POST /api/v1/files/uploads: no Location header')
  const uploadPath = new URL(location, `http://${HOST}:${box.port}/api/v1/files/uploads/`).pathname
  const chunk = FILES_SETTINGS.tusChunkMb ? FILES_SETTINGS.tusChunkMb * MiB : size
  let offset = 0
  let last
  do {
    const length = Math.min(chunk, size - offset)
    last = await send(box.port, {
      agent,
      method: 'PATCH',
      path: uploadPath,
      headers: { ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      body: readSource(source, { start: offset, end: offset + length - 1 }),
      length,
    })
    expectStatus(last, 204, `PATCH ${uploadPath} at offset ${offset}`)
    const next = Number(last.headers['upload-offset'])
    if (next !== offset + length) throw new Error(`PATCH ${uploadPath}: Upload-Offset ${last.headers['upload-offset']}, expected ${offset + length}`)
    offset = next
  } while (offset < size)
  const fileId = last.headers['palier-file-id']
  if (!fileId) throw new Error(`PATCH ${uploadPath}: the last answer has no Palier-File-Id header`)
  return { fileId }
}

/** multipart/form-data: field `space`, then the single `file` part, streamed from disk. */
export async function multipartUpload(box, source, size, name) {
  const boundary = `----palier-bench-${randomBytes(12).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="space"\r\n\r\nhousehold\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  async function* parts() {
    yield head
    yield* readSource(source)
    yield tail
  }
  const res = await send(box.port, {
    method: 'POST',
    path: '/api/v1/files',
    headers: { ...box.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.from(parts(), { objectMode: false }),
    length: head.length + size + tail.length,
  })
  expectStatus(res, 201, 'POST /api/v1/files (multipart)')
  if (res.body?.size !== size) throw new Error(`POST /api/v1/files: the item says size ${res.body?.size}, expected ${size}`)
  return { fileId: res.body.id }
}

export async function bareUpload(bare, source, size, name) {
  const res = await send(bare.port, { method: 'PUT', path: `/upload/${name}`, body: readSource(source), length: size })
  expectStatus(res, 201, `PUT /upload/${name} (baseline)`)
  if (res.body?.size !== size) throw new Error(`baseline upload: stored ${res.body?.size} bytes, expected ${size}`)
  return {}
}

export async function download(port, urlPath, headers, dest, size) {
  const res = await fetchToFile(port, urlPath, headers, dest)
  if (res.status !== 200) throw new Error(`GET ${urlPath}: expected HTTP 200, got ${res.status}: ${res.body}`)
  if (res.bytes !== size) throw new Error(`GET ${urlPath}: received ${res.bytes} bytes, expected ${size}`)
  return { etag: res.headers.etag }
}

// ---------------------------------------------------------------- measuring one transfer

/**
 * Runs `work` while sampling the server's RSS every 50 ms, after a quiet pause whose RSS is the
 * transfer's idle value. Returns the figures of the transfer and what `work` returned.
 */
export async function measure(server, size, work) {
  await sleep(FILES_SETTINGS.idlePauseMs)
  const idle = rssBytes(server.pid)
  if (idle === undefined) throw new Error(`${server.name} is gone (no /proc/${server.pid}/status)`)
  const sampler = sampleRss(server.pid, FILES_SETTINGS.rssEveryMs)
  const cpu0 = cpuSeconds(server.pid)
  const client0 = process.cpuUsage()
  const t0 = performance.now()
  let result
  try {
    result = await work()
  } catch (err) {
    sampler.stop()
    const child = server.child
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${err.message}; ${server.name} exited (code ${child.exitCode}, signal ${child.signalCode}):\n${child.outputTail()}`)
    }
    throw err
  }
  const seconds = (performance.now() - t0) / 1000
  const serverCpu = cpuSeconds(server.pid) - cpu0
  const client = process.cpuUsage(client0)
  const { peak, samples } = sampler.stop()
  return {
    result,
    figures: {
      seconds,
      mbPerSec: mb(size) / seconds,
      serverCpuSeconds: serverCpu,
      serverCpuSecondsPerGb: serverCpu / (size / 1024 ** 3),
      serverCpuShare: serverCpu / seconds,
      clientCpuShare: (client.user + client.system) / 1e6 / seconds,
      idleRssMb: mb(idle),
      peakRssMb: mb(Math.max(idle, peak)),
      rssGrowthMb: mb(Math.max(0, peak - idle)),
      rssSamples: samples,
    },
  }
}

// ---------------------------------------------------------------- the part

/**
 * PALIER_* variables for settings of the box. Both spellings of a name ending in "MB": the
 * documented one (PALIER_FILES_HOUSEHOLD_QUOTA_MB) and the one envName() in server/src/config.ts
 * makes today by putting "_" before every capital (PALIER_FILES_HOUSEHOLD_QUOTA_M_B).
 */
function settingsEnv(settings) {
  const env = {}
  for (const [key, value] of Object.entries(settings)) {
    const name = 'PALIER_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()
    env[name] = String(value)
    env[name.replace(/_M_B$/, '_MB')] = String(value)
  }
  return env
}

export async function startBare(dir) {
  const port = await freePort()
  const child = startChild('bare-files', [...BARE_NODE_ARGS, BARE_MAIN], { BARE_PORT: String(port), BARE_DIR: dir })
  await waitReady(child, port, '/')
  return { child, port }
}

function checkFreeSpace(dir, neededBytes) {
  const fs = statfsSync(dir)
  const free = fs.bavail * fs.bsize
  if (free < neededBytes) {
    throw new Error(`not enough free space in ${dir}: ${fmt(free / 1024 ** 3, 1)} GB free, the files bench needs ${fmt(neededBytes / 1024 ** 3, 1)} GB`)
  }
  return free
}

/** Trash, then remove for good, through the API (so the quota and the disk are free again). */
export async function removeBoxFile(box, fileId) {
  expectStatus(await request(box.port, 'DELETE', `/api/v1/files/${fileId}`, { headers: box.headers }), 204, `DELETE /api/v1/files/${fileId}`)
  expectStatus(await request(box.port, 'DELETE', `/api/v1/files/trash/${fileId}`, { headers: box.headers }), 204, `DELETE /api/v1/files/trash/${fileId}`)
}

/** The stored file's SHA-256 as the box announces it (ETag of HEAD …/content), and its size. */
async function boxBlobInfo(box, fileId) {
  const head = await request(box.port, 'HEAD', `/api/v1/files/${fileId}/content`, { headers: box.headers })
  expectStatus(head, 200, `HEAD /api/v1/files/${fileId}/content`)
  return { etag: head.headers.etag, size: Number(head.headers['content-length']) }
}

const KINDS = {
  bareUp: 'baseline: bare Node upload (socket → disk, fsync)',
  tusUp: 'box: tus upload (POST + PATCH /api/v1/files/uploads)',
  multipartUp: 'box: multipart POST /api/v1/files',
  bareDown: 'baseline: bare Node download (disk → socket)',
  boxDown: 'box: GET /api/v1/files/:id/content',
}

export async function benchFiles({ boxMain, boxNodeArgs }) {
  const S = FILES_SETTINGS
  const size = S.sizeMb * MiB
  const started = Date.now()
  const loadBefore = os.loadavg()
  log(
    `part files: ${fmt(S.sizeMb)} MB up and down through the box against bare Node, ${S.rounds} rounds; ` +
      `tus ${S.tusChunkMb ? `in PATCHes of ${S.tusChunkMb} MB` : 'in one PATCH'}; ` +
      `${os.cpus().length} CPUs, load average ${loadBefore[0].toFixed(2)}, Node ${process.version}`,
  )

  const work = mkdtempSync(path.join(os.tmpdir(), 'palier-bench-files-'))
  registerTempDir(work)
  // source + baseline copy + two box blobs + the downloaded copy, and the box's reserve.
  const free = checkFreeSpace(work, 5 * size + 2 * S.warmupMb * MiB + S.reserveMb * MiB + 256 * MiB)
  log(`${fmt(free / 1024 ** 3, 1)} GB free in ${os.tmpdir()}; writing the source and download files (${fmt(S.sizeMb)} MB each)`)
  const bareDir = path.join(work, 'bare')
  mkdirSync(bareDir)
  const source = path.join(work, 'source.bin')
  const warmSource = path.join(work, 'warmup.bin')
  const dest = path.join(work, 'download.bin')
  const t = performance.now()
  const sourceSha = await writeSource(source, S.sizeMb)
  await writeSource(warmSource, S.warmupMb)
  // Downloads overwrite this file in place: a new 1 GB file on each download made the kernel's
  // page and block allocation cost the client twice the system time on the first download after
  // the uploads (about 40% less throughput for whichever server came first in the round).
  await writeSource(dest, S.sizeMb)
  log(`source and download files written in ${fmt((performance.now() - t) / 1000, 1)} s (source sha256 ${sourceSha.slice(0, 16)}…)`)

  const wanted = {
    filesMaxFileMB: Math.max(2048, S.sizeMb + 1),
    // Room for the two files of a round and the warm-up ones (each is removed for good after use).
    filesHouseholdQuotaMB: Math.max(2048, 3 * S.sizeMb + 4 * S.warmupMb),
    filesReserveMB: S.reserveMb,
  }
  const [boxServer, bare] = await Promise.all([
    startBox({ main: boxMain, nodeArgs: boxNodeArgs, env: settingsEnv(wanted) }),
    startBare(bareDir),
  ])
  log(`box pid ${boxServer.child.pid} on ${HOST}:${boxServer.port}, baseline pid ${bare.child.pid} on ${HOST}:${bare.port}`)
  let populated
  try {
    populated = await populate(boxServer.port)
  } catch (err) {
    throw new Error(`${err.message}\n--- last lines of the box's output ---\n${boxServer.child.outputTail()}`)
  }
  const box = { port: boxServer.port, headers: populated.headers }
  const spaces = await request(box.port, 'GET', '/api/v1/files/spaces', { headers: box.headers })
  if (spaces.status === 404) throw new Error('GET /api/v1/files/spaces answers 404: this build has no shared storage (make build?)')
  expectStatus(spaces, 200, 'GET /api/v1/files/spaces')
  const limits = spaces.body.limits
  if (limits.maxFileBytes < size || limits.quotaBytes < 2 * size + 2 * S.warmupMb * MiB) {
    throw new Error(
      `the box did not take the bench's limits (largest file ${fmt(mb(limits.maxFileBytes))} MB, quota ${fmt(mb(limits.quotaBytes))} MB; ` +
        `asked ${fmt(wanted.filesMaxFileMB)} and ${fmt(wanted.filesHouseholdQuotaMB)} MB through ${Object.keys(settingsEnv(wanted)).join(', ')})`,
    )
  }
  log(
    `resident signed in; limits: largest file ${fmt(mb(limits.maxFileBytes))} MB, quota ${fmt(mb(limits.quotaBytes))} MB, ` +
      `used ${fmt(mb(limits.usedBytes))} MB, uploads ${limits.uploadsOpen ? 'open' : 'CLOSED'}`,
  )

  await sleep(S.idlePauseMs)
  const setupIdle = rssBytes(boxServer.child.pid)
  let boxHighest = setupIdle // the highest box RSS seen during any transfer, warm-up included
  const servers = {
    box: { name: 'the box', pid: boxServer.child.pid, child: boxServer.child },
    bare: { name: 'the baseline', pid: bare.child.pid, child: bare.child },
  }

  /** One transfer of `kind`; returns its figures, with checks of what arrived (outside the timing). */
  async function transfer(kind, { src, bytes, sha, tag, state }) {
    const name = `bench-${tag}`
    let m
    switch (kind) {
      case 'tusUp':
        m = await measure(servers.box, bytes, () => tusUpload(box, src, bytes, `${name}-tus.bin`))
        state.tusId = m.result.fileId
        break
      case 'multipartUp':
        m = await measure(servers.box, bytes, () => multipartUpload(box, src, bytes, `${name}-multipart.bin`))
        state.multipartId = m.result.fileId
        break
      case 'bareUp':
        m = await measure(servers.bare, bytes, () => bareUpload(bare, src, bytes, name))
        break
      case 'boxDown':
        m = await measure(servers.box, bytes, () =>
          download(box.port, `/api/v1/files/${state.tusId}/content?download=1`, box.headers, dest, bytes),
        )
        break
      case 'bareDown':
        m = await measure(servers.bare, bytes, () => download(bare.port, `/download/${name}`, {}, dest, bytes))
        break
    }
    if (kind !== 'bareUp' && kind !== 'bareDown') boxHighest = Math.max(boxHighest, m.figures.peakRssMb * MiB)
    // Checks, not timed: the box's hash of what it stored, and the bytes that came down.
    if (kind === 'tusUp' || kind === 'multipartUp') {
      const id = kind === 'tusUp' ? state.tusId : state.multipartId
      const info = await boxBlobInfo(box, id)
      if (info.size !== bytes || info.etag !== `"${sha}"`) {
        throw new Error(`${KINDS[kind]}: the box stored ${info.size} bytes with ETag ${info.etag}, expected ${bytes} and "${sha}"`)
      }
    }
    if (kind === 'boxDown' || kind === 'bareDown') {
      // Flushed now, so that no later transfer pays for this file's writeback.
      await fsyncFile(dest)
      if (state.verify) {
        const got = await sha256Of(dest, bytes)
        if (got !== sha) throw new Error(`${KINDS[kind]}: downloaded bytes have sha256 ${got}, expected ${sha}`)
      }
    }
    return m.figures
  }

  async function clearRound(state, tag) {
    for (const id of [state.tusId, state.multipartId]) if (id) await removeBoxFile(box, id)
    await rm(path.join(bareDir, `bench-${tag}`), { force: true })
  }

  // The uploads take turns at each place in the round (a third 1 GB write in a row meets a slower
  // disk than the first), the downloads alternate; the download of the box needs its tus upload.
  const UPLOADS = ['tusUp', 'bareUp', 'multipartUp']
  const DOWNLOADS = ['boxDown', 'bareDown']
  const orderOf = (round) => [
    ...UPLOADS.map((_, i) => UPLOADS[(i + round - 1) % UPLOADS.length]),
    ...(round % 2 ? DOWNLOADS : [...DOWNLOADS].reverse()),
  ]

  log(`warm-up: each transfer once with ${S.warmupMb} MB (not counted)`)
  {
    const warmSha = await sha256Of(warmSource, S.warmupMb * MiB)
    const state = { verify: true }
    for (const kind of orderOf(1)) await transfer(kind, { src: warmSource, bytes: S.warmupMb * MiB, sha: warmSha, tag: 'warmup', state })
    await clearRound(state, 'warmup')
  }
  const firstIdle = rssBytes(servers.box.pid)

  const runs = Object.fromEntries(Object.keys(KINDS).map((k) => [k, []]))
  for (let round = 1; round <= S.rounds; round++) {
    const state = { verify: round === 1 }
    const order = orderOf(round)
    for (const kind of order) {
      const f = await transfer(kind, { src: source, bytes: size, sha: sourceSha, tag: `r${round}`, state })
      runs[kind].push(f)
      log(
        `round ${round} ${kind.padEnd(11)}: ${fmt(f.mbPerSec).padStart(5)} MB/s (${fmt(f.seconds, 2)} s), ` +
          `server CPU ${fmt(f.serverCpuSecondsPerGb, 2)} s/GB (${fmt(100 * f.serverCpuShare)}%), client CPU ${fmt(100 * f.clientCpuShare)}%, ` +
          `RSS ${fmt(f.idleRssMb, 1)} → peak ${fmt(f.peakRssMb, 1)} MB (+${fmt(f.rssGrowthMb, 1)})`,
      )
    }
    await clearRound(state, `r${round}`)
  }
  await sleep(S.idlePauseMs)
  const lastIdle = rssBytes(servers.box.pid)
  // Every file was removed for good through the API: nothing may stay on the disk or in the quota.
  const leftovers = []
  const filesDir = path.join(boxServer.dataDir, 'files')
  for (const sub of ['store', 'store/.tmp', 'uploads']) {
    for (const entry of await readdir(path.join(filesDir, sub), { withFileTypes: true }).catch(() => [])) {
      if (!(sub === 'store' && entry.name === '.tmp')) leftovers.push(`${sub}/${entry.name}`)
    }
  }
  const after = await request(box.port, 'GET', '/api/v1/files/spaces', { headers: box.headers })
  if (after.body?.limits?.usedBytes) leftovers.push(`${fmt(after.body.limits.usedBytes)} bytes still counted against the quota`)
  for (const s of Object.values(servers)) {
    const c = s.child
    if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${s.name} exited during the transfers:\n${c.outputTail()}`)
  }
  await Promise.all([stopChild(boxServer.child), stopChild(bare.child)])
  await rm(work, { recursive: true, force: true })
  await rm(boxServer.dataDir, { recursive: true, force: true })

  // ---------------------------------------------------------------- report
  const sum = (kind) => {
    const r = runs[kind]
    return {
      mbPerSec: median(r.map((x) => x.mbPerSec)),
      cpuSecondsPerGb: median(r.map((x) => x.serverCpuSecondsPerGb)),
      idleRssMb: median(r.map((x) => x.idleRssMb)),
      peakRssMb: Math.max(...r.map((x) => x.peakRssMb)),
      rssGrowthMbMedian: median(r.map((x) => x.rssGrowthMb)),
      rssGrowthMbMax: Math.max(...r.map((x) => x.rssGrowthMb)),
      runs: r,
    }
  }
  const res = Object.fromEntries(Object.keys(KINDS).map((k) => [k, sum(k)]))
  const ratio = (box, base) => res[box].mbPerSec / res[base].mbPerSec
  const cpuRatio = (box, base) => res[base].cpuSecondsPerGb / res[box].cpuSecondsPerGb
  const roundRatios = (box, base) => runs[box].map((r, i) => r.mbPerSec / runs[base][i].mbPerSec)
  const ratios = {
    tus: ratio('tusUp', 'bareUp'),
    multipart: ratio('multipartUp', 'bareUp'),
    download: ratio('boxDown', 'bareDown'),
  }
  const boxKinds = ['tusUp', 'multipartUp', 'boxDown']
  const maxGrowth = Math.max(...boxKinds.map((k) => res[k].rssGrowthMbMax))
  const worstKind = boxKinds.find((k) => res[k].rssGrowthMbMax === maxGrowth)
  const noise = { upload: spread(runs.bareUp.map((r) => r.mbPerSec)), download: spread(runs.bareDown.map((r) => r.mbPerSec)) }
  const goals = {
    tusUploadRatio: { goal: `>= ${GOALS.minUploadRatio}`, value: ratios.tus, pass: ratios.tus >= GOALS.minUploadRatio },
    downloadRatio: { goal: `>= ${GOALS.minDownloadRatio}`, value: ratios.download, pass: ratios.download >= GOALS.minDownloadRatio },
    rssGrowthMb: { goal: `< ${GOALS.maxRssGrowthMb}`, value: maxGrowth, pass: maxGrowth < GOALS.maxRssGrowthMb },
  }

  const row = (kind, label = KINDS[kind]) => [
    label,
    fmt(res[kind].mbPerSec),
    fmt(res[kind].cpuSecondsPerGb, 2),
    fmt(res[kind].idleRssMb, 1),
    fmt(res[kind].peakRssMb, 1),
    `+${fmt(res[kind].rssGrowthMbMedian, 1)} / +${fmt(res[kind].rssGrowthMbMax, 1)}`,
  ]
  const ratioRow = (label, box, base) => [label, fmt(ratio(box, base), 2) + '×', fmt(cpuRatio(box, base), 2) + '×', '', '', '']
  console.log()
  console.log(
    table([
      ['', 'MB/s (median)', 'CPU s/GB', 'idle RSS (MB)', 'peak RSS (MB)', 'RSS growth (MB, median / max)'],
      row('bareUp'),
      row('tusUp'),
      ratioRow('ratio tus / baseline', 'tusUp', 'bareUp'),
      row('multipartUp'),
      ratioRow('ratio multipart / baseline', 'multipartUp', 'bareUp'),
      row('bareDown'),
      row('boxDown'),
      ratioRow('ratio download / baseline', 'boxDown', 'bareDown'),
    ]),
  )
  console.log()
  const list = (xs) => xs.map((x) => fmt(x, 2)).join(', ')
  console.log(
    `per-round throughput ratios: tus ${list(roundRatios('tusUp', 'bareUp'))}; multipart ${list(roundRatios('multipartUp', 'bareUp'))}; ` +
      `download ${list(roundRatios('boxDown', 'bareDown'))}; baseline runs spread: upload ${fmt(100 * noise.upload)}%, download ${fmt(100 * noise.download)}%`,
  )
  console.log(
    `box RSS: ${fmt(mb(setupIdle), 1)} MB idle after setup (before any file), ${fmt(mb(firstIdle), 1)} MB after the warm-up, ` +
      `highest ${fmt(mb(boxHighest), 1)} MB (+${fmt(mb(boxHighest - setupIdle), 1)} over the idle after setup), ${fmt(mb(lastIdle), 1)} MB after the last transfer`,
  )
  if (leftovers.length) console.log(`note: after every file was removed for good, the box still holds: ${leftovers.join(', ')}`)
  if (noise.upload > 0.2 || noise.download > 0.2) {
    console.log('note: the baseline moved by more than 20% between rounds: the machine is busy, take the ratios with care')
  }
  console.log()
  const line = (g, text) => console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${text}`)
  line(goals.tusUploadRatio, `tus upload ${fmt(ratios.tus, 2)}× the bare server's (goal ≥ ${GOALS.minUploadRatio}×)`)
  line(goals.downloadRatio, `download ${fmt(ratios.download, 2)}× the bare server's (goal ≥ ${GOALS.minDownloadRatio}×)`)
  line(goals.rssGrowthMb, `box RSS grew by at most ${fmt(maxGrowth, 1)} MB during a transfer (${worstKind}; goal < ${GOALS.maxRssGrowthMb} MB)`)
  console.log(
    `info  multipart upload ${fmt(ratios.multipart, 2)}× the bare server's (the web app uploads with tus; ${ratios.multipart >= GOALS.minUploadRatio ? 'would meet' : 'would miss'} the ${GOALS.minUploadRatio}× upload goal)`,
  )

  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    box: { main: boxMain, nodeArgs: boxNodeArgs },
    settings: S,
    goals,
    pass: Object.values(goals).every((g) => g.pass),
    ratios,
    roundRatios: { tus: roundRatios('tusUp', 'bareUp'), multipart: roundRatios('multipartUp', 'bareUp'), download: roundRatios('boxDown', 'bareDown') },
    baselineSpread: noise,
    leftovers,
    boxRssMb: { afterSetup: mb(setupIdle), afterWarmup: mb(firstIdle), highest: mb(boxHighest), afterLast: mb(lastIdle) },
    results: res,
    seconds: (Date.now() - started) / 1000,
  }
  mkdirSync(path.dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  log(`figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS} (${fmt(report.seconds, 1)} s in all)`)
  return report.pass
}
