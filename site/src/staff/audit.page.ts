// A unit's audit log (province, auditors), paged, with its CSV export.

import { auditTable } from './audit-table.ts';
import {
  apiGet,
  consolePage,
  download,
  filterForm,
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

async function render(ctx: PageContext): Promise<void> {
  const { main, facts } = ctx;
  const query = new URLSearchParams(location.search);
  const unit = h('select', {});
  for (const u of facts.reportingUnits) {
    unit.append(option(u.code, () => `${tr(u.name)}（${u.code}）`, query.get('unit') === u.code));
  }
  const out = h('section', { id: 'unit-audit' });
  const { form, csv, status } = filterForm('audit-unit', 'unit', unit);
  main.append(
    heading('auditTitle'),
    h(
      'p',
      { class: 'hint' },
      live(() => st('auditHelp')),
    ),
    form,
    out,
  );
  const base = () =>
    `/staff/programs/${encodeURIComponent(ctx.programId)}/units/${encodeURIComponent(unit.value)}/audit`;

  async function load(cursor?: string) {
    status.textContent = st('loading');
    out.replaceChildren();
    history.replaceState(null, '', `${location.pathname}?unit=${encodeURIComponent(unit.value)}`);
    try {
      const page = await apiGet<{ lines: Parameters<typeof auditTable>[0]; next?: string }>(
        `${base()}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      status.textContent = '';
      out.append(
        page.lines.length
          ? auditTable(page.lines, true)
          : h(
              'p',
              {},
              live(() => st('noLines')),
            ),
      );
      if (page.next) {
        const next = h(
          'button',
          { type: 'button', class: 'secondary' },
          live(() => st('nextPage')),
        );
        const token = page.next;
        next.addEventListener('click', () => void load(token));
        out.append(h('p', {}, next));
      }
    } catch (error) {
      if (isSessionEnd(error)) return;
      status.textContent = problem(error);
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  csv.addEventListener('click', () => {
    download(`${base()}?format=csv`, `audit-${unit.value}.csv`)
      .then((name) => {
        status.textContent = st('downloaded', { name });
      })
      .catch((error: unknown) => {
        if (!isSessionEnd(error)) status.textContent = problem(error);
      });
  });
  await load();
}

void consolePage('audit', 'auditTitle', ['province', 'auditor'], render);
