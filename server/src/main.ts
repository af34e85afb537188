// Entry point of the web app process: reads the config, opens the store, listens, prints the
// setup code on first run, and closes cleanly on SIGTERM/SIGINT.
import { networkInterfaces } from 'node:os'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { DatabaseTooNewError } from './db/index.js'
import { pendingSetupCode } from './features/accounts/index.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`palier: configuration error: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  let app
  try {
    // PALIER_WEB_DIR: another build of the web app (tests that run this process); unset, web/dist.
    app = await buildApp(config, { webDir: process.env.PALIER_WEB_DIR || undefined })
  } catch (err) {
    if (err instanceof DatabaseTooNewError) {
      process.stderr.write(`palier: ${err.message}\n`)
      process.exit(3)
    }
    throw err
  }

  let closing = false
  const close = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'closing')
    await app.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void close('SIGTERM'))
  process.on('SIGINT', () => void close('SIGINT'))

  const address = await app.listen({ port: config.port, host: config.host })
  const port = new URL(address).port
  // With the landlord's certificate, the same app on HTTPS too (service worker, RFC 8908).
  const secure = await app.listenHttps()
  const code = pendingSetupCode(app.db, config)
  // Plain lines on stdout, whatever the log level: this is what the person at the console reads.
  process.stdout.write(`palier: ${config.buildingName} is up on ${address} (data in ${config.dataDir})\n`)
  const httpsUrl = secure ? `https://${config.httpsName}${config.httpsPort === 443 ? '' : `:${config.httpsPort}`}/` : undefined
  if (secure) process.stdout.write(`palier: HTTPS on ${secure} for ${httpsUrl}\n`)
  process.stdout.write(`open: ${httpsUrl ?? config.publicUrl ?? `http://localhost:${port}/`}\n`)
  if (!config.publicUrl && (config.host === '0.0.0.0' || config.host === '::')) {
    for (const ip of lanAddresses()) process.stdout.write(`  or, from another device: http://${ip}:${port}/\n`)
  }
  if (code) process.stdout.write(`setup code: ${code}\n`)
}

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)
}

main().catch((err) => {
  process.stderr.write(`palier: failed to start: ${(err as Error).stack ?? err}\n`)
  process.exit(1)
})
