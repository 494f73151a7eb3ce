import { fileURLToPath } from 'node:url'
import { fromExpress } from '@tsgi/adapters'
import { describeGuestbookInBrowser } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'

describeGuestbookInBrowser(
  'express',
  (guestbook) => fromExpress(createApp({ guestbook })),
  fileURLToPath(new URL('../test-results/screenshots/', import.meta.url)),
)
