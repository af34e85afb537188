// Schema pieces shared by every feature's routes.
import { Type, type Static, type TSchema } from 'typebox'
import { ID_PATTERN } from './ids.js'

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. PALIER_BAD_CREDENTIALS.' }),
    message: Type.String({ description: 'Human-readable message in the language the request asked for.' }),
    field: Type.Optional(Type.String({ description: 'The input field at fault, when there is one.' })),
  },
  { $id: 'Error', description: 'Every error answer.' },
)
export type ErrorBody = Static<typeof ErrorSchema>

/** Error answers for the given statuses, all with the shared error body. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<S, typeof ErrorSchema>
}

export const IdSchema = Type.String({ pattern: ID_PATTERN, description: 'Time-ordered UUIDv7.' })
export const IdParamsSchema = Type.Object({ id: IdSchema })
export const TimestampSchema = Type.Integer({ description: 'Milliseconds since 1970 (box clock).' })
export const NullableTimestampSchema = Type.Union([TimestampSchema, Type.Null()])
export const EmptySchema = Type.Null({ description: 'No content.' })

export const LoginSchema = Type.String({ minLength: 1, maxLength: 64 })
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 256 })
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 120 })
export const CodeSchema = Type.String({ minLength: 4, maxLength: 64 })

export function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()])
}
