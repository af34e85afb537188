// Pieces of markup the incident pages share: what and where in words, and the status as a
// labelled badge (the word carries the meaning; the colour only helps).
import { css, html, type TemplateResult } from 'lit'
import type { IncidentStatus, IncidentSummary, Place } from '../api/types.js'
import { t, tHtml } from '../i18n/locale.js'
import { CATEGORY_LABEL, PLACE_LABEL, STATUS_LABEL } from './model.js'

/** "Ascenseur — Entrée : A". */
export function whatWhere(incident: Pick<IncidentSummary, 'category' | 'place'>): TemplateResult {
  return html`${t(CATEGORY_LABEL[incident.category])} — ${placeText(incident.place)}`
}

/** The same as plain text, where no markup may go (an <option>). */
export function whatWhereText(incident: Pick<IncidentSummary, 'category' | 'place'>): string {
  const place = incident.place.detail
    ? t('incident.placeWithDetail', { place: t(PLACE_LABEL[incident.place.kind]), detail: incident.place.detail })
    : t(PLACE_LABEL[incident.place.kind])
  return `${t(CATEGORY_LABEL[incident.category])} — ${place}`
}

export function placeText(place: Place): TemplateResult | string {
  if (!place.detail) return t(PLACE_LABEL[place.kind])
  return tHtml('incident.placeWithDetail', { place: t(PLACE_LABEL[place.kind]), detail: place.detail })
}

export function statusBadge(status: IncidentStatus): TemplateResult {
  return html`<span class="status status-${status}">${t('incident.statusLabel', { status: t(STATUS_LABEL[status]) })}</span>`
}

export const incidentStyles = css`
  .status {
    display: inline-block;
    padding: 0.15rem 0.6rem;
    font-weight: 700;
    border-radius: 999px;
    border: 2px solid currentColor;
  }
  .status-new {
    color: #7a0016;
    background: #fdecef;
  }
  .status-acknowledged {
    color: #6b3d00;
    background: #fff3e0;
  }
  .status-in_progress {
    color: #0b3d77;
    background: #eef4fb;
  }
  .status-resolved,
  .status-closed {
    color: #0f4d1c;
    background: #e8f5ea;
  }
  .incident-item a {
    display: block;
    padding: 0.9rem 1rem;
    margin-bottom: 0.75rem;
    color: inherit;
    text-decoration: none;
    background: #fff;
    border: 2px solid #c4c4c4;
    border-radius: 8px;
  }
  .incident-item strong {
    display: block;
    font-size: 1.1rem;
    color: #0b4f9c;
    margin-bottom: 0.35rem;
    overflow-wrap: anywhere;
  }
  .incident-item .line {
    display: block;
    margin-top: 0.35rem;
    color: #333;
  }
  .private {
    font-weight: 600;
  }
`
