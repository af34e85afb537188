// Errors shared by every feature. Feature-specific errors are declared at the top of the module
// that raises them, the same way. The `code` is what the catalogue translates.
import createError from '@fastify/error'

export const UnauthenticatedError = createError('PALIER_UNAUTHENTICATED', 'authentication required', 401)
export const ForbiddenError = createError('PALIER_FORBIDDEN', 'caretaker role required', 403)
export const CrossOriginError = createError('PALIER_CROSS_ORIGIN', 'cross-origin state-changing request refused', 403)
export const NotFoundError = createError('PALIER_NOT_FOUND', 'not found', 404)
export const InvalidInputError = createError<[string]>('PALIER_INVALID_INPUT', 'invalid field %s', 400)
export const RateLimitedError = createError('PALIER_RATE_LIMITED', 'too many attempts', 429)

/** Extra fields a domain error may carry into the JSON answer and the message. */
export interface ErrorDetails {
  field?: string
  params?: Record<string, string | number>
  retryAfterSeconds?: number
}

export function withDetails<E extends Error>(err: E, details: ErrorDetails): E & ErrorDetails {
  return Object.assign(err, details)
}
