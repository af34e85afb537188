import type { Migration } from './index.js'

export const m0003Notices: Migration = {
  name: '0003-notices',
  up(db) {
    db.exec(`
      CREATE TABLE notices (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('urgent', 'works', 'info', 'event')),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        -- the body rendered once, at write time, to safe HTML (the board is read far more than written)
        body_html TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('caretaker', 'landlord', 'resident')),
        author_id TEXT REFERENCES users (id),
        -- the landlord's own id for a notice that came through sync (makes the upsert idempotent)
        landlord_ref TEXT,
        status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected', 'archived')),
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        -- board order as one sortable key: '1'/'0' urgent, '1'/'0' pinned, then the time-ordered id;
        -- also the list's cursor
        board_key TEXT NOT NULL,
        -- NULL: shown from publication, whatever the clock says
        starts_at INTEGER,
        expires_at INTEGER,
        audience TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(audience)),
        -- lower-cased entrances between U+001F separators ('' = the whole building)
        audience_key TEXT NOT NULL DEFAULT '',
        -- title and body lower-cased without accents, for the archive search
        search_text TEXT NOT NULL,
        going INTEGER NOT NULL DEFAULT 0,
        thanks INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- Covers the board's filter, so the first page reads the index and 20 rows only.
      CREATE INDEX notices_board ON notices (status, board_key, starts_at, expires_at, audience_key);
      CREATE UNIQUE INDEX notices_landlord_ref ON notices (landlord_ref) WHERE landlord_ref IS NOT NULL;
      CREATE INDEX notices_starts ON notices (starts_at) WHERE starts_at IS NOT NULL;
      CREATE INDEX notices_expires ON notices (expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX notices_author ON notices (author_id) WHERE author_id IS NOT NULL;

      -- "Je participe" and "merci": one per person and notice.
      CREATE TABLE notice_reactions (
        user_id TEXT NOT NULL REFERENCES users (id),
        notice_id TEXT NOT NULL REFERENCES notices (id),
        kind TEXT NOT NULL CHECK (kind IN ('going', 'thanks')),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, notice_id, kind)
      ) STRICT, WITHOUT ROWID;

      -- Read figures per household (flat), never per person.
      CREATE TABLE notice_reads (
        notice_id TEXT NOT NULL REFERENCES notices (id),
        flat_id TEXT NOT NULL REFERENCES flats (id),
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (notice_id, flat_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE notice_images (
        id TEXT PRIMARY KEY,
        notice_id TEXT NOT NULL REFERENCES notices (id),
        mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX notice_images_notice ON notice_images (notice_id, id);
    `)
  },
}
