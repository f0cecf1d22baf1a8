// The review store against DynamoDB Local: tasks (first decision wins), links (hash only, with
// a TTL), and the province batches with the unit's pending filings.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReviewStore } from '#shared/data/review-store.ts';
import { TABLE } from '#shared/data/table.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { Decision, ReviewLink, ReviewStore, ReviewTask } from '#shared/ports/reviews.ts';
import { hashLinkToken, newLinkToken } from '#shared/use-cases/workflow/links.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

let env: Env;
let reviews: ReviewStore;
let n = 610_000;

beforeAll(async () => {
  env = await freshTable();
  reviews = createReviewStore(env.doc, env.tableName);
});

const AT = '2025-06-01T02:00:00.000Z';

function openInput(
  filingId: string,
  overrides: Partial<Omit<ReviewTask, 'decided' | 'batchId' | 'expired'>> = {},
): Omit<ReviewTask, 'decided' | 'batchId' | 'expired'> {
  return {
    filingId,
    programId: 'liaoning-cso',
    unit: '210100',
    stage: 'city',
    seq: 'city#0',
    taskToken: 'token-1',
    escalated: false,
    deadline: '2025-06-04T02:00:00.000Z',
    ...overrides,
  };
}

const decision = (d: Decision['decision'] = 'approve', at = AT): Decision => ({
  decision: d,
  actor: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: '210100' },
  at,
});

async function rawItem(pk: string, sk: string) {
  const out = await env.doc.send(
    new GetCommand({ TableName: env.tableName, Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item;
}

async function conflict(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return (error as ConflictError).code;
}

/** A filing in the table (its body is what the unit index finds). */
async function filing(unit = '210100') {
  const filingId = newFilingId();
  await env.repo.create({
    filingId,
    programId: 'liaoning-cso',
    filing: parseFiling(validFiling({ n: n++, unit })),
    warnings: [],
    actor: { role: 'applicant' },
    at: AT,
  });
  return filingId;
}

describe('tasks', () => {
  it('openTask stores the task; getTask reads it back without the item keys', async () => {
    const id = newFilingId();
    const input = openInput(id);
    expect(await reviews.openTask(input)).toEqual(input);
    expect(await reviews.getTask(id)).toEqual(input);
    expect(await rawItem(`FILING#${id}`, 'TASK')).toMatchObject({ type: 'ReviewTask', seq: 'city#0' });
    expect(await reviews.getTask(newFilingId())).toBeUndefined();
  });

  it('re-opening the same step before a decision replaces the token and deadline', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id));
    const again = openInput(id, { taskToken: 'token-2', deadline: '2025-06-08T02:00:00.000Z' });
    expect(await reviews.openTask(again)).toEqual(again);
    expect(await reviews.getTask(id)).toEqual(again);
  });

  it('the first decision wins; a second one is already_decided', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id));
    const first = decision('approve');
    const decided = await reviews.decide(id, 'city#0', first);
    expect(decided).toEqual({ ...openInput(id), decided: first });
    expect(await conflict(reviews.decide(id, 'city#0', decision('reject')))).toBe('already_decided');
    expect((await reviews.getTask(id))?.decided).toEqual(first);
  });

  it('a decision for another step, or for no task at all, is stale_link', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id, { seq: 'city#1' }));
    expect(await conflict(reviews.decide(id, 'city#0', decision()))).toBe('stale_link');
    expect(await conflict(reviews.decide(newFilingId(), 'city#0', decision()))).toBe('stale_link');
    // A decided task of another seq is stale too, not "already decided".
    await reviews.decide(id, 'city#1', decision());
    expect(await conflict(reviews.decide(id, 'city#0', decision()))).toBe('stale_link');
    expect((await reviews.getTask(id))?.decided).toBeDefined();
  });

  it('re-opening a decided step keeps the decision and takes the new token (a reminder raced it)', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id));
    const first = decision('request_changes');
    await reviews.decide(id, 'city#0', first);
    const reopen = openInput(id, { taskToken: 'token-after-reminder', deadline: '2025-06-08T02:00:00.000Z' });
    const out = await reviews.openTask({ ...reopen, escalated: true });
    expect(out).toEqual({ ...reopen, decided: first });
    expect(await reviews.getTask(id)).toEqual({ ...reopen, decided: first });
  });

  it('a new step replaces a decided one', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id));
    await reviews.decide(id, 'city#0', decision('approve'));
    const province = openInput(id, { stage: 'province', seq: 'province#0', taskToken: 'token-p' });
    expect(await reviews.openTask(province)).toEqual(province);
    expect(await reviews.getTask(id)).toEqual(province);
    expect(await reviews.decide(id, 'province#0', decision('include'))).toMatchObject({
      decided: { decision: 'include' },
    });
  });

  it('expire marks the undecided step; other steps and decided ones are left alone', async () => {
    const id = newFilingId();
    await reviews.openTask(openInput(id));
    await reviews.expire(id, 'city#1');
    expect((await reviews.getTask(id))?.expired).toBeUndefined();
    await reviews.expire(id, 'city#0');
    expect((await reviews.getTask(id))?.expired).toBe(true);

    const decidedId = newFilingId();
    await reviews.openTask(openInput(decidedId));
    await reviews.decide(decidedId, 'city#0', decision());
    await reviews.expire(decidedId, 'city#0');
    expect((await reviews.getTask(decidedId))?.expired).toBeUndefined();
  });
});

describe('links', () => {
  function link(overrides: Partial<ReviewLink> = {}): { token: string; link: ReviewLink } {
    const { token, hash } = newLinkToken();
    return {
      token,
      link: {
        tokenHash: hash,
        programId: 'liaoning-cso',
        stage: 'city',
        seq: 'city#0',
        target: { filingId: newFilingId() },
        reviewer: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: '210100' },
        createdAt: AT,
        expiresAt: '2025-07-06T02:00:00.000Z',
        ...overrides,
      },
    };
  }

  it('stores the hash only, with a TTL a day after the link expires', async () => {
    const { token, link: l } = link();
    await reviews.putLink(l);
    const item = await rawItem(`LINK#${hashLinkToken(token)}`, 'LINK');
    expect(item).toBeDefined();
    expect(JSON.stringify(item)).not.toContain(token);
    expect(item?.[TABLE.ttlAttribute]).toBe(Date.parse('2025-07-07T02:00:00.000Z') / 1000);
  });

  it('getLink returns the link as it was put, by the hash of its token', async () => {
    const { token, link: l } = link();
    await reviews.putLink(l);
    const got = await reviews.getLink(hashLinkToken(token));
    // The review pages compare expiresAt with the clock: it must survive the round trip.
    expect(got?.expiresAt).toBe('2025-07-06T02:00:00.000Z');
    expect(got).toEqual(l);
  });

  it('a batch link reads back with its batch target and province reviewer', async () => {
    const { token, link: l } = link({
      stage: 'province',
      seq: 'batch#B1',
      target: { batchId: 'B0000000000001' },
      reviewer: { role: 'province', id: 'review-province@liaoning-cso.example.cn' },
    });
    await reviews.putLink(l);
    expect(await reviews.getLink(hashLinkToken(token))).toMatchObject({
      target: { batchId: 'B0000000000001' },
      reviewer: { role: 'province', id: 'review-province@liaoning-cso.example.cn' },
      seq: 'batch#B1',
    });
  });

  it('an unknown hash is undefined; a hash is never written twice', async () => {
    expect(await reviews.getLink(newLinkToken().hash)).toBeUndefined();
    const { link: l } = link();
    await reviews.putLink(l);
    await expect(reviews.putLink({ ...l, seq: 'city#9' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await reviews.getLink(l.tokenHash))?.seq).toBe('city#0');
  });
});

describe('batches', () => {
  it("pendingForBatch: the unit's undecided province tasks not yet batched, by filing id", async () => {
    const unit = '210500';
    const [p1, p2, p3, city, decided, batched, otherUnit] = await Promise.all([
      filing(unit),
      filing(unit),
      filing(unit),
      filing(unit),
      filing(unit),
      filing(unit),
      filing('210600'),
    ]);
    const province = (id: string, u = unit) =>
      openInput(id, { unit: u, stage: 'province', seq: 'province#0', taskToken: `t-${id}` });
    for (const id of [p1, p2, p3, decided, batched]) await reviews.openTask(province(id ?? ''));
    await reviews.openTask(openInput(city ?? '', { unit }));
    await reviews.openTask(province(otherUnit ?? '', '210600'));
    await reviews.decide(decided ?? '', 'province#0', decision('include'));
    await reviews.createBatch({
      batchId: `B${newFilingId().slice(1)}`,
      programId: 'liaoning-cso',
      unit,
      filingIds: [batched ?? ''],
      createdAt: AT,
    });
    const pending = await reviews.pendingForBatch('liaoning-cso', unit);
    expect(pending.map((t) => t.filingId)).toEqual([p1, p2, p3].sort());
    expect(pending[0]).toEqual(province(pending[0]?.filingId ?? ''));
    expect(await reviews.pendingForBatch('liaoning-cso', '211400')).toEqual([]);
    expect(await reviews.pendingForBatch('anhui-std-director', unit)).toEqual([]);
  });

  it('a task is on the awaitingBatch index only while it waits at the province, unbatched and undecided', async () => {
    const unit = '211100';
    const [waiting, decided, batched, atCity] = [
      await filing(unit),
      await filing(unit),
      await filing(unit),
      await filing(unit),
    ];
    const province = (id: string) => openInput(id, { unit, stage: 'province', seq: 'province#0' });
    for (const id of [waiting, decided, batched]) await reviews.openTask(province(id));
    await reviews.openTask(openInput(atCity, { unit }));
    const keys = async (id: string) => {
      const item = await rawItem(`FILING#${id}`, 'TASK');
      return [item?.gsi2pk, item?.gsi2sk];
    };
    expect(await keys(decided)).toEqual(['PROGRAM#liaoning-cso#UNIT#211100', decided]);
    await reviews.decide(decided, 'province#0', decision('include'));
    await reviews.createBatch({
      batchId: 'B5000000000001',
      programId: 'liaoning-cso',
      unit,
      filingIds: [batched],
      createdAt: AT,
    });
    expect(await keys(waiting)).toEqual(['PROGRAM#liaoning-cso#UNIT#211100', waiting]);
    expect(await keys(decided)).toEqual([undefined, undefined]);
    expect(await keys(batched)).toEqual([undefined, undefined]);
    expect(await keys(atCity)).toEqual([undefined, undefined]);
    // what the store hands back carries none of the index keys
    expect(await reviews.getTask(waiting)).toEqual(province(waiting));
  });

  it('createBatch stores the batch and marks its tasks, which are then no longer pending', async () => {
    const unit = '210700';
    const ids = [await filing(unit), await filing(unit)];
    for (const id of ids) {
      await reviews.openTask(openInput(id, { unit, stage: 'province', seq: 'province#0' }));
    }
    const batch = {
      batchId: 'B7000000000001',
      programId: 'liaoning-cso',
      unit,
      filingIds: [...ids].sort(),
      createdAt: AT,
    };
    await reviews.createBatch(batch);
    expect(await reviews.getBatch(batch.batchId)).toEqual(batch);
    for (const id of ids) expect((await reviews.getTask(id))?.batchId).toBe(batch.batchId);
    expect(await reviews.pendingForBatch('liaoning-cso', unit)).toEqual([]);
    expect(await reviews.getBatch('B7000000000999')).toBeUndefined();
  });

  it('a task already in another batch, or not at the province, is left alone', async () => {
    const unit = '210800';
    const [inOther, atCity] = [await filing(unit), await filing(unit)];
    await reviews.openTask(openInput(inOther, { unit, stage: 'province', seq: 'province#0' }));
    await reviews.openTask(openInput(atCity, { unit }));
    const first = {
      batchId: 'B8000000000001',
      programId: 'liaoning-cso',
      unit,
      filingIds: [inOther],
      createdAt: AT,
    };
    await reviews.createBatch(first);
    await reviews.createBatch({
      ...first,
      batchId: 'B8000000000002',
      filingIds: [inOther, atCity, newFilingId()],
    });
    expect((await reviews.getTask(inOther))?.batchId).toBe('B8000000000001');
    expect((await reviews.getTask(atCity))?.batchId).toBeUndefined();
  });

  // The adapter says "idempotent per task: a retry after a crash marks the rest": a retry of
  // the same batch must succeed and finish marking its tasks.
  it('createBatch retried with the same batch is idempotent and marks what is left', async () => {
    const unit = '210900';
    const ids = [await filing(unit), await filing(unit)].sort();
    for (const id of ids) {
      await reviews.openTask(openInput(id, { unit, stage: 'province', seq: 'province#0' }));
    }
    const batch = {
      batchId: 'B9000000000001',
      programId: 'liaoning-cso',
      unit,
      filingIds: ids,
      createdAt: AT,
    };
    // The first attempt "crashed" after writing the batch item and marking only the first task.
    await env.doc.send(
      new PutCommand({
        TableName: env.tableName,
        Item: { pk: `BATCH#${batch.batchId}`, sk: 'BATCH', type: 'Batch', ...batch },
      }),
    );
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { pk: `FILING#${ids[0]}`, sk: 'TASK' },
        UpdateExpression: 'SET batchId = :b',
        ExpressionAttributeValues: { ':b': batch.batchId },
      }),
    );
    await expect(reviews.createBatch(batch)).resolves.toBeUndefined();
    // Another batch under the same id is a conflict, not a silent merge.
    await expect(reviews.createBatch({ ...batch, filingIds: ids.slice(0, 1) })).rejects.toThrow();
    for (const id of ids) expect((await reviews.getTask(id))?.batchId, id).toBe(batch.batchId);
  });
});
