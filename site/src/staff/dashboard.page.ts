// Target progress (province, auditors): the report as JSON, shown as numbers in tables.
import {
  apiGet,
  consolePage,
  download,
  filterForm,
  h,
  heading,
  isSessionEnd,
  live,
  type PageContext,
  problem,
  st,
  table,
  tr,
} from './console.ts';

type Text = { zh: string; en: string };
interface Counts {
  filed: number;
  underReview: number;
  inPool: number;
  removed: number;
}
interface Target {
  description: Text;
  deadline: string;
  minPoolSize: number;
  pool: number;
  remaining: number;
  reached: boolean;
}
interface Report {
  asOf: string;
  pool: number;
  members: { label: Text };
  target: Target | null;
  finalTarget: Target | null;
  totals: Counts;
  byUnit: { unit: string; name: Text; counts: Counts; poolShare: number; lagging: boolean }[];
  byRole: { role: string; name: Text; counts: Counts }[];
}

const num = (n: number) => h('span', { class: 'num' }, new Intl.NumberFormat('zh-CN').format(n));

function countColumns<T>(counts: (row: T) => Counts) {
  return [
    { label: 'colFiled' as const, cell: (r: T) => num(counts(r).filed) },
    { label: 'colUnderReview' as const, cell: (r: T) => num(counts(r).underReview) },
    { label: 'colInPool' as const, cell: (r: T) => num(counts(r).inPool) },
    { label: 'colRemoved' as const, cell: (r: T) => num(counts(r).removed) },
  ];
}

async function render(ctx: PageContext): Promise<void> {
  const { main } = ctx;
  const base = `/staff/programs/${encodeURIComponent(ctx.programId)}/report`;
  const asOf = h('input', { type: 'date', value: new URLSearchParams(location.search).get('asOf') ?? '' });
  const out = h('div', { id: 'report' });
  const { form, csv, status } = filterForm('as-of', 'asOf', asOf);
  main.append(heading('dashboardTitle'), form, out);

  const query = () => (asOf.value ? `?asOf=${asOf.value}` : '');
  async function load() {
    status.textContent = st('loading');
    out.replaceChildren();
    try {
      const r = await apiGet<Report>(`${base}${query()}`);
      status.textContent = '';
      history.replaceState(null, '', `${location.pathname}${query()}`);
      const targets = [r.target, r.finalTarget].filter(
        (t, i, all): t is Target => t !== null && all.findIndex((o) => o?.deadline === t.deadline) === i,
      );
      out.append(
        h(
          'p',
          { class: 'notice' },
          live(() => `${st('asOf')}：${r.asOf} · ${tr(r.members.label)} ${r.pool}`),
        ),
        heading('target', 2),
        targets.length
          ? table<Target>(
              'target',
              [
                { label: 'target', cell: (t) => live(() => tr(t.description)) },
                { label: 'deadline', cell: (t) => t.deadline },
                { label: 'targetSize', cell: (t) => num(t.minPoolSize) },
                { label: 'current', cell: (t) => num(t.pool) },
                { label: 'remaining', cell: (t) => num(t.remaining) },
                { label: 'reached', cell: (t) => live(() => st(t.reached ? 'yes' : 'no')) },
              ],
              targets,
            )
          : h(
              'p',
              {},
              live(() => st('noTarget')),
            ),
        heading('byUnit', 2),
        table<Report['byUnit'][number] | { total: true }>(
          'byUnit',
          [
            {
              label: 'colUnit',
              cell: (u) =>
                'total' in u ? live(() => st('totals')) : live(() => `${tr(u.name)}（${u.unit}）`),
            },
            ...countColumns((u: Report['byUnit'][number] | { total: true }) =>
              'total' in u ? r.totals : u.counts,
            ),
            {
              label: 'colShare',
              cell: (u) => ('total' in u ? '100%' : `${(u.poolShare * 100).toFixed(1)}%`),
            },
            {
              label: 'colLagging',
              cell: (u) => ('total' in u ? '' : live(() => (u.lagging ? st('yes') : ''))),
            },
          ],
          [...r.byUnit, { total: true }],
        ),
        heading('byRole', 2),
        table<Report['byRole'][number]>(
          'byRole',
          [
            { label: 'colRole', cell: (x) => live(() => tr(x.name)) },
            ...countColumns((x: Report['byRole'][number]) => x.counts),
          ],
          r.byRole,
        ),
      );
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
    const sep = query() ? '&' : '?';
    download(`${base}${query()}${sep}format=csv`, 'report.csv')
      .then((name) => {
        status.textContent = st('downloaded', { name });
      })
      .catch((error: unknown) => {
        if (!isSessionEnd(error)) status.textContent = problem(error);
      });
  });
  await load();
}

void consolePage('dashboard', 'dashboardTitle', ['province', 'auditor'], render);
