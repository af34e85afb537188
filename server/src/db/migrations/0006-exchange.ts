import type { Migration } from './index.js'

export const m0006Exchange: Migration = {
  name: '0006-exchange',
  up(db) {
    db.exec(`
      -- The neighbour exchange. Everything here stays in the building: the outbox only ever gets
      -- the per-day counters of exchange_counters. Households (flats) are the parties; the person
      -- who wrote is kept for display and moderation. seq columns give the order: lists never
      -- sort by the box's clock, which may step back after a power cut.
      CREATE TABLE exchange_listings (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        flat_id TEXT NOT NULL REFERENCES flats (id),
        author_id TEXT NOT NULL REFERENCES users (id),
        -- written by the caretaker for a household without a smartphone
        on_behalf INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
        direction TEXT NOT NULL CHECK (direction IN ('offer', 'request')),
        kind TEXT NOT NULL CHECK (kind IN ('lend', 'give', 'help', 'swap')),
        category TEXT NOT NULL CHECK (category IN ('tools', 'home', 'kids', 'books_media', 'clothes', 'food',
          'lessons', 'repairs', 'garden', 'transport', 'care', 'other')),
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        availability TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('open', 'reserved', 'done', 'withdrawn')),
        expires_at INTEGER NOT NULL,
        -- when its author was told it expired (once per expiry)
        expiry_notified_at INTEGER,
        -- hidden once reported by enough households, until the caretaker reviews it
        hidden_at INTEGER,
        reviewed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX exchange_listings_open ON exchange_listings (status, expires_at);
      CREATE INDEX exchange_listings_flat ON exchange_listings (flat_id, seq);

      -- Words of titles and descriptions, accents and case folded, for the search.
      CREATE VIRTUAL TABLE exchange_listings_fts USING fts5 (
        title, description, content = 'exchange_listings', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER exchange_listings_ai AFTER INSERT ON exchange_listings BEGIN
        INSERT INTO exchange_listings_fts (rowid, title, description) VALUES (new.seq, new.title, new.description);
      END;
      CREATE TRIGGER exchange_listings_ad AFTER DELETE ON exchange_listings BEGIN
        INSERT INTO exchange_listings_fts (exchange_listings_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, old.description);
      END;
      CREATE TRIGGER exchange_listings_au AFTER UPDATE OF title, description ON exchange_listings BEGIN
        INSERT INTO exchange_listings_fts (exchange_listings_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, old.description);
        INSERT INTO exchange_listings_fts (rowid, title, description) VALUES (new.seq, new.title, new.description);
      END;

      CREATE TABLE exchange_listing_photos (
        id TEXT PRIMARY KEY,
        listing_id TEXT NOT NULL REFERENCES exchange_listings (id),
        mime TEXT NOT NULL,
        position INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (listing_id, position)
      ) STRICT;

      -- One private conversation per listing and answering household.
      CREATE TABLE exchange_conversations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        listing_id TEXT NOT NULL REFERENCES exchange_listings (id),
        owner_flat_id TEXT NOT NULL REFERENCES flats (id),
        other_flat_id TEXT NOT NULL REFERENCES flats (id),
        created_at INTEGER NOT NULL,
        last_message_seq INTEGER NOT NULL DEFAULT 0,
        UNIQUE (listing_id, other_flat_id),
        CHECK (owner_flat_id <> other_flat_id)
      ) STRICT;
      CREATE INDEX exchange_conversations_owner ON exchange_conversations (owner_flat_id, last_message_seq);
      CREATE INDEX exchange_conversations_other ON exchange_conversations (other_flat_id, last_message_seq);

      CREATE TABLE exchange_messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES exchange_conversations (id),
        flat_id TEXT NOT NULL REFERENCES flats (id),
        author_id TEXT NOT NULL REFERENCES users (id),
        on_behalf INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX exchange_messages_conversation ON exchange_messages (conversation_id, seq);

      -- What each household of a conversation has read (unread badge).
      CREATE TABLE exchange_reads (
        conversation_id TEXT NOT NULL REFERENCES exchange_conversations (id),
        flat_id TEXT NOT NULL REFERENCES flats (id),
        last_read_seq INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, flat_id)
      ) STRICT, WITHOUT ROWID;

      -- A household that blocked another no longer sees its listings or messages (both ways).
      CREATE TABLE exchange_blocks (
        flat_id TEXT NOT NULL REFERENCES flats (id),
        blocked_flat_id TEXT NOT NULL REFERENCES flats (id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (flat_id, blocked_flat_id),
        CHECK (flat_id <> blocked_flat_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX exchange_blocks_blocked ON exchange_blocks (blocked_flat_id);

      -- Reports of a listing or a message, once per reporting household and target.
      CREATE TABLE exchange_reports (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('listing', 'message')),
        target_id TEXT NOT NULL,
        flat_id TEXT NOT NULL REFERENCES flats (id),
        reporter_id TEXT NOT NULL REFERENCES users (id),
        reason TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        resolved_at INTEGER,
        resolution TEXT CHECK (resolution IN ('kept', 'removed')),
        UNIQUE (target_kind, target_id, flat_id)
      ) STRICT;
      CREATE INDEX exchange_reports_open ON exchange_reports (resolved_at, seq);

      -- Loans recorded by the lender and confirmed by the borrower.
      CREATE TABLE exchange_loans (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        listing_id TEXT NOT NULL REFERENCES exchange_listings (id),
        lender_flat_id TEXT NOT NULL REFERENCES flats (id),
        borrower_flat_id TEXT NOT NULL REFERENCES flats (id),
        item TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'returned', 'cancelled')),
        created_at INTEGER NOT NULL,
        confirmed_at INTEGER,
        returned_at INTEGER,
        CHECK (lender_flat_id <> borrower_flat_id)
      ) STRICT;
      CREATE INDEX exchange_loans_lender ON exchange_loans (lender_flat_id, status);
      CREATE INDEX exchange_loans_borrower ON exchange_loans (borrower_flat_id, status);

      -- "Merci": the only reputation. Once per listing and pair of households.
      CREATE TABLE exchange_thanks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        listing_id TEXT NOT NULL REFERENCES exchange_listings (id),
        from_flat_id TEXT NOT NULL REFERENCES flats (id),
        to_flat_id TEXT NOT NULL REFERENCES flats (id),
        word TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        UNIQUE (listing_id, from_flat_id, to_flat_id),
        CHECK (from_flat_id <> to_flat_id)
      ) STRICT;
      CREATE INDEX exchange_thanks_to ON exchange_thanks (to_flat_id);

      -- The time bank (SEL): minutes of help. A transfer is proposed by either side and applied
      -- only when the payer confirms; applying writes two entries that sum to zero and moves both
      -- balances in the same transaction. The idempotency key makes a retried request harmless.
      CREATE TABLE exchange_transfers (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL,
        requested_by_flat_id TEXT NOT NULL REFERENCES flats (id),
        payer_flat_id TEXT NOT NULL REFERENCES flats (id),
        payee_flat_id TEXT NOT NULL REFERENCES flats (id),
        minutes INTEGER NOT NULL CHECK (minutes > 0),
        memo TEXT NOT NULL DEFAULT '',
        listing_id TEXT REFERENCES exchange_listings (id),
        status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'declined', 'cancelled')),
        created_at INTEGER NOT NULL,
        settled_at INTEGER,
        UNIQUE (requested_by_flat_id, idempotency_key),
        CHECK (payer_flat_id <> payee_flat_id)
      ) STRICT;
      CREATE TABLE exchange_ledger_entries (
        seq INTEGER PRIMARY KEY,
        transfer_id TEXT NOT NULL REFERENCES exchange_transfers (id),
        flat_id TEXT NOT NULL REFERENCES flats (id),
        minutes INTEGER NOT NULL CHECK (minutes <> 0),
        balance_after INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (transfer_id, flat_id)
      ) STRICT;
      CREATE INDEX exchange_ledger_flat ON exchange_ledger_entries (flat_id, seq);
      CREATE TABLE exchange_balances (
        flat_id TEXT PRIMARY KEY REFERENCES flats (id),
        minutes INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- What may leave the building: per-day counts, sent once the day is over.
      CREATE TABLE exchange_counters (
        day TEXT PRIMARY KEY,
        listings INTEGER NOT NULL DEFAULT 0,
        completed INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
