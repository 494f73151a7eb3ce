import type { ErrorStream } from '@tsgi/core'

/** `tsgi.errors`: text the app writes goes straight to the server's error log. */
export class ErrorLogStream implements ErrorStream {
  #log: (text: string) => void

  constructor(log: (text: string) => void) {
    this.#log = log
  }

  write(text: string): void {
    this.#log(text)
  }

  writelines(lines: Iterable<string>): void {
    for (const line of lines) this.#log(line)
  }

  flush(): void {}
}
