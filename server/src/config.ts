// Palier's settings: built-in defaults, then a JSON file, then PALIER_* environment variables,
// validated once at start-up into one typed, frozen object.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv } from 'ajv'
import type { Static } from 'typebox'
import { ConfigSchema } from './config-schema.js'

export { ConfigSchema }
export const LANGUAGES = ['fr', 'en', 'ar'] as const
export type Language = (typeof LANGUAGES)[number]

export type Config = Readonly<Static<typeof ConfigSchema>>

/** A setting with a bad value: start-up stops with this message and exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const keys = Object.keys(ConfigSchema.properties) as (keyof Config)[]
const validate = new Ajv({ strict: false, allErrors: false }).compile(ConfigSchema)

/** `dataDir` → `PALIER_DATA_DIR`, `filesMaxFileMB` → `PALIER_FILES_MAX_FILE_MB` (a run of capitals is one word). */
export function envName(key: string): string {
  return 'PALIER_' + key.replace(/[A-Z]+/g, (c) => '_' + c).toUpperCase()
}

function defaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const d = (ConfigSchema.properties[key] as { default?: unknown }).default
    if (d !== undefined) out[key] = d
  }
  return out
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const raw = env[envName(key)]
    if (raw === undefined || raw === '') continue
    const type = (ConfigSchema.properties[key] as { type?: string }).type
    if (type === 'integer') out[key] = /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw
    else if (type === 'boolean') out[key] = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw
    else if (type === 'array') {
      try {
        out[key] = JSON.parse(raw)
      } catch {
        throw new ConfigError(`bad value for setting ${key} (${envName(key)}): not a JSON list: ${raw}`)
      }
    }
    else out[key] = raw
  }
  return out
}

function fromFile(file: string, required: boolean): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`configuration file ${file} must hold a JSON object`)
  }
  return parsed as Record<string, unknown>
}

function allowed(key: string): string {
  const s = (ConfigSchema.properties as unknown as Record<string, Record<string, unknown>>)[key]
  if (!s) return `one of the known settings: ${keys.join(', ')}`
  if (Array.isArray(s.anyOf)) return 'one of ' + (s.anyOf as { const: string }[]).map((x) => JSON.stringify(x.const)).join(', ')
  if (s.type === 'integer') return `an integer from ${s.minimum} to ${s.maximum}`
  if (s.type === 'boolean') return 'true or false'
  if (s.type === 'array') return `a JSON list; ${s.description}`
  if (key === 'lanAddress' || key.startsWith('dhcpRange')) return 'an IPv4 address like 10.78.0.1'
  if (key === 'boxName' || key === 'httpsName') return 'a lower-case host name like palier.lan'
  if (s.pattern) return 'an address like http://192.168.1.10:8080 or https://b0042.example.org'
  return `text of ${s.minLength ?? 0} to ${s.maxLength ?? '∞'} characters`
}

/**
 * Layers defaults, the JSON file (PALIER_CONFIG, else /etc/palier/palier.json when it exists)
 * and PALIER_* variables, then validates. `overrides` come last (tests).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const file = env.PALIER_CONFIG
  const merged = {
    ...defaults(),
    ...fromFile(file ?? '/etc/palier/palier.json', file !== undefined),
    ...fromEnv(env),
    ...overrides,
  }
  const first = validate(merged) ? undefined : validate.errors?.[0]
  if (first) {
    const key = first.instancePath.split('/')[1] || (first.params as { additionalProperty?: string }).additionalProperty || '?'
    const where = `${key} (${envName(key)})`
    if (!keys.includes(key as keyof Config)) throw new ConfigError(`unknown setting "${key}"; allowed: ${keys.join(', ')}`)
    throw new ConfigError(`bad value for setting ${where}: ${JSON.stringify((merged as Record<string, unknown>)[key])}; allowed: ${allowed(key)}`)
  }
  const config = merged as Config
  checkNetwork(config)
  return Object.freeze({
    ...config,
    dataDir: path.resolve(config.dataDir),
    ...(config.netStateDir ? { netStateDir: path.resolve(config.netStateDir) } : {}),
  })
}

/** The settings that only make sense together (each alone passed the schema). */
function checkNetwork(c: Config): void {
  if (c.networkMode === 'gateway' && (!c.lanInterface || !c.lanAddress)) {
    throw new ConfigError('networkMode "gateway" needs lanInterface (PALIER_LAN_INTERFACE) and lanAddress (PALIER_LAN_ADDRESS)')
  }
  const tls = [c.httpsName, c.tlsCertFile, c.tlsKeyFile].filter((x) => x !== undefined).length
  if (tls !== 0 && tls !== 3) {
    throw new ConfigError('HTTPS needs all three of httpsName (PALIER_HTTPS_NAME), tlsCertFile (PALIER_TLS_CERT_FILE) and tlsKeyFile (PALIER_TLS_KEY_FILE), or none')
  }
  if (c.lanAddress) {
    const net = ipv4(c.lanAddress) & mask(c.lanPrefix)
    const inside = (ip: string) => (ipv4(ip) & mask(c.lanPrefix)) >>> 0 === net >>> 0
    for (const key of ['dhcpRangeStart', 'dhcpRangeEnd'] as const) {
      const ip = c[key]
      if (ip && !inside(ip)) throw new ConfigError(`${key} (${envName(key)}) ${ip} is not in the LAN ${c.lanAddress}/${c.lanPrefix}`)
    }
    if (c.dhcpRangeStart && c.dhcpRangeEnd && ipv4(c.dhcpRangeStart) > ipv4(c.dhcpRangeEnd)) {
      throw new ConfigError(`dhcpRangeStart ${c.dhcpRangeStart} comes after dhcpRangeEnd ${c.dhcpRangeEnd}`)
    }
    for (const lease of c.dhcpStaticLeases) {
      if (!inside(lease.ip)) throw new ConfigError(`static lease ${lease.mac} → ${lease.ip} is not in the LAN ${c.lanAddress}/${c.lanPrefix}`)
    }
  }
}

/** An IPv4 address as an unsigned 32-bit number. */
export function ipv4(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}
