// Who is asking, as the captive portal knows devices: the socket's address, then its MAC address
// from dnsmasq's leases, else from the kernel's ARP table (a device with a fixed address).
import { readFileSync } from 'node:fs'
import type { FastifyRequest } from 'fastify'
import { parseArp, type LeaseWatcher } from '../../net/leases.js'

/** The socket's remote address, an IPv4-mapped IPv6 address written as IPv4. */
export function clientIp(request: FastifyRequest): string {
  const ip = request.socket.remoteAddress ?? ''
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip
}

export class ClientLookup {
  #arp = new Map<string, string>()
  #arpAt = -Infinity

  constructor(
    readonly leases: LeaseWatcher,
    readonly arpFile: string,
    private readonly checkMs = 1000,
  ) {}

  #arpOf(ip: string, now: number): string | undefined {
    // The ARP table changes under us; read it at most every checkMs, like the lease file.
    if (now - this.#arpAt >= this.checkMs) {
      this.#arpAt = now
      try {
        this.#arp = parseArp(readFileSync(this.arpFile, 'utf8'))
      } catch {
        this.#arp = new Map()
      }
    }
    return this.#arp.get(ip)
  }

  /** The MAC address behind an IP address on the LAN, if the box knows it. */
  macOf(ip: string, now = Date.now()): string | undefined {
    return this.leases.leaseOf(ip, now)?.mac ?? this.#arpOf(ip, now)
  }

  /** Read both tables again on the next question (a device just tapped "Entrer"). */
  invalidate(): void {
    this.leases.invalidate()
    this.#arpAt = -Infinity
  }
}
