// Serves the built web app (web/dist): precompressed files chosen by Accept-Encoding, hashed
// assets cached for a year, the HTML and the service worker always revalidated, and index.html
// for every other path so the app's own routes (/rejoindre?code=…) work from a QR code.
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { NotFoundError } from '../lib/errors.js'

export default fp<{ webDir: string }>(
  async (app, { webDir }) => {
    if (!existsSync(path.join(webDir, 'index.html'))) {
      app.log.warn({ webDir }, 'web app not built (run `make build`); serving the API only')
    }
    await app.register(fastifyStatic, {
      root: webDir,
      serve: false,
      preCompressed: true,
      index: false,
      setHeaders(res, file) {
        const rel = path.relative(webDir, file)
        res.header(
          'cache-control',
          rel.startsWith('assets' + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })

    const fileOf = (url: string): string | undefined => {
      let pathname: string
      try {
        pathname = decodeURIComponent(url.split('?')[0] ?? '/')
      } catch {
        return undefined
      }
      const rel = path.normalize(pathname).replace(/^([/\\])+/, '')
      if (!rel || rel.startsWith('..')) return undefined
      const abs = path.join(webDir, rel)
      try {
        return statSync(abs).isFile() ? rel : undefined
      } catch {
        return undefined
      }
    }

    app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) throw new NotFoundError()
      const file = fileOf(request.url)
      if (file) return reply.sendFile(file)
      // Unknown asset names are real 404s; everything else is an app route.
      if (request.url.startsWith('/assets/')) throw new NotFoundError()
      return reply.sendFile('index.html')
    })
  },
  { name: 'palier-web' },
)
