import { FRAMEWORKS } from './frameworks.ts'
import type { ObservedMessage } from './observe-in-child.ts'
import { observeAll, TRANSPORTS } from './run-framework.ts'
import { SCENARIOS } from './scenario-list.ts'

/** Child process of `observe-in-child.ts`: observes one framework one way, reporting as it goes. */
const [name, way] = process.argv.slice(2)
const framework = FRAMEWORKS.find((candidate) => candidate.name === name)
const transport = TRANSPORTS.find((candidate) => candidate.name === way)
const send = process.send?.bind(process)
if (!framework || !transport || !send) {
  process.stderr.write(`observe-worker: unknown framework ${name} or way ${way}, or no parent\n`)
  process.exitCode = 2
} else {
  await observeAll(transport, framework, SCENARIOS, (scenario, observation) => {
    send({ scenario, observation } satisfies ObservedMessage)
  })
  process.disconnect()
}
