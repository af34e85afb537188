import { Type } from 'typebox'

export const HealthSchema = Type.Object({ status: Type.Literal('ok'), version: Type.String() })

export const InfoSchema = Type.Object({
  buildingName: Type.String(),
  setupNeeded: Type.Boolean({ description: 'True until the caretaker account exists.' }),
  version: Type.String(),
})

export const OpenApiSchema = Type.Object({}, { additionalProperties: true, description: 'An OpenAPI 3.1 document.' })
