// Placeholder: being written by the "listings" helper, who replaces this file.
import type { Db } from '../../db/index.js'

export function flushCounters(_db: Db, _now: number): void {}
