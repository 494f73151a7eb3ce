import { expect, it } from 'vitest'

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
    [
      "CONNECTION_DESTROYED",
      "HOP_BY_HOP_FIELDS",
      "STATUS_CODES",
      "TsgiArgumentError",
      "TsgiError",
      "TsgiSpecError",
      "applicationUri",
      "createEnviron",
      "createErrorBuffer",
      "createInputStream",
      "createStderrStream",
      "formatStatus",
      "inject",
      "requestUri",
      "shiftPathInfo",
      "statusText",
      "validate",
    ]
  `)
})
