// Printed notices for the paper board in the hall: an A4 poster of one notice, and a weekly digest
// of the board with a QR code to the intranet. Self-contained HTML (inline SVG QR, no script).
import { escapeHtml } from './format.js'
import type { Notice } from './schema.js'

const KIND_LABEL: Record<Notice['kind'], string> = {
  urgent: '⚠ URGENT',
  works: 'Travaux',
  info: 'Information',
  event: 'Événement',
}

const STYLE = `
  @page { size: A4; margin: 15mm; }
  * { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; margin: 0; }
  .page { max-width: 180mm; margin: 0 auto; }
  .kind { display: inline-block; font-weight: bold; font-size: 14pt; border: 2px solid #111; padding: 1mm 4mm; text-transform: uppercase; }
  .urgent .kind { background: #111; color: #fff; }
  .poster h1 { font-size: 32pt; line-height: 1.15; margin: 6mm 0; }
  .poster .body { font-size: 16pt; line-height: 1.45; }
  .digest h1 { font-size: 22pt; margin: 0 0 2mm; }
  .digest article { border-top: 1px solid #999; padding: 3mm 0; break-inside: avoid; }
  .digest article.urgent { border: 3px solid #111; padding: 3mm; margin: 2mm 0; }
  .digest h2 { font-size: 15pt; margin: 2mm 0; }
  .digest .body { font-size: 11.5pt; line-height: 1.4; }
  .dates { font-size: 11pt; color: #333; margin: 2mm 0; }
  .poster .dates { font-size: 14pt; }
  img { max-width: 100%; max-height: 90mm; margin: 3mm 0; }
  .qr-block { display: flex; gap: 6mm; align-items: center; margin-top: 8mm; border-top: 2px solid #111; padding-top: 4mm; font-size: 12pt; }
  .qr { width: 38mm; height: 38mm; flex: none; }
  .qr svg { width: 100%; height: 100%; }
  .url { font: bold 13pt ui-monospace, "DejaVu Sans Mono", monospace; }
  @media screen { body { background: #eee; } .page { background: #fff; margin: 8mm auto; padding: 12mm; box-shadow: 0 1px 4px #0003; } }
`

// Made on first use: locale data is paged in from the ICU tables only when something is printed.
let dateFr: Intl.DateTimeFormat | undefined
const formatDate = (ms: number) => (dateFr ??= new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short' })).format(new Date(ms))

function dates(n: Notice): string {
  const from = `À partir du ${formatDate(n.startsAt)}`
  return n.expiresAt === null ? from : `${from}, jusqu’au ${formatDate(n.expiresAt)}`
}

function page(title: string, className: string, content: string): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main class="page ${className}">
${content}
</main></body>
</html>
`
}

async function qrBlock(link: string): Promise<string> {
  // Loaded on the first print, not at start-up: most days nobody prints, and RAM is scarce.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `<div class="qr-block"><div class="qr" role="img" aria-label="QR code vers ${escapeHtml(link)}">${svg}</div>
  <p>Toutes les annonces de l’immeuble, sur le Wi-Fi de l’immeuble :<br><span class="url">${escapeHtml(link)}</span></p></div>`
}

/** The board page of the intranet, where the QR codes lead. */
export function boardLink(baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/annonces`
}

export async function noticePoster(buildingName: string, baseUrl: string, n: Notice): Promise<string> {
  const images = n.images.map((i) => `<img src="${escapeHtml(i.url)}" alt="">`).join('')
  return page(
    n.title,
    `poster ${n.kind}`,
    `<p class="building">${escapeHtml(buildingName)}</p>
<p class="kind">${KIND_LABEL[n.kind]}</p>
<h1>${escapeHtml(n.title)}</h1>
<p class="dates">${escapeHtml(dates(n))}</p>
<div class="body">${n.bodyHtml}</div>
${images}
${await qrBlock(boardLink(baseUrl))}`,
  )
}

export async function boardDigest(buildingName: string, baseUrl: string, notices: Notice[], now: number): Promise<string> {
  const items = notices
    .map(
      (n) => `<article class="${n.kind}" data-notice="${escapeHtml(n.id)}">
  <p class="kind">${KIND_LABEL[n.kind]}</p>
  <h2>${escapeHtml(n.title)}</h2>
  <p class="dates">${escapeHtml(dates(n))}</p>
  <div class="body">${n.bodyHtml}</div>
</article>`,
    )
    .join('\n')
  return page(
    `Annonces – ${buildingName}`,
    'digest',
    `<h1>${escapeHtml(buildingName)} : les annonces de la semaine</h1>
<p class="dates">Semaine du ${escapeHtml(formatDate(now))}</p>
${items || '<p>Aucune annonce cette semaine.</p>'}
${await qrBlock(boardLink(baseUrl))}`,
  )
}
