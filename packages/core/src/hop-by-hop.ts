/**
 * Connection-specific header fields, lower-case (RFC 9110 §7.6.1, plus the obsolete `Keep-Alive`,
 * `Proxy-Connection` and wsgiref's `Trailers`). They belong to the server's connection with its
 * peer, so a gateway app never sends them (PEP 3333, "Other HTTP Features"); one list, so the
 * validator and every bridge agree on what they drop or refuse.
 */
export const HOP_BY_HOP_FIELDS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
])
