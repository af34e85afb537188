import t from 'tap'
import { SNIFF_BYTES, isInlineSafe, sniff } from './sniff.js'

const bytes = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

/** An ISO base media ftyp box followed by the start of an mdat box. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length
  const box = Buffer.alloc(size)
  box.writeUInt32BE(size, 0)
  box.write('ftyp', 4, 'latin1')
  box.write(major, 8, 'latin1')
  compatible.forEach((c, i) => box.write(c, 16 + 4 * i, 'latin1'))
  return Buffer.concat([box, Buffer.from([0, 0, 0, 8]), Buffer.from('mdat'), Buffer.alloc(64, 0xaa)])
}

/** An EBML header with the given DocType. */
function ebml(docType: string): Buffer {
  const body = bytes([0x42, 0x86, 0x81, 0x01], [0x42, 0xf7, 0x81, 0x01], [0x42, 0x82, 0x80 | docType.length], docType, [0x42, 0x87, 0x81, 0x04])
  return bytes([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length], body, [0x18, 0x53, 0x80, 0x67], Buffer.alloc(32, 1))
}

/** The first Ogg page holding `packet`. */
function ogg(packet: string): Buffer {
  const header = Buffer.alloc(27)
  header.write('OggS', 0, 'latin1')
  header[5] = 2 // beginning of stream
  header[26] = 1
  return bytes(header, [packet.length], packet, Buffer.alloc(20))
}

/** Two MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz: 417 bytes each. */
function mp3Frames(count = 2): Buffer {
  const frame = Buffer.alloc(417, 0x55)
  frame.set([0xff, 0xfb, 0x90, 0x64])
  return Buffer.concat(Array.from({ length: count }, () => frame))
}

/** Two ADTS (AAC) frames of 100 bytes. */
function adtsFrames(): Buffer {
  const frame = Buffer.alloc(100, 0x21)
  frame.set([0xff, 0xf1, 0x50, 0x80, 100 >> 3, ((100 & 7) << 5) | 0x1f, 0xfc])
  return Buffer.concat([frame, frame])
}

/** A zip local file header and its data (stored, sizes given unless `descriptor`). */
function zipEntry(name: string, data: string | Buffer, opts: { method?: number; descriptor?: boolean } = {}): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'latin1') : data
  const header = Buffer.alloc(30)
  header.write('PK\x03\x04', 0, 'latin1')
  header.writeUInt16LE(20, 4)
  header.writeUInt16LE(opts.descriptor ? 0x08 : 0, 6)
  header.writeUInt16LE(opts.method ?? 0, 8)
  header.writeUInt32LE(opts.descriptor ? 0 : body.length, 18)
  header.writeUInt32LE(opts.descriptor ? 0 : body.length, 22)
  header.writeUInt16LE(Buffer.byteLength(name), 26)
  return Buffer.concat([header, Buffer.from(name), body])
}

t.test('SNIFF_BYTES is what the contract says', async (t) => {
  t.equal(SNIFF_BYTES, 4100)
})

t.test('images', async (t) => {
  t.equal(sniff(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF\0')), 'image/jpeg')
  t.equal(sniff(bytes([0x89], 'PNG\r\n\x1a\n', Buffer.alloc(20))), 'image/png')
  t.equal(sniff(bytes('GIF89a', [1, 0, 1, 0])), 'image/gif')
  t.equal(sniff(bytes('GIF87a', [1, 0, 1, 0])), 'image/gif')
  t.equal(sniff(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', Buffer.alloc(16))), 'image/webp')
  const bmp = Buffer.alloc(54)
  bmp.write('BM', 0, 'latin1')
  bmp.writeUInt32LE(54, 2)
  bmp.writeUInt32LE(54, 10)
  bmp.writeUInt32LE(40, 14)
  t.equal(sniff(bmp), 'image/bmp')
  t.equal(sniff(Buffer.from('BMW and Mercedes parked in the courtyard\n')), 'text/plain; charset=utf-8', '"BM" alone is text')
})

t.test('ISO base media: the ftyp brands', async (t) => {
  t.equal(sniff(ftyp('avif', 'avif', 'mif1', 'miaf')), 'image/avif')
  t.equal(sniff(ftyp('mif1', 'mif1', 'avif')), 'image/avif', 'generic HEIF major brand, AVIF compatible')
  t.equal(sniff(ftyp('heic', 'mif1', 'heic')), 'image/heic')
  t.equal(sniff(ftyp('mif1', 'mif1', 'heic')), 'image/heic')
  t.equal(sniff(ftyp('mif1', 'mif1', 'miaf')), 'image/heif')
  t.equal(sniff(ftyp('M4A ', 'M4A ', 'mp42', 'isom')), 'audio/mp4')
  t.equal(sniff(ftyp('qt  ', 'qt  ')), 'video/quicktime')
  t.equal(sniff(ftyp('3gp4', '3gp4', 'isom')), 'video/3gpp')
  t.equal(sniff(ftyp('3g2a', '3g2a')), 'video/3gpp2')
  t.equal(sniff(ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41')), 'video/mp4')
  t.equal(sniff(ftyp('mp42', 'mp42', 'isom')), 'video/mp4')
  t.equal(sniff(ftyp('zzzz', 'yyyy', 'isom')), 'video/mp4', 'an unknown major brand: a compatible one decides')
  t.equal(sniff(ftyp('zzzz', 'yyyy')), 'application/octet-stream')
})

t.test('Matroska and WebM', async (t) => {
  t.equal(sniff(ebml('webm')), 'video/webm')
  t.equal(sniff(ebml('matroska')), 'video/x-matroska')
  t.equal(sniff(ebml('other')), 'application/octet-stream')
})

t.test('audio', async (t) => {
  t.equal(sniff(mp3Frames()), 'audio/mpeg', 'two MPEG frames in a row')
  t.equal(sniff(bytes('ID3', [4, 0, 0, 0, 0, 0, 10], Buffer.alloc(10), mp3Frames())), 'audio/mpeg')
  t.equal(sniff(bytes('ID3', [3, 0, 0, 0, 0, 0, 4], 'abcd', 'fLaC', Buffer.alloc(40))), 'audio/flac', 'FLAC behind an ID3 tag')
  t.equal(sniff(adtsFrames()), 'audio/aac')
  t.equal(sniff(ogg('\x01vorbis')), 'audio/ogg')
  t.equal(sniff(ogg('OpusHead')), 'audio/ogg')
  t.equal(sniff(ogg('\x80theora')), 'video/ogg')
  t.equal(sniff(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ', Buffer.alloc(20))), 'audio/wav')
  t.equal(sniff(bytes('fLaC', [0, 0, 0, 0x22], Buffer.alloc(34))), 'audio/flac')
})

t.test('a lone frame-sync pattern is not MP3', async (t) => {
  // One valid header whose next frame is not where it says: binary data that happens to start so.
  const once = Buffer.concat([mp3Frames(1), Buffer.alloc(600, 0x11)])
  t.equal(sniff(once), 'application/octet-stream')
  // UTF-16 text starts with FF FE, which reads as an MPEG-1 Layer I header.
  t.equal(sniff(Buffer.from('\ufeffHello, neighbours! '.repeat(30), 'utf16le')), 'application/octet-stream')
})

t.test('documents', async (t) => {
  t.equal(sniff(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1')), 'application/pdf')
  t.equal(sniff(Buffer.from('{\\rtf1\\ansi\\deff0 {\\fonttbl}}')), 'application/rtf')
  t.equal(sniff(Buffer.concat([zipEntry('hello.txt', 'hello'), zipEntry('b.txt', 'b')])), 'application/zip')
  t.equal(sniff(Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1')), 'application/zip', 'an empty archive')
})

t.test('OpenDocument and EPUB from the mimetype entry', async (t) => {
  const odt = Buffer.concat([zipEntry('mimetype', 'application/vnd.oasis.opendocument.text'), zipEntry('content.xml', '<x/>', { method: 8 })])
  t.equal(sniff(odt), 'application/vnd.oasis.opendocument.text')
  t.equal(sniff(Buffer.concat([zipEntry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')])), 'application/vnd.oasis.opendocument.spreadsheet')
  t.equal(sniff(zipEntry('mimetype', 'application/epub+zip')), 'application/epub+zip')
  // The declared type is believed only when it is one of these: never text/html or an image.
  t.equal(sniff(zipEntry('mimetype', 'text/html')), 'application/zip')
  t.equal(sniff(zipEntry('mimetype', 'image/png')), 'application/zip')
  t.equal(sniff(zipEntry('mimetype', 'application/vnd.oasis.opendocument.text', { method: 8 })), 'application/zip', 'compressed: cannot be read')
})

t.test('Office Open XML from the entries in the head', async (t) => {
  const types = zipEntry('[Content_Types].xml', Buffer.alloc(900, 0x41), { method: 8 })
  const rels = zipEntry('_rels/.rels', Buffer.alloc(300, 0x42), { method: 8 })
  t.equal(sniff(Buffer.concat([types, rels, zipEntry('word/document.xml', 'x', { method: 8 })])), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  t.equal(sniff(Buffer.concat([types, zipEntry('xl/workbook.xml', 'x', { method: 8 })])), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  t.equal(sniff(Buffer.concat([types, zipEntry('ppt/presentation.xml', 'x', { method: 8 })])), 'application/vnd.openxmlformats-officedocument.presentationml.presentation')
  t.equal(sniff(Buffer.concat([types, rels])), 'application/zip', 'no telling entry within the head')
  const streamed = zipEntry('[Content_Types].xml', Buffer.alloc(100, 0x41), { method: 8, descriptor: true })
  t.equal(sniff(Buffer.concat([streamed, zipEntry('word/document.xml', 'x')])), 'application/zip', 'sizes after the data: the next entry cannot be found')
})

t.test('text', async (t) => {
  t.equal(sniff(Buffer.from('Réunion des locataires, jeudi 18 h.\r\nOrdre du jour :\t1. poubelles\n')), 'text/plain; charset=utf-8')
  t.equal(sniff(Buffer.from('\ufeffمرحبا بالجيران\n')), 'text/plain; charset=utf-8', 'with a BOM, Arabic')
  t.equal(sniff(Buffer.from('coloured \x1b[31mred\x1b[0m log\n')), 'text/plain; charset=utf-8', 'escape sequences are text')
  t.equal(sniff(Buffer.from('caf\xe9 cr\xe8me', 'latin1')), 'application/octet-stream', 'Latin-1 is not valid UTF-8')
  t.equal(sniff(Buffer.from('hello\0world')), 'application/octet-stream', 'a NUL')
  t.equal(sniff(Buffer.from('a\x01b\x02c\x03d\x04e\x05f')), 'application/octet-stream', 'many controls')
  t.equal(sniff(Buffer.from('x'.repeat(300) + '\x07')), 'text/plain; charset=utf-8', 'one bell in 300 characters is still text')
  t.equal(sniff(Buffer.from('x'.repeat(30) + '\u0085'.repeat(3))), 'application/octet-stream', 'C1 controls count too')
  t.equal(sniff(Buffer.alloc(0)), 'application/octet-stream', 'nothing to recognise in an empty file')
})

t.test('text cut inside a character at SNIFF_BYTES is still text; a file ending so is not', async (t) => {
  const text = Buffer.from('é'.repeat(SNIFF_BYTES))
  const head = Buffer.concat([Buffer.from('a'), text.subarray(0, SNIFF_BYTES - 1)]) // ends with half an "é"
  t.equal(head.length, SNIFF_BYTES)
  t.equal(head[SNIFF_BYTES - 1], 0xc3)
  t.equal(sniff(head), 'text/plain; charset=utf-8')
  t.equal(sniff(text.subarray(0, 11)), 'application/octet-stream', 'a whole file of 11 bytes ending in half a character')
  t.equal(sniff(Buffer.concat([Buffer.from('a'.repeat(SNIFF_BYTES)), Buffer.from('\0\0\0')])), 'text/plain; charset=utf-8', 'bytes past SNIFF_BYTES are not looked at')
})

t.test('HTML and SVG are recognised, as markup that must never be shown inline', async (t) => {
  t.equal(sniff(Buffer.from('<!DOCTYPE html>\n<html lang="fr"><body>x</body></html>')), 'text/html')
  t.equal(sniff(Buffer.from('\ufeff  \n<html><script>alert(1)</script></html>')), 'text/html')
  t.equal(sniff(Buffer.from('<!-- saved from a site -->\n<HTML>')), 'text/html')
  t.equal(sniff(Buffer.from('<script>fetch("/api/v1/me")</script>')), 'text/html')
  t.equal(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), 'image/svg+xml')
  t.equal(
    sniff(Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<!-- Inkscape -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg width="1">')),
    'image/svg+xml',
  )
  t.equal(sniff(Buffer.from('<?xml version="1.0"?>\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>')), 'image/svg+xml')
  t.equal(sniff(Buffer.from('<?xml version="1.0"?>\n<note>hello</note>')), 'text/plain; charset=utf-8', 'other XML is text')
  t.equal(sniff(Buffer.from('The <html> element starts a page.')), 'text/plain; charset=utf-8', 'markup further in is text')
  for (const mime of ['text/html', 'image/svg+xml']) t.notOk(isInlineSafe(mime), mime)
})

t.test('isInlineSafe: pictures, media and PDF only', async (t) => {
  for (const mime of ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/heic', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav', 'audio/flac', 'audio/aac', 'video/mp4', 'video/webm', 'video/quicktime', 'video/3gpp', 'video/ogg', 'application/pdf', 'IMAGE/JPEG', 'image/png; x=1']) {
    t.ok(isInlineSafe(mime), mime)
  }
  for (const mime of ['image/svg+xml', 'image/svg+xml; charset=utf-8', 'text/html', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/zip', 'image/bmp', 'video/x-msvideo', 'application/xhtml+xml', 'application/pdfx', 'audio/x-unknown', '']) {
    t.notOk(isInlineSafe(mime), mime)
  }
})

t.test('every type sniff gives for a picture or a medium is inline-safe, and no markup is', async (t) => {
  const samples = [mp3Frames(), adtsFrames(), ogg('\x01vorbis'), ebml('webm'), ftyp('isom', 'isom'), ftyp('qt  '), ftyp('M4A '), ftyp('heic'), ftyp('avif'), bytes('GIF89a', [1, 0])]
  for (const s of samples) t.ok(isInlineSafe(sniff(s)), sniff(s))
  t.notOk(isInlineSafe(sniff(Buffer.from('<svg/>'))))
  t.notOk(isInlineSafe(sniff(Buffer.from('plain words'))))
})
