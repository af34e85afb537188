import type { Migration } from './index.js'

export const m0007Portal: Migration = {
  name: '0007-portal',
  up(db) {
    db.exec(`
      -- Devices that tapped "Entrer" on the welcome page (gateway mode): their connectivity probes
      -- get each system's "online" answer from then on. Known by MAC address (from dnsmasq's
      -- leases or the ARP table), never by a person: the captive portal is not an account.
      CREATE TABLE portal_clients (
        mac TEXT PRIMARY KEY CHECK (mac GLOB '[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]'),
        accepted_at INTEGER NOT NULL,
        -- the address it had then, shown to the caretaker next to the lease
        ip TEXT NOT NULL
      ) STRICT;
    `)
  },
}
