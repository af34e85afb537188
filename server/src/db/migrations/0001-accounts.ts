import type { Migration } from './index.js'

export const m0001Accounts: Migration = {
  name: '0001-accounts',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE flats (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        -- lower-cased label: SQLite's NOCASE folds ASCII only, and flats are named "Bâtiment …"
        label_key TEXT NOT NULL,
        entrance TEXT NOT NULL DEFAULT '',
        floor TEXT NOT NULL DEFAULT '',
        door TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX flats_label ON flats (label_key);

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('caretaker', 'resident')),
        flat_id TEXT REFERENCES flats (id),
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        CHECK ((role = 'resident') = (flat_id IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX users_login ON users (login);
      CREATE INDEX users_flat ON users (flat_id);

      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        flat_id TEXT NOT NULL REFERENCES flats (id),
        code TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX invites_code ON invites (code);
      CREATE INDEX invites_flat ON invites (flat_id);

      -- One-time codes the caretaker hands a resident who forgot the password; stored hashed.
      CREATE TABLE reset_codes (
        user_id TEXT PRIMARY KEY REFERENCES users (id),
        code_hash BLOB NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions (user_id);
    `)
  },
}
