// Profiles one adapters-benchmark server under wrk:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/adapters-profile.mjs <framework> <native|tsgi> [seconds]
// Runs the server in this process, exits after `seconds` (default 8) so --cpu-prof writes the profile.
const [framework, side, seconds = '8'] = process.argv.slice(2)
process.argv = [process.argv[0], process.argv[1], framework, side]
setTimeout(() => process.exit(0), Number(seconds) * 1000)
await import('./adapters-server.mjs')
