import { describeGuestbook } from '@tsgi-apps/guestbook-shared/test-kit'
import { createApp } from '../src/create-app.ts'

// The tsgi server is this app's native server, so the kit's `serve()` runs cover it.
describeGuestbook('tsgi', (guestbook) => createApp({ guestbook }))
