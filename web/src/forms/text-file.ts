// Turns the bytes of a spreadsheet export into text. Excel in France often saves CSV in
// Windows-1252, not UTF-8: "Bâtiment" would arrive as "B�timent" if we assumed UTF-8.

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, œ, curly quotes…). Decoded by hand:
// some TextDecoder implementations (Node's among them) treat it as plain Latin-1.
const CP1252_HIGH =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'

function decodeWindows1252(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b)
  return out
}

export function decodeText(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = decodeWindows1252(bytes)
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
