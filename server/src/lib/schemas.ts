// Schema pieces shared by every feature's routes. Like every *schema.ts module, this one holds
// data only: the build freezes it to plain JSON so TypeBox is not loaded at run time.
import { Type, type Static } from 'typebox'
import { ID_PATTERN } from './ids.js'

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. PALIER_BAD_CREDENTIALS.' }),
    message: Type.String({ description: 'Human-readable message in the language the request asked for.' }),
    field: Type.Optional(Type.String({ description: 'The input field at fault, when there is one.' })),
  },
  { description: 'Every error answer.' },
)
export type ErrorBody = Static<typeof ErrorSchema>

export const IdSchema = Type.String({ pattern: ID_PATTERN, description: 'Time-ordered UUIDv7.' })
export const IdParamsSchema = Type.Object({ id: IdSchema })
export const TimestampSchema = Type.Integer({ description: 'Milliseconds since 1970 (box clock).' })
export const NullableTimestampSchema = Type.Union([TimestampSchema, Type.Null()])
export const EmptySchema = Type.Null({ description: 'No content.' })

export const LoginSchema = Type.String({ minLength: 1, maxLength: 64 })
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 256 })
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 120 })
export const CodeSchema = Type.String({ minLength: 4, maxLength: 64 })
