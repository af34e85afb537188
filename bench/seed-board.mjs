// Fills the box's database with a building's worth of history for the board benchmark:
// 10,000 notices (mostly expired, a hundred on the board), 100,000 household read records,
// and signed-in residents in 100 flats over four entrances. Written straight into the SQLite
// file with the box's own store code (server/dist), in one transaction, while the box runs.
import Database from 'better-sqlite3'
import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const ENTRANCES = ['A', 'B', 'C', 'D']
const KINDS = ['info', 'works', 'event', 'info', 'urgent']

export async function seedBoard(dataDir, distDir, { notices = 10_000, active = 100, reads = 100_000, flats = 100, residentsPerFlat = 3 } = {}) {
  const { createNotice } = await import(pathToFileURL(path.join(distDir, 'features/notices/store.js')).href)
  const { newId } = await import(pathToFileURL(path.join(distDir, 'lib/ids.js')).href)
  const db = new Database(path.join(dataDir, 'palier.sqlite'))
  db.pragma('busy_timeout = 10000')
  const now = Date.now()
  const cookies = []
  const flatIds = []
  const started = Date.now()
  db.transaction(() => {
    const insertFlat = db.prepare('INSERT INTO flats (id, label, label_key, entrance, floor, door, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const insertUser = db.prepare(
      "INSERT INTO users (id, login, display_name, password_hash, role, flat_id, created_at) VALUES (?, ?, ?, 'scrypt$bench', 'resident', ?, ?)",
    )
    const insertSession = db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)')
    for (let f = 0; f < flats; f++) {
      const id = newId(now)
      const entrance = ENTRANCES[f % ENTRANCES.length]
      const label = `Bench ${entrance}-${f}`
      insertFlat.run(id, label, label.toLowerCase(), entrance, String(f % 10), String(f), now)
      flatIds.push(id)
      for (let r = 0; r < residentsPerFlat; r++) {
        const userId = newId(now)
        insertUser.run(userId, `bench-${f}-${r}`, `Voisin ${f}.${r}`, id, now)
        const token = randomBytes(16).toString('base64url')
        insertSession.run(createHash('sha256').update(token).digest(), userId, now, now)
        cookies.push(`palier=${token}`)
      }
    }
    const noticeIds = []
    for (let i = 0; i < notices; i++) {
      const onBoard = i >= notices - active
      const kind = KINDS[i % KINDS.length]
      // Older notices first, so ids (time-ordered) follow the building's history.
      const createdAt = now - (notices - i) * 3_600_000
      noticeIds.push(
        createNotice(
          db,
          {
            kind,
            title: `${kind === 'urgent' ? 'Coupure d’eau' : 'Information'} n° ${i}`,
            body: `Bonjour à tous,\n\nLe **bâtiment** sera concerné le jour ${i % 28}.\n\n- point un\n- point deux\n\nPlus d’infos : https://exemple.fr/avis/${i}`,
            origin: i % 7 === 0 ? 'landlord' : 'caretaker',
            authorId: null,
            pinned: onBoard && i % 25 === 0,
            startsAt: null,
            expiresAt: onBoard ? now + 30 * 86_400_000 : createdAt + 7 * 86_400_000,
            audience: i % 3 === 0 ? [ENTRANCES[i % ENTRANCES.length]] : [],
          },
          createdAt,
        ),
      )
    }
    const insertRead = db.prepare('INSERT INTO notice_reads (notice_id, flat_id, seen_at) VALUES (?, ?, ?)')
    // Every flat has seen the notices of the last months: `reads` records in all.
    for (let k = 0; k < reads; k++) {
      insertRead.run(noticeIds[noticeIds.length - 1 - Math.floor(k / flats)], flatIds[k % flats], now)
    }
  })()
  const counts = db.prepare('SELECT (SELECT count(*) FROM notices) AS notices, (SELECT count(*) FROM notice_reads) AS reads').get()
  db.close()
  return { cookies, counts, seconds: (Date.now() - started) / 1000 }
}
