// The few pictograms of the board and the reports. Always next to words (never alone): they help
// people who read little, the words carry the meaning. Hidden from screen readers.
import { svg, html, type TemplateResult } from 'lit'
import type { NoticeKind } from '../api/types.js'

const PATHS: Readonly<Record<NoticeKind | 'pin', ReturnType<typeof svg>>> = {
  urgent: svg`<path d="M12 2 1 21h22L12 2zm-1 7h2v6h-2V9zm0 8h2v2h-2v-2z" />`,
  works: svg`<path d="M22.7 19.3 13.6 10.2a6 6 0 0 0-7.7-7.7l4 4-2.8 2.8-4-4a6 6 0 0 0 7.7 7.7l9.1 9.1a1 1 0 0 0 1.4 0l1.4-1.4a1 1 0 0 0 0-1.4z" />`,
  info: svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z" />`,
  event: svg`<path d="M7 2v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2V2h-2v2H9V2H7zM5 9h14v11H5V9zm2 2v3h3v-3H7z" />`,
  pin: svg`<path d="M16 3v2l-1 1v5l3 3v2h-5v6l-1 1-1-1v-6H6v-2l3-3V6L8 5V3h8z" />`,
}

export function icon(name: NoticeKind | 'pin', size = 20): TemplateResult {
  return html`<svg width=${size} height=${size} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`
}
