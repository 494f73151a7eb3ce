import { mkdirSync } from 'node:fs'
import { type Browser, chromium, type Page, type Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixture, type Fixture, type MakeApp, type Running, serveOverTcp } from './harness.ts'

/** Where Debian's Chromium lives; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
]
const STEP_TIMEOUT_MS = 15_000

/** Fills in and submits the form; resolves with the response the browser finally landed on. */
async function submit(page: Page, name: string, message: string): Promise<Response> {
  await page.fill('#name', name)
  await page.fill('#message', message)
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('button[type=submit]'),
  ])
  if (!response) throw new Error('submitting the form did not navigate')
  return response
}

/**
 * Drives the guestbook in headless Chromium, served by the tsgi server over TCP: sign it,
 * land on `/` after the 303 with the notice while another tab gets the entry live over SSE,
 * reload without a second entry, see a refused entry's error. Screenshots of each step go to `screenshotDir`.
 */
export function describeGuestbookInBrowser(name: string, makeApp: MakeApp, screenshotDir: string): void {
  describe(`guestbook (${name}) in Chromium through tsgi serve`, () => {
    let browser: Browser
    let fixture: Fixture
    let running: Running

    beforeAll(async () => {
      mkdirSync(screenshotDir, { recursive: true })
      console.info(`guestbook (${name}) screenshots: ${screenshotDir}`)
      // A short heartbeat: the tsgi server learns that a closed tab's event stream is gone when a write fails.
      fixture = createFixture({ heartbeatMs: 25 })
      running = await serveOverTcp(makeApp(fixture.guestbook))
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, timeout: 30_000 })
    }, 45_000)

    afterAll(async () => {
      await browser?.close()
      await running?.close()
      fixture?.dispose()
    })

    it('signs the guestbook with post/redirect/get and shows a refused entry', {
      timeout: 60_000,
    }, async () => {
      const page = await browser.newPage()
      page.setDefaultTimeout(STEP_TIMEOUT_MS)
      // Script errors and Content-Security-Policy refusals would mean a page that only looks right.
      // (Failed loads are the favicon's 404 and the refused entry's 400, checked by status below.)
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('console', (message) => {
        const text = message.text()
        if (message.type() === 'error' && !text.startsWith('Failed to load resource')) problems.push(text)
      })
      const shot = (step: string): Promise<Buffer> =>
        page.screenshot({ path: `${screenshotDir}/${step}.png`, fullPage: true })
      const home = `${running.baseUrl}/`
      await page.goto(home)
      await expect(page.title()).resolves.toBe('Guestbook')
      await shot('1-empty')
      // A second tab, listening to /events through the page script before anyone signs.
      const watcher = await browser.newPage()
      watcher.setDefaultTimeout(STEP_TIMEOUT_MS)
      const subscribed = watcher.waitForResponse((r) => r.url() === `${home}events`)
      await watcher.goto(home)
      expect((await subscribed).headers()['content-type']).toBe('text/event-stream; charset=utf-8')

      const landed = await submit(page, 'Ada <Lovelace>', 'Hello from Chromium & tsgi')
      expect(page.url()).toBe(home)
      expect(landed.status()).toBe(200)
      const post = landed.request().redirectedFrom()
      expect(post?.method()).toBe('POST')
      expect((await post?.response())?.status()).toBe(303)
      await expect(page.textContent('.flash')).resolves.toBe('Thanks, Ada <Lovelace>! Your entry was added.')
      expect(await page.locator('#entries .entry').count()).toBe(1)
      await expect(page.textContent('.entry-name')).resolves.toBe('Ada <Lovelace>')
      await shot('2-signed')

      // The other tab got the entry pushed over server-sent events, without reloading, as text.
      await watcher.locator('#entries .entry').first().waitFor()
      await expect(watcher.textContent('#entries .entry-name')).resolves.toBe('Ada <Lovelace>')
      await expect(watcher.textContent('#entries-heading .count')).resolves.toBe('(1)')
      expect(await watcher.locator('.empty').count()).toBe(0)
      await watcher.screenshot({ path: `${screenshotDir}/2b-live-in-other-tab.png`, fullPage: true })
      await watcher.close()

      await page.reload()
      expect(await page.locator('.flash').count()).toBe(0)
      expect(await page.locator('#entries .entry').count()).toBe(1)
      expect(fixture.guestbook.store.newest(10)).toHaveLength(1)
      await shot('3-reloaded')

      const refused = await submit(page, '   ', 'This one has no name')
      expect(refused.status()).toBe(400)
      expect(refused.request().method()).toBe('POST')
      await expect(page.textContent('.form-error')).resolves.toBe('Please correct the errors below.')
      await expect(page.textContent('#name-error')).resolves.toBe('Name is required.')
      await expect(page.inputValue('#message')).resolves.toBe('This one has no name')
      expect(await page.locator('#entries .entry').count()).toBe(1)
      expect(fixture.guestbook.store.newest(10)).toHaveLength(1)
      await shot('4-refused')
      expect(problems).toEqual([])
      await page.close()
    })
  })
}
