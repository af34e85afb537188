// The pages that only say why there is nothing to see: unknown address, caretaker-only page.
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-status-page')
export class PalierStatusPage extends LitElement {
  static override styles = sharedStyles

  /** Which message to show. */
  @property() kind: 'not-found' | 'forbidden' = 'not-found'

  private readonly locale = new LocaleController(this)

  override render(): TemplateResult {
    const forbidden = this.kind === 'forbidden'
    return html`
      <h1 tabindex="-1">${t(forbidden ? 'forbidden.title' : 'notFound.title')}</h1>
      <p>${t(forbidden ? 'forbidden.text' : 'notFound.text')}</p>
      <a class="button" href=${paths.home}>${t('notFound.home')}</a>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-status-page': PalierStatusPage
  }
}
