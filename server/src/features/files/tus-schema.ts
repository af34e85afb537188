// Schemas of the resumable upload endpoint (tus 1.0.0: core, creation, termination, expiration).
// Data only: frozen to JSON at build. Headers are checked here; their meaning is the protocol's.
import { Type } from 'typebox'

export const TUS_VERSION = '1.0.0'
export const TUS_EXTENSIONS = 'creation,termination,expiration'
export const OFFSET_STREAM = 'application/offset+octet-stream'

// At most 15 digits: always a safe integer, and far above any size we accept.
const ByteCountSchema = Type.String({ pattern: '^[0-9]{1,15}$', description: 'A number of bytes (decimal).' })
const TusResumableSchema = Type.Optional(Type.String({ description: 'The protocol version the client speaks: must be 1.0.0 (else 412).' }))

export const CreateHeadersSchema = Type.Object({
  'tus-resumable': TusResumableSchema,
  'upload-length': ByteCountSchema,
  'upload-metadata': Type.String({
    maxLength: 4096,
    description: 'Comma-separated `key base64(value)` pairs: `filename` (required), `space` (library, household or shared), `parentId` (a folder; optional).',
  }),
})

export const PatchHeadersSchema = Type.Object({
  'tus-resumable': TusResumableSchema,
  'upload-offset': ByteCountSchema,
})

export const TusHeadersSchema = Type.Object({ 'tus-resumable': TusResumableSchema })

const header = (description: string) => Type.String({ description })
const ALWAYS = {
  'Tus-Resumable': header('1.0.0'),
  'Cache-Control': header('no-store'),
}

export const OptionsResultSchema = Type.Null({
  description: 'What this server supports.',
  headers: {
    ...ALWAYS,
    'Tus-Version': header('1.0.0'),
    'Tus-Extension': header(TUS_EXTENSIONS),
    'Tus-Max-Size': header('The largest file accepted, in bytes.'),
  },
})

export const CreatedSchema = Type.Null({
  description: 'The upload exists; send its bytes with PATCH to its Location.',
  headers: {
    ...ALWAYS,
    Location: header('/api/v1/files/uploads/<id>'),
    'Upload-Expires': header('When the unfinished upload is removed (RFC 7231 date); each PATCH pushes it back.'),
    'Palier-File-Id': header('Only for an empty file, complete at once: the id of the file made.'),
  },
})

export const StatusResultSchema = Type.Null({
  description: 'Where the upload stands (no body).',
  headers: {
    ...ALWAYS,
    'Upload-Offset': header('Bytes received and safely stored: resume from here.'),
    'Upload-Length': header('Bytes announced at creation.'),
    'Upload-Expires': header('When the unfinished upload is removed (RFC 7231 date).'),
    'Palier-File-Id': header('Once complete: the id of the file made.'),
  },
})

export const PatchedSchema = Type.Null({
  description: 'Bytes appended.',
  headers: {
    ...ALWAYS,
    'Upload-Offset': header('Bytes received and safely stored so far.'),
    'Upload-Expires': header('When the unfinished upload is removed (RFC 7231 date).'),
    'Palier-File-Id': header('Once the last byte is in: the id of the file made.'),
  },
})

export const TerminatedSchema = Type.Null({ description: 'The upload and its bytes are gone.', headers: ALWAYS })
