// The annual return (激励考核, by the enterprises) and the 优秀评选 selection that follows it.
// Province staff open a year's return; everyone sees, per unit the API lets them see (a city
// its own), which enterprises answered and which not, the removals and the nominees; province
// staff tick the selection among the province's nominees; province staff and auditors read the
// publishable list and download it as XLSX or CSV. Every call is the staff route `curl` uses.
import {
  ApiError,
  apiGet,
  apiPost,
  apiPut,
  consolePage,
  dateTime,
  download,
  h,
  heading,
  isSessionEnd,
  lang,
  live,
  type PageContext,
  problem,
  st,
  table,
  tr,
  unitName,
} from './console.ts';
import { busy, showError, type Text, yearPicker } from './page-parts.ts';
import type { StaffKey } from './strings.ts';

interface Nominee {
  filingId: string;
  name: string;
  role: string;
  unit: string;
  uscc: string;
  enterprise: string;
  reason: string;
  result?: string;
}
interface UnitAnswer {
  unit: string;
  status: string;
  deadline: string;
  enterprises: number;
  members: number;
  answered: { uscc: string; enterprise: string; members: number; answeredAt: string }[];
  unanswered: { uscc: string; enterprise: string; members: number; unreachable: boolean }[];
  removals: {
    filingId: string;
    name: string;
    role: string;
    enterprise: string;
    cause: string;
    outcome?: string;
  }[];
  nominees: Nominee[];
  acknowledgedAt?: string;
  acknowledgedBy?: 'city' | 'province';
}
interface ReturnsAnswer {
  year: string;
  status: string;
  startedAt: string;
  closedAt?: string;
  units: UnitAnswer[];
  publication: Text;
}
interface NomineesAnswer {
  nominees: (Nominee & { selected: boolean })[];
  selectedAt: string | null;
}
interface PublishedList {
  selectedAt: string | null;
  entries: {
    name: string;
    published: boolean;
    enterprise: string;
    role: Text;
    unit: { code: string } & Text;
  }[];
}

const UNIT_STATUS: Record<string, StaffKey> = {
  collecting: 'unitCollecting',
  reviewing: 'unitReviewing',
  applying: 'unitApplying',
  done: 'unitDone',
  failed: 'unitFailed',
};
const RESULT: Record<string, StaffKey> = {
  excellent: 'resultExcellent',
  qualified: 'resultQualified',
  unqualified: 'resultUnqualified',
};
const START: Record<string, StaffKey> = {
  started: 'startStarted',
  already_started: 'startAlready',
  closed: 'startClosed',
  failed: 'startFailed',
};

const keyed = (map: Record<string, StaffKey>, value: string) => {
  const key = map[value];
  return key ? live(() => st(key)) : value;
};

async function render(ctx: PageContext): Promise<void> {
  const { main, scope, facts } = ctx;
  const base = `/staff/programs/${encodeURIComponent(ctx.programId)}/returns`;
  const unitLabel = (code: string) => {
    const name = unitName(facts, code);
    return () => (name ? (lang() === 'zh' ? `${tr(name)}（${code}）` : `${tr(name)} (${code})`) : code);
  };
  const roleLabel = (id: string) => {
    const role = facts.roles.find((r) => r.id === id);
    return live(() => (role ? tr(role.name) : id));
  };

  const status = h('p', { role: 'status', id: 'returns-status' });
  const { year, form: yearForm } = yearPicker({
    formId: 'returns-year',
    fieldId: 'return-year',
    status,
    onYear: (y) => {
      load(y).catch((error: unknown) => showError(status, error));
    },
  });
  // The answer to opening a year stays above the reloaded results.
  const startLine = h('p', { role: 'status', id: 'start-status' });
  const out = h('div', { id: 'returns' });
  main.append(
    heading('returnsTitle'),
    h(
      'p',
      {},
      live(() => st('returnsHelp')),
    ),
    yearForm,
    status,
    startLine,
    out,
  );

  function startPanel(y: string): HTMLElement {
    const button = h(
      'button',
      { type: 'button', class: 'primary', id: 'start-returns' },
      live(() => st('startReturns', { year: y })),
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      startLine.className = '';
      startLine.textContent = st('loading');
      (async () => {
        const answer = await apiPost<{ status: string }>(`${base}/${y}`, {});
        // The year's record is written by the workflow's first step, a moment after the start:
        // until then the results answer 404, so the page waits for it (a few seconds at most).
        for (let tries = 0; tries < 20 && !(await opened(y)); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 750));
        }
        startLine.className = 'notice';
        startLine.textContent = st(START[answer.status] ?? 'startStarted', { year: y });
        await load(y, true);
      })().catch((error: unknown) => {
        if (isSessionEnd(error)) return;
        startLine.className = 'notice error';
        startLine.textContent = problem(error);
        button.disabled = false;
      });
    });
    return h(
      'section',
      { class: 'panel', id: 'start', 'aria-labelledby': 'start-heading' },
      h(
        'h2',
        { id: 'start-heading' },
        live(() => st('startReturns', { year: y })),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st('startReturnsHelp')),
      ),
      button,
    );
  }

  /** Whether the year's return has its record yet (the results answer something other than 404). */
  async function opened(y: string): Promise<boolean> {
    try {
      await apiGet<ReturnsAnswer>(`${base}/${y}`);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      throw error;
    }
  }

  function unitsTable(r: ReturnsAnswer): HTMLElement {
    const n = (v: number) => h('span', { class: 'num' }, String(v));
    return table<UnitAnswer>(
      'returnsUnitsTable',
      [
        { label: 'colUnit', cell: (u) => live(unitLabel(u.unit)) },
        { label: 'colUnitStatus', cell: (u) => keyed(UNIT_STATUS, u.status) },
        { label: 'colDeadline', cell: (u) => u.deadline.slice(0, 10) },
        { label: 'colEnterprises', cell: (u) => n(u.enterprises) },
        { label: 'colAnswered', cell: (u) => n(u.answered.length) },
        { label: 'colUnanswered', cell: (u) => n(u.unanswered.length) },
        { label: 'colMembers', cell: (u) => n(u.members) },
        { label: 'colRemovals', cell: (u) => n(u.removals.length) },
        { label: 'colNominees', cell: (u) => n(u.nominees.length) },
        {
          label: 'colAcknowledged',
          cell: (u) =>
            u.acknowledgedAt
              ? live(() =>
                  st('ackBy', {
                    at: dateTime(u.acknowledgedAt),
                    by: st(u.acknowledgedBy === 'province' ? 'ackProvince' : 'ackCity'),
                  }),
                )
              : '—',
        },
      ],
      r.units,
    );
  }

  /** A titled list, or "none" when it is empty. */
  function part(title: StaffKey, rows: unknown[], build: () => HTMLElement): HTMLElement[] {
    return [
      h(
        'h4',
        {},
        live(() => st(title)),
      ),
      rows.length
        ? build()
        : h(
            'p',
            { class: 'hint' },
            live(() => st('none')),
          ),
    ];
  }

  function unitDetail(u: UnitAnswer, open: boolean): HTMLElement {
    const label = unitLabel(u.unit);
    return h(
      'details',
      { class: 'unit-detail', 'data-unit': u.unit, open },
      h(
        'summary',
        {},
        live(() => st('unitDetail', { unit: label() })),
      ),
      ...part('unansweredTable', u.unanswered, () =>
        table<UnitAnswer['unanswered'][number]>(
          'unansweredTable',
          [
            { label: 'colEnterprise', cell: (e) => e.enterprise },
            { label: 'colUscc', cell: (e) => e.uscc },
            { label: 'colMembers', cell: (e) => String(e.members) },
            { label: 'colReachable', cell: (e) => live(() => st(e.unreachable ? 'noContact' : 'reachable')) },
          ],
          u.unanswered,
        ),
      ),
      ...part('answeredTable', u.answered, () =>
        table<UnitAnswer['answered'][number]>(
          'answeredTable',
          [
            { label: 'colEnterprise', cell: (e) => e.enterprise },
            { label: 'colUscc', cell: (e) => e.uscc },
            { label: 'colMembers', cell: (e) => String(e.members) },
            { label: 'colAnsweredAt', cell: (e) => dateTime(e.answeredAt) },
          ],
          u.answered,
        ),
      ),
      ...part('removalsTable', u.removals, () =>
        table<UnitAnswer['removals'][number]>(
          'removalsTable',
          [
            {
              label: 'colName',
              cell: (x) => h('a', { href: `filing.html?id=${encodeURIComponent(x.filingId)}` }, x.name),
            },
            { label: 'colRole', cell: (x) => roleLabel(x.role) },
            { label: 'colEnterprise', cell: (x) => x.enterprise },
            {
              label: 'colCause',
              cell: (x) => live(() => st(x.cause === 'left' ? 'causeLeft' : 'causeUnqualified')),
            },
            {
              label: 'colOutcome',
              cell: (x) =>
                live(() =>
                  st(
                    x.outcome === 'removed'
                      ? 'outcomeRemoved'
                      : x.outcome === 'skipped'
                        ? 'outcomeSkipped'
                        : 'outcomePending',
                  ),
                ),
            },
          ],
          u.removals,
        ),
      ),
      ...part('nomineesTable', u.nominees, () => nomineesTable(u.nominees)),
    );
  }

  function nomineesTable(list: Nominee[]): HTMLElement {
    return table<Nominee>(
      'nomineesTable',
      [
        {
          label: 'colName',
          cell: (x) => h('a', { href: `filing.html?id=${encodeURIComponent(x.filingId)}` }, x.name),
        },
        { label: 'colRole', cell: (x) => roleLabel(x.role) },
        { label: 'colEnterprise', cell: (x) => x.enterprise },
        { label: 'colNomineeResult', cell: (x) => (x.result ? keyed(RESULT, x.result) : '—') },
        { label: 'colNomineeReason', cell: (x) => x.reason },
      ],
      list,
    );
  }

  /** Province: every nominee of the province with a box; saving replaces the year's selection. */
  async function selectionPanel(y: string): Promise<HTMLElement> {
    const section = h(
      'section',
      { class: 'panel', id: 'selection', 'aria-labelledby': 'selection-heading' },
      h(
        'h2',
        { id: 'selection-heading' },
        live(() => st('selectionTitle')),
      ),
    );
    const answer = await apiGet<NomineesAnswer>(`${base}/${y}/nominees`);
    if (answer.nominees.length === 0) {
      section.append(
        h(
          'p',
          { class: 'hint' },
          live(() => st('noNominees')),
        ),
      );
      return section;
    }
    const boxes = new Map<string, HTMLInputElement>();
    const line = h('p', { role: 'status', id: 'selection-status' });
    const setAt = answer.selectedAt;
    const save = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('saveSelection')),
    );
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'selection-heading' },
      h(
        'p',
        { class: 'hint' },
        live(() => st('selectionHelp')),
      ),
      setAt
        ? h(
            'p',
            { class: 'hint', id: 'selection-set-at' },
            live(() => st('selectionSetAt', { at: dateTime(setAt) })),
          )
        : null,
      table<NomineesAnswer['nominees'][number]>(
        'selectionNominees',
        [
          {
            label: 'colSelected',
            cell: (x) => {
              const box = h('input', {
                type: 'checkbox',
                name: 'selected',
                value: x.filingId,
                checked: x.selected,
              });
              box.setAttribute('aria-label', st('selectNominee', { name: x.name, enterprise: x.enterprise }));
              boxes.set(x.filingId, box);
              return box;
            },
          },
          { label: 'colName', cell: (x) => x.name },
          { label: 'colUnit', cell: (x) => live(unitLabel(x.unit)) },
          { label: 'colRole', cell: (x) => roleLabel(x.role) },
          { label: 'colEnterprise', cell: (x) => x.enterprise },
          { label: 'colNomineeResult', cell: (x) => (x.result ? keyed(RESULT, x.result) : '—') },
          { label: 'colNomineeReason', cell: (x) => x.reason },
        ],
        answer.nominees,
      ),
      save,
      line,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const selected = [...boxes.values()].filter((b) => b.checked).map((b) => b.value);
      busy(save, line, async () => {
        await apiPut(`${base}/${y}/selection`, { selected });
        line.className = 'notice';
        line.textContent = st('selectionSaved', { n: selected.length });
        if (scope.role !== 'city') await refreshPublished(y);
      });
    });
    section.append(form);
    return section;
  }

  const published = h('section', { class: 'panel', id: 'published', 'aria-labelledby': 'published-heading' });
  async function refreshPublished(y: string): Promise<void> {
    const list = await apiGet<PublishedList>(`${base}/${y}/selection`);
    const fileStatus = h('p', { role: 'status', id: 'published-status' });
    const button = (format: 'xlsx' | 'csv', label: StaffKey) => {
      const b = h(
        'button',
        { type: 'button', class: format === 'xlsx' ? 'primary' : 'secondary', 'data-format': format },
        live(() => st(label)),
      );
      b.addEventListener('click', () => {
        busy(b, fileStatus, async () => {
          const name = await download(`${base}/${y}/selection?format=${format}`, `selection-${y}.${format}`);
          fileStatus.className = 'notice';
          fileStatus.textContent = st('downloaded', { name });
        });
      });
      return b;
    };
    published.replaceChildren(
      h(
        'h2',
        { id: 'published-heading' },
        live(() => st('publishedTitle')),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st('publishedHelp')),
      ),
      list.entries.length
        ? table<PublishedList['entries'][number]>(
            'publishedTitle',
            [
              { label: 'colName', cell: (e) => e.name },
              { label: 'colPublished', cell: (e) => live(() => st(e.published ? 'yes' : 'no')) },
              { label: 'colEnterprise', cell: (e) => e.enterprise },
              { label: 'colRole', cell: (e) => live(() => tr(e.role)) },
              { label: 'colUnit', cell: (e) => live(unitLabel(e.unit.code)) },
            ],
            list.entries,
          )
        : h(
            'p',
            { class: 'hint' },
            live(() => st('noSelection')),
          ),
      h('p', { class: 'actions' }, button('xlsx', 'downloadXlsx'), ' ', button('csv', 'downloadCsv')),
      fileStatus,
    );
  }

  async function load(y: string, keepStartLine = false): Promise<void> {
    if (!keepStartLine) {
      startLine.className = '';
      startLine.textContent = '';
    }
    status.className = '';
    status.textContent = st('loading');
    out.replaceChildren();
    history.replaceState(null, '', `${location.pathname}?year=${y}`);
    let r: ReturnsAnswer | undefined;
    try {
      r = await apiGet<ReturnsAnswer>(`${base}/${y}`);
    } catch (error) {
      if (isSessionEnd(error)) return;
      if (!(error instanceof ApiError && error.status === 404)) {
        status.className = 'notice error';
        status.textContent = problem(error);
        return;
      }
    }
    status.textContent = '';
    if (!r) {
      out.append(
        h(
          'p',
          { class: 'notice', id: 'returns-not-started' },
          live(() => st('returnsNotStarted', { year: y })),
        ),
      );
      if (scope.role === 'province') out.append(startPanel(y));
      return;
    }
    const answer = r;
    const closedAt = answer.closedAt;
    out.append(
      h(
        'p',
        { class: 'notice', id: 'returns-state' },
        live(() =>
          st('returnsState', {
            year: y,
            status: st(
              answer.status === 'open'
                ? 'returnsOpen'
                : answer.status === 'closed'
                  ? 'returnsClosed'
                  : 'returnsFailed',
            ),
            started: dateTime(answer.startedAt),
            closed: closedAt ? st('returnsClosedAt', { at: dateTime(closedAt) }) : '',
          }),
        ),
      ),
    );
    out.append(
      h(
        'h2',
        { id: 'units-heading' },
        live(() => st('returnsUnitsTable')),
      ),
    );
    if (answer.units.length === 0) {
      out.append(
        h(
          'p',
          { class: 'hint' },
          live(() => st('returnsNoUnits')),
        ),
      );
    } else {
      out.append(
        unitsTable(answer),
        h(
          'p',
          { class: 'hint' },
          live(() => tr(answer.publication)),
        ),
        ...answer.units.map((u) => unitDetail(u, answer.units.length === 1)),
      );
    }
    if (scope.role === 'province') out.append(await selectionPanel(y));
    if (scope.role !== 'city') {
      out.append(published);
      await refreshPublished(y);
    }
  }

  await load(year.value);
}

void consolePage('returns', 'returnsTitle', ['city', 'province', 'auditor'], render);
