// Schemas shared by the exchange's modules. Data only (frozen to JSON at build time).
import { Type } from 'typebox'

export const HouseholdRefSchema = Type.Object(
  {
    id: Type.String({ description: 'The flat id.' }),
    label: Type.String({ description: 'The flat label, e.g. "B-3-12".' }),
    name: Type.String({ description: 'Display name of the person who wrote, or of the flat’s first resident.' }),
  },
  { additionalProperties: false },
)

export const AsFlatQuerySchema = Type.Object(
  {
    asFlat: Type.Optional(Type.String({ maxLength: 64, description: 'Caretaker only: act for this household without an account.' })),
  },
  { additionalProperties: false },
)

export const DIRECTIONS = ['offer', 'request'] as const
export const KINDS = ['lend', 'give', 'help', 'swap'] as const
export const CATEGORIES = ['tools', 'home', 'kids', 'books_media', 'clothes', 'food', 'lessons', 'repairs', 'garden', 'transport', 'care', 'other'] as const
