// Response maps for route schemas.
import { ErrorSchema } from './schemas.js'

/** Error answers for the given statuses, all with the shared error body. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<S, typeof ErrorSchema>
}
