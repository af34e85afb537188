// The devices that tapped "Entrer" on the welcome page, by MAC address: kept in the database so
// they survive a restart, and in a Set so the connectivity probes ask no database.
import { prepared, type Db } from '../../db/index.js'

export interface AcceptedDevice {
  mac: string
  ip: string
  acceptedAt: number
}

interface Row {
  mac: string
  ip: string
  accepted_at: number
}

const toDevice = (r: Row): AcceptedDevice => ({ mac: r.mac, ip: r.ip, acceptedAt: r.accepted_at })

export class PortalStore {
  readonly #db: Db
  readonly #macs: Set<string>

  constructor(db: Db) {
    this.#db = db
    this.#macs = new Set((prepared(db, 'SELECT mac FROM portal_clients').all() as { mac: string }[]).map((r) => r.mac))
  }

  isAccepted(mac: string): boolean {
    return this.#macs.has(mac)
  }

  get size(): number {
    return this.#macs.size
  }

  accept(mac: string, ip: string, now: number): void {
    const m = mac.toLowerCase()
    prepared(
      this.#db,
      'INSERT INTO portal_clients (mac, accepted_at, ip) VALUES (?, ?, ?) ON CONFLICT (mac) DO UPDATE SET accepted_at = excluded.accepted_at, ip = excluded.ip',
    ).run(m, now, ip)
    this.#macs.add(m)
  }

  /** False when the device was not accepted. */
  forget(mac: string): boolean {
    const m = mac.toLowerCase()
    const { changes } = prepared(this.#db, 'DELETE FROM portal_clients WHERE mac = ?').run(m)
    this.#macs.delete(m)
    return changes > 0
  }

  /** Newest first. */
  list(): AcceptedDevice[] {
    return (prepared(this.#db, 'SELECT mac, ip, accepted_at FROM portal_clients ORDER BY accepted_at DESC, mac').all() as Row[]).map(toDevice)
  }

  get(mac: string): AcceptedDevice | undefined {
    const row = prepared(this.#db, 'SELECT mac, ip, accepted_at FROM portal_clients WHERE mac = ?').get(mac.toLowerCase()) as Row | undefined
    return row && toDevice(row)
  }
}
