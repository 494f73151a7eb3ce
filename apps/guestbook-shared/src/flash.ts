/** The cookie that carries the one-time notice across the 303 redirect. */
export const FLASH_COOKIE = 'guestbook_flash'

// HttpOnly: scripts never need it. SameSite=Lax: sent on the top-level GET after the redirect.
const ATTRIBUTES = 'HttpOnly; SameSite=Lax; Path=/'

/**
 * The `Set-Cookie` value that stores a notice. encodeURIComponent leaves only cookie-octets
 * (RFC 6265 §4.1.1), so any text survives.
 */
export function setFlashCookie(message: string): string {
  return `${FLASH_COOKIE}=${encodeURIComponent(message)}; ${ATTRIBUTES}`
}

/** The `Set-Cookie` value that deletes the notice once shown (RFC 6265 §4.1.2.2). */
export function clearFlashCookie(): string {
  return `${FLASH_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`
}

/** The notice in a `Cookie` request header, if there is a readable one. */
export function readFlash(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=')
    if (eq === -1 || pair.slice(0, eq).trim() !== FLASH_COOKIE) continue
    const raw = pair.slice(eq + 1).trim()
    if (raw === '') return undefined
    try {
      return decodeURIComponent(raw)
    } catch {
      return undefined // a cookie we did not write; ignore it rather than fail the page
    }
  }
  return undefined
}
