// The exchange's refusals shared by its modules (module-specific ones are declared where raised,
// with their messages in the catalogues too).
import createError from '@fastify/error'

export const ResidentsOnlyError = createError('PALIER_RESIDENTS_ONLY', 'residents only', 403)
export const OnBehalfNotAllowedError = createError('PALIER_ON_BEHALF_NOT_ALLOWED', 'the caretaker acts only for a household without an account', 403)
export const OwnListingError = createError('PALIER_OWN_LISTING', 'cannot answer your own listing', 409)
export const ListingClosedError = createError('PALIER_LISTING_CLOSED', 'listing done or withdrawn', 409)
export const ExchangeBadTransitionError = createError('PALIER_BAD_TRANSITION', 'status change not allowed', 409)
export const AlreadyThankedError = createError('PALIER_ALREADY_THANKED', 'already thanked for this exchange', 409)
export const NotYetDoneError = createError('PALIER_EXCHANGE_NOT_DONE', 'thanks come once the exchange is done', 409)
export const TimeBankOffError = createError('PALIER_TIMEBANK_OFF', 'the time bank is off', 409)
export const BalanceLimitError = createError('PALIER_BALANCE_LIMIT', 'a balance would leave its limits', 409)
export const IdempotencyConflictError = createError('PALIER_IDEMPOTENCY_CONFLICT', 'same key, different request', 409)
export const TooManyPhotosError = createError('PALIER_TOO_MANY_PHOTOS', 'three photos at most', 409)
