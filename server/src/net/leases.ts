// Reading dnsmasq's lease file (Palier never hands out addresses itself) and the kernel's ARP
// table: who is on the LAN, by MAC address, and how full the pool is.
import { readFileSync, statSync } from 'node:fs'
import { ipv4 } from '../config.js'
import type { GatewayPlan } from './plan.js'

export interface Lease {
  /** Seconds since the epoch; 0 = never expires (a static lease). */
  expiresAt: number
  mac: string
  ip: string
  hostname: string | null
  clientId: string | null
}

/** One line per lease: `<expiry epoch> <mac> <ip> <hostname|*> <client id|*>`; bad lines are skipped. */
export function parseLeases(text: string): Lease[] {
  const out: Lease[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 3 || !/^\d+$/.test(f[0]!) || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(f[1]!) || !/^\d+\.\d+\.\d+\.\d+$/.test(f[2]!)) continue
    out.push({
      expiresAt: Number(f[0]),
      mac: f[1]!.toLowerCase(),
      ip: f[2]!,
      hostname: f[3] && f[3] !== '*' ? f[3] : null,
      clientId: f[4] && f[4] !== '*' ? f[4] : null,
    })
  }
  return out
}

/** The leases in the file (none when it does not exist yet). */
export function readLeases(file: string): Lease[] {
  try {
    return parseLeases(readFileSync(file, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** `/proc/net/arp`: IP address → MAC, complete entries only. */
export function parseArp(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    // IP address, HW type, Flags (0x2 = complete), HW address, Mask, Device
    if (f.length >= 4 && (Number(f[2]) & 2) !== 0 && f[3] !== '00:00:00:00:00:00') out.set(f[0]!, f[3]!.toLowerCase())
  }
  return out
}

export interface PoolState {
  /** Addresses in the dynamic pool. */
  size: number
  /** Unexpired leases inside the pool. */
  used: number
  free: number
  /** used ÷ size, 0–1. */
  use: number
  /** Nearly exhausted: 90% used, or fewer than 5 addresses left. */
  alert: boolean
  /** Unexpired leases in all (static ones too). */
  devices: number
}

export function poolState(gateway: GatewayPlan, leases: readonly Lease[], nowSeconds: number): PoolState {
  const start = ipv4(gateway.rangeStart)
  const end = ipv4(gateway.rangeEnd)
  const live = leases.filter((l) => l.expiresAt === 0 || l.expiresAt > nowSeconds)
  const used = new Set(live.filter((l) => ipv4(l.ip) >= start && ipv4(l.ip) <= end).map((l) => l.ip)).size
  const size = gateway.poolSize
  const free = Math.max(0, size - used)
  return { size, used, free, use: size ? used / size : 1, alert: used >= size * 0.9 || free < Math.min(5, size), devices: new Set(live.map((l) => l.mac)).size }
}

/**
 * Who has an address, kept from the lease file and re-read only when the file changed (checked
 * at most every `checkMs`): the probes ask it on every request, before any database work.
 */
export class LeaseWatcher {
  #mtime = -1
  #size = -1
  #checkedAt = -Infinity
  #byIp = new Map<string, Lease>()
  #leases: Lease[] = []

  constructor(
    readonly file: string,
    private readonly checkMs = 1000,
  ) {}

  #refresh(now: number): void {
    if (now - this.#checkedAt < this.checkMs) return
    this.#checkedAt = now
    let mtime = 0
    let size = 0
    try {
      const st = statSync(this.file)
      mtime = st.mtimeMs
      size = st.size
    } catch {
      mtime = 0
    }
    if (mtime === this.#mtime && size === this.#size) return
    this.#mtime = mtime
    this.#size = size
    this.#leases = mtime === 0 ? [] : readLeases(this.file)
    this.#byIp = new Map(this.#leases.map((l) => [l.ip, l]))
  }

  /** Re-read on the next question, whatever the time (after "Entrer", in tests). */
  invalidate(): void {
    this.#checkedAt = -Infinity
  }

  leaseOf(ip: string, now = Date.now()): Lease | undefined {
    this.#refresh(now)
    return this.#byIp.get(ip)
  }

  all(now = Date.now()): readonly Lease[] {
    this.#refresh(now)
    return this.#leases
  }
}
