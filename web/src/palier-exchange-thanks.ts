// "Dire merci": once an exchange is done (or a loan came back), the household that received says
// thanks with a short word. The count of thanks is the only reputation the exchange keeps.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { ApiError, type ApiClient } from './api/client.js'
import type { HouseholdRef } from './api/types.js'
import { apiContext } from './context.js'
import { WORD_MAX } from './exchange/model.js'
import { LocaleController, t, tHtml } from './i18n/locale.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const ALREADY_THANKED = 'PALIER_ALREADY_THANKED'

@customElement('palier-exchange-thanks')
export class PalierExchangeThanks extends LitElement {
  static override styles = [sharedStyles]

  /** The listing the exchange was about. */
  @property() listingId = ''
  /** Who is thanked. */
  @property({ attribute: false }) household: HouseholdRef | null = null

  @consume({ context: apiContext })
  private api!: ApiClient

  /** Thanks said now, or found said already. */
  @state() private thanked: '' | 'done' | 'already' = ''

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { word: '' }, 'thanks-error')

  private onSubmit(event: Event): void {
    void this.form.submit(
      event,
      () => null,
      async () => {
        if (!this.household) return
        try {
          await this.api.sayThanks({ listingId: this.listingId, toFlatId: this.household.id, word: this.form.values.word.trim() })
          this.thanked = 'done'
        } catch (err) {
          // Said already (from another phone, or before a reload): nothing more to do.
          if (err instanceof ApiError && err.code === ALREADY_THANKED) this.thanked = 'already'
          else throw err
        }
      },
    )
  }

  override render(): TemplateResult {
    const name = this.household?.name ?? ''
    return html`<section aria-labelledby="thanks-title">
      <h3 id="thanks-title">${tHtml('exchange.thanks.title', { name })}</h3>
      <p class="success" role="status">${this.thanked ? t(this.thanked === 'done' ? 'exchange.thanks.done' : 'exchange.thanks.already', { name }) : ''}</p>
      ${this.thanked
        ? nothing
        : html`<form novalidate @submit=${this.onSubmit}>
            ${this.form.alert()}
            ${this.form.field('word', { label: t('exchange.thanks.word'), hint: t('exchange.thanks.hint'), autocomplete: 'off', optional: true, maxlength: WORD_MAX })}
            ${this.form.submitButton(t('exchange.thanks.submit'))}
          </form>`}
    </section>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-thanks': PalierExchangeThanks
  }
}
