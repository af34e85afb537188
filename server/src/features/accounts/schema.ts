import { Type, type Static } from 'typebox'
import { CodeSchema, DisplayNameSchema, IdSchema, LoginSchema, NullableTimestampSchema, PasswordSchema, TimestampSchema } from '../../lib/schemas.js'

export const FlatRefSchema = Type.Object({
  id: IdSchema,
  label: Type.String(),
  entrance: Type.String(),
  floor: Type.String(),
  door: Type.String(),
})

export const MeSchema = Type.Object(
  {
    id: IdSchema,
    login: Type.String(),
    displayName: Type.String(),
    role: Type.Union([Type.Literal('caretaker'), Type.Literal('resident')]),
    flat: Type.Union([FlatRefSchema, Type.Null()]),
  },
  { description: 'The signed-in person.' },
)
export type Me = Static<typeof MeSchema>

export const SetupBodySchema = Type.Object(
  { code: CodeSchema, login: LoginSchema, displayName: DisplayNameSchema, password: PasswordSchema },
  { additionalProperties: false },
)
export const LoginBodySchema = Type.Object({ login: LoginSchema, password: PasswordSchema }, { additionalProperties: false })
export const JoinBodySchema = SetupBodySchema
export const PasswordResetBodySchema = Type.Object(
  { login: LoginSchema, code: CodeSchema, password: PasswordSchema },
  { additionalProperties: false },
)
export const ChangePasswordBodySchema = Type.Object(
  { currentPassword: PasswordSchema, password: PasswordSchema },
  { additionalProperties: false },
)

export const ResidentSchema = Type.Object({
  id: IdSchema,
  login: Type.String(),
  displayName: Type.String(),
  flatId: IdSchema,
  flatLabel: Type.String(),
  createdAt: TimestampSchema,
  revokedAt: NullableTimestampSchema,
})
export type Resident = Static<typeof ResidentSchema>
export const ResidentListSchema = Type.Object({ residents: Type.Array(ResidentSchema) })

export const ResetCodeSchema = Type.Object({
  code: Type.String({ description: 'One-time code to hand to the resident; shown once.' }),
  expiresAt: TimestampSchema,
})
