// The one way the web app talks to the box: typed calls to /api/v1, errors turned into ApiError.
// The server translates error messages itself, following the Accept-Language we send.
import type {
  Affected,
  BoardPage,
  Conversation,
  ConversationSummary,
  ConversationThread,
  ExchangeMessage,
  ExchangeSummary,
  FileItem,
  FileListing,
  FileSpace,
  FileSpaces,
  FileUsage,
  NetworkInfo,
  Flat,
  HouseholdProfile,
  HouseholdRef,
  ImportResult,
  Incident,
  IncidentCategory,
  IncidentStatus,
  IncidentSummary,
  Info,
  Invite,
  ExchangeSettings,
  NewTransfer,
  ReportGroup,
  ReportResolution,
  ReportTargetKind,
  TimeBank,
  Transfer,
  Listing,
  ListingChange,
  ListingPage,
  ListingPhoto,
  ListingSearch,
  ListingSummary,
  Loan,
  Loans,
  Me,
  NewAccount,
  NewFlat,
  NewIncident,
  NewListing,
  NewNotice,
  Notice,
  NoticeImage,
  NoticePage,
  NoticeSettings,
  NoticeStats,
  PlaceKind,
  ReactionKind,
  Reactions,
  ResetCode,
  Resident,
} from './types.js'
import { actsAsHousehold, setActing, withActing } from '../exchange/acting.js'

/** Header the service worker adds to an answer it took from its copy because the box did not answer. */
export const FROM_CACHE_HEADER = 'x-palier-from-cache'


/** Code of the ApiError raised when the box could not be reached at all (no HTTP answer). */
export const NETWORK_ERROR = 'PALIER_NETWORK'

/** An error answer of the API (`{code, message, field?}`), or a network failure (status 0). */
export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number
  /** Stable code, e.g. `PALIER_BAD_CREDENTIALS`. */
  readonly code: string
  /** The form field the error is about, when the server names one. */
  readonly field: string | undefined
  /** Seconds to wait, from `Retry-After` on 429 answers. */
  readonly retryAfter: number | undefined

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.retryAfter = retryAfter
  }
}

export interface ApiClientOptions {
  /** Language of the answers' messages (sent as Accept-Language). */
  language: () => string
  /** Prefix of every path; '' for the same origin. */
  baseUrl?: string
  fetch?: typeof fetch
  /** Called when a request is refused because the session ended (401). */
  onUnauthenticated?: (error: ApiError) => void
}

interface RequestOptions {
  signal?: AbortSignal | undefined
}

interface SendOptions extends RequestOptions {
  /** A file sent as is (photo upload) instead of JSON. */
  raw?: Blob
  headers?: Record<string, string>
  /** 'no-cache' lets the browser revalidate with the ETag it holds; the default stores nothing. */
  cache?: RequestCache
}

interface Answer {
  status: number
  data: unknown
  headers: Headers
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const id = (value: string): string => encodeURIComponent(value)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export class ApiClient {
  private readonly options: ApiClientOptions
  private readonly fetchFn: typeof fetch

  constructor(options: ApiClientOptions) {
    this.options = options
    // Bound so that calling it as a method does not lose `window` (an "Illegal invocation").
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init))
  }

  /** Address of an API path, for links the browser opens itself (the printable letters). */
  url(path: string): string {
    return (this.options.baseUrl ?? '') + '/api/v1' + path
  }

  /** The language answers' messages are asked in (requests made outside this client: uploads). */
  language(): string {
    return this.options.language()
  }

  /** A request made outside this client (an upload) found the session ended. */
  unauthenticated(error: ApiError): void {
    this.options.onUnauthenticated?.(error)
  }

  private async request<T>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send(method, path, body, opts)).data as T
  }

  /** The request itself; answers every 2xx and 304, throws ApiError for the rest. */
  private async send(method: Method, path: string, body: unknown, opts: SendOptions = {}): Promise<Answer> {
    // The caretaker acting for a household without a smartphone (exchange/acting.ts).
    if (actsAsHousehold(method, path)) path = withActing(path)
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.options.language(),
      ...opts.headers,
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: opts.cache ?? 'no-store' }
    if (opts.raw) {
      headers['Content-Type'] = opts.raw.type || 'application/octet-stream'
      init.body = opts.raw
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    if (opts.signal) init.signal = opts.signal
    let res: Response
    try {
      res = await this.fetchFn(this.url(path), init)
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err
      throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err))
    }
    if (res.status === 204 || res.status === 304) return { status: res.status, data: undefined, headers: res.headers }
    let data: unknown = undefined
    const type = res.headers.get('content-type') ?? ''
    if (type.includes('json')) {
      try {
        data = await res.json()
      } catch {
        data = undefined
      }
    }
    if (res.ok) return { status: res.status, data, headers: res.headers }
    const error = toApiError(res, data)
    if (res.status === 401) this.options.onUnauthenticated?.(error)
    throw error
  }

  // Public
  info(opts?: RequestOptions): Promise<Info> {
    return this.request('GET', '/info', undefined, opts)
  }
  setup(account: NewAccount): Promise<Me> {
    return this.request('POST', '/setup', account)
  }
  signIn(login: string, password: string): Promise<Me> {
    return this.request('POST', '/session', { login, password })
  }
  signOut(): Promise<void> {
    this.forget()
    return this.request('DELETE', '/session')
  }
  /** Drops what is held of the last person's data (the board copy), at sign-out or session end. */
  forget(): void {
    this.boardCache.clear()
    setActing(null)
  }
  join(account: NewAccount): Promise<Me> {
    return this.request('POST', '/join', account)
  }
  resetPassword(login: string, code: string, password: string): Promise<void> {
    return this.request('POST', '/password-reset', { login, code, password })
  }

  // Signed in
  me(opts?: RequestOptions): Promise<Me> {
    return this.request('GET', '/me', undefined, opts)
  }
  changePassword(currentPassword: string, password: string): Promise<void> {
    return this.request('PUT', '/me/password', { currentPassword, password })
  }

  // Caretaker
  async flats(opts?: RequestOptions): Promise<Flat[]> {
    return (await this.request<{ flats: Flat[] }>('GET', '/flats', undefined, opts)).flats
  }
  createFlat(flat: NewFlat): Promise<Flat> {
    return this.request('POST', '/flats', flat)
  }
  importFlats(csv: string): Promise<ImportResult> {
    return this.request('POST', '/flats/import', { csv })
  }
  revokeFlat(flatId: string): Promise<Flat> {
    return this.request('POST', `/flats/${encodeURIComponent(flatId)}/revoke`)
  }
  async invites(flatId: string, opts?: RequestOptions): Promise<Invite[]> {
    return (await this.request<{ invites: Invite[] }>('GET', `/flats/${encodeURIComponent(flatId)}/invites`, undefined, opts)).invites
  }
  createInvite(flatId: string): Promise<Invite> {
    return this.request('POST', `/flats/${encodeURIComponent(flatId)}/invites`)
  }
  revokeInvite(inviteId: string): Promise<void> {
    return this.request('DELETE', `/invites/${encodeURIComponent(inviteId)}`)
  }
  async residents(opts?: RequestOptions): Promise<Resident[]> {
    return (await this.request<{ residents: Resident[] }>('GET', '/residents', undefined, opts)).residents
  }
  revokeResident(residentId: string): Promise<Resident> {
    return this.request('POST', `/residents/${encodeURIComponent(residentId)}/revoke`)
  }
  createResetCode(residentId: string): Promise<ResetCode> {
    return this.request('POST', `/residents/${encodeURIComponent(residentId)}/reset-code`)
  }

  /** Address of the printable invitation letters of these flats. */
  printInvitationsUrl(flatIds: readonly string[]): string {
    const query = flatIds.map((id) => 'flat=' + encodeURIComponent(id)).join('&')
    return this.url('/print/invitations?' + query)
  }

  // Notice board
  /** The last board page seen per address, with its ETag: an unchanged board is not downloaded again. */
  private readonly boardCache = new Map<string, { etag: string; page: NoticePage }>()

  /**
   * One page of the board. Sends the ETag of the copy it holds (304: nothing re-downloaded) and
   * says when the answer is the service worker's saved copy (`savedAt`, when the box is out of reach).
   */
  async board(opts: RequestOptions & { cursor?: string | null; limit?: number } = {}): Promise<BoardPage> {
    const query = new URLSearchParams()
    if (opts.cursor) query.set('cursor', opts.cursor)
    if (opts.limit) query.set('limit', String(opts.limit))
    const path = '/notices' + (query.toString() ? '?' + query.toString() : '')
    const held = this.boardCache.get(path)
    const answer = await this.send('GET', path, undefined, {
      signal: opts.signal,
      cache: 'no-cache',
      headers: held ? { 'If-None-Match': held.etag } : {},
    })
    if (answer.status === 304 && held) return { ...held.page, savedAt: null }
    const page = answer.data as NoticePage
    const fromCache = answer.headers.get(FROM_CACHE_HEADER)
    if (fromCache) {
      const saved = Date.parse(answer.headers.get('date') ?? '')
      return { ...page, savedAt: Number.isFinite(saved) ? saved : 0 }
    }
    const etag = answer.headers.get('etag')
    if (etag) this.boardCache.set(path, { etag, page })
    return { ...page, savedAt: null }
  }
  notice(noticeId: string, opts?: RequestOptions): Promise<Notice> {
    return this.request('GET', `/notices/${id(noticeId)}`, undefined, opts)
  }
  createNotice(notice: NewNotice): Promise<Notice> {
    return this.request('POST', '/notices', notice)
  }
  updateNotice(noticeId: string, patch: Partial<NewNotice>): Promise<Notice> {
    return this.request('PATCH', `/notices/${id(noticeId)}`, patch)
  }
  archiveNotice(noticeId: string): Promise<Notice> {
    return this.request('POST', `/notices/${id(noticeId)}/archive`)
  }
  async pendingNotices(opts?: RequestOptions): Promise<Notice[]> {
    return (await this.request<{ notices: Notice[] }>('GET', '/notices/pending', undefined, opts)).notices
  }
  approveNotice(noticeId: string): Promise<Notice> {
    return this.request('POST', `/notices/${id(noticeId)}/approve`)
  }
  rejectNotice(noticeId: string): Promise<Notice> {
    return this.request('POST', `/notices/${id(noticeId)}/reject`)
  }
  noticeArchive(search: { q?: string; cursor?: string | null } = {}, opts?: RequestOptions): Promise<NoticePage> {
    const query = new URLSearchParams()
    if (search.q) query.set('q', search.q)
    if (search.cursor) query.set('cursor', search.cursor)
    const qs = query.toString()
    return this.request('GET', '/notices/archive' + (qs ? '?' + qs : ''), undefined, opts)
  }
  /** "Je participe" (events) or "Merci": `on` adds the reaction, else takes it back. */
  react(noticeId: string, kind: ReactionKind, on: boolean): Promise<Reactions> {
    return this.request(on ? 'PUT' : 'DELETE', `/notices/${id(noticeId)}/reactions/${kind}`)
  }
  /** Tells the box this household has seen the notice (counted once per flat). */
  markSeen(noticeId: string): Promise<void> {
    return this.request('POST', `/notices/${id(noticeId)}/seen`)
  }
  noticeStats(noticeId: string, opts?: RequestOptions): Promise<NoticeStats> {
    return this.request('GET', `/notices/${id(noticeId)}/stats`, undefined, opts)
  }
  uploadNoticeImage(noticeId: string, image: Blob): Promise<NoticeImage> {
    return this.send('POST', `/notices/${id(noticeId)}/images`, undefined, { raw: image }).then((a) => a.data as NoticeImage)
  }
  noticeSettings(opts?: RequestOptions): Promise<NoticeSettings> {
    return this.request('GET', '/settings/notices', undefined, opts)
  }
  saveNoticeSettings(settings: NoticeSettings): Promise<NoticeSettings> {
    return this.request('PUT', '/settings/notices', settings)
  }
  /** Address of the A4 poster of one notice. */
  printNoticeUrl(noticeId: string): string {
    return this.url(`/print/notices/${id(noticeId)}`)
  }
  /** Address of the weekly digest of the board, for the paper board in the hall. */
  printDigestUrl(): string {
    return this.url('/print/digest')
  }

  // Incident reports
  async incidents(status: 'open' | 'closed' | 'all' = 'open', opts?: RequestOptions): Promise<IncidentSummary[]> {
    return (await this.request<{ incidents: IncidentSummary[] }>('GET', `/incidents?status=${status}`, undefined, opts)).incidents
  }
  /** Open reports of the same category and place: shown before a new one is created. */
  async similarIncidents(
    where: { category: IncidentCategory; placeKind: PlaceKind; placeDetail: string },
    opts?: RequestOptions,
  ): Promise<IncidentSummary[]> {
    const query = new URLSearchParams({ category: where.category, placeKind: where.placeKind, placeDetail: where.placeDetail })
    return (await this.request<{ incidents: IncidentSummary[] }>('GET', `/incidents/similar?${query.toString()}`, undefined, opts)).incidents
  }
  incident(incidentId: string, opts?: RequestOptions): Promise<Incident> {
    return this.request('GET', `/incidents/${id(incidentId)}`, undefined, opts)
  }
  reportIncident(report: NewIncident): Promise<Incident> {
    return this.request('POST', '/incidents', report)
  }
  uploadIncidentPhoto(incidentId: string, photo: Blob): Promise<{ id: string; url: string }> {
    return this.send('POST', `/incidents/${id(incidentId)}/photo`, undefined, { raw: photo }).then(
      (a) => a.data as { id: string; url: string },
    )
  }
  /** "Moi aussi": this household is affected too (counted once). */
  markAffected(incidentId: string, contactOk?: boolean): Promise<Affected> {
    return this.request('POST', `/incidents/${id(incidentId)}/affected`, contactOk === undefined ? {} : { contactOk })
  }
  setIncidentStatus(incidentId: string, status: IncidentStatus, message?: string): Promise<Incident> {
    return this.request('POST', `/incidents/${id(incidentId)}/status`, message ? { status, message } : { status })
  }
  addIncidentMessage(incidentId: string, message: string): Promise<Incident> {
    return this.request('POST', `/incidents/${id(incidentId)}/messages`, { message })
  }
  /** A reporter's answer to "Is it fixed?". */
  confirmIncident(incidentId: string, fixed: boolean, message?: string): Promise<Incident> {
    return this.request('POST', `/incidents/${id(incidentId)}/confirm`, message ? { fixed, message } : { fixed })
  }
  mergeIncident(incidentId: string, into: string): Promise<Incident> {
    return this.request('POST', `/incidents/${id(incidentId)}/merge`, { into })
  }
  /** Turns the incident into an urgent notice on the board. */
  incidentNotice(incidentId: string, notice: { title?: string; body?: string } = {}): Promise<Notice> {
    return this.request('POST', `/incidents/${id(incidentId)}/notice`, notice)
  }

  // Shared storage. Uploads themselves go through files/uploader.ts (tus, with progress).
  fileSpaces(opts?: RequestOptions): Promise<FileSpaces> {
    return this.request('GET', '/files/spaces', undefined, opts)
  }
  files(where: { space: FileSpace; folder?: string | null; after?: string | null; limit?: number }, opts?: RequestOptions): Promise<FileListing> {
    const query = new URLSearchParams({ space: where.space })
    if (where.folder) query.set('folder', where.folder)
    if (where.after) query.set('after', where.after)
    if (where.limit) query.set('limit', String(where.limit))
    return this.request('GET', `/files?${query.toString()}`, undefined, opts)
  }
  createFolder(space: FileSpace, parentId: string | null, name: string): Promise<FileItem> {
    return this.request('POST', '/files/folders', { space, parentId, name })
  }
  /** Rename (`name`) or move within the same space (`parentId`, null for the space's top). */
  changeFile(fileId: string, change: { name?: string; parentId?: string | null }): Promise<FileItem> {
    return this.request('PATCH', `/files/${id(fileId)}`, change)
  }
  /** To the trash, from which it can be restored. */
  trashFile(fileId: string): Promise<void> {
    return this.request('DELETE', `/files/${id(fileId)}`)
  }
  async fileTrash(opts?: RequestOptions): Promise<FileItem[]> {
    return (await this.request<{ items: FileItem[] }>('GET', '/files/trash', undefined, opts)).items
  }
  restoreFile(fileId: string): Promise<FileItem> {
    return this.request('POST', `/files/${id(fileId)}/restore`)
  }
  /** Deletes a trashed item (and what it holds) for good. */
  purgeFile(fileId: string): Promise<void> {
    return this.request('DELETE', `/files/trash/${id(fileId)}`)
  }
  fileUsage(opts?: RequestOptions): Promise<FileUsage> {
    return this.request('GET', '/files/usage', undefined, opts)
  }

  // Caretaker: the building network (issue 6)
  network(opts?: RequestOptions): Promise<NetworkInfo> {
    return this.request('GET', '/network', undefined, opts)
  }
  /** The QR code of the residents' address, an SVG image the page shows and prints. */
  networkQrUrl(): string {
    return this.url('/network/qr')
  }
  /** The device must tap "Entrer" again on the welcome page. */
  forgetNetworkDevice(mac: string): Promise<void> {
    return this.request('DELETE', `/network/accepted/${id(mac)}`)
  }
  /** Address of a file's bytes: opened in the browser, or saved with `download`. */
  fileContentUrl(fileId: string, download = false): string {
    return this.url(`/files/${id(fileId)}/content${download ? '?download=1' : ''}`)
  }
  filePreviewUrl(fileId: string): string {
    return this.url(`/files/${id(fileId)}/preview`)
  }
  async putFilePreview(fileId: string, jpeg: Blob): Promise<void> {
    await this.send('PUT', `/files/${id(fileId)}/preview`, undefined, { raw: jpeg })
  }

  // Neighbour exchange, residents' side
  exchangeSummary(opts?: RequestOptions): Promise<ExchangeSummary> {
    return this.request('GET', '/exchange/summary', undefined, opts)
  }
  listings(search: ListingSearch = {}, opts?: RequestOptions): Promise<ListingPage> {
    const query = new URLSearchParams()
    if (search.q?.trim()) query.set('q', search.q.trim())
    if (search.direction) query.set('direction', search.direction)
    if (search.kind) query.set('kind', search.kind)
    if (search.category) query.set('category', search.category)
    if (search.sort) query.set('sort', search.sort)
    if (search.cursor) query.set('cursor', search.cursor)
    if (search.limit) query.set('limit', String(search.limit))
    const qs = query.toString()
    return this.request('GET', '/exchange/listings' + (qs ? '?' + qs : ''), undefined, opts)
  }
  async myListings(opts?: RequestOptions): Promise<ListingSummary[]> {
    return (await this.request<{ items: ListingSummary[] }>('GET', '/exchange/listings/mine', undefined, opts)).items
  }
  listing(listingId: string, opts?: RequestOptions): Promise<Listing> {
    return this.request('GET', `/exchange/listings/${id(listingId)}`, undefined, opts)
  }
  createListing(listing: NewListing): Promise<Listing> {
    return this.request('POST', '/exchange/listings', listing)
  }
  changeListing(listingId: string, change: ListingChange): Promise<Listing> {
    return this.request('PATCH', `/exchange/listings/${id(listingId)}`, change)
  }
  renewListing(listingId: string): Promise<Listing> {
    return this.request('POST', `/exchange/listings/${id(listingId)}/renew`, {})
  }
  uploadListingPhoto(listingId: string, photo: Blob): Promise<ListingPhoto> {
    return this.send('POST', `/exchange/listings/${id(listingId)}/photos`, undefined, { raw: photo }).then((a) => a.data as ListingPhoto)
  }
  /** "Répondre": opens the conversation with the listing's household (or reuses it) with a first message. */
  answerListing(listingId: string, body: string): Promise<Conversation> {
    return this.request('POST', `/exchange/listings/${id(listingId)}/conversations`, { body })
  }
  async conversations(opts?: RequestOptions): Promise<ConversationSummary[]> {
    return (await this.request<{ items: ConversationSummary[] }>('GET', '/exchange/conversations', undefined, opts)).items
  }
  /** The conversation with its listing and messages; reading it marks it read. */
  conversation(conversationId: string, opts?: RequestOptions): Promise<ConversationThread> {
    return this.request('GET', `/exchange/conversations/${id(conversationId)}`, undefined, opts)
  }
  sendMessage(conversationId: string, body: string): Promise<ExchangeMessage> {
    return this.request('POST', `/exchange/conversations/${id(conversationId)}/messages`, { body })
  }
  loans(opts?: RequestOptions): Promise<Loans> {
    return this.request('GET', '/exchange/loans', undefined, opts)
  }
  /** The lender records a loan to the other household of the conversation. */
  lend(loan: { conversationId: string; item: string; dueAt: number }): Promise<Loan> {
    return this.request('POST', '/exchange/loans', loan)
  }
  loanAction(loanId: string, action: 'confirm' | 'returned' | 'cancel'): Promise<Loan> {
    return this.request('POST', `/exchange/loans/${id(loanId)}/${action}`, {})
  }
  sayThanks(thanks: { listingId: string; toFlatId: string; word: string }): Promise<unknown> {
    return this.request('POST', '/exchange/thanks', thanks)
  }
  household(flatId: string, opts?: RequestOptions): Promise<HouseholdProfile> {
    return this.request('GET', `/exchange/households/${id(flatId)}`, undefined, opts)
  }

  // Neighbour exchange: time bank, reports and blocks, the caretaker's moderation
  timeBank(opts?: RequestOptions): Promise<TimeBank> {
    return this.request('GET', '/exchange/timebank', undefined, opts)
  }
  /** Sent again with the same idempotency key, it returns the first transfer: never applied twice. */
  transfer(transfer: NewTransfer): Promise<Transfer> {
    return this.request('POST', '/exchange/timebank/transfers', transfer)
  }
  transferAction(transferId: string, action: 'confirm' | 'decline' | 'cancel'): Promise<Transfer> {
    return this.request('POST', `/exchange/timebank/transfers/${id(transferId)}/${action}`, {})
  }
  report(targetKind: ReportTargetKind, targetId: string, reason: string): Promise<unknown> {
    return this.request('POST', '/exchange/reports', { targetKind, targetId, reason })
  }
  block(flatId: string): Promise<unknown> {
    return this.request('POST', '/exchange/blocks', { flatId })
  }
  exchangeSettings(opts?: RequestOptions): Promise<ExchangeSettings> {
    return this.request('GET', '/exchange/settings', undefined, opts)
  }
  saveExchangeSettings(settings: Partial<ExchangeSettings>): Promise<ExchangeSettings> {
    return this.request('PUT', '/exchange/settings', settings)
  }
  async reportQueue(opts?: RequestOptions): Promise<ReportGroup[]> {
    return (await this.request<{ items: ReportGroup[] }>('GET', '/exchange/reports', undefined, opts)).items
  }
  resolveReport(targetKind: ReportTargetKind, targetId: string, resolution: ReportResolution): Promise<unknown> {
    return this.request('POST', `/exchange/reports/${targetKind}/${id(targetId)}/resolve`, { resolution })
  }
  /** Households without an account, for which the caretaker may act. */
  async onBehalfHouseholds(opts?: RequestOptions): Promise<HouseholdRef[]> {
    return (await this.request<{ items: HouseholdRef[] }>('GET', '/exchange/on-behalf', undefined, opts)).items
  }
}

function toApiError(res: Response, data: unknown): ApiError {
  const retry = Number(res.headers.get('retry-after'))
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined
  if (isRecord(data) && typeof data.code === 'string') {
    const message = typeof data.message === 'string' ? data.message : ''
    const field = typeof data.field === 'string' ? data.field : undefined
    return new ApiError(res.status, data.code, message, field, retryAfter)
  }
  // Not our JSON (a proxy, a crash page): no message to show, the UI says something generic.
  return new ApiError(res.status, `PALIER_HTTP_${res.status}`, '', undefined, retryAfter)
}
