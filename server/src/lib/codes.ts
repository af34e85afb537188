// Human-friendly one-time codes (invitations, password resets, setup) and token hashing.
import { createHash, randomBytes, randomInt } from 'node:crypto'

// No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: nothing a tired eye or an old printer can confuse.
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679'

/** `groups` groups of 4 characters joined by dashes: 3 groups ≈ 54 bits. */
export function newCode(groups = 3): string {
  const parts: string[] = []
  for (let g = 0; g < groups; g++) {
    let s = ''
    for (let i = 0; i < 4; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
    parts.push(s)
  }
  return parts.join('-')
}

/** What a person typed → the canonical form: upper case, dashes where they belong. */
export function normalizeCode(input: string): string {
  const bare = input.toUpperCase().replace(/[^A-Z0-9]/g, '')
  return bare.replace(/(.{4})(?=.)/g, '$1-')
}

export function newToken(): string {
  return randomBytes(16).toString('base64url') // 128 bits
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
