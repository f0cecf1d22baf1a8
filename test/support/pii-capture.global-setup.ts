// Vitest global setup of the e2e suite: no ID number, phone or e-mail in any log line or error
// body of the whole run. Setup makes a capture directory for the run (E2E_CAPTURE_DIR, read by
// test/support/runtime.ts and test/e2e/driver.ts, inherited by the test workers); the runtimes
// append everything they print and the driver every answer with a status of 400 or more, and
// the personal data each request carried. Teardown scans all of it, by the exact values the
// tests sent and by pattern (valid 18-character ID numbers, mainland mobiles, e-mail addresses
// other than the programmes' and the runtime's own mailboxes), and throws with the offending
// lines, which fails `vitest run`. Masked forms (138****5678, 110105********002X) pass.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { idCheckChar } from '#shared/domain/validation/id-number.ts';
import { recordMetrics } from '../../bench/lib/results.ts';
import { CAPTURE_DIR_ENV } from './runtime.ts';

let dir: string | undefined;

export function setup(): void {
  selfCheck();
  dir = mkdtempSync(join(tmpdir(), 'e2e-capture-'));
  process.env[CAPTURE_DIR_ENV] = dir;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?!\d)/g;

/** Addresses that are not personal: the programmes' review inboxes and the runtime's sender and alerts. */
export function knownMailboxes(): Set<string> {
  const found = JSON.stringify(PROGRAMS).match(EMAIL) ?? [];
  return new Set(
    [...found, 'noreply@local.test', 'ops@local.test', process.env.ALERT_EMAIL ?? ''].map((e) =>
      e.toLowerCase(),
    ),
  );
}

export interface Finding {
  file: string;
  line: number;
  what: string;
  text: string;
}

/** Every personal value in `text`: exact values the tests sent, then by pattern. */
export function findPersonalData(
  file: string,
  text: string,
  sent: ReadonlySet<string>,
  mailboxes: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    const hits: string[] = [];
    for (const value of sent) if (line.includes(value)) hits.push(`sent value ${value}`);
    for (const m of line.matchAll(ID_NUMBER)) {
      const id = m[0].toUpperCase();
      if (idCheckChar(id.slice(0, 17)) === id[17]) hits.push(`ID number ${m[0]}`);
    }
    for (const m of line.matchAll(MOBILE)) hits.push(`mobile ${m[0]}`);
    for (const m of line.matchAll(EMAIL)) {
      if (!mailboxes.has(m[0].toLowerCase())) hits.push(`e-mail ${m[0]}`);
    }
    for (const what of new Set(hits)) {
      findings.push({ file, line: i + 1, what, text: line.length > 400 ? `${line.slice(0, 400)}…` : line });
    }
  });
  return findings;
}

/** Scans a capture directory; returns the findings and how much was read. */
export function scanCapture(captureDir: string): {
  findings: Finding[];
  files: number;
  lines: number;
  sentValues: number;
} {
  const names = readdirSync(captureDir);
  const sent = new Set<string>();
  for (const name of names.filter((n) => n.startsWith('sent-'))) {
    for (const value of readFileSync(join(captureDir, name), 'utf8').split('\n')) {
      if (value.trim().length >= 6) sent.add(value.trim());
    }
  }
  const mailboxes = knownMailboxes();
  for (const value of [...sent]) if (mailboxes.has(value.toLowerCase())) sent.delete(value);
  const findings: Finding[] = [];
  let lines = 0;
  const scanned = names.filter((n) => !n.startsWith('sent-'));
  for (const name of scanned) {
    const text = readFileSync(join(captureDir, name), 'utf8');
    lines += text.split('\n').length;
    findings.push(...findPersonalData(name, text, sent, mailboxes));
  }
  return { findings, files: scanned.length, lines, sentValues: sent.size };
}

/** A scan that finds nothing proves nothing unless it would find a planted line: checked every run. */
function selfCheck(): void {
  const mailboxes = knownMailboxes();
  const planted = findPersonalData(
    'self-check',
    '{"to":"li.ming@example.org","mobile":"13912345678","id":"11010519491231002x","f":"F13912345678AB"}',
    new Set(['024-23456789']),
    mailboxes,
  ).map((f) => f.what.split(' ')[0]);
  const clean = findPersonalData(
    'self-check',
    '139****5678 110105********002X l***@example.org review-210100@liaoning-cso.example.cn noreply@local.test 1736500000000 340524198001010013',
    new Set(['024-23456789']),
    mailboxes,
  );
  if (planted.sort().join() !== 'ID,e-mail,mobile' || clean.length > 0) {
    throw new Error(`the personal-data scanner is broken: ${JSON.stringify({ planted, clean })}`);
  }
}

export function teardown(): void {
  if (!dir) return;
  const { findings, files, lines, sentValues } = scanCapture(dir);
  recordMetrics({
    'pii.linesScanned': {
      value: lines,
      unit: 'lines',
      goal: 1000,
      better: 'higher',
      note: `the last e2e run: every line its runtimes printed and every error body (status ≥ 400), ${files} capture files, searched for ${sentValues} personal values the tests sent and for any ID number, mobile or e-mail`,
    },
    'pii.findings': {
      value: findings.length,
      unit: 'places',
      goal: 0,
      better: 'lower',
      note: 'ID numbers, phones or e-mail addresses found in that capture',
    },
  });
  if (findings.length === 0) {
    console.log(
      `personal-data scan: ${lines} lines in ${files} capture files, ${sentValues} personal values sent by the tests, none found`,
    );
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const report = findings
    .slice(0, 50)
    .map((f) => `${f.file}:${f.line}: ${f.what}\n    ${f.text}`)
    .join('\n');
  // The capture stays for inspection; the run fails.
  throw new Error(
    `personal data in ${findings.length} places of the e2e run's logs or error bodies (capture kept in ${dir}):\n${report}`,
  );
}
