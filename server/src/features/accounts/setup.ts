// The one-time setup code that lets the first person create the caretaker account.
import { timingSafeEqual } from 'node:crypto'
import type { Config } from '../../config.js'
import type { Db } from '../../db/index.js'
import { newCode, normalizeCode, sha256 } from '../../lib/codes.js'
import { caretakerExists, getSetting, setSetting } from './store.js'

const KEY = 'setup_code'

/**
 * The code to print at start-up, or null once setup is done. A code set by provisioning
 * (PALIER_SETUP_CODE) wins; otherwise one is generated once and kept until used, so a
 * restart prints the same code.
 */
export function pendingSetupCode(db: Db, config: Config): string | null {
  if (caretakerExists(db)) return null
  if (config.setupCode) return config.setupCode
  let code = getSetting(db, KEY)
  if (!code) {
    code = newCode(3)
    setSetting(db, KEY, code)
  }
  return code
}

export function setupCodeMatches(db: Db, config: Config, typed: string): boolean {
  const expected = pendingSetupCode(db, config)
  if (!expected) return false
  return timingSafeEqual(sha256(normalizeCode(typed)), sha256(normalizeCode(expected)))
}

export const SETUP_CODE_SETTING = KEY
