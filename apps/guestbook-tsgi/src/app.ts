import { createApp } from './create-app.ts'

export { type AppOptions, createApp } from './create-app.ts'

/** The app `tsgi serve apps/guestbook-tsgi/src/app.ts` serves, on `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
export const app: ReturnType<typeof createApp> = createApp()

export default app
