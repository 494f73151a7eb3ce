import type { NewEntry } from './entry-store.ts'

/** Length limits, counted in Unicode code points after trimming. */
export const LIMITS = { nameMaxChars: 80, messageMaxChars: 1000 } as const

/** Per-field error messages, meant for people. */
export interface FieldErrors {
  name?: string
  message?: string
}

/** The outcome of validating user input: the clean entry, or what is wrong with each field. */
export type Validation = { ok: true; entry: NewEntry } | { ok: false; errors: FieldErrors }

// Control characters (C0, DEL, C1); a message may keep tabs and line breaks, a name may not.
const NAME_FORBIDDEN = /\p{Cc}/u
const MESSAGE_FORBIDDEN = /[^\P{Cc}\t\n]/u

function checkField(
  value: unknown,
  label: string,
  maxChars: number,
  forbidden: RegExp,
): { value: string } | { error: string } {
  if (typeof value !== 'string') return { error: `${label} is required.` }
  const trimmed = value.trim()
  if (trimmed === '') return { error: `${label} is required.` }
  const length = [...trimmed].length
  if (length > maxChars)
    return { error: `${label} is too long (${length} of at most ${maxChars} characters).` }
  if (forbidden.test(trimmed)) return { error: `${label} contains control characters.` }
  return { value: trimmed }
}

/**
 * Checks a submitted `{ name, message }` (from a form or JSON): both required strings, trimmed,
 * within {@link LIMITS}, without control characters. Line breaks in the message become `\n`.
 */
export function validateEntry(input: { name?: unknown; message?: unknown }): Validation {
  const message = typeof input.message === 'string' ? input.message.replace(/\r\n?/g, '\n') : input.message
  const name = checkField(input.name, 'Name', LIMITS.nameMaxChars, NAME_FORBIDDEN)
  const text = checkField(message, 'Message', LIMITS.messageMaxChars, MESSAGE_FORBIDDEN)
  if ('value' in name && 'value' in text)
    return { ok: true, entry: { name: name.value, message: text.value } }
  const errors: FieldErrors = {}
  if ('error' in name) errors.name = name.error
  if ('error' in text) errors.message = text.error
  return { ok: false, errors }
}
