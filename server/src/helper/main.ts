// palier-helper: the privileged helper's entry point (root, started by systemd/palier-helper.service).
// Its settings come only from its own environment, which its root-owned unit sets — never from
// Palier's configuration file, which the caretaker's tools may edit.
import { jsonLog } from '../net/log.js'
import { createHelper } from './server.js'

const log = jsonLog('palier-helper')
const socketPath = process.env.PALIER_HELPER_SOCKET || '/run/palier-helper/helper.sock'
const avahiServicesDir = process.env.PALIER_HELPER_AVAHI_DIR || '/etc/avahi/services'

try {
  const helper = await createHelper({ socketPath, avahiServicesDir, setHostName: '/usr/bin/avahi-set-host-name', log })
  const stop = (signal: string) => {
    log.info('helper stopping', { signal })
    helper.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
} catch (err) {
  log.error('helper cannot start', { error: (err as Error).message })
  process.exit(1)
}
