import type { Migration } from './index.js'

export const m0002Outbox: Migration = {
  name: '0002-outbox',
  up(db) {
    db.exec(`
      -- Events waiting to go upstream to the landlord; written in the same transaction as the
      -- change that causes them, drained by the sync agent.
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created_at INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
