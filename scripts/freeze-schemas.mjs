// Replaces each compiled *schema.js / *schemas.js module in server/dist by the plain JSON of its
// exports. The schemas are written with TypeBox for their types, but at run time they are only
// data: freezing them keeps TypeBox (≈ 10 MB of RSS) out of the box's memory.
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = process.argv[2] ?? 'server/dist'
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /schemas?\.js$/.test(e.name))
  .map((e) => path.join(e.parentPath, e.name))

// Import them all before writing any, so each is evaluated from its original source.
const modules = []
for (const file of files) modules.push([file, await import(pathToFileURL(path.resolve(file)).href)])

for (const [file, mod] of modules) {
  const lines = [`// Frozen at build time from ${path.relative(dist, file).replace(/\.js$/, '.ts')}: plain JSON, no TypeBox at run time.`]
  for (const [name, value] of Object.entries(mod)) {
    const json = JSON.stringify(value)
    if (typeof value === 'function' || json === undefined) {
      console.error(`freeze-schemas: ${file} exports ${name}, which is not data; schema modules hold data only`)
      process.exit(1)
    }
    lines.push(`export const ${name} = ${json};`)
  }
  writeFileSync(file, lines.join('\n') + '\n')
  rmSync(file + '.map', { force: true })
}

// Nothing else may load TypeBox at run time (type-only imports vanish when compiled).
for (const e of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !e.name.endsWith('.js')) continue
  const file = path.join(e.parentPath, e.name)
  const text = (await import('node:fs')).readFileSync(file, 'utf8')
  if (/from ['"]typebox/.test(text)) {
    console.error(`freeze-schemas: ${file} imports typebox at run time; move its schemas to a schema.ts module`)
    process.exit(1)
  }
}
console.log(`freeze-schemas: ${modules.length} schema modules frozen`)
