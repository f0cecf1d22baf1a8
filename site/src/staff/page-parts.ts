// Pieces the programme pages (plans, returns, training, import) build alike: the year picker,
// a status line that answers a click, the workbook template button and the row-level report of
// an uploaded workbook. Each keeps the ids and strings its page passes in.
import { download, field, h, heading, isSessionEnd, live, problem, st, table, tr } from './console.ts';
import type { StaffKey } from './strings.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type Text = { zh: string; en: string };

/** This year in Beijing, the year a page opens on. */
export const thisYear = () => String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());

/** A status line's failure: the error in the current language (nothing when the session ended). */
export function showError(line: HTMLElement, error: unknown): void {
  if (isSessionEnd(error)) return;
  line.className = 'notice error';
  line.textContent = problem(error);
}

/**
 * Runs one user action: the button off and the line saying "loading" while it runs, its failure
 * shown in the line, the button back on after.
 */
export function busy(button: HTMLButtonElement, line: HTMLElement, work: () => Promise<void>): void {
  button.disabled = true;
  line.className = '';
  line.textContent = st('loading');
  work()
    .catch((error: unknown) => showError(line, error))
    .finally(() => {
      button.disabled = false;
    });
}

/**
 * The year form: a four-digit field starting on `?year=` (or this year) and a show button; a
 * year that is not four digits is refused in `status`, a good one handed to `onYear`.
 */
export function yearPicker(options: {
  formId: string;
  fieldId: string;
  status: HTMLElement;
  onYear: (year: string) => void;
}): { year: HTMLInputElement; form: HTMLFormElement } {
  const asked = new URLSearchParams(location.search).get('year') ?? '';
  const year = h('input', {
    type: 'text',
    inputmode: 'numeric',
    maxlength: 4,
    autocomplete: 'off',
    value: /^\d{4}$/.test(asked) ? asked : thisYear(),
  });
  const show = h(
    'button',
    { type: 'submit', class: 'primary' },
    live(() => st('show')),
  );
  const form = h(
    'form',
    { class: 'panel', id: options.formId, novalidate: true },
    field(options.fieldId, 'year', year, 'yearHint'),
    show,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const y = year.value.trim();
    if (!/^\d{4}$/.test(y)) {
      year.setAttribute('aria-invalid', 'true');
      options.status.className = 'notice error';
      options.status.textContent = st('yearInvalid');
      year.focus();
      return;
    }
    year.removeAttribute('aria-invalid');
    options.onYear(y);
  });
  return { year, form };
}

/** A button that downloads a workbook template and says in `line` what was saved. */
export function templateButton(options: {
  id: string;
  label: StaffKey;
  line: HTMLElement;
  path: string;
  fileName: string;
}): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'secondary', id: options.id },
    live(() => st(options.label)),
  );
  button.addEventListener('click', () => {
    download(options.path, options.fileName)
      .then((name) => {
        options.line.className = 'notice';
        options.line.textContent = st('downloaded', { name });
      })
      .catch((error: unknown) => showError(options.line, error));
  });
  return button;
}

/** The file field of an upload form: workbooks only. */
export const workbookInput = () => h('input', { type: 'file', accept: `.xlsx,${XLSX}` });

/** One row of an upload's report as the API answers it. */
export interface ReportRow {
  row: number;
  status: string;
  name?: string;
  errors: { path: string; message: Text }[];
  note?: Text;
}

/**
 * An upload's report: its heading, the totals line and one table row per workbook row (row,
 * name, the page's own columns, the outcome, the messages with the row's note last).
 */
export function rowReport<R extends ReportRow>(options: {
  title: StaffKey;
  totals: () => string;
  totalsId?: string;
  outcomes: Record<string, Text>;
  columns?: { label: StaffKey; cell: (row: R) => Node | string }[];
  messages: (row: R) => string[];
  rows: R[];
}): HTMLElement[] {
  return [
    heading(options.title, 2),
    h(
      'p',
      options.totalsId ? { class: 'notice', id: options.totalsId } : { class: 'notice' },
      live(options.totals),
    ),
    table<R>(
      options.title,
      [
        { label: 'colRow', cell: (r) => String(r.row) },
        { label: 'colName', cell: (r) => r.name ?? '' },
        ...(options.columns ?? []),
        {
          label: 'colResult',
          cell: (r) => live(() => tr(options.outcomes[r.status] ?? { zh: r.status, en: r.status })),
        },
        {
          label: 'colMessages',
          cell: (r) =>
            live(() =>
              options
                .messages(r)
                .concat(r.note ? [tr(r.note)] : [])
                .join('；'),
            ),
        },
      ],
      options.rows,
    ),
  ];
}
