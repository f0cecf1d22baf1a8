// Tests only: runs one of the local command-line tools (infra/local/*.ts, what `npm run import`
// and `npm run training` start) against the run's DynamoDB Local, on a table and a local data
// folder of the test's own.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { ROOT } from '#infra/paths.ts';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

/** Runs `script` with `args`; a tool that exits non-zero is an answer with its code, not a throw. */
export async function runLocalTool(
  script: string,
  args: readonly string[],
  target: { tableName: string; localDir: string },
): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
        TABLE_NAME: target.tableName,
        LOCAL_DIR: target.localDir,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
