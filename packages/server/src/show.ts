/** A value for an error message: strings quoted and cut at 64 characters, objects by their tag. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value)
  if (value === null || typeof value !== 'object') return String(value)
  return Object.prototype.toString.call(value)
}
