// The first page people see (also where the captive portal sends them): the building's name and
// two big doors in, "sign in" and "I have an invitation code", or the way to set up a new box.
import { LitElement, css, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Info } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { LocaleController, t, tHtml } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-welcome')
export class PalierWelcome extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .doors .button {
        margin-bottom: 1rem;
        min-height: 56px;
        font-size: 1.15rem;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  private readonly locale = new LocaleController(this)

  private readonly info = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.info({ signal }),
    args: () => [] as const,
  })

  override render(): TemplateResult {
    const info = this.info.value
    return html`
      <h1 tabindex="-1">${info ? info.buildingName : t('welcome.title')}</h1>
      ${this.info.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => (info ? this.renderDoors(info) : html`<p role="status">${t('app.loading')}</p>`),
        complete: (value) => this.renderDoors(value),
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.info.run()}>${t('action.retry')}</button>`,
      })}
    `
  }

  private renderDoors(info: Info): TemplateResult {
    const me = this.session.me
    if (me) {
      return html`<p>${tHtml('welcome.signedIn', { name: me.displayName })}</p>
        <a class="button wide" href=${paths.home}>${t('welcome.goHome')}</a>`
    }
    if (info.setupNeeded) {
      return html`<p class="notice">${t('welcome.setupNeeded')}</p>
        <a class="button wide" href=${paths.setup}>${t('welcome.setupLink')}</a>`
    }
    return html`
      <p>${t('welcome.intro')}</p>
      <div class="doors">
        <a class="button wide" href=${paths.login}>${t('welcome.signIn')}</a>
        <a class="button wide secondary" href=${paths.join}>${t('welcome.join')}</a>
      </div>
      <p class="muted">${t('welcome.joinHint')}</p>
      <p><a href=${paths.reset}>${t('welcome.forgot')}</a></p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-welcome': PalierWelcome
  }
}
