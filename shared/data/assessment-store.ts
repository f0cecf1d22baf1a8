// DynamoDB adapter of the AssessmentStore port (shared/use-cases/assessment/ports.ts). Items:
//   ASSESSMENT#<p>#<year> / PROGRAM               the programme's year (units started, parent wait, summary)
//   ASSESSMENT#<p>#<year> / UNIT#<unit>           one unit's batch (pages, grading wait, status, results)
//   ASSESSMENT#<p>#<year> / PAGE#<unit>#<nnnn>    one page of a batch (≤ page size members), grades, outcomes
//   LINK#<sha256 of token> / ASSESSMENT           a grading link, only the hash of its token (TTL)
// A grading link shares the review links' key space but not their sort key, so a review page
// never resolves it (nor the other way round). Deciding a page is one transaction: the page
// (only if undecided) and the unit's count of graded pages (only while the unit is open).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
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
  AssessmentLink,
  AssessmentPage,
  AssessmentStore,
  ProgramAssessment,
  UnitAssessment,
} from '../use-cases/assessment/ports.ts';
import { counterPartition, sumCounters } from './counter-item.ts';
import { TABLE } from './table.ts';

const partition = (programId: string, year: string) => `ASSESSMENT#${programId}#${year}`;
const programKey = (programId: string, year: string) => ({ pk: partition(programId, year), sk: 'PROGRAM' });
const unitKey = (programId: string, year: string, unit: string) => ({
  pk: partition(programId, year),
  sk: `UNIT#${unit}`,
});
const pageKey = (programId: string, year: string, unit: string, page: number) => ({
  pk: partition(programId, year),
  sk: `PAGE#${unit}#${String(page).padStart(4, '0')}`,
});
const linkKey = (tokenHash: string) => ({ pk: `LINK#${tokenHash}`, sk: 'ASSESSMENT' });

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
}

function toUnit(item: Record<string, unknown>): UnitAssessment {
  const unit = strip<UnitAssessment & { decidedPages?: Set<number> | number[] }>(item);
  const decided = unit.decidedPages;
  return {
    ...unit,
    decidedPages: decided ? [...decided].map(Number).sort((a, b) => a - b) : [],
  };
}

export function createAssessmentStore(doc: DynamoDBDocumentClient, tableName: string): AssessmentStore {
  const get = async (Key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;

  async function getUnit(programId: string, year: string, unit: string) {
    const item = await get(unitKey(programId, year, unit));
    return item ? toUnit(item) : undefined;
  }

  async function getProgram(programId: string, year: string) {
    const item = await get(programKey(programId, year));
    return item ? strip<ProgramAssessment>(item) : undefined;
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

  return {
    async openProgram({ programId, year, startedAt }) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...programKey(programId, year),
              type: 'AssessmentProgram',
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
      if (!stored) throw new Error('assessment year vanished');
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
          UpdateExpression: `SET ${[
            '#status = :s, closedAt = :at',
            outcome.summary ? 'summary = :sum' : '',
            outcome.error ? '#error = :e' : '',
          ]
            .filter(Boolean)
            .join(', ')} REMOVE taskToken`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', ...(outcome.error ? { '#error': 'error' } : {}) },
          ExpressionAttributeValues: {
            ':s': outcome.status,
            ':at': outcome.at,
            ...(outcome.summary ? { ':sum': outcome.summary } : {}),
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
        perUnit.set(unit, (perUnit.get(unit) ?? 0) + counts.in_pool);
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
      return items.map(toUnit);
    },

    async createUnit(unit, pages) {
      // Pages first: a unit item exists only with all its pages. A retry after a crash rewrites
      // the same pages (nobody can have graded them: no link exists before the unit item).
      for (const page of pages) {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...pageKey(unit.programId, unit.year, unit.unit, page.page),
              type: 'AssessmentPage',
              ...page,
            },
          }),
        );
      }
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...unitKey(unit.programId, unit.year, unit.unit), type: 'AssessmentUnit', ...unit },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return unit;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const stored = await getUnit(unit.programId, unit.year, unit.unit);
        if (!stored) throw error;
        return stored;
      }
    },

    async setUnitWait(programId, year, unit, wait) {
      const out = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: unitKey(programId, year, unit),
          UpdateExpression: 'SET taskToken = :t, escalated = :e, deadline = :d',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':t': wait.taskToken, ':e': wait.escalated, ':d': wait.deadline },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUnit(out.Attributes ?? {});
    },

    async getPage(programId, year, unit, page) {
      const item = await get(pageKey(programId, year, unit, page));
      return item ? strip<AssessmentPage>(item) : undefined;
    },

    async decidePage(programId, year, unit, page, decision) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: pageKey(programId, year, unit, page),
                  UpdateExpression: 'SET grades = :g, decidedAt = :at, decidedBy = :by',
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(decidedAt)',
                  ExpressionAttributeValues: {
                    ':g': decision.grades,
                    ':at': decision.at,
                    ':by': decision.by,
                  },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: unitKey(programId, year, unit),
                  UpdateExpression: 'ADD pagesDecided :one, decidedPages :page',
                  ConditionExpression: '#status = :open',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':one': 1, ':page': new Set([page]), ':open': 'open' },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [pageReason, unitReason] = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (pageReason === 'ConditionalCheckFailed') {
          throw new ConflictError('already_decided', {
            zh: '该页考核结果已提交',
            en: 'this page is graded already',
          });
        }
        if (unitReason === 'ConditionalCheckFailed') {
          throw new ConflictError('closed', { zh: '本年度考核已结束', en: 'this assessment is over' });
        }
        throw error;
      }
      const after = await getUnit(programId, year, unit);
      if (!after) throw new Error('assessment unit vanished');
      return after;
    },

    async startApplying(programId, year, unit) {
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: unitKey(programId, year, unit),
            UpdateExpression: 'SET #status = :applying',
            ConditionExpression: '#status = :open AND pagesDecided >= pageCount',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':applying': 'applying', ':open': 'open' },
          }),
        )
        .catch(async (error: unknown) => {
          if (!isConditionFailure(error)) throw error;
          const stored = await getUnit(programId, year, unit);
          if (stored?.status !== 'applying')
            throw new ConflictError('closed', { zh: '考核未完成评定', en: 'not graded' });
        });
    },

    async recordOutcomes(programId, year, unit, page, outcomes) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: pageKey(programId, year, unit, page),
          UpdateExpression: 'SET outcomes = :o',
          ConditionExpression: 'attribute_exists(decidedAt)',
          ExpressionAttributeValues: { ':o': outcomes },
        }),
      );
    },

    async finishUnit(programId, year, unit, outcome, onlyIfUngraded = false) {
      // Ends a unit once. A unit that failed before it was opened (OpenUnit itself failed) is
      // created here, so the programme sees it ended.
      const open = onlyIfUngraded
        ? '#status = :open AND pagesDecided < pageCount'
        : 'attribute_not_exists(pk) OR #status IN (:open, :applying)';
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: unitKey(programId, year, unit),
            UpdateExpression: [
              'SET #status = :s, finishedAt = :at',
              outcome.results ? 'results = :r' : '',
              outcome.error ? '#error = :e' : '',
              'programId = if_not_exists(programId, :p), #year = if_not_exists(#year, :y), #unit = if_not_exists(#unit, :u)',
              'members = if_not_exists(members, :zero), pageSize = if_not_exists(pageSize, :zero)',
              'pageCount = if_not_exists(pageCount, :zero), pagesDecided = if_not_exists(pagesDecided, :zero)',
              'openedAt = if_not_exists(openedAt, :at), #type = if_not_exists(#type, :type)',
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
              ':open': 'open',
              ...(onlyIfUngraded ? {} : { ':applying': 'applying' }),
              ':p': programId,
              ':y': year,
              ':u': unit,
              ':zero': 0,
              ':type': 'AssessmentUnit',
              ...(outcome.results ? { ':r': outcome.results } : {}),
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

    async putLink(link: AssessmentLink) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...linkKey(link.tokenHash),
            type: 'AssessmentLink',
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
      return { ...strip<Omit<AssessmentLink, 'expiresAt'>>(rest), expiresAt: String(validUntil) };
    },
  };
}
