import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Hono's default error handler logs the errors the error scenarios throw on purpose.
    onConsoleLog: (log) => !/boom/.test(log),
  },
})
