// The shared storage's refusals. Sizes travel as numbers in params ending in "Bytes"; the error
// handler writes them out in the reader's language.
import createError from '@fastify/error'
import { withDetails } from '../../lib/errors.js'

export const FileTooLargeError = createError('PALIER_FILE_TOO_LARGE', 'file larger than the limit', 413)
export const QuotaExceededError = createError('PALIER_QUOTA_EXCEEDED', 'household quota exceeded', 413)
export const StorageFullError = createError('PALIER_STORAGE_FULL', 'data disk under its free-space reserve', 507)
export const FileNameInvalidError = createError('PALIER_FILE_NAME_INVALID', 'invalid file or folder name', 400)
export const FileNameTakenError = createError('PALIER_FILE_NAME_TAKEN', 'name already used in this folder', 409)
export const LibraryReadOnlyError = createError('PALIER_LIBRARY_READ_ONLY', 'only the caretaker writes the library', 403)
export const NotFileOwnerError = createError('PALIER_NOT_FILE_OWNER', 'only who added it or the caretaker may change it', 403)
export const FolderHasOthersError = createError('PALIER_FOLDER_HAS_OTHERS', 'the folder holds other people’s files', 409)
export const BadMoveError = createError('PALIER_BAD_MOVE', 'cannot move there', 409)
export const UploadIncompleteError = createError('PALIER_UPLOAD_INCOMPLETE', 'the upload did not arrive whole', 400)
export const NoFileError = createError('PALIER_NO_FILE', 'no file in the request', 400)
export const UploadOffsetError = createError('PALIER_UPLOAD_OFFSET', 'upload offset does not match', 409)

/** 413 saying how much the household may still add. */
export function quotaExceeded(leftBytes: number, quotaBytes: number): Error {
  return withDetails(new QuotaExceededError(), { params: { leftBytes: Math.max(0, leftBytes), quotaBytes } })
}

/** 413 saying the largest file allowed. */
export function fileTooLarge(maxBytes: number): Error {
  return withDetails(new FileTooLargeError(), { params: { maxBytes } })
}
