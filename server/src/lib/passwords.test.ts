import t from 'tap'
import { randomBytes, scryptSync } from 'node:crypto'
import { SCRYPT, dummyHash, hashPassword, hashesRunning, verifyPassword } from './passwords.js'

t.test('the hash is self-describing: scrypt$N$r$p$salt$key', async (t) => {
  const hash = await hashPassword('escalier-fleuri-42')
  t.match(hash, /^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
  const [, , , , salt, key] = hash.split('$')
  t.equal(Buffer.from(salt!, 'base64url').length, 16)
  t.equal(Buffer.from(key!, 'base64url').length, 32)
  t.same(SCRYPT, { N: 32768, r: 8, p: 3, keyLength: 32, saltLength: 16 })
})

t.test('the same password hashes differently each time (random salt)', async (t) => {
  const [a, b] = await Promise.all([hashPassword('voisins-sympas'), hashPassword('voisins-sympas')])
  t.not(a, b)
  t.equal(await verifyPassword('voisins-sympas', a!), true)
  t.equal(await verifyPassword('voisins-sympas', b!), true)
})

t.test('verify accepts the password and refuses anything else', async (t) => {
  const hash = await hashPassword('escalier-fleuri-42')
  t.equal(await verifyPassword('escalier-fleuri-42', hash), true)
  t.equal(await verifyPassword('escalier-fleuri-43', hash), false)
  t.equal(await verifyPassword('Escalier-fleuri-42', hash), false)
  t.equal(await verifyPassword('escalier-fleuri-42 ', hash), false)
  t.equal(await verifyPassword('', hash), false)
})

t.test('a stored value in another format never verifies', async (t) => {
  const hash = await hashPassword('escalier-fleuri-42')
  t.equal(await verifyPassword('escalier-fleuri-42', ''), false)
  t.equal(await verifyPassword('escalier-fleuri-42', hash.replace(/^scrypt/, 'bcrypt')), false)
  t.equal(await verifyPassword('escalier-fleuri-42', hash.split('$').slice(0, 5).join('$')), false, 'key missing')
})

t.test('a hash made with other costs verifies with the costs it records', async (t) => {
  const salt = randomBytes(16)
  const key = scryptSync('escalier-fleuri-42', salt, 32, { N: 16384, r: 8, p: 1 })
  const stored = ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
  t.equal(await verifyPassword('escalier-fleuri-42', stored), true)
  t.equal(await verifyPassword('escalier-fleuri-41', stored), false)
})

t.test('passwords are compared after NFC normalization', async (t) => {
  const composed = 'caf\u00e9-du-coin' // é as one code point
  const decomposed = 'cafe\u0301-du-coin' // e + combining acute accent
  t.not(composed, decomposed)
  t.equal(composed.normalize('NFC'), decomposed.normalize('NFC'))
  const fromComposed = await hashPassword(composed)
  const fromDecomposed = await hashPassword(decomposed)
  t.equal(await verifyPassword(decomposed, fromComposed), true, 'typed on a phone that decomposes')
  t.equal(await verifyPassword(composed, fromDecomposed), true, 'and the other way round')
  t.equal(await verifyPassword('cafe-du-coin', fromComposed), false, 'without the accent is another password')
})

t.test('at most two hashes run at once; the others wait their turn', async (t) => {
  t.equal(hashesRunning(), 0)
  let done = false
  const samples: number[] = []
  const all = Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`mot-de-passe-${i}`))).finally(() => {
    done = true
  })
  samples.push(hashesRunning()) // the first two start synchronously
  await new Promise<void>((resolve) => {
    const sample = () => {
      samples.push(hashesRunning())
      if (done) resolve()
      else setTimeout(sample, 1)
    }
    setImmediate(sample)
  })
  const hashes = await all
  t.equal(new Set(hashes).size, 6)
  t.equal(samples[0], 2, 'two start at once')
  t.ok(samples.length > 10, `sampled ${samples.length} times while hashing`)
  t.equal(Math.max(...samples), 2, 'never more than two')
  t.ok(samples.filter((n) => n === 2).length > 1, 'two at a time for most of the run')
  t.equal(hashesRunning(), 0, 'none left running')
})

t.test('the dummy hash for unknown logins is made once and is a real hash', async (t) => {
  const a = await dummyHash()
  const b = await dummyHash()
  t.equal(a, b)
  t.match(a, /^scrypt\$32768\$8\$3\$/)
  t.equal(await verifyPassword('escalier-fleuri-42', a), false)
})
