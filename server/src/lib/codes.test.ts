import t from 'tap'
import { CODE_ALPHABET, newCode, newToken, normalizeCode, sha256 } from './codes.js'

t.test('the alphabet leaves out every character that reads like another', async (t) => {
  t.equal(CODE_ALPHABET, 'ACDEFGHJKMNPQRTWXY34679')
  t.equal(new Set(CODE_ALPHABET).size, 23, 'no repeated character')
  for (const c of '0O1IL2Z5S8BUV') t.notOk(CODE_ALPHABET.includes(c), `${c} is not in the alphabet`)
})

t.test('a code is 3 groups of 4 characters from the alphabet by default', async (t) => {
  const format = /^[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}$/
  const seen = new Set<string>()
  const codes = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    const code = newCode()
    if (!format.test(code)) t.fail(`bad code ${code}`)
    codes.add(code)
    for (const c of code.replace(/-/g, '')) seen.add(c)
  }
  t.equal(codes.size, 2000, 'no repeats among 2000 codes (54 bits each)')
  t.equal([...seen].sort().join(''), [...CODE_ALPHABET].sort().join(''), 'every character of the alphabet is used')
  t.match(newCode(), format)
})

t.test('the number of groups can be chosen', async (t) => {
  t.match(newCode(2), /^[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}$/)
  t.match(newCode(4), /^([ACDEFGHJKMNPQRTWXY34679]{4}-){3}[ACDEFGHJKMNPQRTWXY34679]{4}$/)
  t.match(newCode(1), /^[ACDEFGHJKMNPQRTWXY34679]{4}$/)
})

t.test('normalizeCode turns what a person typed into the canonical form', async (t) => {
  t.equal(normalizeCode('ACDE-FGHJ-KMNP'), 'ACDE-FGHJ-KMNP', 'canonical stays canonical')
  t.equal(normalizeCode('acde-fghj-kmnp'), 'ACDE-FGHJ-KMNP', 'lower case')
  t.equal(normalizeCode('ACDEFGHJKMNP'), 'ACDE-FGHJ-KMNP', 'dashes missing')
  t.equal(normalizeCode('acdefghjkmnp'), 'ACDE-FGHJ-KMNP', 'lower case and no dashes')
  t.equal(normalizeCode('acde fghj kmnp'), 'ACDE-FGHJ-KMNP', 'spaces instead of dashes')
  t.equal(normalizeCode('  ac de-fg hj—km np \n'), 'ACDE-FGHJ-KMNP', 'dashes and spaces in the wrong places')
  t.equal(normalizeCode('ACDE--FGHJ--KMNP'), 'ACDE-FGHJ-KMNP', 'doubled dashes')
  t.equal(normalizeCode('ACDEFG'), 'ACDE-FG', 'a short code keeps its last partial group')
  t.equal(normalizeCode('test-setup-code-1234'), 'TEST-SETU-PCOD-E123-4', 'regrouped by 4 whatever the input groups')
  t.equal(normalizeCode(''), '')
  t.equal(normalizeCode(normalizeCode('acde fghj kmnp')), 'ACDE-FGHJ-KMNP', 'idempotent')
})

t.test('a fresh code survives normalization unchanged', async (t) => {
  for (let i = 0; i < 100; i++) {
    const code = newCode()
    if (normalizeCode(code.toLowerCase().replace(/-/g, ' ')) !== code) t.fail(code)
  }
  const code = newCode()
  t.equal(normalizeCode(code.toLowerCase().replace(/-/g, '')), code)
})

t.test('tokens are 128 random bits in base64url', async (t) => {
  const a = newToken()
  const b = newToken()
  t.match(a, /^[A-Za-z0-9_-]{22}$/)
  t.equal(Buffer.from(a, 'base64url').length, 16)
  t.not(a, b)
})

t.test('sha256 gives the 32-byte digest', async (t) => {
  const digest = sha256('abc')
  t.ok(Buffer.isBuffer(digest))
  t.equal(digest.toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})
