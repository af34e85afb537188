// Builds the residents' and caretaker's web app into web/dist, which the server serves as is:
// hashed ES module chunks, index.html pointing at them, the web manifest and icon, the service
// worker with its precache list, .gz and .br copies of every text file, and a size check of the
// JavaScript a phone downloads before the first page shows.
// Run: node web/build.mjs [--outdir DIR]   (DIR defaults to web/dist; tests build elsewhere)
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const WEB = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(WEB)
const DIST = outdir(process.argv.slice(2)) ?? path.join(WEB, 'dist')
const ASSETS = path.join(DIST, 'assets')

/** Gzipped bytes of the entry chunk and its static imports: what the first page waits for. */
const FIRST_LOAD_BUDGET = 60 * 1024

// Old Android WebViews and the iOS 12 captive-portal sheet: ES modules and dynamic import()
// are there, optional chaining, class fields and `??` are not, so esbuild rewrites them.
// Safari 12 is covered by `es2019` (it has all of ES2018 and the ES2019 syntax); naming it makes
// esbuild refuse every destructuring, because of a corner-case bug its table records up to
// Safari 14 and that it cannot rewrite around.
const TARGET = ['es2019', 'chrome64', 'firefox67']

// Lit reads `globalThis`, which Chrome < 71 and Safari < 12.1 lack; `self` is the same object
// in a page and in a worker.
const DEFINE = {
  globalThis: 'self',
  'process.env.NODE_ENV': '"production"',
}

const COMPRESSIBLE = /\.(js|css|html|svg|webmanifest|json)$/

function outdir(args) {
  const i = args.findIndex((a) => a === '--outdir' || a.startsWith('--outdir='))
  if (i < 0) return undefined
  const value = args[i].includes('=') ? args[i].slice('--outdir='.length) : args[i + 1]
  if (!value) throw new Error('--outdir needs a folder')
  return path.resolve(value)
}

const rel = (file) => path.relative(ROOT, file)
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

async function buildApp() {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: path.join(WEB, 'src/main.ts') },
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    minify: true,
    target: TARGET,
    define: DEFINE,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
  })
  const outputs = result.metafile.outputs
  const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint === 'web/src/main.ts')
  if (!entry) throw new Error('esbuild produced no output for web/src/main.ts')
  // The entry and everything it imports statically, transitively; import() chunks load later.
  const firstLoad = []
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop()
    if (firstLoad.includes(file)) continue
    firstLoad.push(file)
    for (const imp of outputs[file]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) pending.push(imp.path)
    }
  }
  return { entry, firstLoad, outputs: Object.keys(outputs).filter((f) => f.endsWith('.js')) }
}

async function writeIndex({ entry, firstLoad }) {
  const url = (file) => '/' + path.relative(DIST, path.join(ROOT, file)).split(path.sep).join('/')
  // External module script only: the CSP is script-src 'self', no inline script or handler.
  const tags = [
    ...firstLoad.filter((f) => f !== entry).map((f) => `<link rel="modulepreload" href="${url(f)}" />`),
    `<script type="module" src="${url(entry)}"></script>`,
  ].join('\n    ')
  const template = await readFile(path.join(WEB, 'index.html'), 'utf8')
  if (!template.includes('<!-- palier:scripts -->')) throw new Error('web/index.html lacks <!-- palier:scripts -->')
  await writeFile(path.join(DIST, 'index.html'), template.replace('<!-- palier:scripts -->', tags))
}

async function copyPublic() {
  for (const name of await readdir(path.join(WEB, 'public'))) {
    await copyFile(path.join(WEB, 'public', name), path.join(DIST, name))
  }
}

async function buildServiceWorker() {
  const tmp = await mkdtemp(path.join(tmpdir(), 'palier-sw-'))
  try {
    const swSrc = path.join(tmp, 'sw.js')
    // Workbox is bundled in: the box has no internet, so no importScripts() from a CDN. A
    // classic script (iife), since module service workers are recent.
    await build({
      absWorkingDir: ROOT,
      entryPoints: [path.join(WEB, 'sw/sw.ts')],
      tsconfig: path.join(WEB, 'sw/tsconfig.json'),
      bundle: true,
      format: 'iife',
      outfile: swSrc,
      minify: true,
      target: TARGET,
      define: DEFINE,
      legalComments: 'none',
      logLevel: 'warning',
    })
    return await injectManifest(swSrc, path.join(DIST, 'sw.js'))
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/**
 * Fills `self.__WB_MANIFEST` with the shell's files as workbox-precaching expects them
 * (`{url, revision}`), as Workbox's injectManifest does. Done here because workbox-build pulls
 * in Rollup and Babel, whose per-platform packages the registry mirror lacks, which breaks
 * `npm ci`. Hashed asset names change with their content, so they need no revision.
 */
async function injectManifest(swSrc, swDest) {
  const files = ['index.html', 'manifest.webmanifest', 'icon.svg']
  for (const name of (await readdir(path.join(DIST, 'assets'))).sort()) if (name.endsWith('.js')) files.push(`assets/${name}`)
  const entries = []
  let size = 0
  for (const url of files) {
    const bytes = await readFile(path.join(DIST, url))
    size += bytes.length
    const hashed = /^assets\/.+-[A-Z0-9]{8}\.js$/.test(url)
    entries.push({ url, revision: hashed ? null : createHash('sha256').update(bytes).digest('hex').slice(0, 16) })
  }
  const code = await readFile(swSrc, 'utf8')
  const spots = code.split('self.__WB_MANIFEST').length - 1
  if (spots !== 1) throw new Error(`the service worker must use self.__WB_MANIFEST exactly once (found ${spots})`)
  await writeFile(swDest, code.replace('self.__WB_MANIFEST', JSON.stringify(entries)))
  return { count: entries.length, size }
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(file)
    else yield file
  }
}

/** Writes file.gz and file.br next to each text file; the server picks by Accept-Encoding. */
async function compress() {
  const sizes = new Map()
  for await (const file of walk(DIST)) {
    if (!COMPRESSIBLE.test(file)) continue
    const data = await readFile(file)
    const gz = zlib.gzipSync(data, { level: 9 })
    const br = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    })
    await writeFile(file + '.gz', gz)
    await writeFile(file + '.br', br)
    sizes.set(rel(file), { raw: data.length, gz: gz.length, br: br.length })
  }
  return sizes
}

async function main() {
  const started = Date.now()
  await rm(DIST, { recursive: true, force: true })
  await mkdir(ASSETS, { recursive: true })

  const app = await buildApp()
  await writeIndex(app)
  await copyPublic()
  const sw = await buildServiceWorker()
  const sizes = await compress()

  const firstLoadGz = app.firstLoad.reduce((sum, file) => sum + (sizes.get(file)?.gz ?? 0), 0)
  for (const file of app.outputs.sort()) {
    const s = sizes.get(file)
    const mark = app.firstLoad.includes(file) ? 'first load' : 'lazy'
    console.log(`  ${file.padEnd(48)} ${kb(s.raw).padStart(9)} ${kb(s.gz).padStart(9)} gz ${kb(s.br).padStart(9)} br  ${mark}`)
  }
  console.log(`  service worker: ${rel(path.join(DIST, 'sw.js'))} precaches ${sw.count} files (${kb(sw.size)})`)
  console.log(
    `first-load JavaScript: ${kb(firstLoadGz)} gzipped in ${app.firstLoad.length} file(s), budget ${kb(FIRST_LOAD_BUDGET)}`,
  )
  if (firstLoadGz >= FIRST_LOAD_BUDGET) {
    console.error(
      `web build: the JavaScript loaded by the first page is ${kb(firstLoadGz)} gzipped, over the ${kb(FIRST_LOAD_BUDGET)} budget. ` +
        'Move code behind a dynamic import() or drop a dependency.',
    )
    process.exit(1)
  }
  console.log(`web build: done in ${Date.now() - started} ms → ${rel(DIST)}`)
}

main().catch((err) => {
  console.error('web build failed:', err)
  process.exit(1)
})
