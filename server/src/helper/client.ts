// Asks the privileged helper for one action: connects to its Unix socket, sends one JSON line,
// reads one JSON line back. Used by palier-net (host mode's mDNS announcement).
import net from 'node:net'
import type { HelperAnswer, HelperRequest } from './actions-schema.js'

/** The helper could not be reached or did not answer (not running, socket missing, timeout). */
export class HelperUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HelperUnavailableError'
  }
}

/**
 * Resolves with the helper's answer, `{ ok: false, error }` included (a refusal or a failed
 * action); rejects with HelperUnavailableError when there is no answer at all.
 */
export function callHelper(socketPath: string, request: HelperRequest, timeoutMs = 15_000): Promise<HelperAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath)
    let buf = ''
    let settled = false
    const finish = (err: Error | null, answer?: HelperAnswer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (err) reject(err)
      else resolve(answer!)
    }
    const timer = setTimeout(() => finish(new HelperUnavailableError(`no answer from the helper at ${socketPath} within ${timeoutMs} ms`)), timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'))
    socket.on('data', (chunk: string) => {
      buf += chunk
      const nl = buf.indexOf('\n')
      if (nl === -1) {
        if (buf.length > 65536) finish(new HelperUnavailableError('the helper sent an over-long answer'))
        return
      }
      try {
        const answer = JSON.parse(buf.slice(0, nl)) as HelperAnswer
        if (typeof answer !== 'object' || answer === null || typeof answer.ok !== 'boolean') throw new Error('not an answer object')
        finish(null, answer)
      } catch (err) {
        finish(new HelperUnavailableError(`the helper sent a bad answer: ${(err as Error).message}`))
      }
    })
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new HelperUnavailableError(`cannot reach the helper at ${socketPath}: ${err.code ?? err.message}`)))
    socket.on('close', () => finish(new HelperUnavailableError(`the helper at ${socketPath} closed the connection without an answer`)))
  })
}
