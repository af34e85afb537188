// The caretaker's network console: the address residents type and its QR code to print, and,
// depending on the mode, the devices on the box's Wi-Fi (pool use, DHCP/DNS, who tapped
// "Entrer"), the mDNS name, or why there is nothing to watch. Loaded only when opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task, TaskStatus } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { NetworkAcceptedDevice, NetworkInfo } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDateTime, t } from './i18n/locale.js'
import { SERVICE_LABEL, absentAccepted, addressText, leaseRows, poolView, printedAddress, serviceState, type LeaseRow } from './network/model.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

/** A long name breaks after its dots ("b0042.immeubles.|bailleur.example"), never inside a word. */
function breakable(name: string): TemplateResult[] {
  return name.split('.').map((part, i, all) => (i < all.length - 1 ? html`${part}.<wbr />` : html`${part}`))
}

@customElement('palier-network')
export class PalierNetwork extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .poster {
        margin-bottom: 1.5rem;
        padding: 1rem;
        text-align: center;
        background: #fff;
        border: 2px solid #0b4f9c;
        border-radius: 8px;
      }
      .poster .address {
        margin-bottom: 0.5rem;
        font-size: 1.6rem;
        font-weight: 700;
        overflow-wrap: break-word;
      }
      .poster img {
        display: block;
        width: 220px;
        height: 220px;
        margin: 0.5rem auto 1rem;
      }
      .others {
        text-align: start;
      }
      .state {
        font-weight: 700;
      }
      .state-running {
        color: #1e6b30;
      }
      .state-restarting,
      .state-unknown {
        color: #8a4b00;
      }
      .state-stopped,
      .state-failed {
        color: #a1001c;
      }
      meter {
        display: block;
        width: 100%;
        height: 1.25rem;
        margin: 0.25rem 0 0.75rem;
      }
      .devices > li {
        padding: 0.6rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .devices dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.15rem 0.75rem;
        margin: 0.35rem 0 0.5rem;
      }
      .devices dt {
        color: #4a4a4a;
      }
      .devices dd {
        margin: 0;
      }
      .mono {
        font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      }
      .tag {
        display: inline-block;
        padding: 0 0.4rem;
        font-weight: 700;
        border: 2px solid currentColor;
        border-radius: 999px;
      }
      .tag-yes {
        color: #1e6b30;
      }
      .tag-no {
        color: #4a4a4a;
      }
      /* Printed: the address and its QR code on a page of their own, nothing else. */
      @media print {
        :host > :not(.poster) {
          display: none !important;
        }
        .poster {
          border: none;
        }
        .poster .address {
          font-size: 2.4rem;
        }
        .poster img {
          width: 9cm;
          height: 9cm;
        }
        .no-print {
          display: none !important;
        }
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  /** What the last "forget" did, announced in the status region. */
  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly forget = new ActionController(this)

  private readonly info = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.network({ signal }),
    args: () => [] as const,
  })

  private forgetDevice(row: Pick<LeaseRow, 'mac' | 'name'>): Promise<void> {
    const device = row.name ?? row.mac
    if (!window.confirm(t('network.forgetConfirm', { device }))) return Promise.resolve()
    this.done = ''
    return this.forget.run(async () => {
      await this.api.forgetNetworkDevice(row.mac)
      this.done = t('network.forgotten', { device })
      await this.info.run()
    })
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('network.title')}</h1>
      ${this.info.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => (this.info.value ? this.renderInfo(this.info.value) : html`<p role="status">${t('app.loading')}</p>`),
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.info.run()}>${t('action.retry')}</button>`,
        complete: (info) => this.renderInfo(info),
      })}
    `
  }

  private renderInfo(info: NetworkInfo): TemplateResult {
    return html`
      <p>${t(info.mode === 'gateway' ? 'network.mode.gateway' : info.mode === 'host' ? 'network.mode.host' : 'network.mode.off')}</p>
      ${this.renderPoster(info)}
      ${info.mode === 'gateway' ? this.renderGateway(info) : info.mode === 'host' ? this.renderHost(info) : html`<p>${t('network.offExplained')}</p>`}
      <p class="no-print">
        <button type="button" class="secondary" ?disabled=${this.info.status === TaskStatus.PENDING} @click=${() => this.info.run()}>${t('network.refresh')}</button>
      </p>
    `
  }

  /** The address and its QR code: what the caretaker prints and pins up in the hall. */
  private renderPoster(info: NetworkInfo): TemplateResult {
    const main = printedAddress(info)
    if (!main) return html`<p>${t('network.noAddress')}</p>`
    const others = info.addresses.slice(1)
    return html`<section class="poster" aria-labelledby="poster-heading">
      <h2 id="poster-heading">${t('network.posterHeading')}</h2>
      <p class="address" dir="ltr">${breakable(main)}</p>
      <img src=${this.api.networkQrUrl()} alt=${t('network.qrAlt', { address: main })} width="220" height="220" />
      ${others.length
        ? html`<div class="others no-print">
            <p>${t('network.otherAddresses')}</p>
            <ul>
              ${others.map((a) => html`<li dir="ltr" class="mono">${addressText(a)}</li>`)}
            </ul>
          </div>`
        : nothing}
      <p class="hint no-print">${t('network.printHint')}</p>
      <button type="button" class="no-print" @click=${() => window.print()}>${t('network.print')}</button>
    </section>`
  }

  private renderState(label: string, state: ReturnType<typeof serviceState>): TemplateResult {
    return html`<p>${label} <span class="state state-${state}">${t(SERVICE_LABEL[state])}</span></p>`
  }

  private renderGateway(info: NetworkInfo): TemplateResult {
    const pool = info.pool
    const view = pool ? poolView(pool) : null
    const rows = leaseRows(info.leases, Date.now())
    const absent = absentAccepted(info.accepted, info.leases)
    return html`
      <h2>${t('network.dhcpHeading')}</h2>
      ${info.palierNet.fresh ? nothing : html`<div class="alert" role="alert">${t('network.palierNetDown')}</div>`}
      ${this.renderState(t('network.dhcpState'), serviceState(info.dnsmasq))}
      ${info.dnsmasq?.lastError && serviceState(info.dnsmasq) !== 'running'
        ? html`<p class="hint">${t('network.lastError', { error: info.dnsmasq.lastError })}</p>`
        : nothing}
      ${pool && view
        ? html`
            <p>${t('network.devices', { count: pool.devices })}</p>
            <label for="pool">${t('network.poolLabel', { used: pool.used, size: pool.size, percent: view.percent })}</label>
            <meter id="pool" min="0" max=${pool.size} low=${Math.floor(pool.size * 0.7)} high=${Math.floor(pool.size * 0.9)} optimum="0" value=${pool.used}>
              ${view.percent} %
            </meter>
            ${view.alert ? html`<div class="alert" role="alert">${t('network.poolAlert', { free: pool.free })}</div>` : nothing}
          `
        : nothing}
      <h2>${t('network.devicesHeading')}</h2>
      <p class="hint">${t('network.devicesHint')}</p>
      <div role="status">${this.done ? html`<p class="success">${this.done}</p>` : nothing}</div>
      ${this.forget.error ? html`<div class="alert" role="alert">${this.forget.error.message}</div>` : nothing}
      ${rows.length
        ? html`<ul class="plain devices">
            ${rows.map((row) => this.renderDevice(row))}
          </ul>`
        : html`<p class="muted">${t('network.noDevices')}</p>`}
      ${absent.length
        ? html`<h3>${t('network.absentHeading')}</h3>
            <ul class="plain devices">
              ${absent.map((device) => this.renderAbsent(device))}
            </ul>`
        : nothing}
    `
  }

  private renderAbsent(device: NetworkAcceptedDevice): TemplateResult {
    return html`<li>
      <strong class="mono" dir="ltr">${device.mac}</strong>
      <p>${t('network.acceptedOn', { date: formatDateTime(device.acceptedAt), ip: device.ip })}</p>
      <button type="button" class="secondary" ?disabled=${this.forget.busy} @click=${() => this.forgetDevice({ mac: device.mac, name: null })}>
        ${t('network.forget', { device: device.mac })}
      </button>
    </li>`
  }

  private renderDevice(row: LeaseRow): TemplateResult {
    const name = row.name ?? t('network.unnamed')
    const expiry =
      row.expiry.kind === 'static'
        ? t('network.static')
        : row.expiry.kind === 'expired'
          ? t('network.expired')
          : t(row.expiry.key, row.expiry.params)
    return html`<li>
      <strong dir="auto">${name}</strong>
      <dl>
        <dt>${t('network.ip')}</dt>
        <dd class="mono" dir="ltr">${row.ip}</dd>
        <dt>${t('network.mac')}</dt>
        <dd class="mono" dir="ltr">${row.mac}</dd>
        <dt>${t('network.expiry')}</dt>
        <dd>${expiry}</dd>
        <dt>${t('network.entered')}</dt>
        <dd>
          <span class="tag ${row.accepted ? 'tag-yes' : 'tag-no'}">${t(row.accepted ? 'network.enteredYes' : 'network.enteredNo')}</span>
        </dd>
      </dl>
      ${row.accepted
        ? html`<button type="button" class="secondary" ?disabled=${this.forget.busy} @click=${() => this.forgetDevice(row)}>
            ${t('network.forget', { device: row.name ?? row.mac })}
          </button>`
        : nothing}
    </li>`
  }

  private renderHost(info: NetworkInfo): TemplateResult {
    const state = serviceState(info.mdns)
    const name = info.mdns?.name ?? info.mdnsName
    return html`
      <h2>${t('network.mdnsHeading')}</h2>
      ${info.palierNet.fresh ? nothing : html`<div class="alert" role="alert">${t('network.palierNetDown')}</div>`}
      ${name ? html`<p>${t('network.mdnsName')} <strong class="mono" dir="ltr">${name}</strong></p>` : nothing}
      ${this.renderState(t('network.mdnsState'), state)}
      ${info.mdns?.lastError && state !== 'running' ? html`<p class="hint">${t('network.lastError', { error: info.mdns.lastError })}</p>` : nothing}
      <p class="hint">${t('network.mdnsHint')}</p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-network': PalierNetwork
  }
}
