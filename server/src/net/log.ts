// palier-net's and the helper's log: one JSON line per event on stdout (the journal on the box),
// like the web app's pino lines, without a dependency.
export interface NetLog {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const LEVELS = { info: 30, warn: 40, error: 50 } as const

export function jsonLog(name: string, out: (line: string) => void = (l) => process.stdout.write(l), silent = false): NetLog {
  const write = (level: keyof typeof LEVELS) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (silent) return
    out(JSON.stringify({ level: LEVELS[level], time: Date.now(), name, pid: process.pid, msg, ...fields }) + '\n')
  }
  return { info: write('info'), warn: write('warn'), error: write('error') }
}
