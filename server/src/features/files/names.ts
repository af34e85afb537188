// The names people give files are shown, never used as paths: they are cleaned of what could
// disguise them (a right-to-left override turning "gpj.exe" into "exe.jpg") or break a header,
// and blobs are stored under ids the server made.
import { ID_PATTERN } from '../../lib/ids.js'
import { FileNameInvalidError } from './errors.js'

export const MAX_NAME_LENGTH = 200
const MAX_EXTENSION_LENGTH = 16

// Path separators, C0 controls with DEL, C1 controls, and the bidirectional marks, embeddings,
// overrides and isolates.
const DROPPED = /[/\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

// Half of a surrogate pair: not a character at all, and no database or header takes it whole.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const graphemes = new Intl.Segmenter('fr', { granularity: 'grapheme' })

/** A name fit to show and to compare; throws FileNameInvalidError when nothing is left of it. */
export function cleanName(raw: string): string {
  // Dropped first, so a letter and its accent with a control between them still compose.
  let name = raw.replace(LONE_SURROGATE, '').replace(DROPPED, '').normalize('NFC').replace(/\s+/g, ' ')
  // Trailing dots and spaces: Windows drops them on saving, and "name." would look like "name".
  name = trimEnd(name).trimStart()
  if (name === '' || name === '.' || name === '..') throw new FileNameInvalidError()
  if (Array.from(name).length <= MAX_NAME_LENGTH) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 ? name.slice(dot) : ''
  const keep = Array.from(extension).length <= MAX_EXTENSION_LENGTH && !/\s/.test(extension) ? extension : ''
  return trimEnd(cut(keep ? name.slice(0, dot) : name, MAX_NAME_LENGTH - Array.from(keep).length)) + keep
}

/** Without trailing spaces and dots (a loop: the regexp /[\s.]+$/ is quadratic on long runs). */
function trimEnd(text: string): string {
  let end = text.length
  while (end > 0 && (text[end - 1] === '.' || /\s/.test(text[end - 1]!))) end--
  return text.slice(0, end)
}

/** The first `max` code points of `text`, not splitting a grapheme (an emoji, a letter and its accents) when possible. */
function cut(text: string, max: number): string {
  let out = ''
  let count = 0
  for (const { segment } of graphemes.segment(text)) {
    const n = Array.from(segment).length
    if (count + n > max) break
    out += segment
    count += n
  }
  // A single grapheme longer than the limit (a letter under hundreds of marks) is cut anyway.
  return out || Array.from(text).slice(0, max).join('')
}

/** What two sibling names are compared by: "Photo.JPG" and "photo.jpg" are the same name. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('fr')
}

// RFC 8187 attr-char: what may stand unencoded in filename*.
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/

/**
 * The Content-Disposition value for `name` (RFC 6266): an ASCII `filename` for old clients, with
 * quotes, backslashes, percent signs and anything outside printable ASCII replaced, and the exact
 * name in `filename*` as percent-encoded UTF-8 (RFC 8187).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '') // "é" → "e": accents off, letter kept
      .replace(/[^\x20-\x7e]|["\\%]/g, '_')
      .replace(/_{2,}/g, '_')
      .trim() || 'file'
  let encoded = ''
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte)
    encoded += ATTR_CHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return `${kind === 'inline' ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

const ID = new RegExp(ID_PATTERN)

/** Whether `id` has the shape of an id the server made, so it may become part of a path. */
export function isNodeId(id: string): boolean {
  return typeof id === 'string' && ID.test(id)
}
