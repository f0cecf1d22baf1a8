// Time for the annual return to reach every enterprise for 10,000 pool members of about 3,000
// enterprises over 15 units, locally: the real runtime (DynamoDB Local, the local Step
// Functions engine, the real ASL and handlers), members put in the pool through the repository
// (create and three transitions, as the import does), the year opened by province staff, and
// the clock stopped when every enterprise's email is in the outbox.
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { apiDriver } from '../test/e2e/driver.ts';
import { usccFor, validFiling } from '../test/support/fixtures.ts';
import { startRuntime } from '../test/support/runtime.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const MEMBERS = 10_000;
const ENTERPRISES = 3_000;
const CONCURRENCY = 8;
const PROGRAM = 'liaoning-cso';

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  // No filing workflow: members are put in the pool directly, as the import does.
  const runtime = await startRuntime({});
  try {
    const api = apiDriver(runtime);
    const repo = api.repository();
    const units = getProgram(PROGRAM).reportingUnits.map((u) => u.code);
    const filled = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MEMBERS) {
          const k = next++;
          // Member k works for enterprise k mod 3,000 (3 or 4 people each), all of one unit.
          const enterprise = k % ENTERPRISES;
          const unit = units[enterprise % units.length] ?? '210100';
          const at = new Date().toISOString();
          const filing = parseFiling(validFiling({ n: 300_000 + k, unit }));
          filing.enterprise.uscc = usccFor(400_000 + enterprise);
          filing.enterprise.contactEmail = `contact${enterprise}@example.com`;
          const created = await repo.create({
            filingId: newFilingId(),
            programId: PROGRAM,
            filing,
            warnings: [],
            actor: { role: 'system', id: 'bench' },
            at,
          });
          let expected = { state: created.state, version: created.version };
          for (const [action, role] of [
            ['start_city_review', 'system'],
            ['approve', 'city'],
            ['include', 'province'],
          ] as const) {
            const event = await repo.transition({
              filingId: created.filingId,
              expected,
              action,
              actor: { role, id: 'bench' },
              at,
            });
            expected = { state: event.to, version: event.version };
          }
        }
      }),
    );
    const fillSeconds = (Date.now() - filled) / 1000;

    const token = await issueStaffToken(staffKeyFile(runtime.localDir), {
      scopes: [{ role: 'province', programId: PROGRAM }],
      subject: 'bench',
    });
    const year = String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());
    const started = Date.now();
    const answer = await api.call('POST', `/staff/programs/${PROGRAM}/returns/${year}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (answer.status !== 202) throw new Error(`start answered ${answer.status}: ${answer.text}`);
    const deadline = started + 30 * 60_000;
    // A unit waits for its returns only once its last batch of links is mailed: the clock stops
    // when every unit waits (polling the executions, not the outbox, whose listing grows with
    // every mail and would load the runtime it measures), then the outbox is counted once.
    const waiting = async () =>
      (await api.executions()).filter(
        (e) => e.name.startsWith(`${PROGRAM}-${year}-`) && e.stateName === 'AwaitReturns',
      ).length;
    while (Date.now() < deadline && (await waiting()) < units.length) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    const opened = (await api.outbox()).filter((m) => m.kind === 'return_request').length;
    if (opened < ENTERPRISES)
      throw new Error(`only ${opened} of ${ENTERPRISES} enterprises mailed in 30 minutes`);
    return {
      'assessment.open10kSeconds': {
        value: Number(seconds.toFixed(1)),
        unit: 's',
        goal: 120,
        better: 'lower',
        note: `${MEMBERS} pool members of ${ENTERPRISES} enterprises over ${units.length} units, from the staff start to every enterprise's email (one each) in the outbox, mails in batches of 100 enterprises per task, local engine and DynamoDB Local on 2 cores; members put in the pool through the repository beforehand (${fillSeconds.toFixed(0)} s, ${(MEMBERS / fillSeconds).toFixed(0)} members/s)`,
      },
    };
  } finally {
    await runtime.stop();
  }
}

if (import.meta.main) recordMetrics(await run());
