// The baseline of the shared-storage benchmark (bench/files.mjs): a bare Node HTTP server that
// does only what any file upload and download must do, and nothing the box adds (no framework,
// no session, no hashing, no sniffing, no database).
//   PUT /upload/<name>    pipes the request socket into <dir>/<name>.part, then — like the box,
//                         which never answers before the bytes are on the disk — fsyncs it,
//                         renames it to <dir>/<name> and fsyncs the folder; answers 201 {"size":n}.
//   GET /download/<name>  streams <dir>/<name> to the socket (Content-Length, 200).
// Run by bench/files.mjs as its own process: `BARE_PORT=<port> BARE_DIR=<dir> node bench/bare-files.mjs`.
import { createReadStream, createWriteStream } from 'node:fs'
import { open, rename, rm, stat } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

const port = Number(process.env.BARE_PORT ?? 0)
const dir = process.env.BARE_DIR
if (!dir) throw new Error('BARE_DIR is required')

const NAME = /^[a-z0-9-]{1,64}$/

async function fsyncDir(folder) {
  const handle = await open(folder, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function upload(req, res, name) {
  const file = path.join(dir, name)
  const part = `${file}.part`
  // flush: fsync before the stream closes (Node ≥ 20.10); the pipeline resolves after that.
  const out = createWriteStream(part, { mode: 0o640, flush: true })
  try {
    await pipeline(req, out)
  } catch (err) {
    await rm(part, { force: true })
    throw err
  }
  await rename(part, file)
  await fsyncDir(dir)
  const body = JSON.stringify({ size: out.bytesWritten })
  res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

async function download(req, res, name) {
  const file = path.join(dir, name)
  const { size } = await stat(file)
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
  await pipeline(createReadStream(file), res)
}

const server = http.createServer((req, res) => {
  const [, route, name = ''] = /^\/(upload|download)\/(.*)$/.exec(req.url ?? '') ?? []
  let work
  if (route === 'upload' && req.method === 'PUT' && NAME.test(name)) work = upload(req, res, name)
  else if (route === 'download' && req.method === 'GET' && NAME.test(name)) work = download(req, res, name)
  else if (req.url === '/' && req.method === 'GET') work = Promise.resolve(res.end('ok'))
  else {
    res.writeHead(404).end()
    return
  }
  work.catch((err) => {
    if (!res.headersSent) res.writeHead(err.code === 'ENOENT' ? 404 : 500).end(String(err.message))
    else res.destroy(err)
  })
})

server.requestTimeout = 0 // a 1 GB body on a busy machine may take longer than Node's 300 s default

const close = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', close)
process.on('SIGINT', close)

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`bare-files: up on 127.0.0.1:${server.address().port}, writing to ${dir}\n`)
})
