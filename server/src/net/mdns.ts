// Host mode's announcement: palier-net asks the privileged helper to publish the box through the
// system's avahi-daemon (a service file for _http._tcp, and _https._tcp with HTTPS, and the mDNS
// host name), keeps it published, and withdraws the service when it stops.
import type { Config } from '../config.js'
import { callHelper } from '../helper/client.js'
import type { MdnsPublishRequest } from '../helper/actions-schema.js'
import type { NetLog } from './log.js'
import type { NetStatus, NetworkPlan } from './plan.js'

export type MdnsStatus = NonNullable<NetStatus['mdns']>

export interface MdnsTimings {
  /**
   * Publish again this often while all is well: avahi forgets a host name set over D-Bus when it
   * restarts (a package upgrade, a crash), and nothing tells palier-net. Default 5 minutes.
   */
  republishMs?: number
  /** First retry after a failure, doubled each time up to retryMaxMs. Defaults 1 s and 60 s. */
  retryMinMs?: number
  retryMaxMs?: number
  /** How long one helper call may take. Default 15 s (avahi-set-host-name waits on D-Bus). */
  callTimeoutMs?: number
}

/** The building's name as a DNS-SD instance name: no control characters, at most 63 UTF-8 bytes. */
export function instanceNameOf(buildingName: string): string {
  let out = ''
  for (const ch of buildingName.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()) {
    if (Buffer.byteLength(out + ch) > 63) break
    out += ch
  }
  return out.trim() || 'Palier'
}

export function publishRequest(plan: NetworkPlan, config: Config): MdnsPublishRequest {
  if (!plan.mdnsName) throw new Error('startMdns needs a host-mode plan (plan.mdnsName is unset)')
  return {
    action: 'mdns.publish',
    hostName: plan.mdnsName.replace(/\.local$/, ''),
    instanceName: instanceNameOf(config.buildingName),
    httpPort: config.port,
    httpsPort: plan.https?.port ?? null,
  }
}

export function startMdns(
  plan: NetworkPlan,
  config: Config,
  log: NetLog,
  onStatus: (s: MdnsStatus) => void,
  timings: MdnsTimings = {},
): { stop(): Promise<void> } {
  const request = publishRequest(plan, config)
  const name = plan.mdnsName!
  const republishMs = timings.republishMs ?? 5 * 60_000
  const retryMinMs = timings.retryMinMs ?? 1_000
  const retryMaxMs = timings.retryMaxMs ?? 60_000
  const callTimeoutMs = timings.callTimeoutMs ?? 15_000

  let status: MdnsStatus | undefined
  // Only changes are reported: palier-net rewrites status.json on each report, and a republish
  // that finds everything as it was is not news.
  const report = (state: MdnsStatus['state'], lastError: string | null) => {
    if (status && status.state === state && status.lastError === lastError) return
    status = { state, name, since: Date.now(), lastError }
    onStatus(status)
  }

  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()
  let delay = retryMinMs

  const attempt = async () => {
    let error: string | null = null
    try {
      const answer = await callHelper(config.helperSocket, request, callTimeoutMs)
      if (!answer.ok) error = answer.error
    } catch (err) {
      error = (err as Error).message
    }
    if (stopped) return
    if (error === null) {
      if (status?.state !== 'published') log.info('mDNS published', { name, httpPort: request.httpPort, httpsPort: request.httpsPort })
      report('published', null)
      delay = retryMinMs
      schedule(republishMs)
    } else {
      // A helper that is not up yet (boot order) or an avahi-daemon that is restarting: both
      // come back on their own, so keep trying, more slowly each time.
      if (status?.lastError !== error) log.warn('mDNS publish failed; retrying', { name, error, retryInMs: delay })
      report('failed', error)
      schedule(delay)
      delay = Math.min(delay * 2, retryMaxMs)
    }
  }

  function schedule(ms: number) {
    timer = setTimeout(() => {
      inFlight = attempt()
    }, ms)
  }

  inFlight = attempt()

  return {
    async stop() {
      if (stopped) return
      stopped = true
      clearTimeout(timer)
      await inFlight
      try {
        const answer = await callHelper(config.helperSocket, { action: 'mdns.unpublish' }, callTimeoutMs)
        if (!answer.ok) throw new Error(answer.error)
        log.info('mDNS service withdrawn', { name })
        report('stopped', null)
      } catch (err) {
        // palier-net is stopping anyway; the stale file is replaced at the next start.
        log.warn('mDNS unpublish failed', { name, error: (err as Error).message })
        report('stopped', (err as Error).message)
      }
    },
  }
}
