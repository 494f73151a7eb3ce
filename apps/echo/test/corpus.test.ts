/**
 * The gunicorn request-parsing corpus, replayed through the real `tsgi` CLI serving this
 * echo app. Every case is accounted for: run at the defaults, run with the flag that matches
 * its `config`, or listed in NOT_OFFERED with the reason tsgi has no such setting.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const corpusDir = fileURLToPath(new URL('../corpus/', import.meta.url))
const corpus = `${corpusDir}gunicorn.jsonl`
const ids: string[] = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line).id)

/** `config` cases that need a non-default setting tsgi offers: the flags that set it. */
const WITH_FLAGS: Array<{ flags: string[]; ids: string[] }> = [
  { flags: ['--limit-request-field-size', '10'], ids: ['gunicorn/invalid/010'] },
  { flags: ['--limit-request-fields', '2'], ids: ['gunicorn/invalid/011'] },
  { flags: ['--limit-request-field-size', '98'], ids: ['gunicorn/invalid/012'] },
  // obs-fold is refused whatever the size, so the size limit alone decides nothing here.
  { flags: ['--limit-request-field-size', '14'], ids: ['gunicorn/invalid/013'] },
  {
    flags: ['--limit-request-line', '8200', '--limit-request-field-size', '8210'],
    ids: ['gunicorn/valid/024'],
  },
  { flags: ['--limit-request-field-size', '8210'], ids: ['gunicorn/valid/026'] },
]

/**
 * `config` cases that pass only under a gunicorn setting tsgi does not offer, and why tsgi
 * does not offer it. They are run, and must fail: a case that starts passing moves out.
 */
const NOT_OFFERED: Record<string, string> = {
  'gunicorn/invalid/040':
    "header_map=refuse: tsgi drops header names containing '_' (gunicorn's default, header_map=drop), " +
    'so HTTP_X_A cannot be spoofed with X_A; refusing the whole request is not offered',
  'gunicorn/valid/040_compat':
    "header_map=dangerous: passing '_' names into the environ lets X_A spoof X-A (WSGI ambiguity); not offered",
  'gunicorn/invalid/041':
    'reject_duplicate_singletons: RFC 9110 §5.3 lets a recipient keep a duplicate Content-Type; ' +
    'tsgi joins it like any field (framing fields Content-Length/Host are checked strictly)',
  'gunicorn/valid/compat_obs_fold':
    'permit_obsolete_folding: RFC 9112 §5.2 lets a server reject obs-fold, and tsgi always does (400)',
  'gunicorn/valid/pp_01':
    'proxy_protocol: tsgi does not speak the PROXY protocol; the PROXY line is a bad request',
  'gunicorn/valid/pp_04':
    'proxy_protocol: tsgi does not speak the PROXY protocol; the PROXY line is a bad request',
  'gunicorn/valid/pp_05':
    'proxy_protocol: tsgi does not speak the PROXY protocol; the PROXY line is a bad request',
  'gunicorn/valid/rfc9112_smuggle_gzip_chunked_01':
    'llhttp_disagrees: "gzip, chunked" would hand the app a coding it must undo; tsgi answers 501 ' +
    'for any transfer coding but chunked (RFC 9112 §6.1 allows it)',
  'gunicorn/valid/rfc9112_target_authority_connect_01':
    'connect_to_app: tsgi is no tunnel; CONNECT answers 501 instead of reaching the app',
  'gunicorn/valid/rfc9112_target_authority_ipv6_01':
    'connect_to_app: tsgi is no tunnel; CONNECT answers 501 instead of reaching the app',
}

/** Starts the CLI on a free port; resolves with the child and its `host:port`. */
async function startEcho(flags: string[]): Promise<{ child: ChildProcess; hostPort: string }> {
  const bin = `${root}packages/server/bin/tsgi.js`
  const args = [bin, 'serve', 'apps/echo/src/app.ts', '--bind', '127.0.0.1:0', '--no-access-log', ...flags]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  let stderr = ''
  const hostPort = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (text: string) => {
      stderr += text
      const match = /tsgi listening on http:\/\/(\S+) /.exec(stderr)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`tsgi exited ${code} before listening: ${stderr}`)))
  })
  return { child, hostPort }
}

/** Runs the corpus runner over `only` (a regex of ids); resolves with its whole output. */
function runCorpus(hostPort: string, only: string): Promise<string> {
  const args = [
    `${corpusDir}run-corpus.mjs`,
    corpus,
    hostPort,
    '--require-host',
    '--headers',
    'joined',
    '--only',
    only,
  ]
  return new Promise((resolve) => {
    const runner = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    runner.stdout.setEncoding('utf8')
    runner.stdout.on('data', (text: string) => {
      out += text
    })
    runner.on('close', () => resolve(out))
  })
}

/** The runner's last line: `N passed, M failed`. */
const summaryOf = (out: string): string | undefined => out.trim().split('\n').at(-1)
const escapeRegExp = (id: string): string => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const exactly = (list: string[]): string => `^(?:${list.map(escapeRegExp).join('|')})$`

/** Stops the server with SIGTERM and resolves with its exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

describe('gunicorn corpus through tsgi serve apps/echo', () => {
  const flagged = WITH_FLAGS.flatMap((run) => run.ids)
  const atDefaults = ids.filter((id) => !flagged.includes(id) && !(id in NOT_OFFERED))

  it('accounts for every case exactly once', () => {
    expect(ids).toHaveLength(136)
    expect(atDefaults.length + flagged.length + Object.keys(NOT_OFFERED).length).toBe(ids.length)
    for (const id of [...flagged, ...Object.keys(NOT_OFFERED)]) expect(ids).toContain(id)
  })

  it('passes every case that needs no setting, at the defaults', async () => {
    const { child, hostPort } = await startEcho([])
    const out = await runCorpus(hostPort, exactly(atDefaults))
    console.log(`corpus at defaults: ${summaryOf(out)}`)
    // The whole output on failure: the runner names each failing case and why.
    expect(summaryOf(out), out).toBe(`${atDefaults.length} passed, 0 failed`)
    expect(await stop(child)).toBe(0)
  }, 60_000)

  it('fails exactly the cases listed as NOT_OFFERED (so the list stays true)', async () => {
    const listed = Object.keys(NOT_OFFERED)
    const { child, hostPort } = await startEcho([])
    const out = await runCorpus(hostPort, exactly(listed))
    const failed = [...out.matchAll(/^FAIL (\S+)/gm)].map((match) => match[1])
    console.log(`corpus, settings tsgi does not offer: ${summaryOf(out)}`)
    expect(failed.sort()).toEqual([...listed].sort())
    expect(await stop(child)).toBe(0)
  }, 30_000)

  it.each(WITH_FLAGS)(
    'passes $ids with $flags',
    async ({ flags, ids: only }) => {
      const { child, hostPort } = await startEcho(flags)
      const out = await runCorpus(hostPort, exactly(only))
      console.log(`corpus with ${flags.join(' ')}: ${out.trim().split('\n').at(-1)}`)
      expect(out.trim().split('\n').at(-1)).toBe(`${only.length} passed, 0 failed`)
      expect(await stop(child)).toBe(0)
    },
    30_000,
  )
})
