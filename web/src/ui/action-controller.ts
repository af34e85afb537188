// The state of the buttons in one list item (a flat, a resident): one action at a time, and the
// error of the last one, shown in the item's alert region.
import type { ReactiveController, ReactiveElement } from 'lit'
import { toFormError, type FormError } from './errors.js'

export class ActionController implements ReactiveController {
  error: FormError | null = null
  busy = false
  private readonly host: ReactiveElement

  constructor(host: ReactiveElement) {
    this.host = host
    host.addController(this)
  }

  hostConnected(): void {}

  /** Runs `action` unless one is already running; what it throws becomes `error`. */
  async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return
    this.busy = true
    this.error = null
    this.host.requestUpdate()
    try {
      await action()
    } catch (err) {
      this.error = toFormError(err)
    } finally {
      this.busy = false
      this.host.requestUpdate()
    }
  }
}
