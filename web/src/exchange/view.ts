// Pieces of markup the exchange pages share: the kind and direction badges, who wrote (flat and
// name), a listing as a card linking to its page, and their styles. Words carry the meaning; the
// colours only help.
import { css, html, nothing, type TemplateResult } from 'lit'
import type { HouseholdRef, ListingSummary } from '../api/types.js'
import { formatDate, t, tHtml } from '../i18n/locale.js'
import { householdPath, listingPath, paths } from '../router/routes.js'
import { CATEGORY_LABEL, DIRECTION_LABEL, KIND_LABEL, STATUS_LABEL, closingSoon } from './model.js'

export function badges(l: Pick<ListingSummary, 'direction' | 'kind' | 'status'>): TemplateResult {
  return html`<span class="badge dir-${l.direction}">${t(DIRECTION_LABEL[l.direction])}</span>
    <span class="badge kind">${t(KIND_LABEL[l.kind])}</span>
    ${l.status !== 'open' ? html`<span class="badge status-${l.status}">${t(STATUS_LABEL[l.status])}</span>` : nothing}`
}

/** "Amina B. · A-3-12", linking to the household's profile when `link`. */
export function who(h: HouseholdRef, link = false): TemplateResult {
  const text = tHtml('exchange.who', { name: h.name, flat: h.label })
  return link ? html`<a href=${householdPath(h.id)}>${text}</a>` : text
}

export function listingCard(l: ListingSummary, now: number, extra: TemplateResult | typeof nothing = nothing): TemplateResult {
  const soon = closingSoon(l.expiresAt, now)
  return html`<li class="listing-item">
    <a href=${listingPath(l.id)}>
      <strong dir="auto">${l.title}</strong>
      <span class="badges">${badges(l)}</span>
      <span class="line">${who(l.household)}</span>
      <span class="line muted">${t(CATEGORY_LABEL[l.category])} · ${t('exchange.until', { date: formatDate(l.expiresAt) })}</span>
      ${soon ? html`<span class="line flag">${t('exchange.closingSoon')}</span>` : nothing}
      ${l.onBehalf ? html`<span class="line muted">${t('exchange.onBehalf')}</span>` : nothing}
    </a>
    ${extra}
  </li>`
}

export const exchangeStyles = css`
  .badge {
    display: inline-block;
    margin-inline-end: 0.35rem;
    margin-bottom: 0.25rem;
    padding: 0.1rem 0.55rem;
    font-size: 0.95rem;
    font-weight: 700;
    border: 2px solid currentColor;
    border-radius: 999px;
  }
  .dir-offer {
    color: #0f4d1c;
    background: #e8f5ea;
  }
  .dir-request {
    color: #6b3d00;
    background: #fff3e0;
  }
  .kind {
    color: #0b3d77;
    background: #eef4fb;
  }
  .status-reserved,
  .status-done,
  .status-withdrawn {
    color: #4a4a4a;
    background: #f3f3f3;
  }
  .flag {
    font-weight: 700;
    color: #7a0016;
  }
  .count-badge {
    display: inline-block;
    min-width: 1.6rem;
    margin-inline-start: 0.4rem;
    padding: 0 0.4rem;
    font-size: 0.95rem;
    font-weight: 700;
    line-height: 1.6rem;
    text-align: center;
    color: #fff;
    background: #a1001c;
    border-radius: 999px;
  }
  .listing-item {
    margin-bottom: 0.75rem;
  }
  .listing-item > a {
    display: block;
    padding: 0.9rem 1rem;
    color: inherit;
    text-decoration: none;
    background: #fff;
    border: 2px solid #c4c4c4;
    border-radius: 8px;
  }
  .listing-item strong {
    display: block;
    font-size: 1.1rem;
    color: #0b4f9c;
    margin-bottom: 0.35rem;
    overflow-wrap: anywhere;
  }
  .listing-item .line {
    display: block;
    margin-top: 0.3rem;
  }
  .text {
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .sub-nav {
    margin-top: 1rem;
    margin-bottom: 1rem;
  }
  .sub-nav .button {
    min-height: 44px;
    padding: 0.4rem 0.8rem;
  }
  summary {
    display: list-item;
    min-height: 44px;
    padding: 0.6rem 0;
    font-weight: 600;
    cursor: pointer;
  }
  select {
    margin-bottom: 0.5rem;
  }
`

/** Links between the exchange's pages, with the unread count on "Messages". */
export function exchangeNav(current: 'list' | 'mine' | 'messages' | 'loans' | 'new', unread = 0): TemplateResult {
  return html`<nav class="sub-nav" aria-label=${t('exchange.nav')}>
    <ul class="plain actions">
      ${navLink(paths.exchange, current === 'list', t('exchange.navList'))}
      ${navLink(paths.exchangeMine, current === 'mine', t('exchange.navMine'))}
      ${navLink(paths.exchangeMessages, current === 'messages', t('exchange.navMessages'), unread)}
      ${navLink(paths.exchangeLoans, current === 'loans', t('exchange.navLoans'))}
    </ul>
  </nav>`
}

function navLink(href: string, current: boolean, label: string, count = 0): TemplateResult {
  return html`<li>
    <a class="button ${current ? '' : 'secondary'}" href=${href} aria-current=${current ? 'page' : 'false'}
      >${label}${count > 0
        ? html`<span class="count-badge" aria-hidden="true">${count}</span><span class="visually-hidden"> ${t('exchange.unreadCount', { count })}</span>`
        : nothing}</a
    >
  </li>`
}
