// A small JPEG (≤ 320 px) of a photo the person just added, made on the phone with a canvas, so
// that neighbours' grids load a few kilobytes per photo instead of the whole picture. Whatever
// fails here (an old browser, a picture too big to decode) only means no preview.
import { PREVIEW_MAX_PX, PREVIEW_TYPES, fitWithin } from './model.js'

export function wantsPreview(file: Blob): boolean {
  return PREVIEW_TYPES.includes(file.type)
}

type Drawable = CanvasImageSource & { width: number; height: number }

/** Decodes the picture, already shrunk where the browser can (less memory on an old phone). */
async function decode(file: Blob): Promise<{ image: Drawable; release: () => void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      // Only the width is given, so the browser keeps the shape; fitWithin() settles the rest.
      const bitmap = await createImageBitmap(file, { resizeWidth: PREVIEW_MAX_PX, resizeQuality: 'medium' })
      return { image: bitmap, release: () => bitmap.close() }
    } catch {
      // Older engines refuse the options or blobs: the <img> way below.
    }
  }
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.decoding = 'async'
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('image not decoded'))
      img.src = url
    })
    const image = Object.assign(img, { width: img.naturalWidth, height: img.naturalHeight })
    return { image, release: () => URL.revokeObjectURL(url) }
  } catch (err) {
    URL.revokeObjectURL(url)
    throw err
  }
}

/** The preview as a JPEG blob, or null when it could not be made. */
export async function makePreview(file: Blob): Promise<Blob | null> {
  if (!wantsPreview(file)) return null
  try {
    const { image, release } = await decode(file)
    try {
      const size = fitWithin(image.width, image.height)
      const canvas = document.createElement('canvas')
      canvas.width = size.width
      canvas.height = size.height
      const context = canvas.getContext('2d')
      if (!context) return null
      // JPEG has no transparency: a transparent PNG would otherwise turn black.
      context.fillStyle = '#fff'
      context.fillRect(0, 0, size.width, size.height)
      context.drawImage(image, 0, 0, size.width, size.height)
      return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8))
    } finally {
      release()
    }
  } catch {
    return null
  }
}
