// The welcome pages of the captive portal, rendered on the box: they must work in the phones'
// captive-portal sheets, which may run no script, keep no storage and install no service worker.
// So: plain HTML and a form, pictures as inline SVG, styles inline (the CSP allows inline styles,
// never inline scripts), and nothing fetched but the page itself.
import type { Language } from '../../config.js'
import { LANGUAGES } from '../../config.js'
import { translate } from '../../i18n/messages.js'
import { welcomeText, type WelcomeText } from '../../i18n/welcome.js'
import { escapeHtml } from '../flats/print.js'

export const ENTER_PATH = '/bienvenue/entrer'
export const OK_PATH = '/bienvenue/ok'

const STYLE = `
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Arial, sans-serif; color: #102a43; background: #f0f4f8; }
  main { max-width: 36rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
  h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.25rem; }
  h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; }
  h3 { font-size: 1.1rem; margin: 0 0 0.5rem; }
  .building { margin: 0 0 1rem; color: #334e68; font-weight: 600; }
  .langs { display: flex; gap: 1rem; justify-content: flex-end; padding: 0.5rem 1rem; font-size: 1rem; }
  .langs a { color: #0b4f8a; padding: 0.25rem 0; }
  .langs a[aria-current] { font-weight: 700; text-decoration: none; color: #102a43; }
  figure { margin: 0.5rem 0 1rem; }
  svg.pic { width: 100%; height: auto; display: block; }
  .card { background: #fff; border-radius: 12px; padding: 1rem; margin: 1rem 0; box-shadow: 0 1px 3px #0002; }
  .card svg.pic { max-width: 16rem; margin: 0 auto 0.5rem; }
  ol { padding-inline-start: 1.5rem; margin: 0; }
  li { margin-bottom: 0.5rem; }
  form { margin: 1.5rem 0 0.5rem; }
  button { font: inherit; font-size: 1.4rem; font-weight: 700; width: 100%; min-height: 3.5rem; border: 0; border-radius: 12px; color: #fff; background: #0b6e4f; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #f0b429; outline-offset: 3px; }
  .hint { font-size: 1rem; color: #334e68; margin-top: 0.25rem; }
  .alert { border-inline-start: 6px solid #ba2525; background: #ffe3e3; padding: 0.75rem 1rem; border-radius: 8px; }
  .done { border-inline-start: 6px solid #0b6e4f; background: #e3f9e5; padding: 0.75rem 1rem; border-radius: 8px; }
  .address { font: 700 1.4rem/1.3 ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; background: #fff; border: 2px solid #102a43; border-radius: 8px; padding: 0.5rem 0.75rem; display: inline-block; }
  .open { display: block; text-align: center; font-size: 1.2rem; font-weight: 700; color: #fff; background: #0b4f8a; border-radius: 12px; padding: 0.9rem; margin: 1rem 0; text-decoration: none; }
  .qr { width: 14rem; max-width: 100%; margin: 1rem auto; background: #fff; }
  .qr svg { width: 100%; height: auto; display: block; }
`

function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '')
}

/** The hero picture: the building sends Wi-Fi to a phone; the internet is crossed out. */
function heroPicture(t: WelcomeText): string {
  const windows: string[] = []
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) windows.push(`<rect x="${30 + col * 20}" y="${52 + row * 17}" width="10" height="9" rx="1" fill="#9fb3c8"/>`)
  }
  return `<svg class="pic" viewBox="0 0 320 150" role="img" aria-label="${escapeHtml(t.heroAlt)}" xmlns="http://www.w3.org/2000/svg">
<title>${escapeHtml(t.heroAlt)}</title>
<rect x="20" y="42" width="70" height="100" rx="3" fill="#d9e2ec" stroke="#243b53" stroke-width="3"/>
${windows.join('')}
<rect x="48" y="122" width="14" height="20" fill="#627d98"/>
<g fill="none" stroke="#0b6e4f" stroke-width="5" stroke-linecap="round">
<path d="M40 24 a22 22 0 0 1 30 0"/><path d="M31 15 a35 35 0 0 1 48 0"/>
<path d="M110 80 a22 22 0 0 1 0 30"/><path d="M122 70 a36 36 0 0 1 0 50"/>
</g>
<circle cx="55" cy="32" r="4" fill="#0b6e4f"/>
<rect x="140" y="52" width="46" height="86" rx="8" fill="#fff" stroke="#243b53" stroke-width="3"/>
<rect x="147" y="62" width="32" height="60" rx="2" fill="#d9f2e6"/>
<path d="M154 92 l7 7 l12 -14" fill="none" stroke="#0b6e4f" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
<circle cx="163" cy="130" r="3" fill="#243b53"/>
<g fill="none" stroke="#829ab1" stroke-width="3">
<circle cx="265" cy="92" r="32"/><ellipse cx="265" cy="92" rx="13" ry="32"/><path d="M233 92 h64 M238 76 h54 M238 108 h54"/>
</g>
<path d="M230 57 l70 70 M300 57 l-70 70" stroke="#ba2525" stroke-width="7" stroke-linecap="round"/>
</svg>`
}

/** Android's "no internet access" question, with "Yes" circled. */
function androidPicture(t: WelcomeText): string {
  return `<svg class="pic" viewBox="0 0 200 170" role="img" aria-label="${escapeHtml(t.androidAlt)}" xmlns="http://www.w3.org/2000/svg">
<title>${escapeHtml(t.androidAlt)}</title>
<rect x="45" y="5" width="110" height="160" rx="14" fill="#fff" stroke="#243b53" stroke-width="3"/>
<rect x="53" y="40" width="94" height="96" rx="8" fill="#f0f4f8" stroke="#9fb3c8" stroke-width="2"/>
<g fill="none" stroke="#243b53" stroke-width="3" stroke-linecap="round"><path d="M88 60 a17 17 0 0 1 24 0"/><path d="M93 66 a9 9 0 0 1 14 0"/></g>
<circle cx="100" cy="72" r="3" fill="#243b53"/>
<rect x="62" y="84" width="76" height="5" rx="2" fill="#9fb3c8"/>
<rect x="62" y="94" width="60" height="5" rx="2" fill="#9fb3c8"/>
<rect x="60" y="110" width="34" height="18" rx="4" fill="#d9e2ec"/>
<rect x="102" y="110" width="38" height="18" rx="4" fill="#0b6e4f"/>
<text x="121" y="123.5" font-size="11" font-weight="700" fill="#fff" text-anchor="middle" font-family="system-ui, sans-serif">${escapeHtml(t.androidYes)}</text>
<ellipse cx="121" cy="119" rx="29" ry="18" fill="none" stroke="#f0b429" stroke-width="4"/>
</svg>`
}

/** The iPhone's captive-portal sheet, with "OK" circled at the top right. */
function iphonePicture(t: WelcomeText): string {
  return `<svg class="pic" viewBox="0 0 200 170" role="img" aria-label="${escapeHtml(t.iphoneAlt)}" xmlns="http://www.w3.org/2000/svg">
<title>${escapeHtml(t.iphoneAlt)}</title>
<rect x="45" y="5" width="110" height="160" rx="18" fill="#fff" stroke="#243b53" stroke-width="3"/>
<rect x="80" y="12" width="40" height="7" rx="3.5" fill="#243b53"/>
<rect x="53" y="26" width="94" height="20" fill="#f0f4f8"/>
<rect x="58" y="33" width="26" height="6" rx="3" fill="#9fb3c8"/>
<text x="132" y="41" font-size="11" font-weight="700" fill="#0b4f8a" text-anchor="middle" font-family="system-ui, sans-serif">${escapeHtml(t.iphoneDone)}</text>
<ellipse cx="132" cy="37" rx="19" ry="13" fill="none" stroke="#f0b429" stroke-width="4"/>
<path d="M86 88 l10 10 l18 -22" fill="none" stroke="#0b6e4f" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>
<rect x="62" y="112" width="76" height="5" rx="2" fill="#9fb3c8"/>
<rect x="70" y="122" width="60" height="5" rx="2" fill="#9fb3c8"/>
</svg>`
}

function languageLinks(lang: Language): string {
  const label = welcomeText[lang].languagesLabel
  const links = LANGUAGES.map((l) => {
    const current = l === lang ? ' aria-current="true"' : ''
    return `<a href="?lang=${l}" lang="${l}" hreflang="${l}"${current}>${escapeHtml(welcomeText[l].languageName)}</a>`
  })
  return `<nav class="langs" aria-label="${escapeHtml(label)}">${links.join('')}</nav>`
}

function page(lang: Language, title: string, body: string): string {
  const t = welcomeText[lang]
  return `<!doctype html>
<html lang="${lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${languageLinks(lang)}
<main>
${body}
</main>
</body>
</html>
`
}

function openBlock(t: WelcomeText, address: string): string {
  return `<h2 id="open">${escapeHtml(t.openTitle)}</h2>
<p>${escapeHtml(t.openText)}</p>
<p><bdi dir="ltr" class="address" data-address>${escapeHtml(address)}</bdi></p>
<a class="open" href="${escapeHtml(address)}">${escapeHtml(t.openLink)}</a>`
}

export interface WelcomeOptions {
  lang: Language
  buildingName: string
  /** The device already tapped "Entrer". */
  accepted: boolean
  /** The intranet's address, shown to a device already in. */
  address: string
  /** An error code to show (from the message catalogue). */
  error?: string
}

/** GET /bienvenue: what this network is, "Entrer", and how to keep each phone connected. */
export function welcomePage(o: WelcomeOptions): string {
  const t = welcomeText[o.lang]
  const building = escapeHtml(o.buildingName)
  const error = o.error ? `<p class="alert" role="alert" data-code="${escapeHtml(o.error)}">${escapeHtml(translate(o.lang, o.error) ?? o.error)}</p>` : ''
  const entry = o.accepted
    ? `<p class="done" role="status">${escapeHtml(t.alreadyIn)}</p>\n${openBlock(t, o.address)}`
    : `<form method="post" action="${ENTER_PATH}">
<input type="hidden" name="lang" value="${o.lang}">
<button type="submit">${escapeHtml(t.enter)}</button>
</form>
<p class="hint">${escapeHtml(t.enterHint)}</p>`
  const steps = (list: readonly string[]) => `<ol>${list.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`
  return page(
    o.lang,
    `${t.title} – ${o.buildingName}`,
    `<h1>${escapeHtml(t.title)}</h1>
<p class="building">${building}</p>
<figure>${heroPicture(t)}</figure>
<p>${fill(escapeHtml(t.intro), { building: `<strong>${building}</strong>` })}</p>
<p>${escapeHtml(t.what)}</p>
${error}
${entry}
<section aria-labelledby="keep">
<h2 id="keep">${escapeHtml(t.keepTitle)}</h2>
<p>${escapeHtml(t.keepIntro)}</p>
<div class="card"><h3>${escapeHtml(t.androidTitle)}</h3>
${androidPicture(t)}
${steps(t.androidSteps)}</div>
<div class="card"><h3>${escapeHtml(t.iphoneTitle)}</h3>
${iphonePicture(t)}
${steps(t.iphoneSteps)}</div>
</section>`,
  )
}

export interface OkOptions {
  lang: Language
  buildingName: string
  address: string
  /** The address's QR code, an SVG document. */
  qr: string
}

/** GET /bienvenue/ok: the device is in; hand over to the phone's real browser. */
export function okPage(o: OkOptions): string {
  const t = welcomeText[o.lang]
  return page(
    o.lang,
    `${t.okTitle} – ${o.buildingName}`,
    `<h1>${escapeHtml(t.okTitle)}</h1>
<p class="building">${escapeHtml(o.buildingName)}</p>
<p class="done" role="status">${escapeHtml(t.okClose)}</p>
${openBlock(t, o.address)}
<div class="qr" role="img" aria-label="${escapeHtml(fill(t.qrAlt, { address: o.address }))}">${o.qr}</div>
<p class="hint">${escapeHtml(t.qrText)}</p>`,
  )
}
