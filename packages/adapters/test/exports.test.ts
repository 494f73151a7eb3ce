import { expect, it } from 'vitest'

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toMatchInlineSnapshot(`
    [
      "ConnectionDestroyedError",
      "InputAfterResponseError",
      "NodeBridgeError",
      "NotAnAppError",
      "TSGI_APP",
      "adapt",
      "detectKind",
      "fromExpress",
      "fromFetch",
      "fromHono",
      "fromKoa",
      "fromNodeHandler",
      "isExpressApp",
      "isKoaApp",
      "toFetchHandler",
      "toNodeHandler",
    ]
  `)
})
