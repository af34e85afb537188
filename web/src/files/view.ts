// Markup the files pages share: sizes in words, the small pictograms, a usage bar and the styles.
import { css, html, svg, type TemplateResult } from 'lit'
import type { FileItem } from '../api/types.js'
import { currentLanguage, formatDate, t, tHtml } from '../i18n/locale.js'
import { sizeParts, typeKey } from './model.js'

/** "1,5 Go" in the current language. */
export function sizeText(bytes: number): string {
  const { key, n } = sizeParts(bytes, currentLanguage())
  return t(key, { n })
}

type IconName = 'folder' | 'file' | 'image' | 'video' | 'audio' | 'pdf'

const PATHS: Readonly<Record<IconName, ReturnType<typeof svg>>> = {
  folder: svg`<path d="M2 5a2 2 0 0 1 2-2h5l2 2h9a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5z" />`,
  file: svg`<path d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5z" />`,
  pdf: svg`<path d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5zM7 13v5h1.5v-1.5h1a1.75 1.75 0 0 0 0-3.5H7zm1.5 1.2h1a.55.55 0 0 1 0 1.1h-1v-1.1zM12 13v5h1.8a2.5 2.5 0 0 0 0-5H12zm1.5 1.2h.3a1.3 1.3 0 0 1 0 2.6h-.3v-2.6z" />`,
  image: svg`<path d="M4 3h16a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 14h16l-5-7-4 5-3-3-4 5zM8 6.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4z" />`,
  video: svg`<path d="M3 5h12a2 2 0 0 1 2 2v2.5l5-3.5v12l-5-3.5V17a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z" />`,
  audio: svg`<path d="M9 3v11.3A3.5 3.5 0 1 0 11 17V8h7V3H9z" />`,
}

export function fileIcon(item: Pick<FileItem, 'kind' | 'mime'>, size = 28): TemplateResult {
  const key = item.kind === 'folder' ? 'files.type.folder' : typeKey(item.mime)
  const name: IconName =
    key === 'files.type.folder'
      ? 'folder'
      : key === 'files.type.pdf'
        ? 'pdf'
        : key === 'files.type.image'
          ? 'image'
          : key === 'files.type.video'
            ? 'video'
            : key === 'files.type.audio'
              ? 'audio'
              : 'file'
  return html`<svg class="icon icon-${name}" width=${size} height=${size} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`
}

/** "PDF · 1,5 Mo · ajouté par Amina (A – 3e) le 3 mars 2025". */
export function fileDetails(item: FileItem): TemplateResult {
  const who = item.owner.flatLabel
    ? tHtml('files.addedByFlat', { name: item.owner.name, flat: item.owner.flatLabel, date: formatDate(item.createdAt) })
    : tHtml('files.addedBy', { name: item.owner.name, date: formatDate(item.createdAt) })
  return html`${t(typeKey(item.mime))} · ${sizeText(item.size)} · ${who}`
}

/** A bar for how full something is; the words next to it carry the figures. */
export function usageBar(used: number, total: number): TemplateResult {
  const share = total > 0 ? Math.min(1, Math.max(0, used / total)) : 0
  const level = share >= 0.9 ? 'high' : share >= 0.7 ? 'mid' : 'low'
  return html`<span class="bar" aria-hidden="true"><span class="fill ${level}" style="width: ${(share * 100).toFixed(1)}%"></span></span>`
}

export const filesStyles = css`
  .icon {
    flex: none;
    color: #4a4a4a;
  }
  .icon-folder {
    color: #b36b00;
  }
  .icon-pdf {
    color: #a1001c;
  }
  .icon-image {
    color: #1e7b34;
  }
  .bar {
    display: block;
    height: 12px;
    margin: 0.25rem 0 0.75rem;
    overflow: hidden;
    background: #e4e4e4;
    border: 1px solid #6b6b6b;
    border-radius: 6px;
  }
  .fill {
    display: block;
    height: 100%;
    background: #0b4f9c;
  }
  .fill.mid {
    background: #b36b00;
  }
  .fill.high {
    background: #a1001c;
  }
  /* Names people typed: long ones wrap instead of widening the page. */
  .name {
    overflow-wrap: anywhere;
  }
`
