// Reads the flats CSV the caretaker exports from a spreadsheet: a header row naming the columns
// (French or English names), `;` or `,` separated, double quotes for fields with separators.
import { labelKey, type NewFlat } from './store.js'

export class CsvLineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`)
  }
}

const COLUMNS: Record<keyof NewFlat, string[]> = {
  entrance: ['entrance', 'entree', 'escalier', 'staircase', 'batiment', 'building'],
  floor: ['floor', 'etage', 'niveau'],
  door: ['door', 'porte', 'numero', 'number'],
  label: ['label', 'libelle', 'logement', 'flat', 'nom', 'name'],
}

function bare(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
}

function splitLine(line: string, sep: string, lineNo: number): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field.trim() === '') {
      field = ''
      quoted = true
    } else if (c === sep) {
      out.push(field.trim())
      field = ''
    } else field += c
  }
  if (quoted) throw new CsvLineError(lineNo, 'CSV_UNCLOSED_QUOTE')
  out.push(field.trim())
  return out
}

export const MAX_IMPORT_ROWS = 2000

/** Parses the whole file or throws the first bad line; reasons are catalogue codes. */
export function parseFlatsCsv(text: string): NewFlat[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  const headerIndex = lines.findIndex((l) => l.trim() !== '')
  if (headerIndex < 0) throw new CsvLineError(1, 'CSV_EMPTY')
  const headerLine = lines[headerIndex]!
  const sep = (headerLine.match(/;/g)?.length ?? 0) >= (headerLine.match(/,/g)?.length ?? 0) ? ';' : ','
  const headers = splitLine(headerLine, sep, headerIndex + 1).map(bare)
  const index = {} as Record<keyof NewFlat, number>
  for (const key of Object.keys(COLUMNS) as (keyof NewFlat)[]) {
    index[key] = headers.findIndex((h) => COLUMNS[key].includes(h))
  }
  if (index.label < 0 && index.door < 0) throw new CsvLineError(headerIndex + 1, 'CSV_NO_COLUMNS')

  const flats: NewFlat[] = []
  const seen = new Map<string, number>()
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!
    if (raw.trim() === '' || /^[;,\s]*$/.test(raw)) continue
    const cells = splitLine(raw, sep, i + 1)
    const get = (k: keyof NewFlat) => (index[k] >= 0 ? (cells[index[k]] ?? '') : '').normalize('NFC').slice(0, 80)
    const flat = { entrance: get('entrance'), floor: get('floor'), door: get('door'), label: get('label') }
    if (!flat.label) flat.label = defaultLabel(flat)
    if (!flat.label) throw new CsvLineError(i + 1, 'CSV_NO_LABEL')
    const key = labelKey(flat.label)
    if (seen.has(key)) throw new CsvLineError(i + 1, 'CSV_DUPLICATE')
    seen.set(key, i + 1)
    flats.push(flat)
    if (flats.length > MAX_IMPORT_ROWS) throw new CsvLineError(i + 1, 'CSV_TOO_MANY')
  }
  if (flats.length === 0) throw new CsvLineError(headerIndex + 2, 'CSV_EMPTY')
  return flats
}

/** "Entrée A – étage 3 – porte 12", from whichever parts are known. */
export function defaultLabel(f: Omit<NewFlat, 'label'>): string {
  return [f.entrance && `Entrée ${f.entrance}`, f.floor && `étage ${f.floor}`, f.door && `porte ${f.door}`].filter(Boolean).join(' – ')
}
