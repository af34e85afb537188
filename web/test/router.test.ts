// Which page an address shows to whom, and which link clicks the app handles itself.
import t from 'tap'
import { conversationPath, householdPath, incidentPath, listingPath, normalizePath, paths, resolve, safeNext, shouldIntercept } from '../src/router/routes.js'

const at = (url: string) => {
  const u = new URL(url, 'http://palier.test')
  return { pathname: u.pathname, search: u.search }
}
const caretaker = { role: 'caretaker' as const }
const resident = { role: 'resident' as const }

t.test('/ is the welcome page signed out and home signed in', async (t) => {
  t.match(resolve(at('/'), null), { kind: 'page', page: 'welcome' })
  t.match(resolve(at('/'), resident), { kind: 'page', page: 'home' })
  t.match(resolve(at('/accueil'), null), { kind: 'page', page: 'welcome' })
  t.match(resolve(at('/accueil'), resident), { kind: 'page', page: 'welcome' })
})

t.test('public pages keep their query', async (t) => {
  const r = resolve(at('/rejoindre?code=ACDE-FGHJ-KMNP'), null)
  t.equal(r.kind, 'page')
  if (r.kind === 'page') {
    t.equal(r.page, 'join')
    t.equal(r.query.get('code'), 'ACDE-FGHJ-KMNP')
  }
  t.match(resolve(at('/reinitialiser'), null), { kind: 'page', page: 'reset' })
})

t.test('sign-in and setup send a signed-in person home, or to next', async (t) => {
  t.same(resolve(at('/connexion'), resident), { kind: 'redirect', to: '/' })
  t.same(resolve(at('/setup'), caretaker), { kind: 'redirect', to: '/' })
  t.same(resolve(at('/connexion?next=%2Flogements'), caretaker), { kind: 'redirect', to: '/logements' })
  t.match(resolve(at('/connexion'), null), { kind: 'page', page: 'login' })
  t.match(resolve(at('/setup'), null), { kind: 'page', page: 'setup' })
})

t.test('private pages send a signed-out person to sign in, then back', async (t) => {
  t.same(resolve(at('/compte'), null), { kind: 'redirect', to: '/connexion?next=%2Fcompte' })
  t.same(resolve(at('/logements?x=1'), null), { kind: 'redirect', to: '/connexion?next=%2Flogements%3Fx%3D1' })
  t.match(resolve(at('/compte'), resident), { kind: 'page', page: 'account' })
})

t.test('caretaker pages are forbidden to residents', async (t) => {
  t.match(resolve(at('/logements'), resident), { kind: 'page', page: 'forbidden' })
  t.match(resolve(at('/residents'), resident), { kind: 'page', page: 'forbidden' })
  t.match(resolve(at('/logements'), caretaker), { kind: 'page', page: 'flats' })
  t.match(resolve(at('/residents'), caretaker), { kind: 'page', page: 'residents' })
  t.match(resolve(at('/reseau'), resident), { kind: 'page', page: 'forbidden' })
  t.match(resolve(at('/reseau'), caretaker), { kind: 'page', page: 'network' })
  t.same(resolve(at('/reseau'), null), { kind: 'redirect', to: '/connexion?next=%2Freseau' })
})

t.test('unknown addresses are not found; trailing slashes and case do not matter', async (t) => {
  t.match(resolve(at('/nowhere'), null), { kind: 'page', page: 'not-found' })
  t.match(resolve(at('/Connexion/'), null), { kind: 'page', page: 'login' })
  t.equal(normalizePath('/'), '/')
  t.equal(normalizePath('//'), '/')
  t.equal(normalizePath('/logements/'), '/logements')
})

t.test('safeNext only allows paths of this site', async (t) => {
  t.equal(safeNext('/logements'), '/logements')
  t.equal(safeNext('/rejoindre?code=A'), '/rejoindre?code=A')
  t.equal(safeNext(null), paths.home)
  t.equal(safeNext(''), paths.home)
  t.equal(safeNext('//evil.example/x'), paths.home)
  t.equal(safeNext('/\\evil.example'), paths.home)
  t.equal(safeNext('https://evil.example/'), paths.home)
  t.equal(safeNext('javascript:alert(1)'), paths.home)
  t.equal(safeNext('/api/v1/session'), paths.home)
})

t.test('shouldIntercept handles plain clicks on links to app pages only', async (t) => {
  const here = { origin: 'http://palier.test', pathname: '/', search: '' }
  const plain = { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }
  const self = { target: '', download: false }
  const url = (s: string) => new URL(s, 'http://palier.test')
  t.equal(shouldIntercept(url('/connexion'), here, plain, self), true)
  t.equal(shouldIntercept(url('/logements'), here, plain, { target: '_self', download: false }), true)
  t.equal(shouldIntercept(url('/connexion'), here, { ...plain, ctrlKey: true }, self), false)
  t.equal(shouldIntercept(url('/connexion'), here, { ...plain, button: 1 }, self), false)
  t.equal(shouldIntercept(url('/connexion'), here, plain, { target: '_blank', download: false }), false)
  t.equal(shouldIntercept(url('/connexion'), here, plain, { target: '', download: true }), false)
  t.equal(shouldIntercept(url('http://other.test/connexion'), here, plain, self), false)
  t.equal(shouldIntercept(url('/api/v1/print/invitations?flat=1'), here, plain, self), false)
  t.equal(shouldIntercept(url('/#main'), here, plain, self), false)
  t.equal(shouldIntercept(url('/compte#main'), here, plain, self), true)
})

t.test('notice board and incident pages', async (t) => {
  t.match(resolve(at('/annonces'), resident), { kind: 'page', page: 'board' })
  t.match(resolve(at('/annonces/nouvelle'), resident), { kind: 'page', page: 'notice-new' })
  t.match(resolve(at('/annonces/gestion'), resident), { kind: 'page', page: 'forbidden' })
  t.match(resolve(at('/annonces/gestion'), caretaker), { kind: 'page', page: 'notices-admin' })
  t.match(resolve(at('/signalements/'), resident), { kind: 'page', page: 'incidents' })
  t.match(resolve(at('/signalements/nouveau'), resident), { kind: 'page', page: 'incident-new' })
  t.match(resolve(at('/annonces'), null), { kind: 'redirect', to: '/connexion?next=%2Fannonces' })
})

t.test('an incident’s address carries its id, in the case it was written', async (t) => {
  const id = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'
  t.equal(incidentPath(id), `/signalements/${id}`)
  t.match(resolve({ pathname: `/signalements/${id}`, search: '' }, resident), { kind: 'page', page: 'incident', params: { id } })
  t.match(resolve({ pathname: '/Signalements/AbC/', search: '' }, resident), { kind: 'page', page: 'incident', params: { id: 'AbC' } })
  t.match(resolve({ pathname: '/signalements/a/b', search: '' }, resident), { kind: 'page', page: 'not-found' })
  t.match(resolve({ pathname: '/signalements/%E0%A4%A', search: '' }, resident), { kind: 'page', page: 'not-found' })
  t.match(resolve({ pathname: '/annonces/abc', search: '' }, resident), { kind: 'page', page: 'not-found' })
  t.match(resolve({ pathname: `/signalements/${id}`, search: '' }, null), { kind: 'redirect', to: `/connexion?next=${encodeURIComponent('/signalements/' + id)}` })
})

t.test('files pages: for everyone signed in; the storage view for the caretaker only', async (t) => {
  t.match(resolve(at('/fichiers?espace=partage'), resident), { kind: 'page', page: 'files' })
  t.match(resolve(at('/fichiers/corbeille'), resident), { kind: 'page', page: 'files-trash' })
  t.match(resolve(at('/fichiers/stockage'), resident), { kind: 'page', page: 'forbidden' })
  t.match(resolve(at('/fichiers/stockage'), caretaker), { kind: 'page', page: 'files-usage' })
  t.same(resolve(at('/fichiers?espace=foyer'), null), { kind: 'redirect', to: '/connexion?next=%2Ffichiers%3Fespace%3Dfoyer' })
  t.equal(shouldIntercept(new URL('http://palier.test/api/v1/files/x/content'), { origin: 'http://palier.test', ...at('/fichiers') }, { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }, { target: '', download: false }), false, 'file links go to the browser')
})

t.test('the exchange pages: fixed ones, and listings, conversations and households by id', async (t) => {
  t.match(resolve(at('/echanges'), resident), { kind: 'page', page: 'exchange' })
  t.match(resolve(at('/echanges/nouvelle'), resident), { kind: 'page', page: 'exchange-new' })
  t.match(resolve(at('/echanges/mes-annonces'), resident), { kind: 'page', page: 'exchange-mine' })
  t.match(resolve(at('/echanges/messages'), resident), { kind: 'page', page: 'exchange-messages' })
  t.match(resolve(at('/echanges/prets'), resident), { kind: 'page', page: 'exchange-loans' })
  t.match(resolve(at(listingPath('L1')), resident), { kind: 'page', page: 'exchange-listing', params: { id: 'L1' } })
  t.match(resolve(at(conversationPath('C1')), resident), { kind: 'page', page: 'exchange-conversation', params: { id: 'C1' } })
  t.match(resolve(at(householdPath('F1')), resident), { kind: 'page', page: 'exchange-household', params: { id: 'F1' } })
  t.same(resolve(at('/echanges'), null), { kind: 'redirect', to: '/connexion?next=%2Fechanges' })
})
