import type { Entry } from './entry.ts'
import { html, type SafeHtml } from './html.ts'
import { LIMITS } from './validate-entry.ts'

/** What is wrong with a submission: per field, and for the form as a whole (bad encoding). */
export interface PageErrors {
  form?: string
  name?: string
  message?: string
}

/** Everything the page shows. */
export interface PageModel {
  entries: readonly Entry[]
  /** A one-time notice (after a successful post). */
  flash?: string | undefined
  /** The user's input, kept when the form is shown again with errors. */
  values?: { name?: string | undefined; message?: string | undefined }
  errors?: PageErrors
}

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function renderEntry(entry: Entry): SafeHtml {
  return html`<li class="entry" id="entry-${entry.id}">
<p class="entry-meta"><strong class="entry-name">${entry.name}</strong> <time datetime="${new Date(entry.createdAt).toISOString()}">${formatTime(entry.createdAt)}</time></p>
<p class="entry-message">${entry.message}</p>
</li>
`
}

function fieldError(id: string, error: string | undefined): SafeHtml {
  return html`${error && html`<p class="field-error" id="${id}-error">${error}</p>\n`}`
}

// HTML §13.2.6.4.7 drops one newline right after <textarea>: the newline written after the tag is
// that one, so a message that itself starts with a line break comes back intact.
function renderForm(model: PageModel): SafeHtml {
  const errors = model.errors ?? {}
  const values = model.values ?? {}
  const hasErrors = Boolean(errors.form || errors.name || errors.message)
  const invalid = (id: string, error: string | undefined): SafeHtml =>
    html`${error && html` aria-invalid="true" aria-describedby="${id}-error"`}`
  return html`<form class="entry-form" method="post" action="/entries">
${hasErrors && html`<p class="form-error" role="alert">${errors.form ?? 'Please correct the errors below.'}</p>\n`}<label for="name">Name</label>
<input id="name" name="name" type="text" required maxlength="${LIMITS.nameMaxChars}" autocomplete="name" value="${values.name ?? ''}"${invalid('name', errors.name)}>
${fieldError('name', errors.name)}<label for="message">Message</label>
<textarea id="message" name="message" required maxlength="${LIMITS.messageMaxChars}" rows="4"${invalid('message', errors.message)}>
${values.message ?? ''}</textarea>
${fieldError('message', errors.message)}<button type="submit">Sign the guestbook</button>
</form>
`
}

/** The guestbook page: flash notice, the form, and the entries newest first. All text is escaped. */
export function renderPage(model: PageModel): string {
  const count = model.entries.length
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guestbook</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/guestbook.js" defer></script>
</head>
<body>
<main>
<h1>Guestbook</h1>
${model.flash && html`<p class="flash" role="status">${model.flash}</p>\n`}${renderForm(model)}<section class="entries" aria-labelledby="entries-heading">
<h2 id="entries-heading">Entries <span class="count">(${count})</span></h2>
${count === 0 && html`<p class="empty">No entries yet. Be the first to sign!</p>\n`}<ol id="entries">\n${model.entries.map(renderEntry)}</ol>
</section>
</main>
</body>
</html>
`.toString()
}
