// The filing list the filings and pool pages share: filters kept in the address (so a return
// after sign-in lands on the same search), one page at a time by the API's cursor.
import { STATE_LABELS } from '#shared/domain/state-labels.ts';
import {
  apiGet,
  dateTime,
  field,
  h,
  heading,
  isSessionEnd,
  live,
  option,
  type PageContext,
  problem,
  st,
  table,
  tr,
  unitName,
} from './console.ts';

export interface Row {
  filingId: string;
  status: keyof typeof STATE_LABELS;
  submittedAt: string;
  name: string;
  role: { id: string; name?: { zh: string; en: string } };
  reportingUnit: { code: string; name?: { zh: string; en: string } };
  enterprise: string;
  uscc: string;
  warnings: number;
  anonymizedAt?: string;
}

export function rowsTable(rows: Row[]): HTMLElement {
  return table<Row>(
    'results',
    [
      { label: 'colSubmitted', cell: (r) => dateTime(r.submittedAt) },
      {
        label: 'colName',
        cell: (r) => h('a', { href: `filing.html?id=${encodeURIComponent(r.filingId)}` }, r.name),
      },
      { label: 'colRole', cell: (r) => live(() => (r.role.name ? tr(r.role.name) : r.role.id)) },
      { label: 'colEnterprise', cell: (r) => r.enterprise },
      { label: 'colUscc', cell: (r) => r.uscc },
      {
        label: 'colUnit',
        cell: (r) => live(() => (r.reportingUnit.name ? tr(r.reportingUnit.name) : r.reportingUnit.code)),
      },
      {
        label: 'colStatus',
        cell: (r) => live(() => tr(STATE_LABELS[r.status] ?? { zh: r.status, en: r.status })),
      },
      { label: 'colWarnings', cell: (r) => String(r.warnings) },
    ],
    rows,
  );
}

/**
 * The filter form and the result list; `statuses` false for the pool (its state is fixed),
 * `search` true for the box that finds enterprises by the start of a name or a credit code.
 */
export async function filingList(
  ctx: PageContext,
  options: { path: string; statuses: boolean; title?: 'filingsTitle'; search?: boolean },
): Promise<void> {
  const { main, facts, scope } = ctx;
  const query = new URLSearchParams(location.search);
  const unit = h('select', { name: 'unit' });
  if (scope.role === 'city') {
    unit.append(
      option(scope.unit ?? '', () => tr(unitName(facts, scope.unit ?? '') ?? { zh: '', en: '' }), true),
    );
  } else {
    unit.append(option('', () => st('allUnits')));
    for (const u of facts.reportingUnits) {
      unit.append(option(u.code, () => `${tr(u.name)}（${u.code}）`, query.get('unit') === u.code));
    }
  }
  const role = h(
    'select',
    { name: 'role' },
    option('', () => st('anyRole')),
  );
  for (const r of facts.roles) role.append(option(r.id, () => tr(r.name), query.get('role') === r.id));
  const status = h(
    'select',
    { name: 'status' },
    option('', () => st('anyStatus')),
  );
  for (const [id, label] of Object.entries(STATE_LABELS)) {
    status.append(option(id, () => tr(label), query.get('status') === id));
  }
  // One box and what it holds: the API takes one of the two at a time.
  const findBy = h(
    'select',
    { name: 'findBy' },
    option('name', () => st('findByName'), !query.get('creditCode')),
    option('creditCode', () => st('findByCode'), !!query.get('creditCode')),
  );
  const findText = h('input', {
    type: 'search',
    name: 'find',
    maxlength: '100',
    autocomplete: 'off',
    value: query.get('creditCode') ?? query.get('name') ?? '',
  });
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') ?? '' });
  const form = h(
    'form',
    { class: 'filters', novalidate: true },
    h(
      'fieldset',
      {},
      h(
        'legend',
        {},
        live(() => st('filters')),
      ),
      h(
        'div',
        { class: 'filter-grid' },
        options.search ? field('f-find-by', 'findBy', findBy) : null,
        options.search ? field('f-find', 'findText', findText) : null,
        field('f-unit', 'unit', unit),
        options.statuses ? field('f-status', 'status', status) : null,
        field('f-role', 'role', role),
        field('f-from', 'from', from),
        field('f-to', 'to', to),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st(options.search ? 'searchHint' : 'filterHint')),
      ),
      h(
        'button',
        { type: 'submit', class: 'primary' },
        live(() => st('search')),
      ),
    ),
  );
  const results = h('section', { 'aria-labelledby': 'results-heading' });
  const status_ = h('p', { role: 'status', class: 'hint' });
  main.append(options.title ? heading(options.title) : '', form, status_, results);

  const params = () => {
    const p = new URLSearchParams();
    for (const [name, el] of [
      ['unit', unit],
      ['role', role],
      ['from', from],
      ['to', to],
      ...(options.statuses ? [['status', status] as const] : []),
    ] as const) {
      if (el.value) p.set(name, el.value);
    }
    const typed = findText.value.trim();
    if (options.search && typed) p.set(findBy.value === 'creditCode' ? 'creditCode' : 'name', typed);
    return p;
  };

  // Only the newest request's answer is shown: an earlier one answering late (the first list
  // while a search is already under way) would otherwise add its rows beside the newer ones.
  let newest = 0;
  async function load(cursor?: string) {
    const mine = ++newest;
    const p = params();
    if (cursor) p.set('cursor', cursor);
    history.replaceState(null, '', `${location.pathname}${p.size ? `?${p}` : ''}`);
    status_.textContent = st('loading');
    results.replaceChildren();
    try {
      const page = await apiGet<{ items: Row[]; next?: string }>(
        `/staff/programs/${encodeURIComponent(ctx.programId)}/${options.path}?${p}`,
      );
      if (mine !== newest) return;
      status_.textContent = '';
      const h2 = h(
        'h2',
        { id: 'results-heading' },
        live(() => st('results')),
      );
      results.append(h2);
      if (page.items.length === 0)
        results.append(
          h(
            'p',
            {},
            live(() => st('noResults')),
          ),
        );
      else results.append(rowsTable(page.items));
      const pager = h('p', { class: 'pager' });
      if (cursor) {
        const first = h(
          'button',
          { type: 'button', class: 'secondary' },
          live(() => st('firstPage')),
        );
        first.addEventListener('click', () => void load());
        pager.append(first);
      }
      if (page.next) {
        const next = h(
          'button',
          { type: 'button', class: 'secondary' },
          live(() => st('nextPage')),
        );
        const token = page.next;
        next.addEventListener('click', () => void load(token));
        pager.append(next);
      }
      if (pager.childNodes.length) results.append(pager);
    } catch (error) {
      if (isSessionEnd(error) || mine !== newest) return;
      status_.textContent = problem(error);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  await load(query.get('cursor') ?? undefined);
}
