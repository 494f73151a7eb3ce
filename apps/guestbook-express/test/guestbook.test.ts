import { fromExpress } from '@tsgi/adapters'
import { describeGuestbook } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'
import { startNative } from '../src/native.ts'

describeGuestbook(
  'express',
  (guestbook) => fromExpress(createApp({ guestbook })),
  (guestbook) => startNative(createApp({ guestbook })),
)
