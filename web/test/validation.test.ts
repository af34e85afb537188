// The checks made before a form is sent, and the decoding of imported spreadsheets.
import t from 'tap'
import {
  canonicalLogin,
  checkDisplayName,
  checkLogin,
  checkNewAccount,
  checkNewPassword,
  cleanDisplayName,
  isCompleteCode,
  normalizeCode,
} from '../src/forms/validation.js'
import { newAccountBody } from '../src/forms/new-account.js'
import { decodeText } from '../src/forms/text-file.js'

t.test('logins: 3 to 32 letters, digits, dot, dash, underscore; any script', async (t) => {
  t.equal(checkLogin('amina'), null)
  t.equal(checkLogin('  Jean.Dupont-2 '), null)
  t.equal(checkLogin('أمينة'), null)
  t.equal(checkLogin('ab'), 'validation.loginInvalid')
  t.equal(checkLogin('jean dupont'), 'validation.loginInvalid')
  t.equal(checkLogin('a'.repeat(33)), 'validation.loginInvalid')
  t.equal(checkLogin('amina@example'), 'validation.loginInvalid')
  t.equal(canonicalLogin('  Amina '), 'amina')
})

t.test('display names: 1 to 60 characters once spaces are tidied', async (t) => {
  t.equal(cleanDisplayName('  Amina   du 3e '), 'Amina du 3e')
  t.equal(checkDisplayName('Amina'), null)
  t.equal(checkDisplayName('   '), 'validation.displayNameInvalid')
  t.equal(checkDisplayName('é'.repeat(60)), null)
  t.equal(checkDisplayName('é'.repeat(61)), 'validation.displayNameInvalid')
  t.equal(checkDisplayName('😀'.repeat(60)), null, 'counts characters, not UTF-16 units')
})

t.test('new passwords: long enough, not the login, typed twice the same', async (t) => {
  t.equal(checkNewPassword('correct horse battery', 'correct horse battery', 'amina'), null)
  t.same(checkNewPassword('short', 'short'), { field: 'password', key: 'validation.passwordTooShort' })
  t.same(checkNewPassword('amina1234', 'amina1234', 'Amina'), { field: 'password', key: 'validation.passwordIsLogin' })
  t.same(checkNewPassword('correct horse battery', 'correct horse batery'), { field: 'confirm', key: 'validation.passwordMismatch' })
  t.equal(checkNewPassword('😀😀😀😀😀😀😀😀', '😀😀😀😀😀😀😀😀'), null, '8 characters even if 16 UTF-16 units')
})

t.test('a new account is checked in the order of the form', async (t) => {
  const ok = { login: 'amina', displayName: 'Amina', password: 'correct horse battery', confirm: 'correct horse battery' }
  t.equal(checkNewAccount(ok), null)
  t.same(checkNewAccount({ ...ok, login: 'a b', displayName: '' }), { field: 'login', key: 'validation.loginInvalid' })
  t.same(checkNewAccount({ ...ok, displayName: ' ' }), { field: 'displayName', key: 'validation.displayNameInvalid' })
  t.same(checkNewAccount({ ...ok, confirm: 'x' }), { field: 'confirm', key: 'validation.passwordMismatch' })
})

t.test('a new account is sent with its login and name tidied, the code as given', async (t) => {
  const typed = { login: ' Amina.B ', displayName: '  Amina   B. ', password: ' pass word ', confirm: ' pass word ' }
  t.same(newAccountBody('ABCD-EFGH-JKLM', typed), {
    code: 'ABCD-EFGH-JKLM',
    login: 'amina.b',
    displayName: 'Amina B.',
    password: ' pass word ',
  })
})

t.test('codes are tidied the way the server reads them', async (t) => {
  t.equal(normalizeCode('acde fghj kmnp'), 'ACDE-FGHJ-KMNP')
  t.equal(normalizeCode(' ACDE-FGHJ-KMNP '), 'ACDE-FGHJ-KMNP')
  t.equal(normalizeCode('acdefghjkmnp'), 'ACDE-FGHJ-KMNP')
  t.equal(normalizeCode('acd'), 'ACD')
  t.equal(isCompleteCode('acde-fghj-kmnp'), true)
  t.equal(isCompleteCode('ACDE-FGHJ'), false)
  t.equal(isCompleteCode('ACDE-FGHJ-KMNP-QRTW'), false)
})

t.test('spreadsheet files: UTF-8 (with or without BOM) or Windows-1252', async (t) => {
  const utf8 = new TextEncoder().encode('logement;porte\nBâtiment A;12\n')
  t.equal(decodeText(utf8), 'logement;porte\nBâtiment A;12\n')
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])
  t.equal(decodeText(bom), 'logement;porte\nBâtiment A;12\n')
  // "Bâtiment" as Excel for Windows saves it: â is 0xE2.
  const cp1252 = new Uint8Array([0x42, 0xe2, 0x74, 0x69, 0x6d, 0x65, 0x6e, 0x74, 0x3b, 0x80])
  t.equal(decodeText(cp1252), 'Bâtiment;€')
  t.equal(decodeText(new Uint8Array([0x9c, 0x75, 0x66, 0x92])), 'œuf’')
})
