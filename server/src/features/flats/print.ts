// The printed invitation letter: one A4 page per flat, in French (with a line in English and
// Arabic), for the mailboxes. The QR code is inline SVG so the page needs nothing else.
import type { Flat, Invite } from './store.js'

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function joinLink(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/$/, '')}/rejoindre?code=${encodeURIComponent(code)}`
}

const STYLE = `
  @page { size: A4; margin: 18mm; }
  * { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; margin: 0; }
  .letter { page-break-after: always; break-after: page; max-width: 174mm; margin: 0 auto; padding: 8mm 0; }
  .letter:last-child { page-break-after: auto; break-after: auto; }
  h1 { font-size: 22pt; margin: 0 0 4mm; }
  .flat { font-size: 14pt; margin: 0 0 8mm; }
  ol { font-size: 13pt; line-height: 1.5; padding-inline-start: 7mm; }
  li { margin-bottom: 4mm; }
  .code { font: bold 26pt/1.2 ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: 2pt; white-space: nowrap; border: 2px solid #111; padding: 3mm 5mm; display: inline-block; }
  .url { font: bold 14pt ui-monospace, "DejaVu Sans Mono", monospace; }
  .qr { width: 55mm; height: 55mm; margin: 4mm 0; }
  .qr svg { width: 100%; height: 100%; }
  .small { font-size: 10pt; color: #333; }
  .other { margin-top: 10mm; font-size: 11pt; border-top: 1px solid #999; padding-top: 4mm; }
  .empty { font-size: 14pt; padding: 20mm; }
  @media screen { body { background: #eee; } .letter { background: #fff; margin: 8mm auto; padding: 12mm; box-shadow: 0 1px 4px #0003; } }
`

// Made on first use: locale data is paged in from the ICU tables only when a letter is printed.
let dateFr: Intl.DateTimeFormat | undefined
const formatDate = (ms: number) => (dateFr ??= new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' })).format(new Date(ms))

async function letter(buildingName: string, baseUrl: string, flat: Flat, invite: Invite): Promise<string> {
  const link = joinLink(baseUrl, invite.code)
  // Loaded on the first print, not at start-up: most days nobody prints, and RAM is scarce.
  const { default: QRCode } = await import('qrcode')
  const qr = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `<section class="letter" data-flat="${escapeHtml(flat.id)}">
  <h1>${escapeHtml(buildingName)} : votre intranet d’immeuble</h1>
  <p class="flat">Logement : <strong>${escapeHtml(flat.label)}</strong></p>
  <p>Bonjour,<br>votre immeuble a son propre site, réservé aux habitants : les annonces du gardien et du bailleur,
  les signalements de pannes, les documents de l’immeuble et l’entraide entre voisins. Il fonctionne sur le Wi-Fi de
  l’immeuble, sans internet, et ce que vous y écrivez reste dans l’immeuble.</p>
  <ol>
    <li>Connectez votre téléphone au <strong>Wi-Fi de l’immeuble</strong>.</li>
    <li>Scannez ce code avec l’appareil photo :<div class="qr" role="img" aria-label="QR code vers ${escapeHtml(link)}">${qr}</div>
      ou ouvrez l’adresse <span class="url">${escapeHtml(baseUrl.replace(/\/$/, ''))}</span> puis « J’ai un code d’invitation ».</li>
    <li>Entrez votre code d’invitation : <span class="code" data-code>${escapeHtml(invite.code)}</span></li>
    <li>Choisissez un identifiant, votre nom affiché et un mot de passe.</li>
  </ol>
  <p class="small">Ce code sert à toutes les personnes du logement, jusqu’au ${escapeHtml(formatDate(invite.expiresAt))}.
  Gardez cette lettre pour vous : elle donne accès à l’intranet. Une question ? Adressez-vous au gardien.</p>
  <div class="other">
    <p lang="en" class="small">Your building’s intranet: join the building Wi-Fi, scan the code, enter the invitation code above.</p>
    <p lang="ar" dir="rtl" class="small">الشبكة الداخلية لعمارتك: اتصل بشبكة واي فاي العمارة، امسح الرمز، ثم أدخل رمز الدعوة أعلاه.</p>
  </div>
</section>`
}

export async function invitationLetters(
  buildingName: string,
  baseUrl: string,
  items: { flat: Flat; invite: Invite | undefined }[],
): Promise<string> {
  const pages: string[] = []
  for (const { flat, invite } of items) {
    pages.push(
      invite
        ? await letter(buildingName, baseUrl, flat, invite)
        : `<section class="letter empty">Logement ${escapeHtml(flat.label)} : aucune invitation valable. Créez-en une sur la page Logements.</section>`,
    )
  }
  if (pages.length === 0) pages.push('<section class="letter empty">Aucune invitation à imprimer.</section>')
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invitations – ${escapeHtml(buildingName)}</title>
<style>${STYLE}</style>
</head>
<body>
${pages.join('\n')}
</body>
</html>`
}
