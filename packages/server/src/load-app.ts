/**
 * Loads the app a `tsgi serve <file>[:<export>]` command names: resolves the file, imports
 * it (TypeScript through tsx, JavaScript natively), picks the export and adapts it to a
 * gateway app. Every way this can fail for a reason the user can fix is an error class with
 * a stable `code`, so the CLI can answer with one line and exit 2.
 */
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
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

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href
  const ext = extname(path)
  if (TYPESCRIPT.has(ext)) return tsImport(url, { parentURL: import.meta.url })
  if (JAVASCRIPT.has(ext)) return import(url)
  throw new AppModuleTypeError(path)
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
  const mod = await importModule(path)
  const [name, exported] = pickExport(mod, parsed, parsed.file)
  return { app: adaptExport(exported, parsed.file, name), kind: detectKind(exported) ?? 'tsgi', path }
}
