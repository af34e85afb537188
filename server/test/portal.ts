// Test helpers for the network feature: an app in gateway mode with a real lease file and a fake
// ARP table in the test's folder (server/src/features/network/*.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import type { Config } from '../src/config.js'
import { build, type Built } from './helpers.js'

/** The phone app.inject() plays: its requests come from 127.0.0.1. */
export const PHONE_MAC = 'a4:5e:60:c1:02:aa'
export const PORTAL = 'http://palier.lan:8080/bienvenue'

export const GATEWAY: Partial<Config> = { networkMode: 'gateway', lanInterface: 'lan0', lanAddress: '10.78.0.1' }

export interface Lan extends Built {
  leaseFile: string
  arpFile: string
  statusFile: string
  /** Writes dnsmasq's lease file: `[expiry s, mac, ip, hostname?]` per lease. */
  writeLeases(leases: [number, string, string, string?][]): void
  writeArp(entries: [string, string][]): void
}

export async function lan(t: Test, overrides: Partial<Config> = {}): Promise<Lan> {
  // build() empties t.testdir(); the ARP table lives beside the data, written once it is built.
  const arpFile = path.join(t.testdirName, 'arp')
  const built = await build(t, { ...GATEWAY, ...overrides }, { arpFile, netCheckMs: 0 })
  const stateDir = path.join(built.config.dataDir, 'net')
  mkdirSync(stateDir, { recursive: true })
  const leaseFile = path.join(stateDir, 'dnsmasq.leases')
  const lanKit: Lan = {
    ...built,
    leaseFile,
    arpFile,
    statusFile: path.join(stateDir, 'status.json'),
    writeLeases(leases) {
      writeFileSync(leaseFile, leases.map(([exp, mac, ip, name]) => `${exp} ${mac} ${ip} ${name ?? '*'} *\n`).join(''))
    },
    writeArp(entries) {
      const head = 'IP address       HW type     Flags       HW address            Mask     Device\n'
      writeFileSync(arpFile, head + entries.map(([ip, mac]) => `${ip.padEnd(17)}0x1         0x2         ${mac}     *        lan0\n`).join(''))
    },
  }
  return lanKit
}

/** A lease for the injecting "phone", valid for an hour. */
export function phoneLease(mac = PHONE_MAC): [number, string, string, string] {
  return [Math.floor(Date.now() / 1000) + 3600, mac, '127.0.0.1', 'telephone-amina']
}

export async function enter(l: Lan, lang = 'fr'): Promise<LightMyRequestResponse> {
  return l.app.inject({
    method: 'POST',
    url: '/bienvenue/entrer',
    headers: { host: 'palier.lan:8080', 'content-type': 'application/x-www-form-urlencoded', origin: 'http://palier.lan:8080' },
    payload: `lang=${lang}`,
  })
}
