// `npm run audit`: the production dependencies against the registry's advisory database
// (`npm audit --omit=dev --json`). Fails on any high or critical advisory. Where the registry
// does not answer the audit endpoint (this workplace's mirror answers 405), it says so plainly
// and passes: no advisory database was consulted, which docs/reliability.md records.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface AuditVerdict {
  /** The advisory database answered. */
  consulted: boolean;
  /** Packages with a high or critical advisory (name: severity). */
  failing: string[];
  /** Counts by severity, as npm reports them. */
  counts: Record<string, number>;
  /** Why nothing was consulted, when it was not. */
  unavailable?: string;
}

const BLOCKING = new Set(['high', 'critical']);

/** What an `npm audit --json` answer (report version 2, or the endpoint's error) means for a release. */
export function auditVerdict(answer: unknown): AuditVerdict {
  const report = (answer ?? {}) as {
    metadata?: { vulnerabilities?: Record<string, number> };
    vulnerabilities?: Record<string, { severity?: string }>;
    message?: string;
    statusCode?: number;
    error?: { summary?: string };
  };
  if (!report.metadata?.vulnerabilities) {
    const why =
      report.message ??
      report.error?.summary ??
      (report.statusCode ? `status ${report.statusCode}` : 'no audit report in the answer');
    return { consulted: false, failing: [], counts: {}, unavailable: why };
  }
  const failing = Object.entries(report.vulnerabilities ?? {})
    .filter(([, v]) => BLOCKING.has(String(v.severity)))
    .map(([name, v]) => `${name}: ${v.severity}`)
    .sort();
  return { consulted: true, failing, counts: report.metadata.vulnerabilities };
}

function main(): number {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
  let answer: unknown;
  try {
    answer = JSON.parse(run.stdout);
  } catch {
    answer = {
      message: `npm audit printed no JSON (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}`,
    };
  }
  const verdict = auditVerdict(answer);
  if (!verdict.consulted) {
    console.log(`npm audit: the advisory database could not be consulted (${verdict.unavailable}).`);
    console.log('Nothing is known about advisories from this run; run it where the registry answers.');
    return 0;
  }
  const counts = Object.entries(verdict.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`npm audit --omit=dev: ${counts}`);
  if (verdict.failing.length > 0) {
    console.error(`high or critical advisories:\n  ${verdict.failing.join('\n  ')}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main());
