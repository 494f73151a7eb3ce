import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Limits } from '../src/limits.ts'
import { echoApp } from './helpers/echo-app.ts'
import { start } from './helpers/raw-client.ts'

// The gunicorn request-parsing corpus (copied into apps/echo/corpus with attribution),
// replayed over TCP against this package's server in-process, with the strictest options.
const DIR = fileURLToPath(new URL('../../../apps/echo/corpus/', import.meta.url))
const CORPUS = `${DIR}gunicorn.jsonl`
const records: { id: string; config?: string }[] = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))

/** `config` cases whose gunicorn setting tsgi does not offer, with tsgi's decision. */
const POLICY: Record<string, string> = {
  'gunicorn/invalid/040': "header_map=refuse: tsgi drops names with '_' (gunicorn's default) instead",
  'gunicorn/valid/040_compat': "header_map=dangerous: '_' names would spoof '-' names in the environ",
  'gunicorn/invalid/041': 'duplicate Content-Type is joined like any field (RFC 9110 §5.3)',
  'gunicorn/valid/compat_obs_fold': 'obs-fold is always refused (RFC 9112 §5.2)',
  'gunicorn/valid/pp_01': 'no PROXY protocol',
  'gunicorn/valid/pp_04': 'no PROXY protocol',
  'gunicorn/valid/pp_05': 'no PROXY protocol',
  'gunicorn/valid/rfc9112_smuggle_gzip_chunked_01': 'codings other than chunked answer 501 (RFC 9112 §6.1)',
  'gunicorn/valid/rfc9112_target_authority_connect_01': 'CONNECT answers 501: an origin server is no tunnel',
  'gunicorn/valid/rfc9112_target_authority_ipv6_01': 'CONNECT answers 501: an origin server is no tunnel',
}

/** `config` cases that need a limit other than the default: the limits that match them. */
const WITH_LIMITS: [Partial<Limits>, string[]][] = [
  [{ maxHeaderFieldBytes: 10 }, ['gunicorn/invalid/010']],
  [{ maxHeaderCount: 2 }, ['gunicorn/invalid/011']],
  [{ maxHeaderFieldBytes: 98 }, ['gunicorn/invalid/012']],
  [{ maxRequestLineBytes: 8200, maxHeaderFieldBytes: 8210 }, ['gunicorn/valid/024']],
  [{ maxHeaderFieldBytes: 8210 }, ['gunicorn/valid/026']],
]

async function runCorpus(
  limits: Partial<Limits>,
  only?: string[],
): Promise<{ failed: string[]; last: string }> {
  const { server, port } = await start(echoApp, { limits })
  try {
    const args = [
      `${DIR}run-corpus.mjs`,
      CORPUS,
      `127.0.0.1:${port}`,
      '--require-host',
      '--headers',
      'joined',
    ]
    args.push('--strict-status', '--require-close')
    if (only) args.push('--only', `^(${only.map((id) => id.replace(/[/.]/g, '\\$&')).join('|')})$`)
    const run = await promisify(execFile)(process.execPath, args).catch((e: { stdout: string }) => e)
    const lines = run.stdout.trim().split('\n')
    const failed = lines.filter((l) => l.startsWith('FAIL ')).map((l) => l.split(' ')[1]!)
    return { failed, last: lines.at(-1)! }
  } finally {
    await server.close()
  }
}

describe('gunicorn corpus over TCP', () => {
  it('passes every case at the default limits except the documented policy cases', async () => {
    const { failed, last } = await runCorpus({})
    const limitCases = WITH_LIMITS.flatMap(([, ids]) => ids)
    const expectedFailures = [
      ...Object.keys(POLICY),
      ...limitCases.filter((id) => id !== 'gunicorn/invalid/010'),
    ]
    expect(failed.sort()).toEqual(expectedFailures.sort())
    expect(last).toBe(`${records.length - expectedFailures.length} passed, ${expectedFailures.length} failed`)
    // Every case without `config` is among the passes.
    const plain = records.filter((r) => !r.config).map((r) => r.id)
    expect(plain.filter((id) => failed.includes(id))).toEqual([])
    expect(plain).toHaveLength(98)
  }, 60_000)

  for (const [limits, ids] of WITH_LIMITS) {
    it(`passes ${ids.join(', ')} with ${JSON.stringify(limits)}`, async () => {
      const { failed, last } = await runCorpus(limits, ids)
      expect(failed).toEqual([])
      expect(last).toBe(`${ids.length} passed, 0 failed`)
    }, 30_000)
  }
})
