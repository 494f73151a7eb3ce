import type { Framework } from '../frameworks.ts'
import type { NormalizedResponse, ScenarioRequest, WayName, WireConnection } from '../types.ts'

/** One framework app, started one way, ready for scenarios. */
export interface Session {
  request(request: ScenarioRequest): Promise<NormalizedResponse>
  /** Raw socket access, for wire-level scenarios; absent in memory. */
  connect?(): Promise<WireConnection>
  close(): Promise<void>
}

/** A way to run a framework app: in memory, on the tsgi server, or on its own server. */
export interface Transport {
  name: WayName
  start(framework: Framework): Promise<Session>
}
