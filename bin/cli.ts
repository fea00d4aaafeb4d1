// The `token-rollout` command: `serve` (flag server, collector, dashboard) and `gate`.
const [command] = process.argv.slice(2);
const usage = 'usage: token-rollout <serve|gate> [options]';
if (!command || command === '--help' || command === '-h') {
  console.log(usage);
} else {
  console.error(`token-rollout: unknown command "${command}"\n${usage}`);
  process.exitCode = 2;
}
