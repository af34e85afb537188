// Moving between pages with the History API. palier-app listens for LOCATION_CHANGED (and
// popstate) and shows the page of the new address.

export const LOCATION_CHANGED = 'palier-location-changed'

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  window.dispatchEvent(new Event(LOCATION_CHANGED))
}
