// The enterprise index's backfill against DynamoDB Local: filings stored before the index get their entries, ended
// filings none, and a second run writes nothing.
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfillEnterpriseIndex } from '#shared/data/enterprise-backfill.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

const AT = '2025-05-10T02:00:00.000Z';

describe('enterprise index backfill', () => {
  it('indexes the active filings written before the index, and only those', async () => {
    const env = await freshTable();
    const uscc = validFiling({ n: 700 }).enterprise.uscc;
    const ids: string[] = [];
    for (const [i, role] of (['cso', 'specialist', 'director'] as const).entries()) {
      const filingId = `F0000000BACK${i}`;
      const input = validFiling({ n: 700 + i, role });
      input.enterprise.uscc = uscc;
      await env.repo.create({
        filingId,
        programId: 'liaoning-cso',
        filing: parseFiling(input),
        warnings: [],
        actor: { role: 'applicant' },
        at: AT,
      });
      ids.push(filingId);
    }
    await env.repo.transition({
      filingId: ids[2] ?? '',
      expected: { state: 'submitted', version: 1 },
      action: 'withdraw',
      actor: { role: 'applicant' },
      at: AT,
    });
    // As stored before the index existed.
    for (const item of await scanAll(env.doc, env.tableName)) {
      if (item.type === 'EnterpriseFiling') {
        await env.doc.send(
          new DeleteCommand({ TableName: env.tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
    }
    expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({});
    expect(await backfillEnterpriseIndex(env.doc, env.tableName)).toBe(2);
    expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ cso: 1, specialist: 1 });
    expect(await backfillEnterpriseIndex(env.doc, env.tableName)).toBe(0);
  });
});
