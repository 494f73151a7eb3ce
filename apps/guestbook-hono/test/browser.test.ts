import { fileURLToPath } from 'node:url'
import { fromHono } from '@tsgi/adapters'
import { describeGuestbookInBrowser } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'

describeGuestbookInBrowser(
  'hono',
  (guestbook) => fromHono(createApp({ guestbook })),
  fileURLToPath(new URL('../test-results/screenshots/', import.meta.url)),
)
