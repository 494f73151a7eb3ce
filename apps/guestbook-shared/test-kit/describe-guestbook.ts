import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiTests, jsonPost } from './api-tests.ts'
import { type Context, formTests } from './form-tests.ts'
import {
  createFixture,
  type Fixture,
  type MakeApp,
  modes,
  type Running,
  type StartNative,
} from './harness.ts'
import { miscTests } from './misc-tests.ts'
import { streamTests } from './stream-tests.ts'

/**
 * The guestbook behaviour suite, written once: every test runs in memory (`inject` through
 * `validate`), over TCP through `serve()`, and on the framework's native server when given.
 *
 * @example
 * describeGuestbook('express', (guestbook) => fromExpress(createApp({ guestbook })), nativeStarter)
 */
export function describeGuestbook(name: string, makeApp: MakeApp, native?: StartNative): void {
  describe(`guestbook (${name})`, () => {
    for (const mode of modes(makeApp, native)) {
      describe(mode.name, () => {
        let fixture: Fixture
        let running: Running
        beforeEach(async () => {
          fixture = createFixture({ heartbeatMs: mode.overSocket ? 25 : 0 })
          running = await mode.start(fixture.guestbook)
        })
        afterEach(async () => {
          await running.close()
          fixture.dispose()
        })
        const ctx = (): Context => ({
          target: running.target,
          stored: () => fixture.guestbook.store.newest(1000).map(({ name, message }) => ({ name, message })),
          expectedPage: () => fixture.guestbook.page(undefined),
        })
        formTests(ctx)
        apiTests(ctx)
        miscTests(ctx)
        if (mode.overSocket) {
          streamTests(() => ({ running, guestbook: fixture.guestbook }))
        }
      })
    }

    it('keeps entries across a restart (a new app on the same database file)', async () => {
      const fixture = createFixture()
      const [memory, tcp] = modes(makeApp)
      try {
        const first = await tcp!.start(fixture.guestbook)
        const created = await first.target(
          '/api/entries',
          jsonPost({ name: 'Persistent', message: 'still here' }),
        )
        await first.close()
        fixture.guestbook.close()

        const second = await memory!.start(fixture.reopen())
        const list = JSON.parse((await second.target('/api/entries')).text)
        expect(list).toEqual([JSON.parse(created.text)])
        expect((await second.target('/')).text).toContain('still here')
        await second.close()
      } finally {
        fixture.dispose()
      }
    })
  })
}
