// DynamoDB adapter of the FilingRepository port. Every state change is one
// TransactWriteItems: the next audit event (conditional on not existing: the version lock),
// the counter update, and where needed the body and the person-uniqueness claim. Losing a
// race raises ConcurrentModificationError; a retried transaction carries the same client
// request token and is recognised by its request id, so it never applies twice.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentModificationError,
  ConfigurationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { isActive, MEMBER_STATES, REASON_REQUIRED, transition } from '../domain/lifecycle.ts';
import type { EnterpriseIndex, FilingEvent, FilingRepository } from '../ports/filings.ts';
import type { OutboxKind } from '../ports/outbox.ts';
import { type CounterChange, counterDeltas } from './counter-item.ts';
import {
  coverageTransactItems,
  coverageWrites,
  type EnterpriseMembersItem,
  enterpriseChanges,
  type MemberChange,
} from './coverage-item.ts';
import {
  countByRole,
  ENTERPRISE_FILING_PREFIX,
  type EnterpriseFilingItem,
  enterpriseFilingKey,
  enterprisePartition,
  toEnterpriseFilingItem,
} from './enterprise-item.ts';
import type { FieldCipher } from './field-crypto.ts';
import { bodyKey, type FilingBodyItem, toBodyItem } from './filing-body-item.ts';
import { EVENT_PREFIX, eventKey, fromEventItem, toEventItem } from './filing-event-item.ts';
import { toFilingNameItem } from './filing-search-item.ts';
import { type KeyedHasher, personHash as personKeyOf } from './keyed-hash.ts';
import { toOutboxItem } from './outbox-item.ts';
import {
  type PersonItem,
  type PersonSuccessorItem,
  personKey,
  successorKey,
  toPersonItem,
  toSuccessorItem,
} from './person-item.ts';
import { fromResumeItem, RESUME_PREFIX, toResumeItem } from './review-resume-item.ts';
import { accessPuts } from './staff-queries.ts';
import { claimKey, toClaimItem } from './submission-claim-item.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface FilingRepositoryDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Needed to write or reveal ID numbers; handlers that only read status or move state go without it. */
  cipher?: FieldCipher;
  hasher: KeyedHasher;
  /** Attempts when a transaction is cancelled only because another one touched the same counter. */
  conflictRetries?: number;
}

const DUPLICATE_PERSON = {
  zh: '该人员在本项目中已有有效备案，不能重复备案',
  en: 'this person already has an active filing in this program',
};

/** What the reviewer sees on a filing that will replace a pool member's earlier one. */
const supersedesWarning = (earlier: string) => ({
  path: 'role',
  code: 'supersedes',
  message: {
    zh: `此人已在人才库中（备案 ${earlier}）；本备案纳入后将替代该备案（岗位变更或调动）`,
    en: `this person is in the pool (filing ${earlier}); on inclusion this filing replaces it (a role change or a move)`,
  },
});

/** A deterministic token for one intended write: same command, same token. */
/** The FilingName item of the filingSearch index, beside the body it was built from. */
const nameItemOf = (body: FilingBodyItem) =>
  toFilingNameItem({
    programId: body.programId,
    unit: body.unit,
    enterpriseName: body.filing.enterprise.name,
    createdAt: body.createdAt,
    filingId: body.filingId,
  });

function requestToken(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 36);
}

function reasons(error: TransactionCanceledException): string[] {
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export function createFilingRepository(deps: FilingRepositoryDeps): FilingRepository & EnterpriseIndex {
  const { doc, tableName, cipher, hasher } = deps;
  const attempts = (deps.conflictRetries ?? 5) + 1;

  /** Runs a transaction, retrying only pure write-write conflicts (TransactionConflict), same token. */
  async function transact(items: TransactItem[], token: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
        return;
      } catch (error) {
        const codes = error instanceof TransactionCanceledException ? reasons(error) : [];
        const conflictOnly =
          codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
        if (!conflictOnly || attempt >= attempts) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
      }
    }
  }

  function requireCipher(): FieldCipher {
    if (!cipher) throw new ConfigurationError('this function has no field-encryption key');
    return cipher;
  }

  async function protect(programId: string, filingId: string, filing: Filing) {
    const [idCipher, personHash] = await Promise.all([
      requireCipher().encrypt(filing.person.idNumber, { programId, filingId }),
      personKeyOf(hasher, programId, filing.person.idNumber),
    ]);
    return { idCipher, personHash };
  }

  async function latestEvent(filingId: string): Promise<FilingEvent | undefined> {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':prefix': EVENT_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? fromEventItem(item) : undefined;
  }

  async function getBody(filingId: string): Promise<FilingBodyItem> {
    const out = await doc.send(
      new GetCommand({ TableName: tableName, Key: bodyKey(filingId), ConsistentRead: true }),
    );
    if (!out.Item) throw new NotFoundError('filing');
    return out.Item as FilingBodyItem;
  }

  /** The counter updates of the transitions one transaction writes, one per counter item. */
  function counterUpdate(...changes: CounterChange[]): TransactItem[] {
    return counterDeltas(changes).map((delta) => ({
      Update: {
        TableName: tableName,
        Key: delta.key,
        UpdateExpression: delta.UpdateExpression,
        ExpressionAttributeNames: delta.ExpressionAttributeNames,
        ExpressionAttributeValues: delta.ExpressionAttributeValues,
      },
    }));
  }

  /**
   * The enterprise-coverage writes of a transaction's member changes (coverage-item.ts), from the enterprises'
   * EnterpriseMembers items read now; none where the programme counts no coverage.
   */
  async function coverageUpdate(changes: readonly MemberChange[]): Promise<TransactItem[]> {
    const enterprises = enterpriseChanges(changes);
    if (enterprises.length === 0) return [];
    const read = new Map<string, EnterpriseMembersItem | undefined>();
    await Promise.all(
      enterprises.map(async (e) => {
        const out = await doc.send(
          new GetCommand({ TableName: tableName, Key: e.key, ConsistentRead: true }),
        );
        read.set(e.key.pk, out.Item as EnterpriseMembersItem | undefined);
      }),
    );
    return coverageTransactItems(
      tableName,
      coverageWrites(enterprises, (pk) => read.get(pk)),
    );
  }

  /** The outbox items of a state change (outbox-item.ts): its consequences, delivered from the stream. */
  const outboxPuts = (
    kinds: readonly OutboxKind[] | undefined,
    change: { filingId: string; programId: string; version: number; at: string },
  ): TransactItem[] =>
    (kinds ?? []).map((kind) => ({
      Put: { TableName: tableName, Item: toOutboxItem({ ...change, kind }) },
    }));

  /** The filing's entry in its enterprise's index: written while it is active, deleted when it stops being. */
  const enterprisePut = (
    programId: string,
    filing: Pick<Filing, 'role' | 'enterprise'>,
    filingId: string,
    at: string,
  ): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: toEnterpriseFilingItem(programId, filing.enterprise.uscc, filingId, filing.role, at),
    },
  });
  const enterpriseDelete = (
    programId: string,
    filing: Pick<Filing, 'enterprise'>,
    filingId: string,
  ): TransactItem => ({
    Delete: { TableName: tableName, Key: enterpriseFilingKey(programId, filing.enterprise.uscc, filingId) },
  });

  async function personClaims(programId: string, personHash: string) {
    const [held, next] = await Promise.all([
      doc.send(
        new GetCommand({ TableName: tableName, Key: personKey(programId, personHash), ConsistentRead: true }),
      ),
      doc.send(
        new GetCommand({
          TableName: tableName,
          Key: successorKey(programId, personHash),
          ConsistentRead: true,
        }),
      ),
    ]);
    return {
      holder: held.Item as PersonItem | undefined,
      successor: next.Item as PersonSuccessorItem | undefined,
    };
  }

  /**
   * The pool member's filing a new filing of the same person may wait to replace: the claim's
   * holder, when it is a member and the new filing is for another role or another enterprise,
   * and no other successor waits. Undefined when the duplicate-person rule applies as it is.
   */
  async function supersedable(
    programId: string,
    personHash: string,
    filing: Filing,
  ): Promise<{ filingId: string; version: number } | undefined> {
    const { holder, successor } = await personClaims(programId, personHash);
    if (!holder || successor) return undefined;
    const [body, last] = await Promise.all([getBody(holder.filingId), latestEvent(holder.filingId)]);
    if (!last || !MEMBER_STATES.includes(last.to)) return undefined;
    const sameRole = body.role === filing.role;
    const sameEnterprise = body.filing.enterprise.uscc === filing.enterprise.uscc;
    if (sameRole && sameEnterprise) return undefined;
    return { filingId: holder.filingId, version: last.version };
  }

  const condition = (expression: string, values: Record<string, unknown>) => ({
    ConditionExpression: expression,
    ExpressionAttributeValues: values,
  });

  /**
   * What a filing's end or inclusion does to the person's claims, as transaction items:
   * - the holder ends: a waiting successor takes the claim (or the claim goes);
   * - a successor ends: its own item goes;
   * - a successor is included: the holder's filing is superseded (its own event and counts,
   *   conditional on its version), and the successor takes the claim.
   */
  async function claimChanges(
    programId: string,
    personHash: string,
    filingId: string,
    change: { ends: boolean; at: string; actor: FilingEvent['actor'] },
  ): Promise<{ items: TransactItem[]; counted: CounterChange[]; members?: MemberChange[] }> {
    const { holder, successor } = await personClaims(programId, personHash);
    const heldByThis = { ':id': filingId };
    if (holder?.filingId === filingId || (!holder && successor?.filingId !== filingId)) {
      if (!change.ends) return { items: [], counted: [] };
      if (successor) {
        const items: TransactItem[] = [
          {
            Put: {
              TableName: tableName,
              Item: toPersonItem(programId, personHash, successor.filingId, change.at),
              ...condition('filingId = :id', heldByThis),
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: successorKey(programId, personHash),
              ...condition('filingId = :next', { ':next': successor.filingId }),
            },
          },
        ];
        return { items, counted: [] };
      }
      const items: TransactItem[] = [
        {
          Delete: {
            TableName: tableName,
            Key: personKey(programId, personHash),
            ...condition('filingId = :id', heldByThis),
          },
        },
      ];
      return { items, counted: [] };
    }
    // No claim of this filing's: nothing to change.
    if (successor?.filingId !== filingId) return { items: [], counted: [] };
    const dropSuccessor: TransactItem = {
      Delete: {
        TableName: tableName,
        Key: successorKey(programId, personHash),
        ...condition('filingId = :id', heldByThis),
      },
    };
    if (change.ends || !holder) return { items: [dropSuccessor], counted: [] };
    // Included while the earlier filing still holds the claim: it is superseded now.
    const [earlierBody, earlierLast] = await Promise.all([
      getBody(holder.filingId),
      latestEvent(holder.filingId),
    ]);
    if (!earlierLast) throw new NotFoundError('filing');
    const supersede: FilingEvent = {
      filingId: holder.filingId,
      version: earlierLast.version + 1,
      action: 'supersede',
      actor: { role: 'system' },
      from: earlierLast.to,
      to: transition(earlierLast.to, 'supersede', 'system'),
      at: change.at,
      programId,
      unit: earlierBody.unit,
      role: earlierBody.role,
      reason: `由备案 ${filingId} 替代`,
      detail: { supersededBy: filingId },
    };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: toEventItem(
            supersede,
            requestToken(holder.filingId, String(supersede.version), 'supersede', filingId),
          ),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      enterpriseDelete(programId, earlierBody.filing, holder.filingId),
      {
        Put: {
          TableName: tableName,
          Item: toPersonItem(programId, personHash, filingId, change.at),
          ...condition('filingId = :earlier', { ':earlier': holder.filingId }),
        },
      },
      dropSuccessor,
    ];
    const left: MemberChange = { ...supersede, enterprise: earlierBody.filing.enterprise };
    return { items, counted: [supersede], members: [left] };
  }

  const repository: FilingRepository & EnterpriseIndex = {
    async claimSubmission(filingId, requestHash, at) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: toClaimItem(filingId, requestHash, at),
            ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
            ExpressionAttributeValues: { ':now': at.getTime() },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { claimed: false, requestHash: String(error.Item?.requestHash?.S ?? '') };
      }
    },

    async releaseSubmission(filingId, requestHash) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: claimKey(filingId),
            ConditionExpression: 'requestHash = :hash',
            ExpressionAttributeValues: { ':hash': requestHash },
          }),
        );
      } catch (error) {
        // Taken over after our lease ran out: it is someone else's now.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async create(command) {
      const { filingId, programId, filing, at } = command;
      const to = transition(null, 'submit', command.actor.role);
      const { idCipher, personHash } = await protect(programId, filingId, filing);
      const token = requestToken(filingId, '1', 'submit');
      // A second attempt, when the person is a pool member and this filing is for another role
      // or enterprise, waits as the member's successor instead of taking the claim.
      const successorToken = requestToken(filingId, '1', 'submit', 'successor');
      try {
        return await attemptCreate(undefined);
      } catch (error) {
        if (!(error instanceof ConflictError && error.code === 'duplicate_person')) throw error;
        const earlier = await supersedable(programId, personHash, filing);
        if (!earlier) throw error;
        return await attemptCreate(earlier);
      }

      async function attemptCreate(
        supersedes: { filingId: string; version: number } | undefined,
      ): Promise<Awaited<ReturnType<FilingRepository['create']>>> {
        const warnings = supersedes
          ? [...command.warnings, supersedesWarning(supersedes.filingId)]
          : command.warnings;
        const body = toBodyItem({
          filingId,
          programId,
          createdAt: at,
          filing,
          idCipher,
          personKey: personHash,
          warnings,
          requestHash: command.requestHash,
          supersedes: supersedes?.filingId,
        });
        const event: FilingEvent = {
          filingId,
          version: 1,
          action: 'submit',
          actor: command.actor,
          from: null,
          to,
          at,
          programId,
          unit: body.unit,
          role: body.role,
        };
        const attemptToken = supersedes ? successorToken : token;
        const items: TransactItem[] = [
          { Put: { TableName: tableName, Item: body, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName,
              Item: toEventItem(event, attemptToken),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          supersedes
            ? {
                Put: {
                  TableName: tableName,
                  Item: toSuccessorItem(programId, personHash, filingId, supersedes.filingId, at),
                  ConditionExpression: 'attribute_not_exists(pk) OR filingId = :id',
                  ExpressionAttributeValues: { ':id': filingId },
                },
              }
            : {
                Put: {
                  TableName: tableName,
                  Item: toPersonItem(programId, personHash, filingId, at),
                  ConditionExpression: 'attribute_not_exists(pk) OR filingId = :id',
                  ExpressionAttributeValues: { ':id': filingId },
                },
              },
          // The member must still be in the pool as read: no later event on the earlier filing.
          ...(supersedes
            ? [
                {
                  ConditionCheck: {
                    TableName: tableName,
                    Key: eventKey(supersedes.filingId, supersedes.version + 1),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ]
            : []),
          ...counterUpdate(event),
          enterprisePut(programId, filing, filingId, at),
          { Put: { TableName: tableName, Item: nameItemOf(body) } },
          // After every item whose refusal the catch below tells apart by position.
          ...outboxPuts(command.outbox, { filingId, programId, version: 1, at }),
        ];
        try {
          await transact(items, attemptToken);
        } catch (error) {
          // A retry re-encrypts (fresh IV), so within DynamoDB's idempotency window it is a
          // parameter mismatch rather than a replay; either way the first event tells whose it is.
          const mismatch = (error as Error).name === 'IdempotentParameterMismatchException';
          const codes = error instanceof TransactionCanceledException ? reasons(error) : [];
          if (mismatch || codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') {
            const first = await doc.send(
              new GetCommand({ TableName: tableName, Key: eventKey(filingId, 1), ConsistentRead: true }),
            );
            if (first.Item?.requestId === token || first.Item?.requestId === successorToken) {
              return repository.get(filingId);
            }
            throw new ConflictError('filing_exists', { zh: '备案编号已存在', en: 'the filing id is taken' });
          }
          if (error instanceof TransactionCanceledException) {
            if (codes[2] === 'ConditionalCheckFailed' || codes[3] === 'ConditionalCheckFailed')
              throw new ConflictError('duplicate_person', DUPLICATE_PERSON);
            throw new ConcurrentModificationError('filing');
          }
          throw error;
        }
        return {
          filingId,
          ...(command.requestHash ? { requestHash: command.requestHash } : {}),
          ...(supersedes ? { supersedes: supersedes.filingId } : {}),
          programId,
          createdAt: at,
          filing: body.filing,
          warnings,
          state: to,
          version: 1,
          lastEvent: event,
        };
      }
    },

    async get(filingId) {
      const [body, last] = await Promise.all([getBody(filingId), latestEvent(filingId)]);
      if (!last) throw new NotFoundError('filing');
      return {
        filingId,
        ...(body.requestHash ? { requestHash: body.requestHash } : {}),
        ...(body.anonymizedAt ? { anonymizedAt: body.anonymizedAt } : {}),
        ...(body.supersedes ? { supersedes: body.supersedes } : {}),
        programId: body.programId,
        createdAt: body.createdAt,
        filing: body.filing,
        warnings: body.warnings,
        state: last.to,
        version: last.version,
        lastEvent: last,
      };
    },

    async history(filingId) {
      const events: FilingEvent[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':prefix': EVENT_PREFIX },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) events.push(fromEventItem(item));
        start = out.LastEvaluatedKey;
      } while (start);
      if (events.length === 0) throw new NotFoundError('filing');
      return events;
    },

    async transition(command) {
      const { filingId, expected, action, actor, at } = command;
      if (!Number.isInteger(expected.version) || expected.version < 1) {
        throw new ConcurrentModificationError('filing');
      }
      const to = transition(expected.state, action, actor.role);
      if (REASON_REQUIRED.includes(action) && !command.reason?.trim()) {
        throw new ValidationError([
          { path: 'reason', code: 'required', message: { zh: '请填写理由', en: 'a reason is required' } },
        ]);
      }
      const body = await getBody(filingId);
      const version = expected.version + 1;
      const token = requestToken(filingId, String(version), action, actor.role);
      let unit = body.unit;
      let role = body.role;
      const items: TransactItem[] = [];
      let personHash = body.personKey;
      if (command.amended) {
        if (action !== 'resubmit') throw new ConcurrentModificationError('filing');
        const protectedId = await protect(body.programId, filingId, command.amended.filing);
        const next = toBodyItem({
          filingId,
          programId: body.programId,
          createdAt: body.createdAt,
          filing: command.amended.filing,
          idCipher: protectedId.idCipher,
          personKey: protectedId.personHash,
          warnings: command.amended.warnings,
          requestHash: body.requestHash,
        });
        unit = next.unit;
        role = next.role;
        items.push(
          { Put: { TableName: tableName, Item: next } },
          { Put: { TableName: tableName, Item: nameItemOf(next) } },
        );
        if (protectedId.personHash !== body.personKey) {
          personHash = protectedId.personHash;
          items.push(
            {
              Delete: {
                TableName: tableName,
                Key: personKey(body.programId, body.personKey),
                ConditionExpression: 'filingId = :id',
                ExpressionAttributeValues: { ':id': filingId },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: toPersonItem(body.programId, personHash, filingId, at),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          );
        }
      }
      const event: FilingEvent = {
        filingId,
        version,
        action,
        actor,
        from: expected.state,
        to,
        at,
        programId: body.programId,
        unit,
        role,
        ...(command.reason ? { reason: command.reason.trim() } : {}),
        ...(command.detail ? { detail: command.detail } : {}),
      };
      const eventIndex = items.length;
      items.push({
        Put: {
          TableName: tableName,
          Item: toEventItem(event, token),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      // An amendment that moved the filing to another unit or role moves its count too.
      const counted: CounterChange[] =
        unit !== body.unit || role !== body.role
          ? [
              { ...event, unit: body.unit, role: body.role, to: null },
              { ...event, from: null },
            ]
          : [event];
      if (isActive(expected.state) && !isActive(to)) {
        items.push(enterpriseDelete(body.programId, body.filing, filingId));
      } else if (
        command.amended &&
        (command.amended.filing.enterprise.uscc !== body.filing.enterprise.uscc ||
          command.amended.filing.role !== body.role)
      ) {
        items.push(enterpriseDelete(body.programId, body.filing, filingId));
        items.push(enterprisePut(body.programId, command.amended.filing, filingId, at));
      }
      const members: MemberChange[] = [
        { ...event, enterprise: (command.amended?.filing ?? body.filing).enterprise },
      ];
      const entersPool = !MEMBER_STATES.includes(expected.state) && MEMBER_STATES.includes(to);
      if ((isActive(expected.state) && !isActive(to)) || entersPool) {
        const claims = await claimChanges(body.programId, personHash, filingId, {
          ends: !isActive(to),
          at,
          actor,
        });
        items.push(...claims.items);
        counted.push(...claims.counted);
        members.push(...(claims.members ?? []));
      }
      items.push(...counterUpdate(...counted));
      items.push(...outboxPuts(command.outbox, { filingId, programId: body.programId, version, at }));
      for (let attempt = 1; ; attempt++) {
        // The coverage writes are conditional on the enterprises' member counts as read: when another transaction
        // changed one first, only they are rebuilt (from a fresh read), under a token of their own.
        const coverage = await coverageUpdate(members);
        try {
          await transact(
            [...items, ...coverage],
            attempt === 1 ? token : requestToken(token, 'coverage', String(attempt)),
          );
          return event;
        } catch (error) {
          const codes = error instanceof TransactionCanceledException ? reasons(error) : [];
          const coverageOnly =
            codes.slice(items.length).includes('ConditionalCheckFailed') &&
            !codes.slice(0, items.length).includes('ConditionalCheckFailed');
          if (coverageOnly && attempt < attempts) continue;
          return await transitionFailed(error);
        }
      }

      async function transitionFailed(error: unknown): Promise<FilingEvent> {
        const mismatch = (error as Error).name === 'IdempotentParameterMismatchException';
        if (!mismatch && !(error instanceof TransactionCanceledException)) throw error;
        const codes = error instanceof TransactionCanceledException ? reasons(error) : [];
        if (mismatch || codes[eventIndex] === 'ConditionalCheckFailed') {
          const written = await doc.send(
            new GetCommand({ TableName: tableName, Key: eventKey(filingId, version), ConsistentRead: true }),
          );
          if (written.Item?.requestId === token) return fromEventItem(written.Item);
          throw new ConcurrentModificationError('filing');
        }
        if (codes.some((c, i) => c === 'ConditionalCheckFailed' && i < eventIndex)) {
          throw new ConflictError('duplicate_person', DUPLICATE_PERSON);
        }
        throw new ConcurrentModificationError('filing');
      }
    },

    async recordFailure(filingId, failure) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `FILING#${filingId}`,
            sk: `FAILURE#${failure.at}`,
            type: 'WorkflowFailure',
            filingId,
            ...failure,
          },
        }),
      );
    },

    async failures(filingId) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':p': 'FAILURE#' },
        }),
      );
      return (out.Items ?? []).map(({ at, stage, error, cause }) => ({
        at: String(at),
        stage: String(stage),
        error: String(error),
        cause: String(cause),
      }));
    },

    async resumes(filingId) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':p': RESUME_PREFIX },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map(fromResumeItem).sort((a, b) => a.n - b.n);
    },

    async recordResume(filingId, resume, access) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: toResumeItem(filingId, resume),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...accessPuts(tableName, access),
            ],
          }),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException && reasons(error)[0] === 'ConditionalCheckFailed') {
          throw new ConcurrentModificationError('review resume');
        }
        throw error;
      }
    },

    async activeByRole(programId, uscc, except) {
      const items: EnterpriseFilingItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': enterprisePartition(programId, uscc),
              ':prefix': ENTERPRISE_FILING_PREFIX,
            },
            ProjectionExpression: 'filingId, #role',
            ExpressionAttributeNames: { '#role': 'role' },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...((out.Items ?? []) as EnterpriseFilingItem[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return countByRole(items, except);
    },

    async revealIdNumber(filingId) {
      const body = await getBody(filingId);
      // An anonymized record keeps no ID number to reveal.
      if (!body.idCipher) throw new NotFoundError('filing');
      return requireCipher().decrypt(body.idCipher, { programId: body.programId, filingId });
    },
  };
  return repository;
}
