// The notice body's small formatting subset, rendered to HTML on the server: paragraphs (blank
// line), lists ("- " or "* "), **bold**, [text](url) and bare http(s) links. Everything else is
// text and escaped, so no markup, script or event attribute can come through.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// Links may go to http(s) or to a path of the box; never javascript:, data:, //other-host …
function safeHref(url: string): string | undefined {
  if (/^\/(?![/\\])/.test(url)) return url
  if (!/^https?:\/\//i.test(url)) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

/** Links out of the box open in a new tab; paths of the intranet itself stay in the app. */
function anchor(href: string, inner: string): string {
  const away = /^https?:/i.test(href) ? ' rel="noopener noreferrer" target="_blank"' : ''
  return `<a href="${escapeHtml(href)}"${away}>${inner}</a>`
}

const INLINE = /\[([^\]\n]{1,300})\]\(([^()\s]{1,2000})\)|\*\*(?=\S)([^\n]{1,500}?)\*\*|(https?:\/\/[^\s<>"'`]+)/gi

/** A bare URL ends before trailing punctuation (and a closing parenthesis it did not open). */
function trimUrl(url: string): [string, string] {
  let end = url.length
  while (end > 0 && /[.,;:!?)\]'"»]/.test(url[end - 1]!)) {
    const head = url.slice(0, end)
    if (url[end - 1] === ')' && head.split('(').length >= head.split(')').length) break
    end--
  }
  return [url.slice(0, end), url.slice(end)]
}

function inline(text: string, inLink = false): string {
  let out = ''
  let last = 0
  for (const m of text.matchAll(INLINE)) {
    const at = m.index!
    out += escapeHtml(text.slice(last, at))
    last = at + m[0].length
    const [whole, linkText, linkUrl, bold, bare] = m
    if (linkText !== undefined && linkUrl !== undefined) {
      const href = inLink ? undefined : safeHref(linkUrl)
      out += href ? anchor(href, inline(linkText, true)) : escapeHtml(whole)
    } else if (bold !== undefined) {
      out += `<strong>${inline(bold, inLink)}</strong>`
    } else if (bare !== undefined) {
      const [url, rest] = trimUrl(bare)
      const href = inLink ? undefined : safeHref(url)
      out += (href ? anchor(href, escapeHtml(url)) : escapeHtml(url)) + escapeHtml(rest)
    }
  }
  return out + escapeHtml(text.slice(last))
}

const ITEM = /^\s*[-*]\s+/

/** Renders the source text of a notice body to safe HTML. */
export function renderBody(source: string): string {
  const blocks = source
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => b.replace(/^\n+|\n+$/g, ''))
    .filter((b) => b.trim() !== '')
  const html: string[] = []
  for (const block of blocks) {
    let para: string[] = []
    let items: string[] = []
    const flushPara = () => {
      if (para.length) html.push(`<p>${para.map((l) => inline(l.trim())).join('<br>')}</p>`)
      para = []
    }
    const flushList = () => {
      if (items.length) html.push(`<ul>${items.map((l) => `<li>${inline(l.trim())}</li>`).join('')}</ul>`)
      items = []
    }
    for (const line of block.split('\n')) {
      if (ITEM.test(line) && !/^\s*\*\*/.test(line)) {
        flushPara()
        items.push(line.replace(ITEM, ''))
      } else {
        flushList()
        para.push(line)
      }
    }
    flushPara()
    flushList()
  }
  return html.join('\n')
}

/** Title and body folded for the archive search: lower case, no accents, single spaces. */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim()
}
