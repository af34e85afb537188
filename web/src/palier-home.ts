// Home once signed in: a greeting, the person's flat, and big tiles to what exists so far.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { sessionContext, type Session } from './context.js'
import { LocaleController, t, tHtml } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { paths } from './router/routes.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-home')
export class PalierHome extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .tiles a {
        display: block;
        min-height: 44px;
        margin-bottom: 0.75rem;
        padding: 1rem;
        color: inherit;
        text-decoration: none;
        background: #fff;
        border: 2px solid #0b4f9c;
        border-inline-start-width: 8px;
        border-radius: 8px;
      }
      .tiles strong {
        display: block;
        font-size: 1.2rem;
        color: #0b4f9c;
        margin-bottom: 0.25rem;
      }
      .tiles span {
        color: #333;
      }
    `,
  ]

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  private readonly locale = new LocaleController(this)

  private tile(href: string, title: MessageKey, description: MessageKey): TemplateResult {
    return html`<li>
      <a href=${href}><strong>${t(title)}</strong><span>${t(description)}</span></a>
    </li>`
  }

  override render(): TemplateResult {
    const me = this.session.me
    if (!me) return html``
    const caretaker = me.role === 'caretaker'
    return html`
      <h1 tabindex="-1">${tHtml('home.greeting', { name: me.displayName })}</h1>
      ${me.flat ? html`<p>${tHtml('home.flat', { flat: me.flat.label })}</p>` : nothing}
      ${caretaker ? html`<p>${t('home.caretaker')}</p>` : nothing}
      <h2>${t('home.sections')}</h2>
      <ul class="plain tiles">
        ${this.tile(paths.board, 'home.board', 'home.boardDesc')}
        ${this.tile(paths.incidentNew, 'home.report', 'home.reportDesc')}
        ${this.tile(paths.incidents, 'home.incidents', 'home.incidentsDesc')}
        ${this.tile(paths.files, 'home.files', caretaker ? 'home.filesDescCaretaker' : 'home.filesDesc')}
        ${caretaker ? nothing : this.tile(paths.exchange, 'home.exchange', 'home.exchangeDesc')}
        ${caretaker
          ? html`${this.tile(paths.flats, 'nav.flats', 'home.flatsDesc')}${this.tile(paths.residents, 'nav.residents', 'home.residentsDesc')}${this.tile(
              paths.filesUsage,
              'home.filesUsage',
              'home.filesUsageDesc',
            )}${this.tile(paths.exchangeAdmin, 'home.exchangeAdmin', 'home.exchangeAdminDesc')}${this.tile(
              paths.network,
              'home.network',
              'home.networkDesc',
            )}`
          : nothing}
        ${this.tile(paths.account, 'nav.account', 'home.accountDesc')}
      </ul>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-home': PalierHome
  }
}
