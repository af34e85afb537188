// The shared storage's rules as the pages apply them: spaces and their addresses, sizes and types
// in plain words, which picture to show for a file, the checks made before an upload starts and
// the pieces of the tus protocol that need no network. No DOM here, so tests run it in Node.
import type { FileItem, FileLimits, FileSpace } from '../api/types.js'
import type { Language, MessageKey } from '../i18n/translate.js'
import { formattingLocale } from '../i18n/translate.js'

export const SPACES: readonly FileSpace[] = ['library', 'household', 'shared']

/** The spaces in the address bar, in French like the app's other addresses. */
export const SPACE_SLUG: Readonly<Record<FileSpace, string>> = { library: 'bibliotheque', household: 'foyer', shared: 'partage' }

export const SPACE_LABEL: Readonly<Record<FileSpace, MessageKey>> = {
  library: 'files.space.library',
  household: 'files.space.household',
  shared: 'files.space.shared',
}

export const SPACE_INTRO: Readonly<Record<FileSpace, MessageKey>> = {
  library: 'files.intro.library',
  household: 'files.intro.household',
  shared: 'files.intro.shared',
}

export function spaceFromSlug(slug: string | null | undefined): FileSpace | undefined {
  return SPACES.find((s) => SPACE_SLUG[s] === slug)
}

/** The query of the files page showing `folder` (the space's top when null) of `space`. */
export function filesQuery(space: FileSpace, folder: string | null = null): string {
  const query = new URLSearchParams({ espace: SPACE_SLUG[space] })
  if (folder) query.set('dossier', folder)
  return '?' + query.toString()
}

const SIZE_UNITS: readonly MessageKey[] = ['files.size.bytes', 'files.size.kb', 'files.size.mb', 'files.size.gb', 'files.size.tb']
const numberFormats = new Map<Language, Intl.NumberFormat>()

/**
 * A size as people read it on their phone ("1,5 Go"): powers of 1024, at most one decimal,
 * never rounded up (a remaining amount must not look bigger than it is). The message key takes
 * the number as `{n}`.
 */
export function sizeParts(bytes: number, lang: Language): { key: MessageKey; n: string } {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  let format = numberFormats.get(lang)
  if (!format) {
    format = new Intl.NumberFormat(formattingLocale(lang), { maximumFractionDigits: 1 })
    numberFormats.set(lang, format)
  }
  const shown = unit === 0 ? value : Math.floor(value * 10) / 10
  return { key: SIZE_UNITS[unit]!, n: format.format(shown) }
}

/** The kind of a file in one word, from the type the box found in its content. */
export function typeKey(mime: string | null): MessageKey {
  const m = (mime ?? '').toLowerCase().split(';')[0]!.trim()
  if (m === 'application/pdf') return 'files.type.pdf'
  if (m.startsWith('image/')) return 'files.type.image'
  if (m.startsWith('video/')) return 'files.type.video'
  if (m.startsWith('audio/')) return 'files.type.audio'
  if (/spreadsheet|excel|text\/csv/.test(m)) return 'files.type.spreadsheet'
  if (/presentation|powerpoint/.test(m)) return 'files.type.presentation'
  if (/msword|wordprocessing|opendocument\.text|rtf/.test(m)) return 'files.type.document'
  if (m.startsWith('text/')) return 'files.type.text'
  if (/zip|x-7z|x-rar|x-tar|gzip|x-bzip|x-xz/.test(m)) return 'files.type.archive'
  return 'files.type.other'
}

export function isImage(item: Pick<FileItem, 'kind' | 'mime'>): boolean {
  return item.kind === 'file' && (item.mime ?? '').toLowerCase().startsWith('image/')
}

/** Images every browser we serve can draw by itself. */
const DRAWABLE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])
/** Above this, an image without a preview shows as an icon: an old phone on a busy Wi-Fi would wait. */
export const INLINE_IMAGE_MAX_BYTES = 1.5 * 1024 * 1024

/** What to draw in the grid for an image: its small preview, the image itself when light, or an icon. */
export function thumbnailOf(item: Pick<FileItem, 'kind' | 'mime' | 'size' | 'hasPreview'>): 'preview' | 'content' | null {
  if (!isImage(item)) return null
  if (item.hasPreview) return 'preview'
  const mime = (item.mime ?? '').toLowerCase().split(';')[0]!.trim()
  return DRAWABLE.has(mime) && item.size <= INLINE_IMAGE_MAX_BYTES ? 'content' : null
}

/** The images of a folder (shown as a grid) and everything else (a list), folders first. */
export function splitListing(items: readonly FileItem[]): { folders: FileItem[]; images: FileItem[]; others: FileItem[] } {
  const folders: FileItem[] = []
  const images: FileItem[] = []
  const others: FileItem[] = []
  for (const item of items) {
    if (item.kind === 'folder') folders.push(item)
    else if (isImage(item)) images.push(item)
    else others.push(item)
  }
  return { folders, images, others }
}

/** Types for which the uploader makes a small JPEG preview (what the browser itself decodes). */
export const PREVIEW_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif']
export const PREVIEW_MAX_PX = 320

/** Width and height that fit `width`×`height` within `max`×`max`, keeping its shape; never enlarged. */
export function fitWithin(width: number, height: number, max = PREVIEW_MAX_PX): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

export interface UploadProblem {
  name: string
  key: MessageKey
  /** Sizes in bytes, to be written out in words. */
  bytes: number
}

/**
 * Which of the chosen files may start, and why the others may not: larger than a file may be,
 * or more than the household has left (counting what is already waiting to be sent). The box
 * checks again; this only spares people a long wait for a refusal.
 */
export function checkFiles<F extends { name: string; size: number }>(
  files: readonly F[],
  limits: FileLimits,
  queuedBytes = 0,
): { accepted: F[]; problems: UploadProblem[] } {
  const accepted: F[] = []
  const problems: UploadProblem[] = []
  let left = limits.leftBytes === null ? Infinity : limits.leftBytes - queuedBytes
  for (const file of files) {
    if (file.size > limits.maxFileBytes) problems.push({ name: file.name, key: 'files.tooLarge', bytes: limits.maxFileBytes })
    else if (file.size > left) problems.push({ name: file.name, key: 'files.noRoom', bytes: Math.max(0, left) })
    else {
      accepted.push(file)
      left -= file.size
    }
  }
  return { accepted, problems }
}

/** 0–100, whole numbers; 100 only once everything is sent. */
export function percent(sent: number, total: number): number {
  if (total <= 0) return 100
  const p = Math.floor((Math.min(sent, total) / total) * 100)
  return sent >= total ? 100 : Math.min(p, 99)
}

/** Seconds before try number `attempt` (0 first) after a lost connection: 1, 2, 4… up to a minute. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6))
}

/** UTF-8 bytes as base64: btoa() alone only takes Latin-1, and names are often not. */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

/** tus `Upload-Metadata`: `key base64,key base64`; empty values are left out. */
export function uploadMetadata(pairs: Readonly<Record<string, string | null | undefined>>): string {
  return Object.entries(pairs)
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '')
    .map(([key, value]) => `${key} ${base64Utf8(value)}`)
    .join(',')
}

/** The upload's address from a `Location` header, which may be relative to the creation endpoint. */
export function resolveLocation(location: string, endpoint: string): string {
  if (/^https?:\/\//i.test(location) || location.startsWith('/')) return location
  const base = endpoint.endsWith('/') ? endpoint : endpoint + '/'
  return base + location
}
