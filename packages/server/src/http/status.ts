/** Reason phrases for the statuses the server itself sends. Apps send their own status lines. */
const REASONS: Record<number, string> = {
  100: 'Continue',
  103: 'Early Hints',
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
}

/** `404` -> `'404 Not Found'` for the statuses above; `'<code> Error'` otherwise. */
export function statusLine(code: number): string {
  return `${code} ${REASONS[code] ?? 'Error'}`
}
