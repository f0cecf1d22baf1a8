// Training (培训): the programme's batches (every staff role), recording a batch (province: any
// organizer; city: its own bureau's), the pass-list template, and uploading a batch's pass list
// with the row-level report. The API decides who may record and upload; the page offers a city
// only its own unit's batches.
import {
  apiGet,
  apiPost,
  apiUpload,
  consolePage,
  field,
  h,
  heading,
  InputError,
  lang,
  live,
  option,
  type PageContext,
  st,
  table,
  tr,
  unitName,
} from './console.ts';
import {
  busy,
  type ReportRow,
  rowReport,
  showError,
  type Text,
  templateButton,
  workbookInput,
  XLSX,
} from './page-parts.ts';

const PROVINCE = 'province';

interface Batch {
  batchId: string;
  organizer: string;
  course: string;
  startDate: string;
  endDate: string;
  passes: number;
}
interface RowReport extends ReportRow {
  certificateNumber?: string;
}
interface Report {
  total: number;
  imported: number;
  present: number;
  refused: number;
  failed: number;
  rows: RowReport[];
}

const STATUS: Record<string, Text> = {
  imported: { zh: '已记录', en: 'recorded' },
  present: { zh: '已存在', en: 'already there' },
  refused: { zh: '拒绝', en: 'refused' },
  failed: { zh: '失败', en: 'failed' },
};

async function render(ctx: PageContext): Promise<void> {
  const { main, scope, facts } = ctx;
  const base = `/staff/programs/${encodeURIComponent(ctx.programId)}/training`;
  const organizerLabel = (code: string) => () => {
    if (code === PROVINCE) return st('organizerProvince');
    const name = unitName(facts, code);
    if (!name) return code;
    return lang() === 'zh' ? `${tr(name)}（${code}）` : `${tr(name)} (${code})`;
  };
  const mayWrite = scope.role !== 'auditor';
  // The batches this user may upload a pass list to (the API checks it again).
  const mine = (b: Batch) => scope.role === 'province' || b.organizer === scope.unit;

  const listStatus = h('p', { role: 'status', id: 'batches-status' });
  const list = h('div', { id: 'batches' });
  const batchChoice = h('select', {});
  const noBatch = h(
    'p',
    { class: 'hint', id: 'no-batch', hidden: true },
    live(() => st('noBatchToUpload')),
  );
  let batches: Batch[] = [];

  async function refresh(select?: string): Promise<void> {
    listStatus.textContent = st('loading');
    try {
      batches = (await apiGet<{ batches: Batch[] }>(`${base}/batches`)).batches;
      listStatus.textContent = '';
    } catch (error) {
      showError(listStatus, error);
      return;
    }
    list.replaceChildren(
      batches.length
        ? table<Batch>(
            'batchesTable',
            [
              { label: 'colBatch', cell: (b) => b.batchId },
              { label: 'colOrganizer', cell: (b) => live(organizerLabel(b.organizer)) },
              { label: 'colCourse', cell: (b) => b.course },
              { label: 'colDates', cell: (b) => `${b.startDate} – ${b.endDate}` },
              { label: 'colPasses', cell: (b) => h('span', { class: 'num' }, String(b.passes)) },
            ],
            // Newest first: the batch one works on is usually the latest.
            [...batches].reverse(),
          )
        : h(
            'p',
            { class: 'hint' },
            live(() => st('noBatches')),
          ),
    );
    const current = select ?? batchChoice.value;
    batchChoice.replaceChildren(
      ...[...batches]
        .reverse()
        .filter(mine)
        .map((b) =>
          option(
            b.batchId,
            () => `${b.batchId} · ${b.course} · ${organizerLabel(b.organizer)()}`,
            b.batchId === current,
          ),
        ),
    );
    noBatch.hidden = batchChoice.options.length > 0;
  }

  main.append(
    heading('trainingTitle'),
    h(
      'p',
      {},
      live(() => st('trainingHelp')),
    ),
    h(
      'h2',
      { id: 'batches-heading' },
      live(() => st('batchesTable')),
    ),
    listStatus,
    list,
  );

  if (mayWrite) {
    // Recording a batch.
    const organizer = h('select', {});
    const organizers =
      scope.role === 'city' ? [scope.unit ?? ''] : [PROVINCE, ...facts.reportingUnits.map((u) => u.code)];
    for (const code of organizers) organizer.append(option(code, organizerLabel(code)));
    const course = h('input', { type: 'text', maxlength: 100, autocomplete: 'off', required: true });
    const startDate = h('input', { type: 'date', required: true });
    const endDate = h('input', { type: 'date', required: true });
    const recordStatus = h('p', { role: 'status', id: 'record-status' });
    const recordButton = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('recordButton')),
    );
    const recordForm = h(
      'form',
      { class: 'panel', id: 'record-batch', novalidate: true, 'aria-labelledby': 'record-heading' },
      h(
        'h2',
        { id: 'record-heading' },
        live(() => st('recordBatch')),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st('recordBatchHelp')),
      ),
      h(
        'div',
        { class: 'filter-grid' },
        field('batch-organizer', 'colOrganizer', organizer),
        field('batch-course', 'course', course),
        field('batch-start', 'startDate', startDate),
        field('batch-end', 'endDate', endDate),
      ),
      recordButton,
      recordStatus,
    );
    recordForm.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(recordButton, recordStatus, async () => {
        const name = course.value.trim();
        course.toggleAttribute('aria-invalid', false);
        if ([...name].length < 2 || [...name].length > 100) {
          course.setAttribute('aria-invalid', 'true');
          throw new InputError(st('courseInvalid'));
        }
        if (!startDate.value || !endDate.value || endDate.value < startDate.value)
          throw new InputError(st('datesInvalid'));
        const batch = await apiPost<Batch>(`${base}/batches`, {
          organizer: organizer.value,
          course: name,
          startDate: startDate.value,
          endDate: endDate.value,
        });
        recordStatus.className = 'notice';
        recordStatus.textContent = st('batchRecorded', { id: batch.batchId });
        course.value = '';
        await refresh(batch.batchId);
      });
    });

    // The template and the upload.
    const templateStatus = h('p', { role: 'status', id: 'template-status' });
    const template = templateButton({
      id: 'pass-template',
      label: 'passTemplate',
      line: templateStatus,
      path: `${base}/template`,
      fileName: `pass-list-${ctx.programId}.xlsx`,
    });
    const file = workbookInput();
    const uploadStatus = h('p', { role: 'status', id: 'upload-status' });
    const uploadButton = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('upload')),
    );
    const result = h('section', { id: 'pass-report', 'aria-live': 'polite' });
    const uploadForm = h(
      'form',
      { class: 'panel', id: 'upload-passes', novalidate: true, 'aria-labelledby': 'upload-heading' },
      h(
        'h2',
        { id: 'upload-heading' },
        live(() => st('uploadPasses')),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st('uploadPassesHelp')),
      ),
      h('p', {}, template),
      templateStatus,
      field('pass-batch', 'batch', batchChoice),
      noBatch,
      field('pass-file', 'file', file),
      uploadButton,
      uploadStatus,
    );
    uploadForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = file.files?.[0];
      result.replaceChildren();
      busy(uploadButton, uploadStatus, async () => {
        const batchId = batchChoice.value;
        if (!batchId) throw new InputError(st('noBatchToUpload'));
        if (!chosen) throw new InputError(st('chooseFile'));
        const answer = await apiUpload<Report>(
          `${base}/batches/${encodeURIComponent(batchId)}/passes?fileName=${encodeURIComponent(chosen.name)}`,
          chosen,
          XLSX,
        );
        uploadStatus.textContent = '';
        result.append(
          ...rowReport<RowReport>({
            title: 'passReport',
            totalsId: 'pass-totals',
            totals: () =>
              st('passTotals', {
                total: answer.total,
                imported: answer.imported,
                present: answer.present,
                refused: answer.refused,
                failed: answer.failed,
              }),
            outcomes: STATUS,
            columns: [{ label: 'colCertificate', cell: (r) => r.certificateNumber ?? '' }],
            messages: (r) => r.errors.map((m) => tr(m.message)),
            rows: answer.rows,
          }),
        );
        await refresh(batchId);
      });
    });
    main.append(recordForm, uploadForm, result);
  }
  await refresh();
}

void consolePage('training', 'trainingTitle', ['city', 'province', 'auditor'], render);
