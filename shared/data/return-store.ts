// DynamoDB adapter of the ReturnStore port (shared/ports/returns.ts). Items:
//   RETURN#<p>#<year> / PROGRAM               the programme's year (units started, parent wait)
//   RETURN#<p>#<year> / UNIT#<unit>           one unit's return (enterprises, answers counted, acknowledgement, results)
//   RETURN#<p>#<year> / ENT#<unit>#<nnnnn>    one enterprise of the unit: its people and its answer
//   LINK#<sha256 of token> / RETURN           an enterprise's or a city's link, only the hash of its token (TTL)
// A return link shares the review links' key space but not their sort key, so a review page
// never resolves it (nor the other way round). An answer is one transaction: the enterprise
// (only if it has not answered) and the unit's count (only while the unit collects).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import { shanghaiDate } from '../domain/time.ts';
import type {
  EnterpriseReturn,
  ProgramReturn,
  ReturnLink,
  ReturnStore,
  UnitReturn,
} from '../ports/returns.ts';
import { RETURN_STATES } from '../ports/returns.ts';
import { counterPartition, sumCounters } from './counter-item.ts';
import { TABLE } from './table.ts';

const partition = (programId: string, year: string) => `RETURN#${programId}#${year}`;
const programKey = (programId: string, year: string) => ({ pk: partition(programId, year), sk: 'PROGRAM' });
const unitKey = (programId: string, year: string, unit: string) => ({
  pk: partition(programId, year),
  sk: `UNIT#${unit}`,
});
const entSort = (unit: string, seq: number) => `ENT#${unit}#${String(seq).padStart(5, '0')}`;
const entKey = (programId: string, year: string, unit: string, seq: number) => ({
  pk: partition(programId, year),
  sk: entSort(unit, seq),
});
const linkKey = (tokenHash: string) => ({ pk: `LINK#${tokenHash}`, sk: 'RETURN' });

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
}

export function createReturnStore(doc: DynamoDBDocumentClient, tableName: string): ReturnStore {
  const get = async (Key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;

  async function getUnit(programId: string, year: string, unit: string) {
    const item = await get(unitKey(programId, year, unit));
    return item ? strip<UnitReturn>(item) : undefined;
  }

  async function getProgram(programId: string, year: string) {
    const item = await get(programKey(programId, year));
    return item ? strip<ProgramReturn>(item) : undefined;
  }

  async function queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async function unitAfter(programId: string, year: string, unit: string): Promise<UnitReturn> {
    const after = await getUnit(programId, year, unit);
    if (!after) throw new Error('return unit vanished');
    return after;
  }

  return {
    async openProgram({ programId, year, startedAt }) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...programKey(programId, year),
              type: 'ReturnProgram',
              programId,
              year,
              status: 'open',
              startedAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const stored = await getProgram(programId, year);
      if (!stored) throw new Error('return year vanished');
      return stored;
    },

    getProgram,

    async setProgramUnits(programId, year, units) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: programKey(programId, year),
            UpdateExpression: 'SET units = :u',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(units)',
            ExpressionAttributeValues: { ':u': units },
          }),
        );
        return units;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const stored = await getProgram(programId, year);
        if (!stored?.units) throw error;
        return stored.units;
      }
    },

    async setProgramWait(programId, year, taskToken) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: programKey(programId, year),
          UpdateExpression: 'SET taskToken = :t',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':t': taskToken },
        }),
      );
    },

    async closeProgram(programId, year, outcome) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: programKey(programId, year),
          UpdateExpression: `SET #status = :s, closedAt = :at${outcome.error ? ', #error = :e' : ''} REMOVE taskToken`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', ...(outcome.error ? { '#error': 'error' } : {}) },
          ExpressionAttributeValues: {
            ':s': outcome.status,
            ':at': outcome.at,
            ...(outcome.error ? { ':e': outcome.error } : {}),
          },
        }),
      );
    },

    async unitsWithPoolMembers(programId) {
      // The counters: one small item per year × unit × role, never the filings.
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND sk <= :last',
        ExpressionAttributeValues: {
          ':pk': counterPartition(programId),
          ':last': `${shanghaiDate(new Date()).slice(0, 4)}#\uffff`,
        },
      });
      const perUnit = new Map<string, number>();
      for (const [key, counts] of sumCounters(items)) {
        const unit = key.slice(0, key.lastIndexOf('#'));
        const members = RETURN_STATES.reduce((n, state) => n + (counts[state] ?? 0), 0);
        perUnit.set(unit, (perUnit.get(unit) ?? 0) + members);
      }
      return [...perUnit]
        .filter(([, n]) => n > 0)
        .map(([unit]) => unit)
        .sort();
    },

    async unitFilingIds(programId, unit) {
      const index = TABLE.indexes.filingsByUnit;
      const items = await queryAll({
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': `PROGRAM#${programId}#UNIT#${unit}` },
      });
      return items.map((item) => String(item.pk).replace(/^FILING#/, ''));
    },

    getUnit,

    async listUnits(programId, year) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': partition(programId, year), ':p': 'UNIT#' },
        ConsistentRead: true,
      });
      return items.map((item) => strip<UnitReturn>(item));
    },

    async createUnit(unit, enterprises) {
      // Enterprises first: a unit item exists only with all of them. A retry after a crash
      // rewrites the same numbers (nobody has a link before the unit item exists); the unit's
      // count bounds every later range, so a longer earlier attempt's extra items are never read.
      for (let i = 0; i < enterprises.length; i += 25) {
        let requests: Record<string, unknown>[] | undefined = enterprises.slice(i, i + 25).map((e) => ({
          PutRequest: {
            Item: { ...entKey(e.programId, e.year, e.unit, e.seq), type: 'ReturnEnterprise', ...e },
          },
        }));
        for (let attempt = 0; requests && requests.length > 0; attempt++) {
          if (attempt > 8) throw new Error('enterprise items not written');
          if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
          const out = await doc.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }),
          );
          requests = out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
        }
      }
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...unitKey(unit.programId, unit.year, unit.unit), type: 'ReturnUnit', ...unit },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return unit;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return unitAfter(unit.programId, unit.year, unit.unit);
      }
    },

    async enterpriseRange(programId, year, unit, from, limit) {
      if (limit < 1) return [];
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partition(programId, year),
          ':from': entSort(unit, from),
          ':to': entSort(unit, from + limit - 1),
        },
        ConsistentRead: true,
      });
      return items.map((item) => strip<EnterpriseReturn>(item));
    },

    async getEnterprise(programId, year, unit, seq) {
      const item = await get(entKey(programId, year, unit, seq));
      return item ? strip<EnterpriseReturn>(item) : undefined;
    },

    async markSent(programId, year, unit, seq, sent) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: entKey(programId, year, unit, seq),
          UpdateExpression: `SET ${sent.kind === 'notify' ? 'notifiedAt' : 'remindedAt'} = :at`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': sent.at },
        }),
      );
    },

    async setUnitWait(programId, year, unit, wait) {
      const out = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: unitKey(programId, year, unit),
          UpdateExpression: 'SET taskToken = :t, escalated = :e',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':t': wait.taskToken, ':e': wait.escalated },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<UnitReturn>(out.Attributes ?? {});
    },

    async answer(programId, year, unit, seq, answer) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: entKey(programId, year, unit, seq),
                  UpdateExpression: 'SET answers = :a, answeredAt = :at',
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(answeredAt)',
                  ExpressionAttributeValues: { ':a': answer.answers, ':at': answer.at },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: unitKey(programId, year, unit),
                  UpdateExpression: 'ADD answered :one',
                  ConditionExpression: '#status = :collecting',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':one': 1, ':collecting': 'collecting' },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [entReason, unitReason] = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (entReason === 'ConditionalCheckFailed') {
          throw new ConflictError('already_answered', {
            zh: '该企业已提交年度报告',
            en: 'this enterprise has sent its return already',
          });
        }
        if (unitReason === 'ConditionalCheckFailed') {
          throw new ConflictError('closed', { zh: '年度报告已截止', en: 'the annual return is closed' });
        }
        throw error;
      }
      return unitAfter(programId, year, unit);
    },

    async closeCollection(programId, year, unit, results) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: unitKey(programId, year, unit),
            UpdateExpression: 'SET #status = :reviewing, results = :r',
            ConditionExpression: '#status = :collecting',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':reviewing': 'reviewing',
              ':collecting': 'collecting',
              ':r': results,
            },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return false;
      }
    },

    async acknowledge(programId, year, unit, ack) {
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: unitKey(programId, year, unit),
            UpdateExpression: 'SET #status = :applying, acknowledgedAt = :at, acknowledgedBy = :by',
            ConditionExpression: '#status = :reviewing',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':applying': 'applying',
              ':reviewing': 'reviewing',
              ':at': ack.at,
              ':by': ack.by,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return strip<UnitReturn>(out.Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        throw new ConflictError('already_acknowledged', {
          zh: '该汇总已确认',
          en: 'these returns are acknowledged already',
        });
      }
    },

    async recordOutcomes(programId, year, unit, outcomes) {
      const entries = Object.entries(outcomes);
      if (entries.length === 0) return;
      // One map per unit: the first batch creates it, later ones add their keys.
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: unitKey(programId, year, unit),
          UpdateExpression: 'SET outcomes = if_not_exists(outcomes, :empty)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: unitKey(programId, year, unit),
          UpdateExpression: `SET ${entries.map((_e, i) => `outcomes.#f${i} = :o${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([id], i) => [`#f${i}`, id])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, o], i) => [`:o${i}`, o])),
        }),
      );
    },

    async finishUnit(programId, year, unit, outcome, onlyIfReviewing = false) {
      // Ends a unit once. A unit that failed before it was opened (OpenUnit itself failed) is
      // created here, so the programme sees it ended.
      const open = onlyIfReviewing
        ? '#status = :reviewing'
        : 'attribute_not_exists(pk) OR #status IN (:collecting, :reviewing, :applying)';
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: unitKey(programId, year, unit),
            UpdateExpression: [
              'SET #status = :s, finishedAt = :at',
              outcome.error ? '#error = :e' : '',
              'programId = if_not_exists(programId, :p), #year = if_not_exists(#year, :y), #unit = if_not_exists(#unit, :u)',
              'enterprises = if_not_exists(enterprises, :zero), members = if_not_exists(members, :zero)',
              'answered = if_not_exists(answered, :zero), unreachable = if_not_exists(unreachable, :none)',
              'openedAt = if_not_exists(openedAt, :at), deadline = if_not_exists(deadline, :at)',
              '#type = if_not_exists(#type, :type)',
            ]
              .filter(Boolean)
              .join(', '),
            ConditionExpression: open,
            ExpressionAttributeNames: {
              '#status': 'status',
              '#year': 'year',
              '#unit': 'unit',
              '#type': 'type',
              ...(outcome.error ? { '#error': 'error' } : {}),
            },
            ExpressionAttributeValues: {
              ':s': outcome.status,
              ':at': outcome.at,
              ':reviewing': 'reviewing',
              ...(onlyIfReviewing ? {} : { ':collecting': 'collecting', ':applying': 'applying' }),
              ':p': programId,
              ':y': year,
              ':u': unit,
              ':zero': 0,
              ':none': [],
              ':type': 'ReturnUnit',
              ...(outcome.error ? { ':e': outcome.error } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return false;
      }
    },

    async putLink(link: ReturnLink) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...linkKey(link.tokenHash),
            type: 'ReturnLink',
            ...link,
            // As review links: the TTL attribute is epoch seconds, a day after the link's own expiry.
            validUntil: link.expiresAt,
            [TABLE.ttlAttribute]: Math.floor(Date.parse(link.expiresAt) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getLink(tokenHash) {
      const item = await get(linkKey(tokenHash));
      if (!item) return undefined;
      const { [TABLE.ttlAttribute]: _ttl, validUntil, ...rest } = item;
      return { ...strip<Omit<ReturnLink, 'expiresAt'>>(rest), expiresAt: String(validUntil) };
    },
  };
}
