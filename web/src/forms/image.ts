// Checks of a photo chosen for a notice or a report, before it is sent: a format the box takes
// and not too big for the Wi-Fi and the SD card. The server checks the bytes themselves.
import type { MessageKey } from '../i18n/translate.js'

export const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp']
/** 5 MB, the server's limit (it answers 413 above). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024

export function checkImage(file: { type: string; size: number }): MessageKey | null {
  if (!IMAGE_TYPES.includes(file.type)) return 'validation.imageType'
  if (file.size > MAX_IMAGE_BYTES) return 'validation.imageSize'
  return null
}
