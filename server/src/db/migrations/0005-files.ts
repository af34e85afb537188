import type { Migration } from './index.js'

export const m0005Files: Migration = {
  name: '0005-files',
  up(db) {
    db.exec(`
      -- Files and folders of the three spaces. A file's bytes live in files/store/<id> (a name the
      -- server generated); name is only what people see.
      CREATE TABLE file_nodes (
        id TEXT PRIMARY KEY,
        space TEXT NOT NULL CHECK (space IN ('library', 'household', 'shared')),
        -- the flat whose household space holds it (household space only)
        flat_id TEXT REFERENCES flats (id),
        parent_id TEXT REFERENCES file_nodes (id),
        kind TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
        name TEXT NOT NULL,
        -- lower-cased NFC name: two live siblings never share it
        name_key TEXT NOT NULL,
        -- who added it, and the household its bytes count against (null: the caretaker)
        owner_id TEXT NOT NULL REFERENCES users (id),
        owner_flat_id TEXT REFERENCES flats (id),
        size INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),
        mime TEXT,
        sha256 TEXT,
        has_preview INTEGER NOT NULL DEFAULT 0 CHECK (has_preview IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- in the trash since (with every node deleted along with it, which share trash_root)
        trashed_at INTEGER,
        trash_root TEXT,
        trashed_by TEXT REFERENCES users (id),
        CHECK ((space = 'household') = (flat_id IS NOT NULL)),
        CHECK ((kind = 'file') = (mime IS NOT NULL AND sha256 IS NOT NULL)),
        CHECK ((trashed_at IS NULL) = (trash_root IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX file_nodes_sibling_name ON file_nodes (space, ifnull(flat_id, ''), ifnull(parent_id, ''), name_key)
        WHERE trashed_at IS NULL;
      CREATE INDEX file_nodes_parent ON file_nodes (parent_id);
      CREATE INDEX file_nodes_owner_flat ON file_nodes (owner_flat_id) WHERE owner_flat_id IS NOT NULL;
      CREATE INDEX file_nodes_trash ON file_nodes (trash_root) WHERE trash_root IS NOT NULL;

      -- Resumable (tus) uploads in progress: the bytes so far are in files/uploads/<id>, and
      -- upload_offset is how many of them were fsynced. Their declared length counts against
      -- the household's quota until they finish or expire.
      CREATE TABLE file_uploads (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL REFERENCES users (id),
        owner_flat_id TEXT REFERENCES flats (id),
        space TEXT NOT NULL CHECK (space IN ('library', 'household', 'shared')),
        flat_id TEXT REFERENCES flats (id),
        parent_id TEXT REFERENCES file_nodes (id),
        name TEXT NOT NULL,
        upload_length INTEGER NOT NULL CHECK (upload_length >= 0),
        upload_offset INTEGER NOT NULL DEFAULT 0 CHECK (upload_offset >= 0 AND upload_offset <= upload_length),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        -- the file it became, once complete
        file_id TEXT
      ) STRICT;
      CREATE INDEX file_uploads_owner_flat ON file_uploads (owner_flat_id) WHERE file_id IS NULL;
    `)
  },
}
