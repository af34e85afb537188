import type { Migration } from './index.js'

export const m0004Incidents: Migration = {
  name: '0004-incidents',
  up(db) {
    db.exec(`
      -- Problems reported by residents (or the caretaker). seq is the insertion order: lists and
      -- timelines sort by it, never by the box's clock, which may step back after a power cut.
      CREATE TABLE incidents (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        category TEXT NOT NULL CHECK (category IN ('lift', 'heating', 'hot_water', 'leak', 'electricity',
          'doors_intercom', 'cleanliness', 'pests', 'other')),
        place_kind TEXT NOT NULL CHECK (place_kind IN ('entrance', 'floor', 'common', 'flat')),
        place_detail TEXT NOT NULL DEFAULT '',
        -- lower-cased detail, for "the same place" (SQLite's NOCASE folds ASCII only)
        place_key TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'in_progress', 'resolved', 'closed')),
        -- the reporting household (null when the caretaker reported it); a 'flat' incident is private to it
        flat_id TEXT REFERENCES flats (id),
        reporter_id TEXT REFERENCES users (id),
        photo_id TEXT,
        photo_mime TEXT,
        merged_into TEXT REFERENCES incidents (id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (place_kind <> 'flat' OR flat_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX incidents_similar ON incidents (category, place_kind, place_key) WHERE status <> 'closed';

      -- Households affected: the reporter's and every "moi aussi", once per flat.
      CREATE TABLE incident_households (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        flat_id TEXT NOT NULL REFERENCES flats (id),
        contact_ok INTEGER NOT NULL DEFAULT 0 CHECK (contact_ok IN (0, 1)),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (incident_id, flat_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX incident_households_flat ON incident_households (flat_id);

      CREATE TABLE incident_timeline (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('reported', 'affected', 'status', 'message', 'confirmed', 'reopened', 'merged')),
        status TEXT,
        message TEXT,
        by TEXT NOT NULL CHECK (by IN ('resident', 'caretaker', 'landlord'))
      ) STRICT;
      CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, seq);

      -- Landlord events already applied (sync may deliver one twice).
      CREATE TABLE incident_landlord_events (
        event_id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
