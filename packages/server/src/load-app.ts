/**
 * Loads the app a `tsgi serve <file>[:<export>]` command names: resolves the file, imports
 * it (TypeScript through tsx, JavaScript natively), picks the export and adapts it to a
 * gateway app. Every way this can fail for a reason the user can fix is an error class with
 * a stable `code`, so the CLI can answer with one line and exit 2.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { adapt, detectKind } from '@tsgi/adapters'
import type { App } from '@tsgi/core'
import { tsImport } from 'tsx/esm/api'
import { TsgiServerError } from './errors.ts'

/** The file does not exist. */
export class AppModuleNotFoundError extends TsgiServerError {
  override readonly name = 'AppModuleNotFoundError'
  override readonly code = 'TSGI_APP_MODULE_NOT_FOUND'
  readonly path: string
  constructor(path: string) {
    super(`cannot find app module ${path}`)
    this.path = path
  }
}

/** The module loaded but has no such export (or no default export when none was named). */
export class AppExportNotFoundError extends TsgiServerError {
  override readonly name = 'AppExportNotFoundError'
  override readonly code = 'TSGI_APP_EXPORT_NOT_FOUND'
  readonly exportName: string
  constructor(path: string, exportName: string, available: string[]) {
    const listed = available.length > 0 ? available.join(', ') : 'none'
    super(`${path} has no export '${exportName}' (its exports: ${listed})`)
    this.exportName = exportName
  }
}

/** The extension is not one tsgi can load. */
export class AppModuleTypeError extends TsgiServerError {
  override readonly name = 'AppModuleTypeError'
  override readonly code = 'TSGI_APP_MODULE_TYPE'
  constructor(path: string) {
    super(`cannot load ${path}: expected a .js, .mjs, .cjs, .ts, .mts or .cts file`)
  }
}

/** `file[:export]`, split. */
export interface AppSpec {
  file: string
  exportName: string | undefined
}

/** A loaded, adapted app and the kind of thing the module exported (`express`, `tsgi`...). */
export interface LoadedApp {
  app: App
  kind: string
  path: string
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts'])
const JAVASCRIPT = new Set(['.js', '.mjs', '.cjs'])

/**
 * Splits `apps/x/src/app.ts:handler` at its last colon, when what follows is an identifier
 * (so a path containing a colon still works without an export).
 */
export function parseAppSpec(spec: string): AppSpec {
  const colon = spec.lastIndexOf(':')
  const tail = spec.slice(colon + 1)
  if (colon > 0 && IDENTIFIER.test(tail)) return { file: spec.slice(0, colon), exportName: tail }
  return { file: spec, exportName: undefined }
}

/**
 * The tsconfig.json nearest to `file`: in its directory, else the closest parent's, as `tsc`
 * finds it. tsx alone reads the one in the current directory, another project's when tsgi runs
 * from a monorepo's root, and options such as `experimentalDecorators` would then be lost.
 * `false` when there is none (no other project's options apply either).
 */
function nearestTsconfig(file: string): string | false {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json')
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) return false
  }
}

/** Imports a TypeScript file through tsx, compiled with its own project's tsconfig.json. */
function importTypeScript(url: string, path: string): Promise<Record<string, unknown>> {
  // The user's own choice wins, as it does for tsx itself.
  if (process.env.TSX_TSCONFIG_PATH) return tsImport(url, { parentURL: import.meta.url })
  const tsconfig = nearestTsconfig(path)
  if (tsconfig === false) return tsImport(url, { parentURL: import.meta.url, tsconfig })
  // tsx's CommonJS hook, which compiles what a CommonJS project's files `require` (NestJS's
  // usual setup), ignores the `tsconfig` option and reads TSX_TSCONFIG_PATH instead, once,
  // while tsImport registers it synchronously: set it for exactly that call.
  process.env.TSX_TSCONFIG_PATH = tsconfig
  try {
    return tsImport(url, { parentURL: import.meta.url, tsconfig })
  } finally {
    delete process.env.TSX_TSCONFIG_PATH
  }
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href
  const ext = extname(path)
  if (TYPESCRIPT.has(ext)) return importTypeScript(url, path)
  if (JAVASCRIPT.has(ext)) return import(url)
  throw new AppModuleTypeError(path)
}

/** `file:line` from the first line of `node --check`'s report, or of a decorated CommonJS stack. */
const LOCATION_LINE = /^(.+):(\d+)\n/
/** esbuild's (tsx's) report: `Transform failed with 1 error:\n/path/app.ts:2:14: ERROR: text`. */
const ESBUILD_ERROR = /^(.+):(\d+):(\d+): ERROR: (.*)$/m

/**
 * Where a module failed to parse, or `null` when `error` is not a parse failure (a module's
 * code may also throw a SyntaxError while it runs, `JSON.parse`; its stack already says where).
 */
function parseFailure(error: unknown, path: string): { where: string | null; text: string } | null {
  const { name, message, stack } = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown }
  if (typeof message !== 'string' || typeof stack !== 'string') return null
  const esbuild = name === 'TransformError' ? ESBUILD_ERROR.exec(message) : null
  // esbuild counts columns from 0; editors and `tsc` count from 1.
  if (esbuild) return { where: `${esbuild[1]}:${esbuild[2]}:${Number(esbuild[3]) + 1}`, text: esbuild[4]! }
  const firstFrame = /^ {4}at .*$/m.exec(stack)?.[0] ?? ''
  if (name !== 'SyntaxError' || !firstFrame.includes('node:internal/')) return null
  // CommonJS decorates the stack with `file:line`; the ES module loader keeps it to itself.
  const decorated = stack.startsWith('SyntaxError') ? null : LOCATION_LINE.exec(stack)
  if (decorated) return { where: `${decorated[1]}:${decorated[2]}`, text: message }
  if (!JAVASCRIPT.has(extname(path))) return { where: null, text: message }
  // `node --check` parses the file alone and reports the line: spent only on this failure path.
  const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 })
  const checked = check.status === 0 ? null : LOCATION_LINE.exec(check.stderr ?? '')
  return { where: checked ? `${checked[1]}:${checked[2]}` : null, text: message }
}

/**
 * Imports the app module. A parse failure becomes a one-line SyntaxError that says where
 * (`app.js:3: Unexpected end of input`) instead of a stack of the loader's internals, which
 * neither names the file nor the line; the original is its `cause`.
 */
async function importApp(path: string, file: string, cwd: string): Promise<Record<string, unknown>> {
  try {
    return await importModule(path)
  } catch (error) {
    const failure = parseFailure(error, path)
    if (failure === null) throw error
    const shown = (where: string): string => {
      // The ES module loader names files by URL (`file:///app/named.mjs`).
      if (where.startsWith('file:')) where = fileURLToPath(where)
      const rel = relative(cwd, where)
      return rel.startsWith('..') || isAbsolute(rel) ? where : rel
    }
    const where = failure.where ? shown(failure.where) : `${file} or a module it imports`
    const syntax = new SyntaxError(`${where}: ${failure.text}`, { cause: error })
    syntax.stack = `SyntaxError: ${syntax.message}`
    throw syntax
  }
}

/**
 * The exports worth trying, in order: the named one; else `default`, then `app` (the name the
 * sample apps use). Each value is followed by its own `default` when it is an object: a
 * CommonJS module's `module.exports` arrives as `default`, and a transpiled ES module keeps
 * its real default export one level further down.
 */
function candidates(mod: Record<string, unknown>, spec: AppSpec): Array<[name: string, value: unknown]> {
  const found: Array<[string, unknown]> = []
  for (const name of spec.exportName ? [spec.exportName] : ['default', 'app']) {
    const value = mod[name]
    if (value === undefined) continue
    found.push([name, value])
    const inner =
      typeof value === 'object' && value !== null ? (value as { default?: unknown }).default : undefined
    if (inner !== undefined) found.push([name, inner])
  }
  return found
}

/**
 * The first candidate `adapt()` recognises, else the first one (so adapt's error names
 * what was there), else {@link AppExportNotFoundError}.
 */
function pickExport(
  mod: Record<string, unknown>,
  spec: AppSpec,
  path: string,
): [name: string, value: unknown] {
  const found = candidates(mod, spec)
  const picked = found.find(([, value]) => detectKind(value) !== null) ?? found[0]
  if (picked) return picked
  const available = Object.keys(mod).filter((name) => mod[name] !== undefined)
  throw new AppExportNotFoundError(path, spec.exportName ?? 'default', available)
}

/** adapt(), with the file and export named in its `TSGI_NOT_AN_APP` message. */
function adaptExport(exported: unknown, file: string, name: string): App {
  try {
    return adapt(exported)
  } catch (error) {
    if (error instanceof Error) error.message = `${file} (export '${name}'): ${error.message}`
    throw error
  }
}

/**
 * Loads `file[:export]` relative to `cwd`, adapts the export with `adapt()` (which throws
 * `TSGI_NOT_AN_APP` for anything it does not recognise) and reports what kind it was.
 *
 * @example
 * const { app, kind } = await loadApp('apps/echo/src/app.ts', process.cwd()) // kind 'tsgi'
 */
export async function loadApp(spec: string, cwd: string): Promise<LoadedApp> {
  const parsed = parseAppSpec(spec)
  const path = resolve(cwd, parsed.file)
  if (!existsSync(path)) throw new AppModuleNotFoundError(parsed.file)
  const mod = await importApp(path, parsed.file, cwd)
  const [name, exported] = pickExport(mod, parsed, parsed.file)
  return { app: adaptExport(exported, parsed.file, name), kind: detectKind(exported) ?? 'tsgi', path }
}
