/** The guestbook's stylesheet, served at `/static/style.css`. */
export const STYLESHEET = `:root {
  color-scheme: light dark;
  --accent: #2f6f4f;
  --error: #b3261e;
  --muted: #666;
  font-family: system-ui, sans-serif;
  line-height: 1.5;
}
body { margin: 0; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { color: var(--accent); margin-bottom: 1rem; }
.flash { background: #e6f4ea; color: #1e4620; border-left: 4px solid var(--accent); padding: 0.5rem 0.75rem; }
.entry-form { display: grid; gap: 0.35rem; margin-bottom: 2rem; }
.entry-form label { font-weight: 600; margin-top: 0.5rem; }
.entry-form input, .entry-form textarea { font: inherit; padding: 0.4rem 0.5rem; border: 1px solid #aaa; border-radius: 4px; }
.entry-form [aria-invalid="true"] { border-color: var(--error); }
.entry-form button { justify-self: start; margin-top: 0.75rem; font: inherit; padding: 0.4rem 1rem; color: #fff; background: var(--accent); border: 0; border-radius: 4px; cursor: pointer; }
.form-error, .field-error { color: var(--error); margin: 0; }
.form-error { font-weight: 600; }
#entries { list-style: none; padding: 0; }
.entry { border-top: 1px solid #ddd; padding: 0.5rem 0; }
.entry-meta { margin: 0; }
.entry-meta time, .count, .empty { color: var(--muted); }
.entry-message { margin: 0.25rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
`
