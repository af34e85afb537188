// The language menu, always in the header. Each language is written in itself, and a globe
// marks the menu for people who cannot read the current language.
import { LitElement, css, html, type TemplateResult } from 'lit'
import { customElement } from 'lit/decorators.js'
import { LocaleController, currentLanguage, setLanguage, t } from './i18n/locale.js'
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from './i18n/translate.js'
import { sharedStyles } from './ui/styles.js'

/** Changes the language of the whole interface and remembers the choice on this phone. */
@customElement('palier-language-picker')
export class PalierLanguagePicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        align-items: center;
      }
      label {
        display: inline-flex;
        align-items: center;
        margin: 0;
        margin-inline-end: 0.4rem;
        color: #fff;
      }
      select {
        width: auto;
        min-height: 44px;
        padding: 0.3rem 0.5rem;
        font-size: 1rem;
        border-color: #fff;
      }
      select:focus {
        outline-color: #ffd166;
      }
    `,
  ]

  private readonly locale = new LocaleController(this)

  private async onChange(event: Event): Promise<void> {
    const value = (event.target as HTMLSelectElement).value
    if (isLanguage(value)) await setLanguage(value)
  }

  override render(): TemplateResult {
    const lang = currentLanguage()
    return html`
      <label for="language">
        <svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <g fill="none" stroke="currentColor" stroke-width="1.8">
            <circle cx="12" cy="12" r="9.5" />
            <path d="M2.5 12h19M12 2.5c3 3.2 3 15.8 0 19M12 2.5c-3 3.2-3 15.8 0 19" />
          </g>
        </svg>
        <span class="visually-hidden">${t('language.label')}</span>
      </label>
      <select id="language" .value=${lang} @change=${this.onChange}>
        ${LANGUAGES.map((l) => html`<option value=${l} lang=${l} ?selected=${l === lang}>${LANGUAGE_NAMES[l]}</option>`)}
      </select>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-language-picker': PalierLanguagePicker
  }
}
