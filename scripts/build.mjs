// Builds the box: the server with tsc (server/dist), then the web app (web/dist).
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

rmSync('server/dist', { recursive: true, force: true })
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.server.json'])
if (existsSync('web/build.mjs')) run(process.execPath, ['web/build.mjs'])
console.log('build: done')
