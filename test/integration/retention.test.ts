// Retention against DynamoDB Local: filings driven through the real repository into each final
// state (and some active or recently ended ones) at chosen times, with the free text that
// gathers beside them (review decisions, staff access, workflow failures) and documents;
// then the purge at a `now` past the period. Nothing of a due person remains in the table,
// the audit trail keeps its events, states and order, counters do not move, the others are
// untouched, the documents are gone, and a second run changes nothing. The scheduled handler
// runs the purge and then the stray-document sweep (its own test: stray-documents.test.ts).
import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { localS3Client } from '#infra/local/s3-local.ts';
import { createRetentionStore } from '#shared/data/retention-store.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { filingPrefix } from '#shared/domain/attachments.ts';
import { type Filing, parseFiling } from '#shared/domain/filing.ts';
import type { Action, FilingState } from '#shared/domain/lifecycle.ts';
import { maskIdNumber } from '#shared/domain/masking.ts';
import { logger } from '#shared/observability/logger.ts';
import type { FilingEvent, FilingRepository } from '#shared/ports/filings.ts';
import { purgeExpired, type RetentionDeps } from '#shared/use-cases/retention/anonymize.ts';
import { ANONYMIZED_NAME, ANONYMIZED_TEXT } from '#shared/use-cases/retention/anonymized-filing.ts';
import { MemoryAttachmentStore, samplePdf } from '../support/attachments.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { ACTOR_FOR, idNumberFor, validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;
type Item = Record<string, unknown>;

// Both programmes keep ended records 1095 days.
const NOW = new Date('2026-06-01T00:00:00.000Z');
const LONG_AGO = Date.parse('2022-01-10T02:00:00.000Z'); // ended ≈ 1600 days before NOW
const RECENTLY = Date.parse('2024-01-10T02:00:00.000Z'); // ended ≈ 870 days before NOW
const NAMES = [
  '赵一鸣',
  '钱二宝',
  '孙三元',
  '李四海',
  '周五洲',
  '吴六合',
  '郑七星',
  '王八方',
  '冯九州',
  '陈十全',
];

const PATHS: Record<string, Action[]> = {
  withdrawn: ['withdraw'],
  rejected: ['start_city_review', 'reject'],
  declined: ['start_city_review', 'approve', 'decline'],
  removed: ['start_city_review', 'approve', 'include', 'remove'],
  expired: ['start_city_review', 'request_changes', 'expire'],
  in_pool: ['start_city_review', 'approve', 'include'],
  city_review: ['start_city_review'],
};

interface Person {
  filingId: string;
  programId: string;
  unit: string;
  filing: Filing;
  /** Values that identify this person and appear nowhere else in the table. */
  unique: string[];
  /** Every personal value of the filing, some shared with other filings (contact, office phone). */
  all: string[];
}

let seq = 0;
const newId = () => `R${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

/** Files person `i` and walks `path`, one minute per step from `start`; documents and free text around it. */
async function fileAndDrive(
  repo: FilingRepository,
  attachments: MemoryAttachmentStore,
  i: number,
  path: string,
  start: number,
  programme: { programId: string; unit: string; role: string } = {
    programId: 'liaoning-cso',
    unit: '210100',
    role: 'cso',
  },
): Promise<Person> {
  const filingId = newId();
  const n = 100 * (i + 1); // births months apart, mobiles and e-mails distinct
  const region = `2101${String(10 + i)}`; // a region per person: masked ID numbers differ too
  const id = idNumberFor(n, region);
  const input = validFiling({ n, unit: programme.unit, role: programme.role });
  const name = NAMES[i] ?? `某${i}`;
  input.person = {
    ...input.person,
    name,
    idNumber: id.idNumber,
    sex: id.sex,
    birthYearMonth: id.birth.slice(0, 7),
  };
  input.enterprise = { ...input.enterprise, name: `示例${name}机械制造有限公司` };
  const document = `${filingPrefix(filingId)}appointment-${randomBytes(8).toString('hex').toUpperCase()}`;
  const filing: Filing = {
    ...parseFiling(input),
    attachments: [
      { kind: 'appointment', key: document, contentType: 'application/pdf', filename: `${name}聘任文件.pdf` },
    ],
  };
  attachments.put(document, samplePdf(name));
  const at = (step: number) => new Date(start + step * 60_000).toISOString();
  await repo.create({
    filingId,
    requestHash: randomBytes(16).toString('base64url'),
    programId: programme.programId,
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: at(0),
  });
  const { person, enterprise } = filing;
  const reasonAbout = `${name}（手机${person.mobile}，邮箱${person.email}）材料不全`;
  let state: FilingState = 'submitted';
  let version = 1;
  for (const [step, action] of (PATHS[path] ?? []).entries()) {
    const actor = ACTOR_FOR[action];
    const event = await repo.transition({
      filingId,
      expected: { state, version },
      action,
      actor:
        actor === 'applicant' || actor === 'system'
          ? { role: actor }
          : { role: actor, id: 'staff-7', unit: programme.unit },
      at: at(step + 1),
      ...(['reject', 'request_changes', 'decline', 'remove', 'expire', 'withdraw'].includes(action)
        ? { reason: reasonAbout }
        : {}),
    });
    state = event.to;
    version = event.version;
  }
  const unique = [name, person.idNumber, maskIdNumber(person.idNumber), person.mobile, person.email];
  const all = [
    ...unique,
    person.birthYearMonth,
    person.officePhone ?? '',
    person.appointment.documentNumber,
    person.training?.certificateNumber ?? '',
    person.achievements,
    enterprise.name,
    enterprise.uscc,
    enterprise.contact.name,
    enterprise.contact.phone,
    `${name}聘任文件.pdf`,
  ];
  return { filingId, programId: programme.programId, unit: programme.unit, filing, unique, all };
}

/** What accumulates beside a reviewed filing: a decision with a reason, a staff access, a failure. */
async function addTrail(env: Env, p: Person, at: number) {
  const iso = new Date(at).toISOString();
  const { name, mobile, email, idNumber } = p.filing.person;
  const reviews = createReviewStore(env.doc, env.tableName);
  await reviews.openTask({
    filingId: p.filingId,
    programId: p.programId,
    unit: p.unit,
    stage: 'city',
    seq: 'city-1',
    taskToken: 'task-token',
    escalated: false,
    deadline: iso,
  });
  await reviews.decide(p.filingId, 'city-1', {
    decision: 'reject',
    reason: `${name}的身份证号${idNumber}与出生年月不符`,
    actor: { role: 'city', id: 'staff-7', unit: p.unit },
    at: iso,
  });
  await createStaffQueries(env.doc, env.tableName).recordAccess({
    at: iso,
    filingId: p.filingId,
    programId: p.programId,
    unit: p.unit,
    subject: 'staff-7',
    role: 'city',
    what: 'reveal:mobile',
    reason: `电话核实${name}的手机号${mobile}`,
  });
  await env.repo.recordFailure(p.filingId, {
    at: iso,
    stage: 'city',
    error: 'MessageRejected',
    cause: `Email address is not verified: ${email}`,
  });
}

/** The table as text, ciphertexts included (bytes as latin1), for searching. */
const asText = (items: Item[]) =>
  JSON.stringify(items, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));

const byKey = (a: Item, b: Item) =>
  `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`);

/** The filing's own items and the unit's copies of its access entries. */
const itemsOf = (items: Item[], filingId: string) =>
  items.filter((i) => i.pk === `FILING#${filingId}` || i.filingId === filingId).sort(byKey);

const counters = (items: Item[]) => items.filter((i) => i.type === 'Counter').sort(byKey);

async function histories(repo: FilingRepository, people: Person[]) {
  return new Map<string, FilingEvent[]>(
    await Promise.all(people.map(async (p) => [p.filingId, await repo.history(p.filingId)] as const)),
  );
}

describe('retention purge on DynamoDB Local', () => {
  let env: Env;
  let attachments: MemoryAttachmentStore;
  let deps: RetentionDeps;
  let due: Person[];
  let kept: Person[];
  let before: Item[];
  let historyBefore: Map<string, FilingEvent[]>;

  beforeAll(async () => {
    env = await freshTable();
    attachments = new MemoryAttachmentStore();
    deps = { store: createRetentionStore(env.doc, env.tableName), attachments };
    let i = 0;
    const file = (path: string, start: number, programme?: Parameters<typeof fileAndDrive>[5]) =>
      fileAndDrive(env.repo, attachments, i++, path, start, programme);
    due = [
      await file('withdrawn', LONG_AGO),
      await file('rejected', LONG_AGO),
      await file('declined', LONG_AGO),
      await file('removed', LONG_AGO),
      await file('expired', LONG_AGO),
      await file('withdrawn', LONG_AGO, {
        programId: 'anhui-std-director',
        unit: '340100',
        role: 'director',
      }),
    ];
    kept = [
      await file('in_pool', LONG_AGO),
      await file('city_review', LONG_AGO),
      await file('withdrawn', RECENTLY),
      await file('rejected', RECENTLY),
    ];
    await addTrail(env, due[1] as Person, LONG_AGO + 600_000);
    await addTrail(env, kept[0] as Person, LONG_AGO + 600_000);
    before = await scanAll(env.doc, env.tableName);
    historyBefore = await histories(env.repo, [...due, ...kept]);
  });

  it('starts from filings whose personal values are stored and can be told apart', () => {
    const text = asText(before);
    // The clear ID number is never stored by the repository; only the review reason quotes one.
    for (const p of [...due, ...kept])
      for (const value of p.unique.filter((v) => v !== p.filing.person.idNumber))
        expect(text.includes(value), value).toBe(true);
    expect(text.includes((due[1] as Person).filing.person.idNumber)).toBe(true);
    const uniques = [...due, ...kept].flatMap((p) => p.unique);
    expect(new Set(uniques).size).toBe(uniques.length);
  });

  it('anonymizes the due filings and nothing else, and a second run changes nothing', async () => {
    const summary = await purgeExpired(deps, { now: NOW });

    expect(summary).toMatchObject({ examined: 10, due: 6, anonymized: 6, failed: 0, limitReached: false });
    expect(summary.byProgram).toEqual({
      'liaoning-cso': { examined: 9, due: 5, anonymized: 5, failed: 0 },
      'anhui-std-director': { examined: 1, due: 1, anonymized: 1, failed: 0 },
    });
    const after = await scanAll(env.doc, env.tableName);
    const text = asText(after);

    // No personal value of a due filing remains anywhere in the table.
    for (const p of due) {
      for (const value of p.unique) expect(text.includes(value), value).toBe(false);
      const own = asText(itemsOf(after, p.filingId));
      for (const value of p.all) expect(own.includes(value), value).toBe(false);
      const bodyBefore = before.find((i) => i.pk === `FILING#${p.filingId}` && i.sk === 'BODY');
      expect(text.includes(String(bodyBefore?.personKey))).toBe(false);
      expect(text.includes(String(bodyBefore?.requestHash))).toBe(false);
    }

    // The body keeps what counts and lists use; the keys to the person are gone.
    for (const p of due) {
      const body = after.find((i) => i.pk === `FILING#${p.filingId}` && i.sk === 'BODY') as Item;
      const old = before.find((i) => i.pk === `FILING#${p.filingId}` && i.sk === 'BODY') as Item;
      expect(body.anonymizedAt).toBe(NOW.toISOString());
      for (const gone of ['idCipher', 'personKey', 'requestHash']) expect(body).not.toHaveProperty(gone);
      for (const same of ['programId', 'unit', 'role', 'createdAt', 'gsi1pk', 'gsi1sk', 'warnings', 'type'])
        expect(body[same], same).toEqual(old[same]);
      const record = await env.repo.get(p.filingId);
      expect(record.filing.person.name).toBe(ANONYMIZED_NAME);
      expect(record.filing.enterprise.reportingUnit).toBe(p.unit);
      expect(record.version).toBe(historyBefore.get(p.filingId)?.length);
      const marker = after.find((i) => i.pk === `FILING#${p.filingId}` && i.sk === 'ANONYMIZED');
      expect(marker).toMatchObject({
        type: 'Anonymization',
        rule: 'retention',
        retentionDays: 1095,
        finalState: record.state,
        finalAt: record.lastEvent.at,
        finalVersion: record.version,
        at: NOW.toISOString(),
        attachmentsDeleted: 1,
      });
      expect(attachments.under(filingPrefix(p.filingId))).toEqual([]);
    }

    // The audit trail keeps its events: same number, order, states, actors and times.
    const historyAfter = await histories(env.repo, [...due, ...kept]);
    for (const p of due) {
      const old = historyBefore.get(p.filingId) ?? [];
      expect(old.some((e) => e.reason)).toBe(true);
      expect(historyAfter.get(p.filingId)).toEqual(
        old.map((e) => (e.reason ? { ...e, reason: ANONYMIZED_TEXT } : e)),
      );
    }
    // The free text beside the reviewed due filing went; its shape stayed.
    const reviewed = itemsOf(after, (due[1] as Person).filingId);
    expect(reviewed.find((i) => i.sk === 'TASK')).toMatchObject({
      decided: { decision: 'reject', reason: ANONYMIZED_TEXT, actor: { id: 'staff-7' } },
    });
    expect(reviewed.filter((i) => i.type === 'Access').map((i) => [i.reason, i.subject, i.what])).toEqual([
      [ANONYMIZED_TEXT, 'staff-7', 'reveal:mobile'],
      [ANONYMIZED_TEXT, 'staff-7', 'reveal:mobile'],
    ]);
    expect(reviewed.find((i) => i.type === 'WorkflowFailure')).toMatchObject({
      error: 'MessageRejected',
      cause: ANONYMIZED_TEXT,
    });

    // Counters did not move; active and recently ended filings are exactly as they were.
    expect(counters(after)).toEqual(counters(before));
    for (const p of kept) {
      expect(itemsOf(after, p.filingId), p.filingId).toEqual(itemsOf(before, p.filingId));
      expect(historyAfter.get(p.filingId)).toEqual(historyBefore.get(p.filingId));
      expect(attachments.under(filingPrefix(p.filingId))).toHaveLength(1);
    }
    const anonymizedKeys = new Set(
      after.filter((i) => i.sk === 'ANONYMIZED').map((i) => `${String(i.pk)}|ANONYMIZED`),
    );
    // Each anonymized filing gains its marker and loses the search item of its enterprise's name.
    expect(anonymizedKeys.size).toBe(6);
    expect(after.length).toBe(before.length);
    expect(
      after.filter((i) => i.type === 'FilingName' && anonymizedKeys.has(`${String(i.pk)}|ANONYMIZED`)),
    ).toEqual([]);

    // A second run, later still, finds nothing left to do.
    const again = await purgeExpired(deps, { now: new Date(NOW.getTime() + 30 * 86_400_000) });
    expect(again).toMatchObject({ examined: 4, due: 0, anonymized: 0, failed: 0 });
    expect((await scanAll(env.doc, env.tableName)).sort(byKey)).toEqual(after.sort(byKey));
  });
});

describe('a purge interrupted halfway', () => {
  it('is finished by the next run, and the result is the same as an uninterrupted one', async () => {
    const env = await freshTable();
    const attachments = new MemoryAttachmentStore();
    const deps = { store: createRetentionStore(env.doc, env.tableName), attachments };
    const p = await fileAndDrive(env.repo, attachments, 0, 'rejected', LONG_AGO);
    await addTrail(env, p, LONG_AGO + 600_000);
    // The documents cannot be deleted this time: the trail is redacted, the body is not sealed.
    const deletePrefix = attachments.deletePrefix.bind(attachments);
    attachments.deletePrefix = () =>
      Promise.reject(Object.assign(new Error('slow down'), { name: 'SlowDown' }));
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const first = await purgeExpired(deps, { now: NOW });

    logged.mockRestore();
    expect(first).toMatchObject({ due: 1, anonymized: 0, failed: 1 });
    const halfway = await scanAll(env.doc, env.tableName);
    const body = halfway.find((i) => i.sk === 'BODY') as Item;
    expect(body).not.toHaveProperty('anonymizedAt');
    expect(body).toHaveProperty('idCipher');
    expect(halfway.some((i) => i.sk === 'ANONYMIZED')).toBe(false);
    expect(attachments.under(filingPrefix(p.filingId))).toHaveLength(1);

    attachments.deletePrefix = deletePrefix;
    const second = await purgeExpired(deps, { now: NOW });

    expect(second).toMatchObject({ due: 1, anonymized: 1, failed: 0 });
    const after = await scanAll(env.doc, env.tableName);
    const text = asText(after);
    for (const value of p.all) expect(text.includes(value), value).toBe(false);
    expect(attachments.under(filingPrefix(p.filingId))).toEqual([]);
    expect(after.find((i) => i.sk === 'ANONYMIZED')).toMatchObject({
      finalState: 'rejected',
      attachmentsDeleted: 1,
    });
  });
});

describe('the scheduled handler', () => {
  const s3 = localS3Client(inject('s3Endpoint'));
  const bucket = inject('attachmentsBucket');
  const objectsUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).length;

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('purges the configured table and bucket and answers with counts only', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const { doc, tableName, repo } = await freshTable();
    const memory = new MemoryAttachmentStore();
    const ended = await fileAndDrive(repo, memory, 0, 'withdrawn', LONG_AGO);
    const active = await fileAndDrive(repo, memory, 1, 'in_pool', LONG_AGO);
    for (const p of [ended, active]) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${filingPrefix(p.filingId)}appointment-X`,
          Body: samplePdf(),
          ContentType: 'application/pdf',
        }),
      );
    }
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_S3', inject('s3Endpoint'));
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('TABLE_NAME', tableName);
    vi.stubEnv('ATTACHMENTS_BUCKET', bucket);
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const { handler } = await import('#functions/schedules/retention.ts');

    // The clock is the real one: LONG_AGO is far more than 1095 days back.
    const summary = await handler();
    if (!('strayDocuments' in summary)) throw new Error(`the run was skipped: ${summary.skipped}`);

    expect(summary).toMatchObject({
      examined: 2,
      anonymized: 1,
      byProgram: { 'liaoning-cso': { examined: 2, due: 1, anonymized: 1, failed: 0 } },
    });
    expect(await objectsUnder(filingPrefix(ended.filingId))).toBe(0);
    expect(await objectsUnder(filingPrefix(active.filingId))).toBe(1);
    expect(asText(await scanAll(doc, tableName)).includes(ended.filing.person.name)).toBe(false);
    expect(info).toHaveBeenCalledWith('retention purge done', expect.objectContaining({ anonymized: 1 }));
    // Then the stray-document sweep over the whole bucket: everything in it was written by this
    // run of the suite, so nothing is two days old and nothing goes.
    expect(summary.strayDocuments).toMatchObject({ stray: 0, deleted: 0, dryRun: false });
    expect(summary.strayDocuments.examined).toBeGreaterThanOrEqual(1);
    expect(info).toHaveBeenCalledWith(
      'stray documents swept',
      expect.objectContaining({ audit: 'retention_stray_documents', deleted: 0 }),
    );
    info.mockRestore();
  });
});
