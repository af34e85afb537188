import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'

const Part = (description: string) => Type.String({ maxLength: 80, description })

export const FlatSchema = Type.Object({
  id: IdSchema,
  label: Type.String(),
  entrance: Type.String(),
  floor: Type.String(),
  door: Type.String(),
  createdAt: TimestampSchema,
  revokedAt: NullableTimestampSchema,
  residentCount: Type.Integer({ description: 'Residents with access.' }),
  activeInviteCount: Type.Integer({ description: 'Invitation codes still valid.' }),
})
export const FlatListSchema = Type.Object({ flats: Type.Array(FlatSchema) })

export const NewFlatBodySchema = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 80, description: 'Name of the flat as the caretaker knows it.' }),
    entrance: Type.Optional(Part('Entrance or staircase.')),
    floor: Type.Optional(Part('Floor.')),
    door: Type.Optional(Part('Door number.')),
  },
  { additionalProperties: false },
)
export type NewFlatBody = Static<typeof NewFlatBodySchema>

export const ImportBodySchema = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 512 * 1024, description: 'The CSV text, header row first.' }) },
  { additionalProperties: false },
)
export const ImportResultSchema = Type.Object({ created: Type.Integer(), flats: Type.Array(FlatSchema) })

export const InviteSchema = Type.Object({
  id: IdSchema,
  flatId: IdSchema,
  code: Type.String(),
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
  revokedAt: NullableTimestampSchema,
})
export const InviteListSchema = Type.Object({ invites: Type.Array(InviteSchema) })

export const PrintQuerySchema = Type.Object({
  flat: Type.Optional(Type.Array(IdSchema, { maxItems: 2000, description: 'Flats to print; all flats with a valid invitation when absent.' })),
})
export const HtmlSchema = Type.String({ description: 'An HTML page.' })
