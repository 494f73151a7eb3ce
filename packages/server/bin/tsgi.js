#!/usr/bin/env node
import { main } from '../dist/cli/main.js'

// main resolves once serving has ended (drained on a signal); exit then even if the app left
// handles open (timers, database pools) that would keep the process alive.
process.exit(await main(process.argv.slice(2)))
