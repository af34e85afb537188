// The files pages' rules without a browser: sizes in words, types, thumbnails, the checks before
// an upload, and the tus pieces that need no network.
import t from 'tap'
import type { FileLimits } from '../src/api/types.js'
import {
  base64Utf8,
  checkFiles,
  filesQuery,
  fitWithin,
  percent,
  resolveLocation,
  retryDelayMs,
  sizeParts,
  spaceFromSlug,
  splitListing,
  thumbnailOf,
  typeKey,
  uploadMetadata,
} from '../src/files/model.js'
import { fr } from '../src/i18n/fr.js'
import { format } from '../src/i18n/translate.js'

const KB = 1024
const MB = 1024 * KB
const GB = 1024 * MB

const frSize = (bytes: number) => {
  const { key, n } = sizeParts(bytes, 'fr')
  return format(fr[key], { n })
}

t.test('sizes read as on a phone, never rounded up', async (t) => {
  t.equal(frSize(0), '0 octets')
  t.equal(frSize(512), '512 octets')
  t.equal(frSize(1536), '1,5 Ko')
  t.equal(frSize(1.5 * GB), '1,5 Go')
  t.equal(frSize(2 * GB), '2 Go')
  t.equal(frSize(1.99 * GB), '1,9 Go', 'what is left is not made to look bigger')
  t.same(sizeParts(1.5 * MB, 'en'), { key: 'files.size.mb', n: '1.5' })
  t.match(sizeParts(1.5 * MB, 'ar').n, /^1\D5$/, 'Latin digits in Arabic, as for dates')
})

t.test('the type in one word comes from the mime type', async (t) => {
  t.equal(typeKey('application/pdf'), 'files.type.pdf')
  t.equal(typeKey('image/jpeg'), 'files.type.image')
  t.equal(typeKey('video/mp4'), 'files.type.video')
  t.equal(typeKey('audio/mpeg'), 'files.type.audio')
  t.equal(typeKey('text/plain; charset=utf-8'), 'files.type.text')
  t.equal(typeKey('text/csv'), 'files.type.spreadsheet')
  t.equal(typeKey('application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 'files.type.document')
  t.equal(typeKey('application/zip'), 'files.type.archive')
  t.equal(typeKey('application/octet-stream'), 'files.type.other')
  t.equal(typeKey(null), 'files.type.other')
})

t.test('the grid shows the preview, else a light image, else an icon', async (t) => {
  const img = { kind: 'file' as const, mime: 'image/jpeg', size: 500 * KB, hasPreview: false }
  t.equal(thumbnailOf({ ...img, hasPreview: true }), 'preview')
  t.equal(thumbnailOf(img), 'content')
  t.equal(thumbnailOf({ ...img, size: 3 * MB }), null, 'too heavy for an old phone')
  t.equal(thumbnailOf({ ...img, mime: 'image/heic' }), null, 'a type browsers cannot draw')
  t.equal(thumbnailOf({ ...img, mime: 'application/pdf' }), null)
})

t.test('folders, images and other files are told apart', async (t) => {
  const item = (id: string, kind: 'file' | 'folder', mime: string | null) => ({
    id,
    kind,
    mime,
    space: 'shared' as const,
    parentId: null,
    name: id,
    size: 1,
    hasPreview: false,
    owner: { name: 'A', flatLabel: null },
    mine: false,
    canChange: false,
    createdAt: 0,
    updatedAt: 0,
    trashedAt: null,
    purgeAt: null,
  })
  const split = splitListing([item('d', 'folder', null), item('p', 'file', 'image/png'), item('r', 'file', 'application/pdf')])
  t.same(
    [split.folders.map((i) => i.id), split.images.map((i) => i.id), split.others.map((i) => i.id)],
    [['d'], ['p'], ['r']],
  )
})

t.test('files over the limits are refused before anything is sent', async (t) => {
  // 60 bytes left, 30 of them promised to files already waiting: room for 30 more.
  const limits: FileLimits = { maxFileBytes: 100, quotaBytes: 300, usedBytes: 240, leftBytes: 60, uploadsOpen: true }
  const { accepted, problems } = checkFiles(
    [
      { name: 'big', size: 101 },
      { name: 'b', size: 20 },
      { name: 'c', size: 20 },
      { name: 'd', size: 10 },
    ],
    limits,
    30,
  )
  t.same(accepted.map((f) => f.name), ['b', 'd'])
  t.same(problems, [
    { name: 'big', key: 'files.tooLarge', bytes: 100 },
    { name: 'c', key: 'files.noRoom', bytes: 10 },
  ])
  const caretaker: FileLimits = { maxFileBytes: 100, quotaBytes: null, usedBytes: null, leftBytes: null, uploadsOpen: true }
  t.equal(checkFiles([{ name: 'x', size: 100 }], caretaker).accepted.length, 1, 'no quota for the caretaker')
})

t.test('percent reaches 100 only when everything is sent', async (t) => {
  t.equal(percent(0, 1000), 0)
  t.equal(percent(999, 1000), 99)
  t.equal(percent(1000, 1000), 100)
  t.equal(percent(0, 0), 100)
})

t.test('retries wait 1, 2, 4… seconds, at most a minute', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
})

t.test('tus metadata is base64 of UTF-8, so any name survives', async (t) => {
  const name = 'Règlement de l’immeuble — نظام.pdf'
  t.equal(Buffer.from(base64Utf8(name), 'base64').toString('utf8'), name)
  const meta = uploadMetadata({ filename: name, space: 'library', parentId: null })
  const pairs = meta.split(',').map((p) => p.split(' '))
  t.same(pairs.map((p) => p[0]), ['filename', 'space'], 'no empty parentId')
  t.equal(Buffer.from(pairs[0]![1]!, 'base64').toString('utf8'), name)
  t.equal(Buffer.from(pairs[1]![1]!, 'base64').toString('utf8'), 'library')
})

t.test('an upload’s Location may be absolute, rooted or relative', async (t) => {
  t.equal(resolveLocation('/api/v1/files/uploads/abc', '/api/v1/files/uploads'), '/api/v1/files/uploads/abc')
  t.equal(resolveLocation('http://box.local/api/v1/files/uploads/abc', '/api/v1/files/uploads'), 'http://box.local/api/v1/files/uploads/abc')
  t.equal(resolveLocation('abc', '/api/v1/files/uploads'), '/api/v1/files/uploads/abc')
})

t.test('spaces have French addresses', async (t) => {
  t.equal(spaceFromSlug('partage'), 'shared')
  t.equal(spaceFromSlug('foyer'), 'household')
  t.equal(spaceFromSlug('bibliotheque'), 'library')
  t.equal(spaceFromSlug('nowhere'), undefined)
  t.equal(filesQuery('shared'), '?espace=partage')
  t.equal(filesQuery('library', 'f1'), '?espace=bibliotheque&dossier=f1')
})

t.test('previews fit within 320 px and keep their shape', async (t) => {
  t.same(fitWithin(4000, 3000), { width: 320, height: 240 })
  t.same(fitWithin(3000, 4000), { width: 240, height: 320 })
  t.same(fitWithin(100, 50), { width: 100, height: 50 }, 'never enlarged')
})
