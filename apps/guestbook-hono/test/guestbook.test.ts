import { fromHono } from '@tsgi/adapters'
import { describeGuestbook } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'
import { startNative } from '../src/native.ts'

describeGuestbook(
  'hono',
  (guestbook) => fromHono(createApp({ guestbook })),
  (guestbook) => startNative(createApp({ guestbook })),
)
