// Schemas of the shared storage (the building library, each household's space, what neighbours
// share). Data only: frozen to JSON at build.
import { Type, type Static } from 'typebox'
import { ID_PATTERN } from '../../lib/ids.js'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'

export const SpaceSchema = Type.Union([Type.Literal('library'), Type.Literal('household'), Type.Literal('shared')], {
  description: "library: the caretaker's documents, read by all; household: the caller's flat only; shared: added by anyone, read by all.",
})

const BytesSchema = Type.Integer({ minimum: 0, description: 'Bytes.' })
const NameSchema = Type.String({
  minLength: 1,
  maxLength: 255,
  description: 'Shown name; path separators, control and right-to-left override characters are dropped, 200 characters at most.',
})
const CrumbSchema = Type.Object({ id: IdSchema, name: Type.String() })
const PathSchema = Type.Array(CrumbSchema, { description: 'The folders above it, from the space root down (it is not included).' })

export const FileItemSchema = Type.Object({
  id: IdSchema,
  kind: Type.Union([Type.Literal('folder'), Type.Literal('file')]),
  space: SpaceSchema,
  parentId: Type.Union([IdSchema, Type.Null()], { description: 'The folder holding it; null at the space root.' }),
  name: Type.String(),
  size: Type.Integer({ minimum: 0, description: 'Bytes; 0 for a folder.' }),
  mime: Type.Union([Type.String(), Type.Null()], { description: 'Type found from the content (never the name); null for a folder.' }),
  hasPreview: Type.Boolean({ description: 'A small preview image is at /files/{id}/preview.' }),
  owner: Type.Object({
    name: Type.String({ description: 'Who added it.' }),
    flatLabel: Type.Union([Type.String(), Type.Null()], { description: 'Their flat; null for the caretaker.' }),
  }),
  mine: Type.Boolean({ description: 'The caller added it.' }),
  canChange: Type.Boolean({ description: 'The caller may rename, move and delete it (or, in the trash, restore it).' }),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  trashedAt: NullableTimestampSchema,
  purgeAt: Type.Union([TimestampSchema, Type.Null()], { description: 'When the trash removes it for good.' }),
})
export type FileItem = Static<typeof FileItemSchema>
export type Space = Static<typeof SpaceSchema>

export const SpacesSchema = Type.Object({
  spaces: Type.Array(Type.Object({ space: SpaceSchema, writable: Type.Boolean({ description: 'The caller may add to it.' }) })),
  limits: Type.Object({
    maxFileBytes: BytesSchema,
    quotaBytes: Type.Union([BytesSchema, Type.Null()], { description: "The household's quota; null for the caretaker (none)." }),
    usedBytes: Type.Union([BytesSchema, Type.Null()], { description: 'What the household uses (trash and unfinished uploads included).' }),
    leftBytes: Type.Union([BytesSchema, Type.Null()]),
    uploadsOpen: Type.Boolean({ description: 'False while the data disk is under its free-space reserve: reading still works.' }),
  }),
})

export const ListQuerySchema = Type.Object({
  space: SpaceSchema,
  folder: Type.Optional(IdSchema),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, pattern: '^[A-Za-z0-9_-]+$', description: 'next of the previous page.' })),
})

export const ListingSchema = Type.Object({
  space: SpaceSchema,
  folder: Type.Union([CrumbSchema, Type.Null()], { description: 'The folder listed; null at the space root.' }),
  path: PathSchema,
  items: Type.Array(FileItemSchema, { description: 'Folders first, then files, each by name.' }),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last.' }),
})

export const ItemDetailSchema = Type.Object({ item: FileItemSchema, path: PathSchema })

export const NewFolderBodySchema = Type.Object(
  { space: SpaceSchema, parentId: Type.Union([IdSchema, Type.Null()]), name: NameSchema },
  { additionalProperties: false },
)

export const PatchBodySchema = Type.Object(
  {
    name: Type.Optional(NameSchema),
    parentId: Type.Optional(Type.Union([IdSchema, Type.Null()], { description: 'Move into this folder of the same space; null = its root.' })),
  },
  { additionalProperties: false },
)

export const TrashSchema = Type.Object({
  items: Type.Array(FileItemSchema, { description: 'What the caller may restore, most recently deleted first (the latest 1000).' }),
})

export const ContentQuerySchema = Type.Object({
  download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')], { description: '1: always as an attachment (a download).' })),
})

// Multipart leaves request.body undefined (the parts are read as they stream), so this schema has
// no "type": it documents the form and validates nothing; the handler checks each field.
export const UploadFormSchema = Type.Unsafe<{ space: Space; parentId?: string; file: string }>({
  properties: {
    space: SpaceSchema,
    parentId: Type.String({ pattern: ID_PATTERN, description: 'The folder; absent or empty = the space root.' }),
    file: Type.String({ format: 'binary', description: 'The file, after the other fields; its name is only shown.' }),
  },
  required: ['space', 'file'],
  description: 'multipart/form-data: space, parentId (optional), then the one file.',
})

export const BytesBodySchema = Type.String({ description: 'The file’s bytes (the whole file, or the range asked for).' })
export const PreviewBytesSchema = Type.String({ description: 'The preview image (JPEG, PNG or WebP).' })
export const NotModifiedSchema = Type.Null({ description: 'Not modified: the client’s copy (If-None-Match) is current.' })

const UseSchema = Type.Object({ usedBytes: BytesSchema, files: Type.Integer({ minimum: 0 }) })
export const UsageSchema = Type.Object({
  disk: Type.Object({ totalBytes: BytesSchema, freeBytes: BytesSchema, reserveBytes: BytesSchema }),
  library: UseSchema,
  shared: Type.Object({ ...UseSchema.properties }, { description: 'Everything in the shared space, whoever added it (trash included).' }),
  households: Type.Array(
    Type.Object({
      flatId: IdSchema,
      label: Type.String(),
      usedBytes: Type.Integer({
        minimum: 0,
        description: 'What counts against its quota: its own space, what its members share, their trash and unfinished uploads.',
      }),
      quotaBytes: BytesSchema,
      files: Type.Integer({ minimum: 0, description: 'Files its members added (trash included).' }),
    }),
  ),
})
