export type {
  App,
  Body,
  EarlyHints,
  Environ,
  ErrorStream,
  Header,
  HeaderList,
  InputStream,
  StartResponse,
  Write,
} from './types.ts'
