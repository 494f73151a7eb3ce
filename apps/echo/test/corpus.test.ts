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

/** `config` cases for a gunicorn setting tsgi does not offer, and why. Not run. */
const NOT_OFFERED: Record<string, string> = {}

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
    console.log(`corpus at defaults: ${out.trim().split('\n').at(-1)}`)
    expect(out.trim().split('\n').at(-1)).toBe(`${atDefaults.length} passed, 0 failed`)
    expect(await stop(child)).toBe(0)
  }, 60_000)

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
