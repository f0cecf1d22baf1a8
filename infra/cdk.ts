// `npm run synth [-- --stage <name>]` and `npm run deploy -- --stage <name> [cdk options]`:
// the pinned CDK CLI on both stacks of a stage, with notices, telemetry and the version check
// off so that synth makes no network request.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.ts';
import { loadStage } from './stage.ts';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'synth' && command !== 'deploy' && command !== 'diff' && command !== 'destroy') {
  console.error('usage: node infra/cdk.ts synth|deploy|diff|destroy [--stage <name>] [cdk options]');
  process.exit(2);
}
let stage = 'dev';
const passThrough: string[] = [];
for (let i = 0; i < rest.length; i++) {
  const arg = rest[i] ?? '';
  if (arg === '--stage') stage = rest[++i] ?? '';
  else if (arg.startsWith('--stage=')) stage = arg.slice('--stage='.length);
  else passThrough.push(arg);
}
try {
  loadStage(stage); // a wrong stage stops here, before the CLI starts
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const args = [
  command,
  '--all',
  '-c',
  `stage=${stage}`,
  '--no-notices',
  '--no-version-reporting',
  ...passThrough,
];
if (command === 'synth') args.push('--quiet');
const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk'), args, {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: '1' },
});
process.exit(result.status ?? 1);
