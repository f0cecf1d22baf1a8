// Import of existing pool members (province): the template, the upload, the row-level report.
import {
  apiUpload,
  consolePage,
  download,
  field,
  h,
  heading,
  InputError,
  isSessionEnd,
  live,
  type PageContext,
  problem,
  st,
  tr,
} from './console.ts';
import { busy, type ReportRow, rowReport, type Text, workbookInput, XLSX } from './page-parts.ts';

interface RowReport extends ReportRow {
  filingId?: string;
  warnings: { path: string; message: Text }[];
}
interface Report {
  total: number;
  imported: number;
  warned: number;
  present: number;
  refused: number;
  failed: number;
  rows: RowReport[];
}

const STATUS: Record<string, Text> = {
  imported: { zh: '已导入', en: 'imported' },
  warned: { zh: '已导入（有提醒）', en: 'imported, with warnings' },
  present: { zh: '已存在', en: 'already there' },
  refused: { zh: '拒绝', en: 'refused' },
  failed: { zh: '失败', en: 'failed' },
};

async function render(ctx: PageContext): Promise<void> {
  const { main } = ctx;
  const base = `/staff/programs/${encodeURIComponent(ctx.programId)}/imports`;
  const templateButton = h(
    'button',
    { type: 'button', class: 'secondary' },
    live(() => st('template')),
  );
  const templateStatus = h('p', { role: 'status' });
  templateButton.addEventListener('click', () => {
    download(`${base}/template`, `template-${ctx.programId}.xlsx`)
      .then((name) => {
        templateStatus.textContent = st('downloaded', { name });
      })
      .catch((error: unknown) => {
        if (!isSessionEnd(error)) templateStatus.textContent = problem(error);
      });
  });
  const file = workbookInput();
  const status = h('p', { role: 'status', id: 'import-status' });
  const button = h(
    'button',
    { type: 'submit', class: 'primary' },
    live(() => st('upload')),
  );
  const result = h('section', { id: 'import-report', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'panel', novalidate: true },
    field('import-file', 'file', file),
    button,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    result.replaceChildren();
    busy(button, status, async () => {
      if (!chosen) throw new InputError(st('chooseFile'));
      const report = await apiUpload<Report>(
        `${base}?fileName=${encodeURIComponent(chosen.name)}`,
        chosen,
        XLSX,
      );
      status.textContent = '';
      result.append(
        ...rowReport<RowReport>({
          title: 'importReport',
          totals: () =>
            st('importTotals', {
              total: report.total,
              imported: report.imported,
              warned: report.warned,
              present: report.present,
              refused: report.refused,
              failed: report.failed,
            }),
          outcomes: STATUS,
          messages: (r) => [...r.errors, ...r.warnings].map((m) => `${m.path}: ${tr(m.message)}`),
          rows: report.rows,
        }),
      );
    });
  });
  main.append(
    heading('importTitle'),
    h(
      'p',
      {},
      live(() => st('importHelp')),
    ),
    h('p', {}, templateButton),
    templateStatus,
    form,
    result,
  );
}

void consolePage('import', 'importTitle', ['province'], render);
