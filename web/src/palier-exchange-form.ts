// "Publier une annonce": an offer or a request, its kind, category, title, description, when one
// is available, and up to three photos. Loaded when first opened.
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext } from './context.js'
import {
  AVAILABILITY_MAX,
  CATEGORIES,
  CATEGORY_LABEL,
  DESCRIPTION_MAX,
  DIRECTIONS,
  DIRECTION_LABEL,
  EMPTY_LISTING,
  KINDS,
  KIND_LABEL,
  TITLE_MAX,
  checkListing,
  listingBody,
  type ListingValues,
} from './exchange/model.js'
import { exchangeStyles } from './exchange/view.js'
import { checkImage } from './forms/image.js'
import { LocaleController, t } from './i18n/locale.js'
import { navigate } from './router/history.js'
import { listingPath, paths } from './router/routes.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const MAX_PHOTOS = 3

@customElement('palier-exchange-form')
export class PalierExchangeForm extends LitElement {
  static override styles = [sharedStyles, exchangeStyles]

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private photos: File[] = []

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController<ListingValues>(this, { ...EMPTY_LISTING })

  private onSubmit(event: Event): void {
    const photos = this.photos
    void this.form.submit(
      event,
      () => {
        const problem = fromFieldError(checkListing(this.form.values))
        if (problem) return problem
        if (photos.length > MAX_PHOTOS) return { field: 'photos', message: t('exchange.form.tooManyPhotos') }
        for (const photo of photos) {
          const bad = checkImage(photo)
          if (bad) return { field: 'photos', message: t(bad) }
        }
        return null
      },
      async () => {
        const listing = await this.api.createListing(listingBody(this.form.values))
        let ok = 'published'
        for (const photo of photos) {
          try {
            await this.api.uploadListingPhoto(listing.id, photo)
          } catch {
            ok = 'photo-failed'
          }
        }
        navigate(`${listingPath(listing.id)}?ok=${ok}`)
      },
    )
  }

  override render(): TemplateResult {
    const f = this.form
    const photosInvalid = f.error?.field === 'photos'
    const categoryInvalid = f.error?.field === 'category'
    return html`
      <h1 tabindex="-1">${t('exchange.form.title')}</h1>
      <p>${t('exchange.form.intro')}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.radios('direction', { legend: t('exchange.form.direction'), options: DIRECTIONS.map((d) => [d, t(DIRECTION_LABEL[d])] as const) })}
        ${f.radios('kind', { legend: t('exchange.form.kind'), options: KINDS.map((k) => [k, t(KIND_LABEL[k])] as const) })}
        <div class="field">
          <label for="category">${t('exchange.form.category')}</label>
          <select
            id="category"
            name="category"
            aria-required="true"
            aria-invalid=${categoryInvalid ? 'true' : 'false'}
            aria-describedby=${categoryInvalid ? 'form-error' : ''}
            @change=${(e: Event) => f.set('category', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${f.values.category === ''}>${t('exchange.form.categoryChoose')}</option>
            ${CATEGORIES.map((c) => html`<option value=${c} ?selected=${f.values.category === c}>${t(CATEGORY_LABEL[c])}</option>`)}
          </select>
        </div>
        ${f.field('title', { label: t('exchange.form.titleField'), hint: t('exchange.form.titleHint'), autocomplete: 'off', maxlength: TITLE_MAX })}
        ${f.textarea('description', { label: t('exchange.form.description'), autocomplete: 'off', maxlength: DESCRIPTION_MAX, rows: 4 })}
        ${f.field('availability', {
          label: t('exchange.form.availability'),
          hint: t('exchange.form.availabilityHint'),
          autocomplete: 'off',
          optional: true,
          maxlength: AVAILABILITY_MAX,
        })}
        <div class="field">
          <label for="photos">${t('form.optional', { label: t('exchange.form.photos') })}</label>
          <p class="hint" id="photos-hint">${t('exchange.form.photosHint')}</p>
          <input
            id="photos"
            name="photos"
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp"
            aria-invalid=${photosInvalid ? 'true' : 'false'}
            aria-describedby=${photosInvalid ? 'photos-hint form-error' : 'photos-hint'}
            @change=${(e: Event) => (this.photos = Array.from((e.target as HTMLInputElement).files ?? []))}
          />
        </div>
        <p class="hint">${t('exchange.form.expiryHint')}</p>
        ${f.submitButton(t('exchange.form.submit'))}
      </form>
      <p><a href=${paths.exchange}>${t('exchange.back')}</a></p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-form': PalierExchangeForm
  }
}
