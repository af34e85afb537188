// The one way the web app talks to the box: typed calls to /api/v1, errors turned into ApiError.
// The server translates error messages itself, following the Accept-Language we send.
import type {
  Flat,
  ImportResult,
  Info,
  Invite,
  Me,
  NewAccount,
  NewFlat,
  ResetCode,
  Resident,
} from './types.js'

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

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

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

  private async request<T>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.options.language(),
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' }
    if (body !== undefined) {
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
    if (res.status === 204) return undefined as T
    let data: unknown = undefined
    const type = res.headers.get('content-type') ?? ''
    if (type.includes('json')) {
      try {
        data = await res.json()
      } catch {
        data = undefined
      }
    }
    if (res.ok) return data as T
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
    return this.request('DELETE', '/session')
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
