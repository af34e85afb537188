// The explicit, ordered list of schema migrations. Append only: never edit a released one.
import type { Db } from '../index.js'
import { m0001Accounts } from './0001-accounts.js'
import { m0002Outbox } from './0002-outbox.js'
import { m0003Notices } from './0003-notices.js'
import { m0004Incidents } from './0004-incidents.js'
import { m0005Files } from './0005-files.js'
import { m0006Exchange } from './0006-exchange.js'
import { m0007Portal } from './0007-portal.js'

export interface Migration {
  name: string
  up(db: Db): void
}

export const migrations: readonly Migration[] = [m0001Accounts, m0002Outbox, m0003Notices, m0004Incidents, m0005Files, m0006Exchange, m0007Portal]
