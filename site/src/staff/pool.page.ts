// The pool: members of the user's unit(s), and the city summary (附件2) of a unit for a
// period as XLSX or CSV. Removal with a reason is on each member's page (province).
import {
  consolePage,
  download,
  field,
  h,
  heading,
  isSessionEnd,
  live,
  option,
  type PageContext,
  problem,
  st,
  tr,
} from './console.ts';
import { filingList } from './list.ts';

async function render(ctx: PageContext): Promise<void> {
  const { main, scope, facts } = ctx;
  main.append(heading('poolTitle'));
  if (scope.role !== 'auditor') {
    const unit = h('select', {});
    const units =
      scope.role === 'city'
        ? facts.reportingUnits.filter((u) => u.code === scope.unit)
        : facts.reportingUnits;
    for (const u of units) unit.append(option(u.code, () => `${tr(u.name)}（${u.code}）`));
    const from = h('input', { type: 'date' });
    const to = h('input', { type: 'date' });
    const format = h(
      'select',
      {},
      option('xlsx', () => 'XLSX', true),
      option('csv', () => 'CSV'),
    );
    const status = h('p', { role: 'status', id: 'export-status' });
    const button = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('exportButton')),
    );
    const form = h(
      'form',
      { class: 'panel', id: 'export', novalidate: true, 'aria-labelledby': 'export-title' },
      h(
        'h2',
        { id: 'export-title' },
        live(() => st('export')),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => st('exportHelp')),
      ),
      h(
        'div',
        { class: 'filter-grid' },
        field('export-unit', 'unit', unit),
        field('export-from', 'from', from),
        field('export-to', 'to', to),
        field('export-format', 'format', format),
      ),
      button,
      status,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const q = new URLSearchParams({ format: format.value });
      if (from.value) q.set('from', from.value);
      if (to.value) q.set('to', to.value);
      button.disabled = true;
      status.className = '';
      status.textContent = st('loading');
      download(
        `/staff/programs/${encodeURIComponent(ctx.programId)}/units/${encodeURIComponent(unit.value)}/summary?${q}`,
        `summary-${unit.value}.${format.value}`,
      )
        .then((name) => {
          status.className = 'notice';
          status.textContent = st('downloaded', { name });
        })
        .catch((error: unknown) => {
          if (isSessionEnd(error)) return;
          status.className = 'notice error';
          status.textContent = problem(error);
        })
        .finally(() => {
          button.disabled = false;
        });
    });
    main.append(form);
  }
  const list = h('div');
  main.append(list);
  await filingList({ ...ctx, main: list }, { path: 'pool', statuses: false });
}

void consolePage('pool', 'poolTitle', ['city', 'province', 'auditor'], render);
