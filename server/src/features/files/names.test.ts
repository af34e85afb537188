import t from 'tap'
import { newId } from '../../lib/ids.js'
import { FileNameInvalidError } from './errors.js'
import { cleanName, contentDisposition, isNodeId, nameKey } from './names.js'

t.test('cleanName: a right-to-left override cannot disguise an extension', async (t) => {
  t.equal(cleanName('photo\u202Egpj.exe'), 'photogpj.exe', 'what the eye sees is now what the file is')
  t.equal(cleanName('\u202Dfacture\u202C.pdf'), 'facture.pdf')
  t.equal(cleanName('a\u2066b\u2067c\u2068d\u2069e\u200Ef\u200Fg\u061Ch\u202Ai\u202Bj.txt'), 'abcdefghij.txt', 'every bidi control goes')
})

t.test('cleanName: no path separators, NUL or controls survive', async (t) => {
  t.equal(cleanName('../../etc/passwd'), '....etcpasswd')
  t.equal(cleanName('a\\b'), 'ab')
  t.equal(cleanName('C:\\Users\\me\\plan.pdf'), 'C:Usersmeplan.pdf')
  t.equal(cleanName('nul\0byte.txt'), 'nulbyte.txt')
  t.equal(cleanName('bell\x07tab\tnew\nline\r.txt'), 'belltabnewline.txt', 'C0 controls')
  t.equal(cleanName('del\x7f.txt'), 'del.txt')
  t.equal(cleanName('half\ud83d.txt'), 'half.txt', 'a lone surrogate')
  t.equal(cleanName('\ude00tail\ud83d\ude00.txt'), 'tail😀.txt', 'a lone low surrogate goes, a pair stays')
  t.equal(cleanName('c1\u0085\u009b[31m.txt'), 'c1[31m.txt', 'C1 controls (NEL, CSI)')
  for (const raw of ['../../etc/passwd', '/etc/passwd', 'a/../../b', '..\\..\\windows', '%2e%2e%2f', 'x\0/y']) {
    const name = cleanName(raw)
    t.notMatch(name, /[/\\\0]/, `${JSON.stringify(raw)} → ${JSON.stringify(name)}`)
  }
})

t.test('cleanName: spaces collapsed, ends trimmed, trailing dots dropped', async (t) => {
  t.equal(cleanName('  Compte   rendu\u00a0\u00a0AG  .pdf  '), 'Compte rendu AG .pdf')
  t.equal(cleanName('notes...'), 'notes')
  t.equal(cleanName('notes. . .'), 'notes')
  t.equal(cleanName('.bashrc'), '.bashrc', 'a leading dot is part of the name')
  t.equal(cleanName('\ufeffbom.txt'), 'bom.txt', 'a byte-order mark is space, trimmed')
})

t.test('cleanName: NFC, emoji and other scripts kept', async (t) => {
  t.equal(cleanName('e\u0301te\u0301.jpg'), 'été.jpg')
  t.equal(cleanName('e\u0301te\u0301.jpg').length, 'été.jpg'.length, 'composed')
  t.equal(cleanName('e\u202E\u0301t\u0000e\u0301.jpg'), 'été.jpg', 'composed once the controls between are gone')
  t.equal(cleanName('🎉 fête des voisins 👨‍👩‍👧.jpg'), '🎉 fête des voisins 👨‍👩‍👧.jpg', 'a ZWJ sequence stays whole')
  t.equal(cleanName('محضر اجتماع السكان.pdf'), 'محضر اجتماع السكان.pdf')
  t.equal(cleanName('住民会議.docx'), '住民会議.docx')
})

t.test('cleanName: nothing left, "." and ".." are refused', async (t) => {
  for (const raw of ['', '   ', '.', '..', '...', ' . ', '/', '\\', '\0', '\u202E', '\u200E\u200F', '../', '\t\n']) {
    t.throws(() => cleanName(raw), FileNameInvalidError, JSON.stringify(raw))
  }
  t.throws(() => cleanName('..'), { code: 'PALIER_FILE_NAME_INVALID', statusCode: 400 })
})

t.test('cleanName: long names cut to 200 characters, extension kept', async (t) => {
  const long = cleanName('a'.repeat(500) + '.jpeg')
  t.equal(long, 'a'.repeat(195) + '.jpeg')
  t.equal(Array.from(long).length, 200)
  t.equal(cleanName('x'.repeat(200)), 'x'.repeat(200), 'exactly 200: untouched')
  t.equal(cleanName('x'.repeat(201)), 'x'.repeat(200))
  const emoji = cleanName('😀'.repeat(300) + '.png')
  t.equal(Array.from(emoji).length, 200, 'counted in characters, never half a surrogate pair')
  t.ok(emoji.endsWith('😀.png'))
  t.notMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate')
  const family = '👨‍👩‍👧' // 5 code points, one grapheme
  const families = cleanName('ab' + family.repeat(60) + '.jpg')
  t.ok(families.endsWith(family + '.jpg'), 'cut between graphemes, not inside one')
  t.ok(Array.from(families).length <= 200)
  t.equal(cleanName('abc '.repeat(100) + '.pdf'), 'abc '.repeat(48) + 'abc.pdf', 'no trailing space left before the extension')
  const noExtension = cleanName('b'.repeat(250) + '.' + 'c'.repeat(40))
  t.equal(Array.from(noExtension).length, 200, 'an "extension" of 40 characters is not one')
  t.ok(noExtension.startsWith('b'.repeat(200)))
  const zalgo = cleanName('z' + '\u0301'.repeat(400))
  t.equal(Array.from(zalgo).length, 200, 'one letter under 400 marks is still cut')
})

t.test('cleanName on a huge name stays fast', async (t) => {
  const start = process.hrtime.bigint()
  const name = cleanName('a' + ' .'.repeat(200_000) + 'b')
  const long = cleanName('\u202Ex/'.repeat(300_000))
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  t.equal(name, 'a.b', 'the cut part ends in dots and spaces: they go')
  t.equal(long, 'x'.repeat(200))
  t.ok(ms < 1000, `${ms.toFixed(0)} ms`)
  t.equal(cleanName('x' + '. '.repeat(200_000)), 'x', 'trailing run of dots and spaces')
})

t.test('nameKey: case and normalisation do not make a different name', async (t) => {
  t.equal(nameKey('Photo.JPG'), 'photo.jpg')
  t.equal(nameKey('E\u0301TE\u0301.txt'), nameKey('été.txt'))
  t.equal(nameKey('ÉTÉ.txt'), 'été.txt')
  t.not(nameKey('a.txt'), nameKey('b.txt'))
})

/** The parameters of a Content-Disposition value, parsed strictly. */
function parse(value: string): { kind: string; filename: string; star: string } {
  const m = /^(inline|attachment); filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(value)
  if (!m) throw new Error(`unexpected Content-Disposition: ${value}`)
  return { kind: m[1]!, filename: m[2]!, star: m[3]! }
}

t.test('contentDisposition: ASCII fallback and RFC 8187 filename*', async (t) => {
  t.equal(contentDisposition('attachment', 'rules.pdf'), `attachment; filename="rules.pdf"; filename*=UTF-8''rules.pdf`)
  t.equal(contentDisposition('inline', 'fête des voisins.jpg'), `inline; filename="fete des voisins.jpg"; filename*=UTF-8''f%C3%AAte%20des%20voisins.jpg`)
  const arabic = parse(contentDisposition('attachment', 'محضر.pdf'))
  t.equal(arabic.filename, '_.pdf')
  t.equal(decodeURIComponent(arabic.star), 'محضر.pdf')
  t.equal(parse(contentDisposition('attachment', '😀.png')).star, '%F0%9F%98%80.png')
})

t.test('contentDisposition: quotes, backslashes, CR/LF and non-ASCII never raw', async (t) => {
  const nasty = [
    'a"b.txt',
    'a\\b.txt',
    '"; filename="evil.html',
    'x\r\nSet-Cookie: a=b',
    'tab\there',
    '100%.txt',
    '%22.txt',
    "it's (1) *.txt",
    'é\u202Egpj.exe',
    '\u0000',
    'a;b,c=d',
  ]
  for (const name of nasty) {
    for (const kind of ['inline', 'attachment'] as const) {
      const value = contentDisposition(kind, name)
      t.match(value, /^[\x20-\x7e]+$/, `${JSON.stringify(name)}: printable ASCII only`)
      const { kind: k, filename, star } = parse(value)
      t.equal(k, kind)
      t.notMatch(filename, /["\\%]/, 'fallback holds no quote, backslash or percent sign')
      t.equal(decodeURIComponent(star), name, 'filename* decodes to the exact name')
    }
  }
  t.equal(parse(contentDisposition('attachment', "it's (1) *.txt")).star, "it%27s%20%281%29%20%2A.txt", "' ( ) * are not attr-chars")
  t.equal(parse(contentDisposition('attachment', 'a"b.txt')).filename, 'a_b.txt')
  t.equal(parse(contentDisposition('attachment', '')).filename, 'file', 'never an empty fallback')
})

t.test('isNodeId: ids the server made, nothing else', async (t) => {
  const id = newId()
  t.ok(isNodeId(id))
  t.ok(isNodeId('01890000-0000-7000-8000-000000000000'))
  for (const bad of [
    '',
    '..',
    '../x',
    '/etc/passwd',
    `../${id}`,
    `${id}/..`,
    `${id}\n`,
    `${id}\0`,
    `\0${id}`,
    id.toUpperCase(),
    id.replace(/-/g, ''),
    '01890000-0000-4000-8000-000000000000', // version 4
    '01890000-0000-7000-c000-000000000000', // wrong variant
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e',
    `${id}.preview`,
  ]) {
    t.notOk(isNodeId(bad), JSON.stringify(bad))
  }
  t.notOk(isNodeId(42 as unknown as string), 'not a string')
})
