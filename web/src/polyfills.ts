// The two things Lit and @lit/task use that Chrome 61–68 WebViews (ES modules, but not
// everything after) lack. Imported first by main.ts, before any element class is defined;
// modern browsers skip both branches.

if (!Array.prototype.flat) {
  // Lit flattens nested `static styles` arrays with it.
  Object.defineProperty(Array.prototype, 'flat', {
    configurable: true,
    writable: true,
    value: function flat(this: unknown[], depth = 1): unknown[] {
      const out: unknown[] = []
      for (const item of this) {
        if (Array.isArray(item) && depth > 0) out.push(...(item.flat(depth - 1) as unknown[]))
        else out.push(item)
      }
      return out
    },
  })
}

if (typeof AbortController === 'undefined') {
  // @lit/task makes one per run; fetch in these versions ignores the signal anyway.
  class Signal extends EventTarget {
    aborted = false
    reason: unknown = undefined
  }
  class Controller {
    readonly signal = new Signal()
    abort(reason?: unknown): void {
      if (this.signal.aborted) return
      this.signal.aborted = true
      this.signal.reason = reason
      this.signal.dispatchEvent(new Event('abort'))
    }
  }
  ;(self as unknown as { AbortController: unknown }).AbortController = Controller
}

export {}
