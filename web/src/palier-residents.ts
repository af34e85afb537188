// Caretaker: the people registered in the building; per person, a reset code for a forgotten
// password or the removal of their access (see palier-resident-item). Loaded only when opened.
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Resident } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, currentLanguage, t } from './i18n/locale.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import { RESIDENT_CHANGED } from './palier-resident-item.js'

/** Active people first, then by flat and name, the way the caretaker looks for someone. */
function byFlatThenName(a: Resident, b: Resident): number {
  const revoked = Number(a.revokedAt !== null) - Number(b.revokedAt !== null)
  if (revoked !== 0) return revoked
  const lang = currentLanguage()
  return (
    a.flatLabel.localeCompare(b.flatLabel, lang, { numeric: true }) ||
    a.displayName.localeCompare(b.displayName, lang)
  )
}

@customElement('palier-residents')
export class PalierResidents extends LitElement {
  static override styles = sharedStyles

  @consume({ context: apiContext })
  private api!: ApiClient

  private readonly locale = new LocaleController(this)

  private readonly residents = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.residents({ signal }),
    args: () => [] as const,
  })

  protected override firstUpdated(): void {
    this.renderRoot.addEventListener(RESIDENT_CHANGED, () => void this.residents.run())
  }

  override render(): TemplateResult {
    return html`<h1 tabindex="-1">${t('residents.title')}</h1>
      ${this.renderList()}`
  }

  private renderList(): unknown {
    const residents = this.residents.value
    if (!residents) {
      return this.residents.render({
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.residents.run()}>${t('action.retry')}</button>`,
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
      })
    }
    if (residents.length === 0) return html`<p class="muted">${t('residents.empty')}</p>`
    const sorted = [...residents].sort(byFlatThenName)
    return html`<p class="muted">${t('residents.count', { count: residents.filter((r) => r.revokedAt === null).length })}</p>
      <ul class="plain">
        ${sorted.map((r) => html`<li><palier-resident-item .resident=${r}></palier-resident-item></li>`)}
      </ul>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-residents': PalierResidents
  }
}
