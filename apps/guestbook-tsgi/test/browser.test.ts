import { fileURLToPath } from 'node:url'
import { describeGuestbookInBrowser } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'

describeGuestbookInBrowser(
  'tsgi',
  (guestbook) => createApp({ guestbook }),
  fileURLToPath(new URL('../test-results/screenshots/', import.meta.url)),
)
