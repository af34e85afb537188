// QR codes of the intranet's address, as inline SVG. The qrcode module is loaded on first use
// (as for the invitation letters) and the few addresses a box has are kept once drawn.
const cache = new Map<string, string>()

export async function qrSvg(text: string): Promise<string> {
  let svg = cache.get(text)
  if (svg === undefined) {
    const { default: QRCode } = await import('qrcode')
    svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    if (cache.size >= 8) cache.clear()
    cache.set(text, svg)
  }
  return svg
}
