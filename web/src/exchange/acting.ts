// The household the caretaker is acting for (a household without a smartphone), kept in memory
// only: a reload or a sign-out ends it, so the caretaker never stays someone else by accident.
// Every exchange call made for a household appends `actingQuery()` (the API's `?asFlat=`).

export interface ActingFlat {
  id: string
  label: string
}

/** Sent on window when the caretaker starts or stops acting for a household. */
export const ACTING_CHANGED = 'palier-acting-changed'

let acting: ActingFlat | null = null

/** The household being acted for, or null (always null for residents: only the caretaker's page sets it). */
export function actingFor(): ActingFlat | null {
  return acting
}

export function setActing(flat: ActingFlat | null): void {
  if (acting?.id === flat?.id) return
  acting = flat ? { id: flat.id, label: flat.label } : null
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(ACTING_CHANGED))
}

/** `?asFlat=<id>` (or `&asFlat=` when `path` already has a query), '' when acting for nobody. */
export function actingQuery(path = ''): string {
  if (!acting) return ''
  return (path.includes('?') ? '&' : '?') + 'asFlat=' + encodeURIComponent(acting.id)
}

/** An API path with the acted-for household appended. */
export function withActing(path: string): string {
  return path + actingQuery(path)
}

/**
 * Whether a request acts as a household, and so carries `asFlat` while the caretaker acts for
 * one: every exchange route but the caretaker's own (settings, report queue, the on-behalf list).
 */
export function actsAsHousehold(method: string, path: string): boolean {
  if (!path.startsWith('/exchange/')) return false
  const route = path.split('?')[0]!
  if (route === '/exchange/settings' || route === '/exchange/on-behalf') return false
  if (route === '/exchange/reports') return method !== 'GET'
  return !/^\/exchange\/reports\/[^/]+\/[^/]+\/resolve$/.test(route)
}
