// The addresses residents can type to reach the intranet, best first: the HTTPS name when the
// box has a certificate, the box's LAN name and address in gateway mode, the configured public
// address, then the machine's own IPv4 addresses (host mode: Android before 12 cannot resolve
// `.local`, so the plain address comes before the mDNS name).
import { networkInterfaces } from 'node:os'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import type { NetworkPlan } from '../../net/plan.js'

function httpOrigin(host: string, port: number): string {
  return `http://${host}${port === 80 ? '' : `:${port}`}`
}

function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i

export function residentAddresses(config: Config, plan: NetworkPlan, request: FastifyRequest): string[] {
  const out: string[] = []
  const add = (origin: string | undefined) => {
    if (!origin) return
    const url = origin.replace(/\/?$/, '/')
    if (!out.includes(url)) out.push(url)
  }
  add(plan.https?.origin)
  if (plan.mode === 'gateway') {
    add(plan.httpOrigin)
    if (config.lanAddress) add(httpOrigin(config.lanAddress, config.port))
  }
  add(config.publicUrl)
  if (plan.mode !== 'gateway') {
    for (const ip of machineAddresses()) add(httpOrigin(ip, config.port))
    if (plan.mdnsName) add(httpOrigin(plan.mdnsName, config.port))
  }
  // The address the caller used, last: on a laptop it is often localhost, useless to residents.
  if (out.length === 0 || !LOOPBACK.test(request.host)) add(`${request.protocol}://${request.host}`)
  return out
}
