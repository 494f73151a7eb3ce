import { html } from './html.ts'
import { htmlReply, jsonReply, type Reply } from './reply.ts'

// The routes every guestbook serves, for the `Allow` header (RFC 9110 §15.5.6).
const ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/^\/$/, 'GET, HEAD'],
  [/^\/entries$/, 'POST'],
  [/^\/api\/entries$/, 'GET, HEAD, POST'],
  [/^\/api\/entries\/[^/]+$/, 'GET, HEAD'],
  [/^\/events$/, 'GET, HEAD'],
  [/^\/static\/[^/]+$/, 'GET, HEAD'],
]

/** 405 with `Allow` when the path exists under another method, else 404; JSON under `/api/`. */
export function routeNotFound(method: string, path: string): Reply {
  const api = path.startsWith('/api/')
  const allow = ROUTES.find(([pattern]) => pattern.test(path))?.[1]
  if (allow !== undefined) {
    const message = `${method} is not allowed here; use ${allow}.`
    return api
      ? jsonReply(405, { error: { code: 'method_not_allowed', message } }, [['Allow', allow]])
      : htmlReply(405, page('Method not allowed', message), [['Allow', allow]])
  }
  return notFound(api)
}

/** The 404 answer: an HTML page, or a JSON error for the API. */
export function notFound(api: boolean): Reply {
  const message = 'There is nothing at this address.'
  return api
    ? jsonReply(404, { error: { code: 'not_found', message } })
    : htmlReply(404, page('Not found', message))
}

function page(title: string, message: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main>
<h1>${title}</h1>
<p>${message}</p>
<p><a href="/">Back to the guestbook</a></p>
</main>
</body>
</html>
`.toString()
}
