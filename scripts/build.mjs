// Builds the box: the server with tsc (server/dist), then the web app (web/dist).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

rmSync('server/dist', { recursive: true, force: true })
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.server.json'])
run(process.execPath, ['scripts/freeze-schemas.mjs', 'server/dist'])
// Data files the server reads at run time (e.g. the common-passwords list) go beside the JS.
for (const entry of readdirSync('server/src', { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && entry.name.endsWith('.txt')) {
    const from = path.join(entry.parentPath, entry.name)
    cpSync(from, path.join('server/dist', path.relative('server/src', from)))
  }
}
if (existsSync('web/build.mjs')) run(process.execPath, ['web/build.mjs'])
console.log('build: done')
