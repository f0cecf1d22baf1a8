// Training through the real local runtime: the province records its first batch and a city its
// own, each uploads a pass list (written by a second spreadsheet library, notes included), a
// filing whose certificate and person are on a list is submitted with the notice the reviewer
// sees (培训已核验（batch, date）) and one that is not with a warning, and the target-progress
// report shows the training milestones from the batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { PASS_LIST_COLUMNS, passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

const LIAONING = 'liaoning-cso';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let runtime: Runtime;
let api: ApiDriver;
const tokens: Record<'province' | 'shenyang', string> = { province: '', shenyang: '' };
const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });

beforeAll(async () => {
  runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  api = apiDriver(runtime);
  const keys = staffKeyFile(runtime.localDir);
  tokens.province = await issueStaffToken(keys, {
    scopes: [{ role: 'province', programId: LIAONING }],
    subject: 'training-province',
  });
  tokens.shenyang = await issueStaffToken(keys, {
    scopes: [{ role: 'city', programId: LIAONING, unit: '210100' }],
    subject: 'training-shenyang',
  });
});

afterAll(async () => {
  await runtime?.stop();
});

/** The pass-list template filled in and saved by SheetJS, with a note on each header. */
async function passListBySheetJs(rows: { name: string; idNumber: string; certificateNumber: string }[]) {
  const book = XLSX.read(await passListTemplate(getProgram(LIAONING)), { type: 'buffer' });
  const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
  const headers = PASS_LIST_COLUMNS.map((c) => c.header);
  XLSX.utils.sheet_add_aoa(
    sheet,
    rows.map((r, i) =>
      headers.map((h) =>
        h === '序号'
          ? String(i + 1)
          : h === '姓名'
            ? r.name
            : h === '身份证号'
              ? r.idNumber
              : h === '培训合格证书编号'
                ? r.certificateNumber
                : '',
      ),
    ),
    { origin: 'A2' },
  );
  for (const [i, c] of PASS_LIST_COLUMNS.entries()) {
    (sheet[XLSX.utils.encode_cell({ r: 0, c: i })] as XLSX.CellObject).c = [{ a: '办公室', t: c.help }];
  }
  return new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

const recordBatch = async (
  who: keyof typeof tokens,
  organizer: string,
  startDate: string,
  endDate: string,
) => {
  const res = await api.call<{ batchId: string }>('POST', `/staff/programs/${LIAONING}/training/batches`, {
    headers: as(who),
    body: { organizer, course: '首席标准官培训班', startDate, endDate },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.batchId;
};

const upload = async (who: keyof typeof tokens, batchId: string, body: Uint8Array) => {
  const res = await fetch(
    `${runtime.baseUrl}/staff/programs/${LIAONING}/training/batches/${batchId}/passes?fileName=名单.xlsx`,
    { method: 'POST', headers: { ...as(who), origin: runtime.baseUrl, 'content-type': XLSX_TYPE }, body },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('training batches, pass lists and the match at submission', () => {
  it('verifies a listed certificate, warns about another, and reports the milestones', async () => {
    const listed = validFiling({ n: 84_001 });
    const unlisted = validFiling({ n: 84_002 });
    const provinceBatch = await recordBatch('province', 'province', '2021-11-08', '2021-11-10');
    const cityBatch = await recordBatch('shenyang', '210100', '2022-06-01', '2022-06-03');

    const list = await passListBySheetJs([
      {
        name: listed.person.name,
        idNumber: listed.person.idNumber,
        certificateNumber: listed.person.training?.certificateNumber as string,
      },
      {
        name: '王芳',
        idNumber: validFiling({ n: 84_003 }).person.idNumber,
        certificateNumber: 'SY-2022-0003',
      },
    ]);
    const first = await upload('shenyang', cityBatch, list);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 2, imported: 2, refused: 0 });
    expect(JSON.stringify(first.body)).not.toContain(listed.person.idNumber);
    expect((await upload('shenyang', cityBatch, list)).body).toMatchObject({ imported: 0, present: 2 });
    // The city cannot upload to the province's batch; a file that is no workbook says why.
    expect((await upload('shenyang', provinceBatch, list)).status).toBe(403);
    const junk = await upload('province', provinceBatch, new TextEncoder().encode('姓名,身份证号\n'));
    expect(junk.status).toBe(422);
    expect(JSON.stringify(junk.body)).toContain('not an .xlsx file');

    const verified = await api.submit(LIAONING, listed);
    expect(verified.status).toBe(201);
    const warnedFor = async (filingId: string) => {
      const detail = await api.call<{ warningsDetail: { code: string; message: { zh: string } }[] }>(
        'GET',
        `/staff/filings/${filingId}`,
        { headers: as('shenyang') },
      );
      expect(detail.status).toBe(200);
      return detail.body.warningsDetail;
    };
    expect(await warnedFor(String(verified.body.filingId))).toContainEqual(
      expect.objectContaining({
        code: 'training_verified',
        message: expect.objectContaining({ zh: `培训已核验（${cityBatch}，2022-06-03）` }),
      }),
    );
    const warned = await api.submit(LIAONING, unlisted);
    expect(warned.status).toBe(201);
    const warnings = await warnedFor(String(warned.body.filingId));
    expect(warnings.map((w) => w.code)).toContain('training_not_on_roster');
    expect(warnings.map((w) => w.code)).not.toContain('training_verified');

    const report = await api.call<{
      trainingMilestones: { milestones: { year: number; status: string; units: string[] }[] };
    }>('GET', `/staff/programs/${LIAONING}/report?asOf=2023-12-31`, { headers: as('province') });
    expect(report.status).toBe(200);
    expect(report.body.trainingMilestones.milestones).toEqual([
      expect.objectContaining({ year: 2021, status: 'met', units: ['province'] }),
      expect.objectContaining({ year: 2022, status: 'met', units: ['210100'] }),
      expect.objectContaining({ year: 2023, status: 'not_met', units: [] }),
    ]);
    const batches = await api.call<{ batches: { batchId: string; passes: number }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/training/batches`,
      { headers: as('shenyang') },
    );
    expect(batches.body.batches.find((b) => b.batchId === cityBatch)?.passes).toBe(2);
  });
});
