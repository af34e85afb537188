// What a stored file is, decided from its first bytes and never from its name or the type the
// browser declared: the type we serve, and so whether a browser may show it inline, must not be
// something an uploader chooses.

/** How much of a file's head `sniff` looks at (enough for the first entries of a zip). */
export const SNIFF_BYTES = 4100

const OCTET = 'application/octet-stream'
const TEXT = 'text/plain; charset=utf-8'

// Types a browser shows without running anything from the file: decoders for pictures and media,
// and its PDF viewer. Everything else (SVG and HTML above all) is served as an attachment.
const INLINE_SAFE = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/flac',
  'video/mp4',
  'video/quicktime',
  'video/3gpp',
  'video/3gpp2',
  'video/webm',
  'video/x-matroska',
  'video/ogg',
  'application/pdf',
])

export function isInlineSafe(mime: string): boolean {
  return INLINE_SAFE.has(mime.split(';')[0]!.trim().toLowerCase())
}

/** The type of a file from its first bytes (up to SNIFF_BYTES); 'application/octet-stream' when unknown. */
export function sniff(head: Buffer): string {
  if (head.length > SNIFF_BYTES) head = head.subarray(0, SNIFF_BYTES)
  return sniffBinary(head) ?? sniffText(head) ?? OCTET
}

function ascii(b: Buffer, start: number, end: number): string {
  return end <= b.length ? b.toString('latin1', start, end) : ''
}

function startsWith(b: Buffer, bytes: readonly number[], at = 0): boolean {
  if (b.length < at + bytes.length) return false
  for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false
  return true
}

function sniffBinary(b: Buffer): string | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  const six = ascii(b, 0, 6)
  if (six === 'GIF87a' || six === 'GIF89a') return 'image/gif'
  if (ascii(b, 0, 4) === 'RIFF') {
    const form = ascii(b, 8, 12)
    if (form === 'WEBP') return 'image/webp'
    if (form === 'WAVE') return 'audio/wav'
    if (form === 'AVI ') return 'video/x-msvideo'
  }
  if (ascii(b, 4, 8) === 'ftyp') return isoMedia(b)
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return matroska(b)
  if (ascii(b, 0, 4) === 'OggS') return ogg(b)
  if (ascii(b, 0, 4) === 'fLaC') return 'audio/flac'
  if (ascii(b, 0, 3) === 'ID3') return id3(b)
  if (b[0] === 0xff) {
    if (mpegFrame(b, 0)) return 'audio/mpeg'
    if (adtsFrame(b, 0)) return 'audio/aac'
  }
  if (ascii(b, 0, 5) === '%PDF-') return 'application/pdf'
  if (ascii(b, 0, 4) === 'PK\x03\x04') return zip(b)
  if (ascii(b, 0, 4) === 'PK\x05\x06') return 'application/zip' // an empty archive
  if (ascii(b, 0, 5) === '{\\rtf') return 'application/rtf'
  if (bmp(b)) return 'image/bmp'
  return undefined
}

// ---------------------------------------------------------------- ISO base media (ftyp box)

const BRANDS: ReadonlyArray<[RegExp, string]> = [
  [/^avi[fs]$/, 'image/avif'],
  [/^he(ic|ix|im|is|vc|vx|vm|vs)$/, 'image/heic'],
  [/^(mif1|msf1)$/, 'image/heif'],
  [/^M4[ABP] $/, 'audio/mp4'],
  [/^qt {2}$/, 'video/quicktime'],
  [/^3g2/, 'video/3gpp2'],
  [/^3g[ps]/, 'video/3gpp'],
  [/^(iso[2-9m]|isom|mp41|mp42|mp71|avc1|dash|M4V |M4VH|M4VP|MSNV|F4V |f4v |mmp4|NDAS|XAVC)$/, 'video/mp4'],
]

function brandType(brand: string): string | undefined {
  for (const [pattern, mime] of BRANDS) if (pattern.test(brand)) return mime
  return undefined
}

/** The major brand decides, except the generic HEIF ones, where a compatible brand may say AVIF or HEIC. */
function isoMedia(b: Buffer): string {
  const boxSize = Math.min(b.readUInt32BE(0), b.length)
  const major = ascii(b, 8, 12)
  const compatible: string[] = []
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(b, at, at + 4))
  const fromMajor = brandType(major)
  if (fromMajor && fromMajor !== 'image/heif') return fromMajor
  const images = compatible.map(brandType).filter((m) => m?.startsWith('image/'))
  if (images.includes('image/avif')) return 'image/avif'
  if (images.includes('image/heic')) return 'image/heic'
  if (fromMajor || images.length > 0) return 'image/heif'
  for (const brand of compatible) {
    const mime = brandType(brand)
    if (mime) return mime
  }
  return OCTET
}

// ---------------------------------------------------------------- Matroska / WebM (EBML)

/** An EBML variable-length integer at `at`: its value and length, or undefined. */
function vint(b: Buffer, at: number): { value: number; length: number } | undefined {
  const first = b[at]
  if (first === undefined || first === 0) return undefined
  const length = Math.clz32(first) - 23 // 1 for 0b1xxxxxxx … 8 for 0b00000001
  if (at + length > b.length) return undefined
  let value = first & (0xff >> length)
  for (let i = 1; i < length; i++) value = value * 256 + b[at + i]!
  return { value, length }
}

function matroska(b: Buffer): string {
  // The DocType element (id 0x4282) sits in the EBML header, within its first few dozen bytes.
  const end = Math.min(b.length, 64)
  for (let at = 4; at + 2 < end; at++) {
    if (b[at] !== 0x42 || b[at + 1] !== 0x82) continue
    const size = vint(b, at + 2)
    if (!size || size.value > 32) continue
    const docType = ascii(b, at + 2 + size.length, at + 2 + size.length + size.value).replace(/\0+$/, '')
    if (docType === 'webm') return 'video/webm'
    if (docType === 'matroska') return 'video/x-matroska'
  }
  return OCTET
}

// ---------------------------------------------------------------- Ogg

function ogg(b: Buffer): string {
  // The first page's first packet names the codec; the segment table precedes it.
  const segments = b[26]
  if (segments === undefined) return 'audio/ogg'
  const packet = 27 + segments
  if (ascii(b, packet + 1, packet + 7) === 'theora') return 'video/ogg'
  return 'audio/ogg'
}

// ---------------------------------------------------------------- MPEG audio and AAC

const MPEG_BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
const MPEG_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
}

/** The length of the MPEG audio frame whose header is at `at`, or 0 if there is none. */
function mpegFrameLength(b: Buffer, at: number): number {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return 0
  const version = (b[at + 1]! >> 3) & 3 // 1 is reserved
  const layerBits = (b[at + 1]! >> 1) & 3 // 0 is reserved (and means ADTS)
  const bitrateIndex = b[at + 2]! >> 4
  const rateIndex = (b[at + 2]! >> 2) & 3
  const padding = (b[at + 2]! >> 1) & 1
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0
  const layer = 4 - layerBits
  const kbps = MPEG_BITRATES[`${version === 3 ? 1 : 2}-${layer}`]![bitrateIndex]!
  const rate = MPEG_RATES[version]![rateIndex]!
  if (layer === 1) return (Math.floor((12 * kbps * 1000) / rate) + padding) * 4
  const perFrame = layer === 3 && version !== 3 ? 72 : 144
  return Math.floor((perFrame * kbps * 1000) / rate) + padding
}

// Two bytes of sync are common in binary data, so a header only counts when a second frame
// follows where the first one says it ends (a frame is under 1.8 KB: it is always in the head).
function mpegFrame(b: Buffer, at: number): boolean {
  const length = mpegFrameLength(b, at)
  return length > 0 && mpegFrameLength(b, at + length) > 0
}

function adtsFrameLength(b: Buffer, at: number): number {
  if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xf6) !== 0xf0) return 0
  if (((b[at + 2]! >> 2) & 0x0f) > 12) return 0 // sampling frequency index
  const length = ((b[at + 3]! & 0x03) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5)
  return length >= 7 ? length : 0
}

function adtsFrame(b: Buffer, at: number): boolean {
  const length = adtsFrameLength(b, at)
  return length > 0 && adtsFrameLength(b, at + length) > 0
}

/** An ID3v2 tag: usually MP3 behind it, sometimes FLAC or AAC. */
function id3(b: Buffer): string | undefined {
  if (b.length < 10 || b[3]! < 2 || b[3]! > 4) return undefined
  let size = 0
  for (let i = 6; i < 10; i++) {
    if (b[i]! & 0x80) return undefined // synchsafe: seven bits a byte
    size = size * 128 + b[i]!
  }
  const after = 10 + size + (b[5]! & 0x10 ? 10 : 0)
  if (ascii(b, after, after + 4) === 'fLaC') return 'audio/flac'
  if (adtsFrameLength(b, after) > 0) return 'audio/aac'
  return 'audio/mpeg'
}

// ---------------------------------------------------------------- ZIP and the formats built on it

const OOXML: ReadonlyArray<[string, string]> = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
]

/**
 * OpenDocument and EPUB store their type, uncompressed, as the first entry "mimetype"; Office
 * Open XML is told by the folder of the entries that fit in the head ("word/", "xl/", "ppt/").
 */
function zip(b: Buffer): string {
  let at = 0
  for (let entry = 0; entry < 64 && at + 30 <= b.length && ascii(b, at, at + 4) === 'PK\x03\x04'; entry++) {
    const flags = b.readUInt16LE(at + 6)
    const method = b.readUInt16LE(at + 8)
    const compressed = b.readUInt32LE(at + 18)
    const nameLength = b.readUInt16LE(at + 26)
    const extraLength = b.readUInt16LE(at + 28)
    const name = ascii(b, at + 30, at + 30 + nameLength)
    if (!name) break
    const data = at + 30 + nameLength + extraLength
    if (entry === 0 && name === 'mimetype' && method === 0) {
      const declared = ascii(b, data, Math.min(data + compressed, b.length)).trim()
      if (/^application\/vnd\.oasis\.opendocument\.[a-z-]+(\.[a-z-]+)*$/.test(declared) || declared === 'application/epub+zip') return declared
      return 'application/zip'
    }
    for (const [folder, mime] of OOXML) if (name.startsWith(folder)) return mime
    // Sizes written after the data (flag bit 3) leave no way to find the next entry.
    if (flags & 0x08) break
    at = data + compressed
  }
  return 'application/zip'
}

// ---------------------------------------------------------------- BMP

function bmp(b: Buffer): boolean {
  // "BM" alone starts plenty of text; the info header's size and the zero reserved bytes confirm it.
  if (ascii(b, 0, 2) !== 'BM' || b.length < 18) return false
  if (b.readUInt32LE(6) !== 0) return false
  return [12, 40, 52, 56, 64, 108, 124].includes(b.readUInt32LE(14))
}

// ---------------------------------------------------------------- text

function sniffText(b: Buffer): string | undefined {
  if (b.length === 0) return undefined // nothing to recognise
  let text: string
  try {
    // A head cut at SNIFF_BYTES may end inside a character: stream mode leaves it pending.
    text = new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: b.length >= SNIFF_BYTES })
  } catch {
    return undefined
  }
  let controls = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0) return undefined
    // Tab, line feed, vertical tab, form feed, carriage return and escape are at home in text.
    if ((c < 0x20 && (c < 0x09 || c > 0x0d) && c !== 0x1b) || (c >= 0x7f && c <= 0x9f)) controls++
  }
  if (controls * 100 > text.length) return undefined
  return markup(text) ?? TEXT
}

/** HTML or SVG from the first element, after any XML declaration, comments and doctype. */
function markup(text: string): string | undefined {
  let rest = text.trimStart()
  for (;;) {
    const m = /^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->)\s*/.exec(rest)
    if (!m) break
    rest = rest.slice(m[0].length)
  }
  const doctype = /^<!doctype\s+([a-z]+)[^>]*>\s*/i.exec(rest)
  if (doctype?.[1]!.toLowerCase() === 'html') return 'text/html'
  if (doctype?.[1]!.toLowerCase() === 'svg') return 'image/svg+xml'
  if (doctype) rest = rest.slice(doctype[0].length)
  if (/^<svg[\s>/:]/i.test(rest)) return 'image/svg+xml'
  if (/^<(html|head|body|script)[\s>/]/i.test(rest)) return 'text/html'
  return undefined
}
