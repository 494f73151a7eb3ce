import { fileURLToPath } from 'node:url'
import { fromKoa } from '@tsgi/adapters'
import { describeGuestbookInBrowser } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'

describeGuestbookInBrowser(
  'koa',
  (guestbook) => fromKoa(createApp({ guestbook })),
  fileURLToPath(new URL('../test-results/screenshots/', import.meta.url)),
)
