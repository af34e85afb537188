// palier-net: the box's network process, apart from the web app so that restarting or crashing
// the web app never interrupts DHCP or DNS. Gateway mode: writes dnsmasq's configuration and keeps
// dnsmasq running; host mode: announces the box by mDNS; off: idles. Re-reads the settings on
// SIGHUP and when the configuration file changes; SIGTERM/SIGINT stop everything.
import { mkdirSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { dnsmasqConfig, DnsmasqConfigError } from './dnsmasq.js'
import { jsonLog, type NetLog } from './log.js'
import { networkPlan, type NetworkPlan } from './plan.js'
import { StatusFile } from './status.js'
import { Supervisor } from './supervisor.js'

interface Stoppable {
  stop(): Promise<void>
}

/** What a configuration asks for, worked out before anything running is touched. */
interface Wanted {
  config: Config
  plan: NetworkPlan
  /** Gateway mode: dnsmasq's configuration text. */
  dnsmasqConf?: string
}

function want(config: Config): Wanted {
  const plan = networkPlan(config)
  if (plan.mode !== 'gateway') return { config, plan }
  return { config, plan, dnsmasqConf: dnsmasqConfig(plan) }
}

function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, file)
}

class NetService {
  #status: StatusFile | null = null
  #dnsmasq: Supervisor | null = null
  /** dnsmasq's command line and configuration text, as last started. */
  #dnsmasqCommand = ''
  #dnsmasqConf = ''
  #mdns: Stoppable | null = null
  #mdnsSettings = ''

  constructor(private readonly log: NetLog) {}

  async apply({ config, plan, dnsmasqConf }: Wanted): Promise<void> {
    mkdirSync(plan.stateDir, { recursive: true })
    if (this.#status?.file !== plan.statusFile) {
      this.#status?.stop()
      this.#status = new StatusFile(plan.statusFile, { mode: plan.mode }, (err) => this.log.error('cannot write the status file', { error: err.message }))
      this.#status.start()
    }
    this.#status.update({ mode: plan.mode })

    // dnsmasq (gateway mode): restarted only when its command line or configuration changed.
    if (dnsmasqConf === undefined) {
      await this.#stopDnsmasq()
      this.#status.update({ dnsmasq: undefined })
    } else {
      const args = ['--keep-in-foreground', `--conf-file=${plan.dnsmasqConfFile}`]
      const command = JSON.stringify([config.dnsmasqPath, ...args])
      if (command !== this.#dnsmasqCommand) await this.#stopDnsmasq()
      if (!this.#dnsmasq) {
        writeAtomic(plan.dnsmasqConfFile, dnsmasqConf)
        this.#dnsmasq = new Supervisor({
          name: 'dnsmasq',
          command: config.dnsmasqPath,
          args,
          log: this.log,
          onState: (state) => this.#status?.update({ dnsmasq: state }),
        })
        this.#dnsmasqCommand = command
        this.#dnsmasqConf = dnsmasqConf
        this.#dnsmasq.start()
      } else if (dnsmasqConf !== this.#dnsmasqConf) {
        this.log.info('dnsmasq configuration changed; restarting dnsmasq')
        writeAtomic(plan.dnsmasqConfFile, dnsmasqConf)
        this.#dnsmasqConf = dnsmasqConf
        await this.#dnsmasq.restart()
      }
    }

    // mDNS (host mode): published again on any change of the settings it is given.
    const mdnsSettings = plan.mode === 'host' ? JSON.stringify([plan, config]) : ''
    if (mdnsSettings !== this.#mdnsSettings) {
      await this.#stopMdns()
      if (plan.mode === 'host') {
        // Loaded only in host mode: a gateway never needs avahi.
        const { startMdns } = await import('./mdns.js')
        this.#mdns = startMdns(plan, config, this.log, (mdns) => this.#status?.update({ mdns }))
        this.#mdnsSettings = mdnsSettings
      }
    }
  }

  async #stopDnsmasq(): Promise<void> {
    if (!this.#dnsmasq) return
    await this.#dnsmasq.stop()
    this.#dnsmasq = null
    this.#dnsmasqCommand = ''
    this.#dnsmasqConf = ''
  }

  /** `forget`: drop mDNS from the status (leaving host mode); kept on shutdown as its last word. */
  async #stopMdns(forget = true): Promise<void> {
    const mdns = this.#mdns
    this.#mdns = null
    this.#mdnsSettings = ''
    if (mdns) await mdns.stop()
    if (forget) this.#status?.update({ mdns: undefined })
  }

  async stop(): Promise<void> {
    await Promise.all([this.#stopDnsmasq(), this.#stopMdns(false)])
    // The last word: everything stopped (the web app sees updatedAt age from here).
    this.#status?.stop()
    this.#status?.update()
  }
}

async function main(): Promise<void> {
  const log = jsonLog('palier-net')
  const configFile = process.env.PALIER_CONFIG ?? '/etc/palier/palier.json'

  let first: Wanted
  try {
    first = want(loadConfig())
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DnsmasqConfigError) {
      process.stderr.write(`palier-net: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  const service = new NetService(log)
  // One change at a time, in order: a reload never overlaps a start or another reload.
  let queue = Promise.resolve()
  const serially = (job: () => Promise<void>) => {
    queue = queue.then(job).catch((err: Error) => log.error('network change failed', { error: err.message }))
    return queue
  }

  let stopping = false
  const reload = (why: string) =>
    serially(async () => {
      if (stopping) return
      let next: Wanted
      try {
        next = want(loadConfig())
      } catch (err) {
        if (!(err instanceof ConfigError || err instanceof DnsmasqConfigError)) throw err
        // A bad edit must not take the LAN down: keep what runs.
        log.error('new settings refused; keeping the running ones', { why, error: err.message })
        return
      }
      log.info('settings re-read', { why, mode: next.plan.mode })
      await service.apply(next)
    })

  log.info('palier-net starting', { mode: first.plan.mode, configFile, stateDir: first.plan.stateDir })
  try {
    await service.apply(first)
  } catch (err) {
    // Cannot even start (state folder not writable…): exit, so systemd tries again.
    log.error('palier-net cannot start', { error: (err as Error).message })
    await service.stop().catch(() => {})
    process.exit(1)
  }

  // Polling, not fs.watch: editors and config tools replace the file, which fs.watch loses.
  watchFile(configFile, { interval: 1000 }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) void reload('configuration file changed')
  })
  process.on('SIGHUP', () => void reload('SIGHUP'))

  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('palier-net stopping', { signal })
    unwatchFile(configFile)
    void serially(() => service.stop()).then(() => process.exit(0))
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

await main()
