// The whole test suite: type-check, then every tap test. Ends with one plain line
// "N passed, N failed" (what CI reads) and a non-zero exit on any failure.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

let passed = 0
let failed = 0

const tsc = 'node_modules/typescript/bin/tsc'
for (const project of ['tsconfig.json', 'web/sw/tsconfig.json']) {
  if (!existsSync(project)) continue
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { stdio: 'inherit' })
  if (r.status === 0) {
    passed++
    console.log(`ok - type-check ${project}`)
  } else {
    failed++
    console.log(`not ok - type-check ${project}`)
  }
}

// tap's own summary line: "# { total: 12, pass: 11, fail: 1 }" (counts every assertion).
const args = ['node_modules/tap/dist/esm/run.mjs', '--reporter=tap', ...process.argv.slice(2)]
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
let tail = ''
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString()).slice(-4000)
})
const code = await new Promise((resolve) => child.on('close', resolve))
const summary = [...tail.matchAll(/^# \{ (.*) \}$/gm)].pop()?.[1]
if (summary) {
  const count = (name) => Number(new RegExp(`\\b${name}: (\\d+)`).exec(summary)?.[1] ?? 0)
  passed += count('pass')
  failed += count('fail')
  if (count('skip') || count('todo')) {
    // A skipped test proves nothing: count it as a failure.
    failed += count('skip') + count('todo')
    console.log(`not ok - ${count('skip') + count('todo')} skipped/todo tests`)
  }
}
if (code !== 0 && failed === 0) failed++ // tap failed without a summary (crash, timeout)
if (!summary && code === 0) failed++ // no test ran at all
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
