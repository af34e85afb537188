// The shared storage through its routes: rights in each space, folders, rename and move, trash,
// restore and purge, downloads (type from content, Range), previews, multipart uploads and their
// limits, and what broken uploads leave behind (nothing). Real SQLite, real files; real sockets
// where the network is what is tested.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../app.js'
import type { Config } from '../../config.js'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'

const KiB = 1024
const MiB = 1024 * KiB
const BOUNDARY = '----palier-test-boundary-4b1d'
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 9)])
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n')
const TEXT = Buffer.from('Règlement intérieur : le local vélos ferme à 22 h.\n')

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Bytes that are not text, not an image, nothing sniffable: a plain binary file. */
function binary(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    b[i] = x >> 16
  }
  b[0] = 0
  return b
}

interface FilePart {
  name: string
  data: Buffer
  field?: string
}

/** A multipart/form-data body: the fields, then the file, as a browser sends them. */
function form(fields: Record<string, string>, file?: FilePart): Buffer {
  const chunks: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      file.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return Buffer.concat(chunks)
}

const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`

type Api = ReturnType<typeof apiFor>

function apiFor(app: FastifyInstance, cookie: string) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) })
  return {
    cookie,
    get: (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie, ...headers } }),
    post: (url: string, payload: object = {}) => call('POST', url, payload),
    patch: (url: string, payload: object) => call('PATCH', url, payload),
    del: (url: string) => call('DELETE', url),
    folder: (space: string, name: string, parentId: string | null = null) => call('POST', '/files/folders', { space, parentId, name }),
    upload: (space: string, file: FilePart, parentId?: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/files',
        headers: { cookie, 'content-type': FORM_TYPE, ...headers },
        payload: form(parentId ? { space, parentId } : { space }, file),
      }),
    list: (space: string, folder?: string, extra = '') => call('GET', `/files?space=${space}${folder ? `&folder=${folder}` : ''}${extra}`),
  }
}

/** Caretaker; flat A-12 with Amina and Karim (one household); flat B-3 with Bilal. */
async function setup(t: Test, overrides: Partial<Config> = {}) {
  const built = await build(t, { filesReserveMB: 0, ...overrides })
  const { app } = built
  const { caretaker, flat, invite, resident: amina } = await building(app)
  const karim = await joinAs(app, invite.code, 'karim', 'Karim')
  const flatB = await createFlat(app, caretaker, 'B-3')
  const bilal = await joinAs(app, (await createInvite(app, caretaker, flatB.id)).code, 'bilal', 'Bilal')
  return {
    ...built,
    flat,
    flatB,
    caretaker: apiFor(app, caretaker),
    amina: apiFor(app, amina),
    karim: apiFor(app, karim),
    bilal: apiFor(app, bilal),
  }
}

function storeDir(config: Config): string {
  return path.join(config.dataDir, 'files', 'store')
}

/** The blobs (and previews) in the store, without its .tmp folder. */
async function blobs(config: Config): Promise<string[]> {
  return (await readdir(storeDir(config))).filter((n) => n !== '.tmp').sort()
}

async function temporaries(config: Config): Promise<string[]> {
  return readdir(path.join(storeDir(config), '.tmp'))
}

function rows(app: FastifyInstance): number {
  return (app.db.prepare('SELECT count(*) AS n FROM file_nodes').get() as { n: number }).n
}

/** Nothing behind: no row, no blob, no temporary file. */
async function nothingLeft(t: Test, app: FastifyInstance, config: Config, what: string) {
  t.equal(rows(app), 0, `${what}: no row`)
  t.same(await blobs(config), [], `${what}: no blob`)
  t.same(await temporaries(config), [], `${what}: no temporary file`)
}

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

function names(res: LightMyRequestResponse): string[] {
  return (res.json() as { items: { name: string }[] }).items.map((i) => i.name)
}

t.test('spaces: residents see the library (read only), their household and shared; the caretaker library and shared', async (t) => {
  const s = await setup(t, { filesMaxFileMB: 5, filesHouseholdQuotaMB: 3 })
  const resident = (await s.amina.get('/files/spaces')).json()
  t.same(resident.spaces, [
    { space: 'library', writable: false },
    { space: 'household', writable: true },
    { space: 'shared', writable: true },
  ])
  t.same(resident.limits, { maxFileBytes: 5 * MiB, quotaBytes: 3 * MiB, usedBytes: 0, leftBytes: 3 * MiB, uploadsOpen: true })
  await s.karim.upload('household', { name: 'a.bin', data: binary(1000) })
  t.match((await s.amina.get('/files/spaces')).json().limits, { usedBytes: 1000, leftBytes: 3 * MiB - 1000 }, 'one household, one quota')
  const caretaker = (await s.caretaker.get('/files/spaces')).json()
  t.same(caretaker.spaces, [
    { space: 'library', writable: true },
    { space: 'shared', writable: true },
  ])
  t.same(caretaker.limits, { maxFileBytes: 5 * MiB, quotaBytes: null, usedBytes: null, leftBytes: null, uploadsOpen: true })
})

t.test('household space: members of the flat share it; other households and the caretaker never see it (404)', async (t) => {
  const s = await setup(t)
  const folder = (await s.amina.folder('household', 'Papiers')).json()
  t.match(folder, { kind: 'folder', space: 'household', parentId: null, name: 'Papiers', size: 0, mime: null, mine: true, canChange: true })
  const up = await s.amina.upload('household', { name: 'bail.pdf', data: Buffer.from('%PDF-1.4\n...') }, folder.id)
  t.equal(up.statusCode, 201)
  const file = up.json()
  t.match(file, {
    kind: 'file',
    space: 'household',
    parentId: folder.id,
    name: 'bail.pdf',
    mime: 'application/pdf',
    owner: { name: 'Amina', flatLabel: 'A-12' },
    mine: true,
    canChange: true,
    trashedAt: null,
    purgeAt: null,
  })

  // Karim lives in the same flat: it is his space too.
  t.same(names(await s.karim.list('household')), ['Papiers'])
  t.same(names(await s.karim.list('household', folder.id)), ['bail.pdf'])
  t.match((await s.karim.get(`/files/${file.id}`)).json(), { item: { id: file.id, mine: false, canChange: true }, path: [{ id: folder.id }] })
  t.equal((await s.karim.get(`/files/${file.id}/content`)).statusCode, 200)
  t.equal((await s.karim.patch(`/files/${file.id}`, { name: 'Bail 2024.pdf' })).statusCode, 200)

  // Bilal, another flat, and the caretaker: it does not exist.
  for (const [who, api] of [
    ['another household', s.bilal],
    ['the caretaker', s.caretaker],
  ] as const) {
    for (const url of [`/files/${file.id}`, `/files/${file.id}/content`, `/files/${file.id}/preview`, `/files/${folder.id}`]) {
      const res = await api.get(url)
      t.equal(res.statusCode, 404, `${who}: GET ${url}`)
      t.equal(res.json().code, 'PALIER_NOT_FOUND')
    }
    t.equal((await api.list('household', folder.id)).statusCode, 404, `${who}: listing the folder`)
    t.equal((await api.patch(`/files/${file.id}`, { name: 'x' })).statusCode, 404, `${who}: rename`)
    t.equal((await api.del(`/files/${file.id}`)).statusCode, 404, `${who}: delete`)
    t.equal((await api.folder('household', 'Dedans', folder.id)).statusCode, 404, `${who}: folder inside`)
    t.equal((await api.upload('household', { name: 'x.bin', data: binary(10) }, folder.id)).statusCode, 404, `${who}: upload inside`)
  }
  t.same(names(await s.bilal.list('household')), [], 'Bilal’s own household space is empty')
  const caretakerList = await s.caretaker.list('household')
  t.equal(caretakerList.statusCode, 404, 'the caretaker has no household space')
  t.equal((await s.caretaker.upload('household', { name: 'x.bin', data: binary(10) })).statusCode, 404)

  // Trash too: Bilal cannot see or restore Amina's deleted file.
  t.equal((await s.amina.del(`/files/${file.id}`)).statusCode, 204)
  t.same((await s.bilal.get('/files/trash')).json(), { items: [] })
  t.same((await s.caretaker.get('/files/trash')).json(), { items: [] })
  t.equal((await s.bilal.post(`/files/${file.id}/restore`)).statusCode, 404)
  t.equal((await s.bilal.del(`/files/trash/${file.id}`)).statusCode, 404)
  t.same(
    (await s.karim.get('/files/trash')).json().items.map((i: { id: string }) => i.id),
    [file.id],
    'a member restores what another member deleted',
  )
  t.equal((await s.karim.post(`/files/${file.id}/restore`)).statusCode, 200)
})

t.test('library: the caretaker writes, every resident reads, no resident changes it (403)', async (t) => {
  const s = await setup(t)
  const up = await s.caretaker.upload('library', { name: 'Règlement.txt', data: TEXT })
  t.equal(up.statusCode, 201)
  const rules = up.json()
  t.match(rules, { space: 'library', owner: { name: 'Mme Diallo', flatLabel: null }, mime: 'text/plain; charset=utf-8' })
  const read = await s.bilal.get(`/files/${rules.id}/content`)
  t.equal(read.statusCode, 200)
  t.equal(read.body, TEXT.toString())
  t.match((await s.bilal.get(`/files/${rules.id}`)).json().item, { mine: false, canChange: false })

  const refusals: [string, Promise<LightMyRequestResponse>][] = [
    ['upload', s.amina.upload('library', { name: 'x.bin', data: binary(10) })],
    ['new folder', s.amina.folder('library', 'Moi')],
    ['rename', s.amina.patch(`/files/${rules.id}`, { name: 'Mien.txt' })],
    ['delete', s.amina.del(`/files/${rules.id}`)],
  ]
  for (const [what, call] of refusals) {
    const res = await call
    t.equal(res.statusCode, 403, what)
    t.equal(res.json().code, 'PALIER_LIBRARY_READ_ONLY', what)
  }
  t.same(names(await s.amina.list('library')), ['Règlement.txt'], 'unchanged')
  t.same(await blobs(s.config), [rules.id])
})

t.test('shared: anyone adds, everyone reads, only who added it or the caretaker changes it', async (t) => {
  const s = await setup(t)
  const photo = (await s.amina.upload('shared', { name: 'fête.jpg', data: JPEG })).json()
  t.match(photo, { mime: 'image/jpeg', mine: true, canChange: true, owner: { name: 'Amina', flatLabel: 'A-12' } })
  t.match((await s.bilal.get(`/files/${photo.id}`)).json().item, { mine: false, canChange: false })
  t.equal((await s.bilal.get(`/files/${photo.id}/content`)).statusCode, 200)
  t.equal((await s.caretaker.get(`/files/${photo.id}/content`)).statusCode, 200)

  const bilalFolder = (await s.bilal.folder('shared', 'Recettes')).json()
  for (const [what, call] of [
    ['rename', () => s.bilal.patch(`/files/${photo.id}`, { name: 'à moi.jpg' })],
    ['move', () => s.bilal.patch(`/files/${photo.id}`, { parentId: bilalFolder.id })],
    ['delete', () => s.bilal.del(`/files/${photo.id}`)],
    ['a member of the same flat', () => s.karim.del(`/files/${photo.id}`)],
  ] as const) {
    const res = await call()
    t.equal(res.statusCode, 403, what)
    t.equal(res.json().code, 'PALIER_NOT_FILE_OWNER', what)
  }
  t.equal((await s.bilal.get(`/files/${photo.id}`)).json().item.name, 'fête.jpg')

  // Anyone may add to anyone's shared folder; the owner moves their own item there.
  t.equal((await s.amina.patch(`/files/${photo.id}`, { parentId: bilalFolder.id })).statusCode, 200)
  t.equal((await s.amina.patch(`/files/${photo.id}`, { parentId: null })).statusCode, 200)

  // The caretaker removes any shared file; the owner sees it in the trash and restores it.
  t.equal((await s.caretaker.del(`/files/${photo.id}`)).statusCode, 204)
  t.same(names(await s.bilal.list('shared')), ['Recettes'])
  t.same((await s.bilal.get('/files/trash')).json().items, [], 'not Bilal’s to restore')
  t.equal((await s.bilal.get(`/files/${photo.id}`)).statusCode, 404, 'a deleted item is gone for others')
  t.same(
    (await s.caretaker.get('/files/trash')).json().items.map((i: { id: string }) => i.id),
    [photo.id],
  )
  const trash = (await s.amina.get('/files/trash')).json().items
  t.equal(trash.length, 1)
  t.match(trash[0], { id: photo.id, trashedAt: s.clock.now, purgeAt: s.clock.now + 30 * 86_400_000, canChange: true })
  t.equal((await s.amina.post(`/files/${photo.id}/restore`)).statusCode, 200)
  t.same(names(await s.bilal.list('shared')), ['Recettes', 'fête.jpg'])
})

t.test('a shared folder holding other people’s files: only the caretaker deletes it', async (t) => {
  const s = await setup(t)
  const folder = (await s.amina.folder('shared', 'Fête des voisins')).json()
  const hers = (await s.amina.upload('shared', { name: 'affiche.png', data: PNG }, folder.id)).json()
  const his = (await s.bilal.upload('shared', { name: 'photo.jpg', data: JPEG }, folder.id)).json()
  const refused = await s.amina.del(`/files/${folder.id}`)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'PALIER_FOLDER_HAS_OTHERS')
  t.equal((await s.caretaker.del(`/files/${folder.id}`)).statusCode, 204)
  t.same(names(await s.amina.list('shared')), [])
  for (const id of [folder.id, hers.id, his.id]) {
    const n = s.app.db.prepare('SELECT trash_root, trashed_by FROM file_nodes WHERE id = ?').get(id) as { trash_root: string }
    t.equal(n.trash_root, folder.id, 'deleted along with the folder')
  }
  // Her own folder is hers to restore: it comes back with what it held.
  t.equal((await s.amina.post(`/files/${folder.id}/restore`)).statusCode, 200)
  t.same(names(await s.bilal.list('shared', folder.id)), ['affiche.png', 'photo.jpg'])
  // Once Bilal's file is gone, the folder is hers alone.
  t.equal((await s.bilal.del(`/files/${his.id}`)).statusCode, 204)
  t.equal((await s.amina.del(`/files/${folder.id}`)).statusCode, 204)
})

t.test('folders, names, moves: clashes 409, never into itself, listing order, pages and the way back up', async (t) => {
  const s = await setup(t)
  const docs = (await s.amina.folder('household', 'Documents')).json()
  const y2024 = (await s.amina.folder('household', '2024', docs.id)).json()
  const taxes = (await s.amina.folder('household', 'Impôts', y2024.id)).json()

  const clash = await s.amina.folder('household', 'documents')
  t.equal(clash.statusCode, 409, 'names compare without case')
  t.equal(clash.json().code, 'PALIER_FILE_NAME_TAKEN')
  t.equal((await s.amina.folder('household', '  ')).statusCode, 400)
  t.equal((await s.amina.folder('household', '..')).json().code, 'PALIER_FILE_NAME_INVALID')
  t.equal((await s.amina.folder('shared', 'Documents')).statusCode, 201, 'another space, another name list')

  // Never into itself or what it holds; never into another space.
  for (const target of [docs.id, y2024.id, taxes.id]) {
    const res = await s.amina.patch(`/files/${docs.id}`, { parentId: target })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'PALIER_BAD_MOVE')
  }
  const shared = (await s.amina.folder('shared', 'Partagé')).json()
  t.equal((await s.amina.patch(`/files/${taxes.id}`, { parentId: shared.id })).json().code, 'PALIER_BAD_MOVE')
  const upload = (await s.amina.upload('household', { name: 'avis.pdf', data: Buffer.from('%PDF-1.7 x') }, taxes.id)).json()
  t.equal((await s.amina.patch(`/files/${docs.id}`, { parentId: upload.id })).json().code, 'PALIER_BAD_MOVE', 'a file is no folder')

  // Moving keeps what it holds; a clash at the target refuses.
  const moved = await s.amina.patch(`/files/${taxes.id}`, { parentId: null })
  t.equal(moved.statusCode, 200)
  t.match(moved.json(), { parentId: null, name: 'Impôts' })
  t.same(names(await s.amina.list('household', taxes.id)), ['avis.pdf'])
  await s.amina.folder('household', 'Impôts', docs.id)
  const back = await s.amina.patch(`/files/${taxes.id}`, { parentId: docs.id })
  t.equal(back.statusCode, 409)
  t.equal(back.json().code, 'PALIER_FILE_NAME_TAKEN')
  t.equal((await s.amina.patch(`/files/${taxes.id}`, { name: 'documents' })).json().code, 'PALIER_FILE_NAME_TAKEN')
  t.equal((await s.amina.patch(`/files/${taxes.id}`, { name: 'IMPÔTS' })).json().name, 'IMPÔTS', 'its own name in another case')

  // Uploads with a name already there become "name (2)".
  const again = (await s.amina.upload('household', { name: 'avis.pdf', data: Buffer.from('%PDF-1.7 y') }, taxes.id)).json()
  const third = (await s.amina.upload('household', { name: 'AVIS.pdf', data: Buffer.from('%PDF-1.7 z') }, taxes.id)).json()
  t.equal(again.name, 'avis (2).pdf')
  t.equal(third.name, 'AVIS (3).pdf')

  // Folders first, then files; accents and case do not push a name to the end.
  for (const name of ['zèbre.txt', 'École.txt', 'abc.txt', 'Éclair.txt', 'ecrin.txt']) await s.amina.upload('household', { name, data: TEXT })
  await s.amina.folder('household', 'Zoo')
  const all = names(await s.amina.list('household'))
  t.same(all, ['Documents', 'IMPÔTS', 'Zoo', 'abc.txt', 'Éclair.txt', 'École.txt', 'ecrin.txt', 'zèbre.txt'])
  const pages: string[][] = []
  let after: string | null = null
  do {
    const res = await s.amina.list('household', undefined, `&limit=3${after ? `&after=${after}` : ''}`)
    t.equal(res.statusCode, 200)
    pages.push(names(res))
    after = res.json().next
  } while (after)
  t.same(pages, [all.slice(0, 3), all.slice(3, 6), all.slice(6)], 'pages of 3 cover it all, once')
  t.equal((await s.amina.list('household', undefined, '&after=bm9wZQ')).statusCode, 400, 'a cursor we did not make')
  // Long names in scripts of several bytes a character still page (the cursor carries the name).
  const long = ['漢', '字', '𝄞'].map((c) => c.repeat(196) + '.txt')
  for (const name of long) t.equal((await s.bilal.upload('shared', { name, data: TEXT })).json().name, name)
  const seen: string[] = []
  for (let next: string | null = '', i = 0; next !== null && i < 10; i++) {
    const res = await s.bilal.list('shared', undefined, `&limit=1${next ? `&after=${next}` : ''}`)
    t.equal(res.statusCode, 200)
    seen.push(...names(res))
    next = res.json().next
  }
  t.same(seen.sort(), ['Documents', 'Partagé', ...long].sort(), 'every item once, the folders made above included')
  t.equal((await s.amina.list('household', undefined, '&limit=501')).statusCode, 400)

  // The way back up.
  const inner = (await s.amina.folder('household', 'Scans', y2024.id)).json()
  const listing = (await s.amina.list('household', inner.id)).json()
  t.same(listing.folder, { id: inner.id, name: 'Scans' })
  t.same(listing.path, [
    { id: docs.id, name: 'Documents' },
    { id: y2024.id, name: '2024' },
  ])
  t.same((await s.amina.get(`/files/${inner.id}`)).json().path, listing.path)
})

t.test('trash: a folder goes with what it holds, comes back to its place or to the root, with " (2)" on a clash', async (t) => {
  const s = await setup(t)
  const albums = (await s.amina.folder('shared', 'Albums')).json()
  const party = (await s.amina.folder('shared', 'Fête', albums.id)).json()
  const photo = (await s.amina.upload('shared', { name: 'photo.jpg', data: JPEG }, party.id)).json()
  t.equal((await s.amina.del(`/files/${party.id}`)).statusCode, 204)
  t.same(names(await s.amina.list('shared', albums.id)), [])
  t.equal((await s.amina.list('shared', party.id)).statusCode, 404, 'a trashed folder cannot be listed')
  t.equal((await s.amina.folder('shared', 'x', party.id)).statusCode, 404, 'nor added to')
  t.equal((await s.amina.del(`/files/${party.id}`)).statusCode, 404, 'nor deleted twice')
  const trash = (await s.amina.get('/files/trash')).json().items
  t.same(
    trash.map((i: { id: string }) => i.id),
    [party.id],
    'the trash lists what was deleted, not each thing inside',
  )
  t.match((await s.amina.get(`/files/${photo.id}`)).json().item, { trashedAt: s.clock.now })
  t.equal((await s.amina.post(`/files/${photo.id}/restore`)).statusCode, 404, 'restore what was deleted, not a part of it')

  // A new "Fête" takes the name meanwhile: the restored one becomes "Fête (2)", in its place.
  await s.amina.folder('shared', 'Fête', albums.id)
  const restored = await s.amina.post(`/files/${party.id}/restore`)
  t.equal(restored.statusCode, 200)
  t.match(restored.json(), { parentId: albums.id, name: 'Fête (2)', trashedAt: null, purgeAt: null })
  t.same(names(await s.amina.list('shared', party.id)), ['photo.jpg'], 'with what it held')

  // Its folder gone to the trash too, it comes back to the space's root.
  t.equal((await s.amina.del(`/files/${photo.id}`)).statusCode, 204)
  t.equal((await s.amina.del(`/files/${albums.id}`)).statusCode, 204)
  const alone = await s.amina.post(`/files/${photo.id}/restore`)
  t.match(alone.json(), { parentId: null, name: 'photo.jpg' })
  t.same(names(await s.amina.list('shared')), ['photo.jpg'])
  t.equal((await s.amina.post(`/files/${photo.id}/restore`)).statusCode, 404, 'not in the trash any more')
})

t.test('delete forever, and the purge after filesTrashDays (at start-up and hourly): rows then bytes', async (t) => {
  const s = await setup(t, { filesTrashDays: 2 })
  const keep = (await s.amina.upload('shared', { name: 'garder.png', data: PNG })).json()
  const folder = (await s.amina.folder('shared', 'Vieux')).json()
  const old = (await s.amina.upload('shared', { name: 'vieux.png', data: PNG }, folder.id)).json()
  const gone = (await s.amina.upload('shared', { name: 'jeter.png', data: PNG })).json()
  // Put a preview on one, so that it goes too.
  await s.app.inject({
    method: 'PUT',
    url: `/api/v1/files/${old.id}/preview`,
    headers: { cookie: s.amina.cookie, 'content-type': 'image/png' },
    payload: PNG,
  })
  t.same(await blobs(s.config), [keep.id, old.id, `${old.id}.preview`, gone.id].sort())

  t.equal((await s.amina.del(`/files/${gone.id}`)).statusCode, 204)
  t.equal((await s.bilal.del(`/files/trash/${gone.id}`)).statusCode, 404, 'not Bilal’s')
  t.equal((await s.amina.del(`/files/trash/${keep.id}`)).statusCode, 404, 'a live file is not in the trash')
  t.equal((await s.amina.del(`/files/trash/${gone.id}`)).statusCode, 204)
  t.same(await blobs(s.config), [keep.id, old.id, `${old.id}.preview`].sort(), 'its bytes are gone')
  t.equal((await s.amina.get(`/files/${gone.id}`)).statusCode, 404)

  // A file trashed on its own inside a folder deleted later goes with the folder's purge.
  const inner = (await s.amina.upload('shared', { name: 'dedans.png', data: PNG }, folder.id)).json()
  t.equal((await s.amina.del(`/files/${inner.id}`)).statusCode, 204)
  t.equal((await s.amina.del(`/files/${folder.id}`)).statusCode, 204)
  s.clock.advance(2 * 86_400_000 - 1000)
  t.equal((await s.amina.get('/files/trash')).json().items.length, 2, 'not yet')

  // The purge runs at start-up (and every hour): restart the box two days later.
  s.clock.advance(2000)
  await s.app.close()
  const again = await buildApp(s.config, { now: () => s.clock.now })
  t.teardown(() => again.close())
  const amina = apiFor(again, s.amina.cookie)
  t.same((await amina.get('/files/trash')).json().items, [])
  t.same(await blobs(s.config), [keep.id], 'rows and bytes purged, the live file kept')
  t.equal((again.db.prepare('SELECT count(*) AS n FROM file_nodes').get() as { n: number }).n, 1)
})

t.test('type from content, never from the name: a PNG named .txt is an image, HTML named .jpg an attachment', async (t) => {
  const s = await setup(t)
  const png = (await s.amina.upload('shared', { name: 'notes.txt', data: PNG })).json()
  t.equal(png.mime, 'image/png')
  const shown = await s.bilal.get(`/files/${png.id}/content`)
  t.equal(shown.statusCode, 200)
  t.equal(shown.headers['content-type'], 'image/png')
  t.match(shown.headers['content-disposition'], /^inline; filename="notes\.txt"/)
  t.equal(shown.headers['x-content-type-options'], 'nosniff')
  t.equal(shown.rawPayload.length, PNG.length)
  t.match((await s.bilal.get(`/files/${png.id}/content?download=1`)).headers['content-disposition'], /^attachment;/)

  const html = (await s.amina.upload('shared', { name: 'photo.jpg', data: HTML })).json()
  t.notMatch(html.mime, /image/)
  const res = await s.bilal.get(`/files/${html.id}/content`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /^attachment; filename="photo\.jpg"/)
  t.notMatch(String(res.headers['content-type']), /image\/jpeg/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.match(res.headers['content-security-policy'], /sandbox/)
})

t.test('Range answers are exact through the real route', async (t) => {
  const s = await setup(t)
  const data = binary(10_000, 7)
  const file = (await s.amina.upload('shared', { name: 'video.bin', data })).json()
  const url = `/files/${file.id}/content`
  const whole = await s.bilal.get(url)
  t.equal(whole.headers['accept-ranges'], 'bytes')
  t.equal(whole.headers.etag, `"${sha256(data)}"`)
  t.ok(whole.rawPayload.equals(data))

  const cases: [string, number, number][] = [
    ['bytes=0-0', 0, 0],
    ['bytes=100-1099', 100, 1099],
    ['bytes=9000-', 9000, 9999],
    ['bytes=-500', 9500, 9999],
    ['bytes=9990-20000', 9990, 9999],
  ]
  for (const [range, from, to] of cases) {
    const res = await s.bilal.get(url, { range })
    t.equal(res.statusCode, 206, range)
    t.equal(res.headers['content-range'], `bytes ${from}-${to}/10000`, range)
    t.equal(Number(res.headers['content-length']), to - from + 1, range)
    t.ok(res.rawPayload.equals(data.subarray(from, to + 1)), `${range}: the exact bytes`)
  }
  const beyond = await s.bilal.get(url, { range: 'bytes=10000-' })
  t.equal(beyond.statusCode, 416)
  t.equal(beyond.headers['content-range'], 'bytes */10000')
  t.equal((await s.bilal.get(url, { 'if-none-match': `"${sha256(data)}"` })).statusCode, 304)
})

t.test('names are cleaned: no path separators, controls or right-to-left overrides; bytes stored under the id', async (t) => {
  const s = await setup(t)
  const rtl = (await s.amina.upload('shared', { name: 'photo\u202Egpj.exe', data: PNG })).json()
  t.equal(rtl.name, 'photogpj.exe')
  const controls = (await s.amina.upload('shared', { name: 'a\u0001b\u200Fc.txt', data: TEXT })).json()
  t.equal(controls.name, 'abc.txt')
  const folder = (await s.amina.folder('shared', '../..\\..//etc\u202E')).json()
  t.equal(folder.name, '......etc')
  const renamed = (await s.amina.patch(`/files/${rtl.id}`, { name: '/etc/passwd' })).json()
  t.equal(renamed.name, 'etcpasswd')
  // Multipart filenames with a path keep only the last part (what browsers send anyway).
  const pathy = (await s.amina.upload('shared', { name: '../../../../tmp/evil.txt', data: TEXT })).json()
  t.notMatch(pathy.name, /[/\\]/)
  t.same(await blobs(s.config), [rtl.id, controls.id, pathy.id].sort(), 'stored under server-made ids only')
  const res = await s.amina.get(`/files/${rtl.id}/content`)
  t.notMatch(res.headers['content-disposition'], /\u202E|\//)
})

t.test('path traversal: every id, space, folder and parentId refuses ../, encoded variants, absolute paths, NUL and backslashes', async (t) => {
  const s = await setup(t)
  const root = path.dirname(s.config.dataDir)
  // A file beside the data folder and one beside the store: neither may be read, written or removed.
  const outside = path.join(root, 'secret.txt')
  await writeFile(outside, 'secret')
  await writeFile(path.join(s.config.dataDir, 'files', 'secret.txt'), 'secret')
  const folder = (await s.amina.folder('household', 'Dossier')).json()
  const file = (await s.amina.upload('household', { name: 'a.png', data: PNG }, folder.id)).json()
  const before = await tree(s.config.dataDir)

  const bad = [
    '..',
    '%2e%2e',
    '..%2F..%2F..%2Fsecret.txt',
    '..%2f..%2fpalier.sqlite',
    '%2e%2e%2f%2e%2e%2fsecret.txt',
    '%2Fetc%2Fpasswd',
    `${file.id}%00`,
    `%00${file.id}`,
    '..%5C..%5Csecret.txt',
    `${file.id}%2F..%2F..%2Fpalier.sqlite`,
    `..%2F${file.id}`,
    'C:%5Cwindows',
  ]
  const routes: ['GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT', (id: string) => string, object?][] = [
    ['GET', (id) => `/api/v1/files/${id}`],
    ['PATCH', (id) => `/api/v1/files/${id}`, { name: 'x' }],
    ['DELETE', (id) => `/api/v1/files/${id}`],
    ['POST', (id) => `/api/v1/files/${id}/restore`],
    ['DELETE', (id) => `/api/v1/files/trash/${id}`],
    ['GET', (id) => `/api/v1/files/${id}/content`],
    ['GET', (id) => `/api/v1/files/${id}/preview`],
    ['PUT', (id) => `/api/v1/files/${id}/preview`],
  ]
  for (const [method, url, payload] of routes) {
    for (const id of bad) {
      const res = await s.app.inject({
        method,
        url: url(id),
        headers: { cookie: s.amina.cookie, ...(method === 'PUT' ? { 'content-type': 'image/png' } : {}) },
        ...(method === 'PUT' ? { payload: PNG } : payload ? { payload } : {}),
      })
      t.ok([400, 404].includes(res.statusCode), `${method} ${url(id)} → ${res.statusCode}`)
    }
  }
  // Raw "../" is resolved by the URL parser before routing: at worst the app's page answers.
  for (const url of ['/files/../../secret.txt', '/files/../../../secret.txt/content', '/files/%2e%2e/%2e%2e/secret.txt']) {
    const res = await s.amina.get(url)
    t.ok(res.statusCode < 500 && !res.body.includes('secret'), `${url} → ${res.statusCode}, not the file`)
  }
  for (const value of ['../household', '..%2F..', '%2Fetc', 'shared%00', 'library\\..']) {
    t.equal((await s.amina.get(`/files?space=${value}`)).statusCode, 400, `space=${value}`)
  }
  for (const value of bad) {
    t.ok([400, 404].includes((await s.amina.get(`/files?space=household&folder=${value}`)).statusCode), `folder=${value}`)
    const decoded = decodeURIComponent(value)
    t.equal((await s.amina.folder('household', 'x', decoded)).statusCode, 400, `new folder in ${decoded}`)
    t.equal((await s.amina.patch(`/files/${file.id}`, { parentId: decoded })).statusCode, 400, `move to ${decoded}`)
    const up = await s.amina.upload('household', { name: 'b.png', data: PNG }, decoded)
    t.equal(up.statusCode, 400, `upload into ${decoded}`)
    t.equal(up.json().field, 'parentId')
  }
  for (const space of ['../../files', '/etc', 'shared\u0000', '..\\library']) {
    const res = await s.amina.upload(space, { name: 'c.png', data: PNG })
    t.equal(res.statusCode, 400, `upload to space ${JSON.stringify(space)}`)
  }

  t.equal(await readFile(outside, 'utf8'), 'secret')
  t.same(await tree(s.config.dataDir), before, 'nothing created, changed or removed under the data folder')
  t.same(await temporaries(s.config), [])
  t.equal(rows(s.app), 2)
})

/** Every path under `dir` with its size (the database's own files excepted: they change anyway). */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name)
    if (/palier\.sqlite/.test(entry.name)) continue
    out.push(`${path.relative(dir, full)}${entry.isFile() ? ` ${(await stat(full)).size}` : '/'}`)
  }
  return out.sort()
}

t.test('quota: 413 saying how much is left, counted per household with its trash; the caretaker has none', async (t) => {
  const s = await setup(t, { filesHouseholdQuotaMB: 1 })
  const first = await s.amina.upload('household', { name: 'a.bin', data: binary(700 * KiB) })
  t.equal(first.statusCode, 201)
  // Karim is in the same household: the same quota, shared files included.
  const refused = await s.karim.upload('shared', { name: 'b.bin', data: binary(700 * KiB) }, undefined, { 'accept-language': 'fr' })
  t.equal(refused.statusCode, 413)
  t.equal(refused.json().code, 'PALIER_QUOTA_EXCEEDED')
  t.match(refused.json().message, /il reste 324 Ko sur 1 Mo/)
  const english = await s.karim.upload('shared', { name: 'b.bin', data: binary(700 * KiB) }, undefined, { 'accept-language': 'en' })
  t.match(english.json().message, /324 KB left of 1 MB/)
  t.match((await s.karim.get('/files/spaces')).json().limits, { usedBytes: 700 * KiB, leftBytes: 324 * KiB })

  // Without Content-Length (or with one that lies), the bytes themselves are held to what is left.
  const streamed = await s.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { cookie: s.karim.cookie, 'content-type': FORM_TYPE },
    payload: Readable.from([form({ space: 'household' }, { name: 'c.bin', data: binary(400 * KiB) })]),
  })
  t.equal(streamed.statusCode, 413)
  t.equal(streamed.json().code, 'PALIER_QUOTA_EXCEEDED')
  t.equal((await s.karim.upload('household', { name: 'd.bin', data: binary(300 * KiB) })).statusCode, 201, 'what fits goes in')

  // Other households are not affected; neither is the caretaker.
  t.equal((await s.bilal.upload('shared', { name: 'e.bin', data: binary(700 * KiB) })).statusCode, 201)
  t.equal((await s.caretaker.upload('library', { name: 'f.bin', data: binary(1000 * KiB) })).statusCode, 201)

  // The trash still counts; emptying it frees room.
  t.equal((await s.amina.del(`/files/${first.json().id}`)).statusCode, 204)
  t.equal((await s.amina.upload('household', { name: 'g.bin', data: binary(500 * KiB) })).statusCode, 413)
  t.equal((await s.amina.del(`/files/trash/${first.json().id}`)).statusCode, 204)
  t.equal((await s.amina.upload('household', { name: 'g.bin', data: binary(500 * KiB) })).statusCode, 201)
  t.same(await temporaries(s.config), [])
})

t.test('reserve: under it, uploads are refused with 507 while reading goes on', async (t) => {
  const s = await setup(t)
  const file = (await s.amina.upload('shared', { name: 'a.png', data: PNG })).json()
  await s.app.close()
  // The same box, its disk now "under the reserve".
  const config = { ...s.config, filesReserveMB: 1048576 }
  const app = await buildApp(config, { now: () => s.clock.now })
  t.teardown(() => app.close())
  const amina = apiFor(app, s.amina.cookie)
  const refused = await amina.upload('shared', { name: 'b.png', data: PNG })
  t.equal(refused.statusCode, 507)
  t.equal(refused.json().code, 'PALIER_STORAGE_FULL')
  t.match(refused.json().message, /consulter/)
  const preview = await app.inject({
    method: 'PUT',
    url: `/api/v1/files/${file.id}/preview`,
    headers: { cookie: s.amina.cookie, 'content-type': 'image/png' },
    payload: PNG,
  })
  t.equal(preview.statusCode, 507)
  t.equal((await amina.get('/files/spaces')).json().limits.uploadsOpen, false)
  const read = await amina.get(`/files/${file.id}/content`)
  t.equal(read.statusCode, 200)
  t.ok(read.rawPayload.equals(PNG))
  t.same(names(await amina.list('shared')), ['a.png'])
  t.same(await blobs(config), [file.id])
  t.same(await temporaries(config), [])
})

t.test('largest file: over it 413 before reading or while reading; exactly at it, accepted', async (t) => {
  const s = await setup(t, { filesMaxFileMB: 1 })
  const over = await s.amina.upload('shared', { name: 'big.bin', data: binary(MiB + 1) }, undefined, { 'accept-language': 'fr' })
  t.equal(over.statusCode, 413)
  t.equal(over.json().code, 'PALIER_FILE_TOO_LARGE')
  t.match(over.json().message, /1 Mo au plus/)
  await nothingLeft(t, s.app, s.config, 'refused from Content-Length')

  const streamed = await s.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { cookie: s.caretaker.cookie, 'content-type': FORM_TYPE },
    payload: Readable.from([form({ space: 'library' }, { name: 'big.bin', data: binary(MiB + 1) })]),
  })
  t.equal(streamed.statusCode, 413)
  t.equal(streamed.json().code, 'PALIER_FILE_TOO_LARGE')
  await nothingLeft(t, s.app, s.config, 'refused while streaming')

  const exact = await s.amina.upload('shared', { name: 'exact.bin', data: binary(MiB) })
  t.equal(exact.statusCode, 201)
  t.equal(exact.json().size, MiB)
  const back = await s.amina.get(`/files/${exact.json().id}/content`)
  t.equal(sha256(back.rawPayload), sha256(binary(MiB)))
})

t.test('malformed forms: no file, a file before its fields, a form cut short — 400 and nothing left', async (t) => {
  const s = await setup(t)
  const call = (payload: Buffer | string | object, type = FORM_TYPE) =>
    s.app.inject({ method: 'POST', url: '/api/v1/files', headers: { cookie: s.amina.cookie, 'content-type': type }, payload })
  const noFile = await call(form({ space: 'shared' }))
  t.equal(noFile.statusCode, 400)
  t.equal(noFile.json().code, 'PALIER_NO_FILE')
  t.equal((await call({ space: 'shared' }, 'application/json')).statusCode, 400, 'JSON is no form')
  const fileFirst = await call(form({}, { name: 'a.png', data: PNG }))
  t.equal(fileFirst.statusCode, 400)
  t.equal(fileFirst.json().field, 'space')
  const otherField = await call(form({ space: 'shared' }, { name: 'a.png', data: PNG, field: 'photo' }))
  t.equal(otherField.json().code, 'PALIER_NO_FILE')
  const whole = form({ space: 'shared' }, { name: 'a.bin', data: binary(200 * KiB) })
  const cut = await call(whole.subarray(0, whole.length - 100 * KiB))
  t.equal(cut.statusCode, 400)
  t.equal(cut.json().code, 'PALIER_UPLOAD_INCOMPLETE')
  const noBoundary = await call(whole, 'multipart/form-data')
  t.equal(noBoundary.statusCode, 400)
  const emptyName = await call(form({ space: 'shared' }, { name: '\u202E', data: PNG }))
  t.equal(emptyName.json().code, 'PALIER_FILE_NAME_INVALID')
  await nothingLeft(t, s.app, s.config, 'after malformed forms')
  // The server still takes a good one.
  t.equal((await s.amina.upload('shared', { name: 'ok.png', data: PNG })).statusCode, 201)
})

/** The app on a real port (closed with the app). */
async function listening(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

t.test('a truncated multipart body over a real socket leaves nothing behind', async (t) => {
  const s = await setup(t)
  const port = await listening(s.app)
  const body = form({ space: 'shared' }, { name: 'cut.bin', data: binary(2 * MiB) })
  for (const cutAt of [40, Math.floor(body.length / 2)]) {
    const socket = net.connect(port, '127.0.0.1')
    await once(socket, 'connect')
    socket.write(
      `POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${s.amina.cookie}\r\n` +
        `Content-Type: ${FORM_TYPE}\r\nContent-Length: ${body.length}\r\n\r\n`,
    )
    await new Promise<void>((resolve) => socket.write(body.subarray(0, cutAt), () => resolve()))
    socket.destroy()
    // Wait until the server has taken in what was sent and dealt with the cut.
    await sleep(100)
    await until('the temporary file to go', async () => (await temporaries(s.config)).length === 0)
    await nothingLeft(t, s.app, s.config, `cut after ${cutAt} bytes`)
  }
  const ok = await s.amina.upload('shared', { name: 'ok.png', data: PNG })
  t.equal(ok.statusCode, 201, 'the server goes on')
})

t.test('a client disconnecting at 50 % leaves nothing behind', async (t) => {
  const s = await setup(t)
  const port = await listening(s.app)
  const data = binary(4 * MiB)
  const body = form({ space: 'household' }, { name: 'video.bin', data })
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/files',
    headers: { cookie: s.amina.cookie, 'content-type': FORM_TYPE, 'content-length': body.length },
  })
  req.on('error', () => {})
  const half = Math.floor(body.length / 2)
  for (let at = 0; at < half; at += 64 * KiB) {
    if (!req.write(body.subarray(at, Math.min(at + 64 * KiB, half)))) await once(req, 'drain')
  }
  // The server is receiving: its temporary file exists and grows.
  await until('the upload to be on its way', async () => {
    const tmp = await temporaries(s.config)
    if (tmp.length !== 1) return false
    return (await stat(path.join(storeDir(s.config), '.tmp', tmp[0]!))).size > 0
  })
  req.destroy()
  await until('the temporary file to go', async () => (await temporaries(s.config)).length === 0)
  await sleep(50)
  await nothingLeft(t, s.app, s.config, 'disconnected at 50 %')
  t.match((await s.amina.get('/files/spaces')).json().limits, { usedBytes: 0 })
})

t.test('a file over the limit over a real socket, declared or not, leaves nothing behind', async (t) => {
  const s = await setup(t, { filesMaxFileMB: 1 })
  const port = await listening(s.app)
  const body = form({ space: 'shared' }, { name: 'big.bin', data: binary(3 * MiB) })
  const send = (headers: Record<string, string | number>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/files', headers: { cookie: s.amina.cookie, 'content-type': FORM_TYPE, ...headers } },
        (r) => {
          let text = ''
          r.on('data', (c: Buffer) => (text += c.toString()))
          r.on('end', () => resolve({ status: r.statusCode!, body: text }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  // Declared: refused before a byte of it is read.
  const declared = await send({ 'content-length': body.length })
  t.equal(declared.status, 413)
  t.equal(JSON.parse(declared.body).code, 'PALIER_FILE_TOO_LARGE')
  await nothingLeft(t, s.app, s.config, 'declared over the limit')
  // Not declared (chunked): the server stops taking bytes at the limit.
  const chunked = await send({ 'transfer-encoding': 'chunked' })
  t.equal(chunked.status, 413)
  t.equal(JSON.parse(chunked.body).code, 'PALIER_FILE_TOO_LARGE')
  await until('the temporary file to go', async () => (await temporaries(s.config)).length === 0)
  await nothingLeft(t, s.app, s.config, 'streamed over the limit')
  t.equal((await s.amina.upload('shared', { name: 'ok.png', data: PNG })).statusCode, 201, 'the server goes on')
})

t.test('previews: set by who added the file, sniffed images only, 256 KB at most; served with the file’s rights', async (t) => {
  const s = await setup(t)
  const photo = (await s.amina.upload('shared', { name: 'photo.jpg', data: JPEG })).json()
  t.equal(photo.hasPreview, false)
  t.equal((await s.bilal.get(`/files/${photo.id}/preview`)).statusCode, 404, 'none yet')
  const put = (cookie: string, payload: Buffer, type = 'image/png', id = photo.id) =>
    s.app.inject({ method: 'PUT', url: `/api/v1/files/${id}/preview`, headers: { cookie, 'content-type': type }, payload })

  t.equal((await put(s.bilal.cookie, PNG)).json().code, 'PALIER_NOT_FILE_OWNER')
  t.equal((await put(s.caretaker.cookie, PNG)).statusCode, 403, 'not even the caretaker: it is the uploader’s picture')
  const notImage = await put(s.amina.cookie, HTML, 'image/png')
  t.equal(notImage.statusCode, 415)
  t.equal(notImage.json().code, 'PALIER_NOT_AN_IMAGE')
  const large = await put(s.amina.cookie, Buffer.concat([JPEG, Buffer.alloc(256 * KiB)]), 'image/jpeg')
  t.equal(large.statusCode, 413)
  t.equal((await put(s.amina.cookie, PNG, 'text/plain')).statusCode, 415)
  t.same(await temporaries(s.config), [])
  t.same(await blobs(s.config), [photo.id], 'nothing kept from refused previews')

  t.equal((await put(s.amina.cookie, PNG)).statusCode, 204)
  t.equal((await s.bilal.get(`/files/${photo.id}`)).json().item.hasPreview, true)
  const shown = await s.bilal.get(`/files/${photo.id}/preview`)
  t.equal(shown.statusCode, 200)
  t.equal(shown.headers['content-type'], 'image/png')
  t.match(shown.headers['cache-control'], /max-age=86400/)
  t.ok(shown.rawPayload.equals(PNG))
  // Replaced: the new one is served, under a new tag.
  await sleep(20)
  t.equal((await put(s.amina.cookie, JPEG, 'image/jpeg')).statusCode, 204)
  const replaced = await s.bilal.get(`/files/${photo.id}/preview`)
  t.equal(replaced.headers['content-type'], 'image/jpeg')
  t.not(replaced.headers.etag, shown.headers.etag)

  // A household file's preview is the household's only.
  const mine = (await s.amina.upload('household', { name: 'p.jpg', data: JPEG })).json()
  t.equal((await put(s.amina.cookie, PNG, 'image/png', mine.id)).statusCode, 204)
  t.equal((await s.bilal.get(`/files/${mine.id}/preview`)).statusCode, 404)
  t.equal((await s.caretaker.get(`/files/${mine.id}/preview`)).statusCode, 404)
  t.equal((await s.karim.get(`/files/${mine.id}/preview`)).statusCode, 200)
})

t.test('usage: the caretaker sees the disk, the library, the shared space and each household; residents may not', async (t) => {
  const s = await setup(t, { filesHouseholdQuotaMB: 10 })
  await s.caretaker.upload('library', { name: 'règlement.txt', data: TEXT })
  await s.amina.upload('household', { name: 'a.bin', data: binary(1000) })
  await s.karim.upload('shared', { name: 'b.bin', data: binary(2000) })
  const trashed = (await s.bilal.upload('shared', { name: 'c.bin', data: binary(3000) })).json()
  await s.bilal.del(`/files/${trashed.id}`)
  await s.bilal.folder('shared', 'Vide')
  const res = await s.caretaker.get('/files/usage')
  t.equal(res.statusCode, 200)
  const usage = res.json()
  t.ok(usage.disk.totalBytes > 0 && usage.disk.freeBytes > 0 && usage.disk.freeBytes <= usage.disk.totalBytes)
  t.equal(usage.disk.reserveBytes, 0)
  t.same(usage.library, { usedBytes: TEXT.length, files: 1 })
  t.same(usage.shared, { usedBytes: 5000, files: 2 }, 'the trash included')
  t.same(usage.households, [
    { flatId: s.flat.id, label: 'A-12', usedBytes: 3000, quotaBytes: 10 * MiB, files: 2 },
    { flatId: s.flatB.id, label: 'B-3', usedBytes: 3000, quotaBytes: 10 * MiB, files: 1 },
  ])
  const refused = await s.amina.get('/files/usage')
  t.equal(refused.statusCode, 403)
})

t.test('start-up clears what a crash left: temporary files, bytes with no row, expired uploads', async (t) => {
  const s = await setup(t)
  const kept = (await s.amina.upload('shared', { name: 'a.png', data: PNG })).json()
  await s.app.close()
  const store = storeDir(s.config)
  const orphan = '01890000-0000-7000-8000-0000000000aa'
  await writeFile(path.join(store, '.tmp', 'abc.part'), 'half')
  await writeFile(path.join(store, orphan), 'no row')
  await writeFile(path.join(store, `${orphan}.preview`), 'no row')
  await writeFile(path.join(store, 'README'), 'not ours: left alone')
  await mkdir(path.join(s.config.dataDir, 'files', 'uploads'), { recursive: true })
  await writeFile(path.join(s.config.dataDir, 'files', 'uploads', orphan), 'no row')
  const again = await buildApp(s.config, { now: () => s.clock.now })
  t.teardown(() => again.close())
  t.same(await temporaries(s.config), [])
  t.same(await blobs(s.config), ['README', kept.id].sort())
  t.same(await readdir(path.join(s.config.dataDir, 'files', 'uploads')), [])
  t.equal((await apiFor(again, s.amina.cookie).get(`/files/${kept.id}/content`)).statusCode, 200)
})
