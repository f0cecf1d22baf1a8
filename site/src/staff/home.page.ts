// The dashboard (工作台), first in the console's navigation: the work waiting (reviews past
// their reminder, people waiting for or in a province batch, failed workflows, annual returns
// not received) and the progress to the province's target and each unit's yearly plan, by unit,
// role and month. One call to the dashboard route; the API scopes it (a city sees its unit).
// Every chart has its numbers in a table beside it.
import { type Bar, barChart, lineChart } from './charts.ts';
import {
  apiGet,
  consolePage,
  dateTime,
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
} from './console.ts';
import type { StaffKey } from './strings.ts';

type Text = { zh: string; en: string };
interface Waiting {
  submitted: number;
  cityReview: number;
  pastReminder: number;
  escalated: number;
  changesRequested: number;
  provinceReview: number;
  awaitingBatch: number;
  inBatch: number;
  failed: number;
  returnsNotReceived: number | null;
}
interface RoleProgress {
  role: string;
  name: Text;
  members: number;
  planned: number | null;
}
interface UnitRow {
  unit: string;
  name: Text;
  members: number;
  planned: number | null;
  plannedMembers: number;
  expectedNow: number | null;
  lagging: boolean;
  roles: RoleProgress[];
  waiting: Waiting;
  complete: boolean;
}
export interface Dashboard {
  programId: string;
  asOf: string;
  generatedAt: string;
  scope: 'programme' | 'unit';
  members: { label: Text };
  pool: number;
  target: {
    description: Text;
    deadline: string;
    minPoolSize: number;
    pool: number;
    remaining: number;
    reached: boolean;
  } | null;
  plan: { year: string; setAt: string | null };
  units: UnitRow[];
  roles: RoleProgress[];
  trend: { month: string; members: number }[];
  totals: Waiting;
  reminder: { firstDay: number | null };
  returns: { year: string; status: string } | null;
}

const number = (n: number | null) =>
  h('span', { class: 'num' }, n === null ? '—' : new Intl.NumberFormat('zh-CN').format(n));
const unitLabel = (u: { unit: string; name: Text }) =>
  lang() === 'zh' ? `${tr(u.name)}（${u.unit}）` : `${tr(u.name)} (${u.unit})`;

/** A table of two or three short columns stays a table on a phone (no card per row). */
function compact(wrap: HTMLElement): HTMLElement {
  wrap.querySelector('table')?.classList.replace('rows', 'compact');
  return wrap;
}

/** The waiting counts in the order staff work through them; `status` links to the filtered list. */
const WAITING: { key: keyof Waiting; label: StaffKey; status?: string; urgent?: boolean }[] = [
  { key: 'pastReminder', label: 'wPastReminder', urgent: true },
  { key: 'failed', label: 'wFailed', urgent: true },
  { key: 'inBatch', label: 'wInBatch' },
  { key: 'awaitingBatch', label: 'wAwaitingBatch' },
  { key: 'cityReview', label: 'wCityReview', status: 'city_review' },
  { key: 'escalated', label: 'wEscalated' },
  { key: 'submitted', label: 'wSubmitted', status: 'submitted' },
  { key: 'changesRequested', label: 'wChangesRequested', status: 'changes_requested' },
  { key: 'provinceReview', label: 'wProvinceReview', status: 'province_review' },
  { key: 'returnsNotReceived', label: 'wReturns' },
];

function returnsStatus(status: string): string {
  if (status === 'open') return st('returnsOpen');
  if (status === 'closed') return st('returnsClosed');
  return st('returnsFailed');
}

function tiles(d: Dashboard): HTMLElement {
  const list = h('ul', { class: 'tiles', id: 'waiting-tiles' });
  for (const item of WAITING) {
    const value = d.totals[item.key];
    const tile = h(
      'li',
      { class: item.urgent && value ? 'tile urgent' : 'tile', 'data-key': item.key },
      h('span', { class: 'tile-number' }, value === null ? '—' : String(value)),
      h(
        'span',
        { class: 'tile-label' },
        live(() => st(item.label)),
      ),
    );
    if (item.key === 'pastReminder' && d.reminder.firstDay !== null) {
      const days = d.reminder.firstDay;
      tile.append(
        h(
          'span',
          { class: 'tile-hint' },
          live(() => st('wPastReminderHint', { days })),
        ),
      );
    }
    if (item.key === 'returnsNotReceived') {
      const r = d.returns;
      tile.append(
        h(
          'span',
          { class: 'tile-hint' },
          live(() =>
            r ? st('wReturnsYear', { year: r.year, status: returnsStatus(r.status) }) : st('wReturnsNone'),
          ),
        ),
      );
    }
    if (item.status && value) {
      const unit = d.scope === 'unit' && d.units.length === 1 ? `&unit=${d.units[0]?.unit ?? ''}` : '';
      tile.append(
        h(
          'a',
          { href: `index.html?status=${item.status}${unit}`, class: 'tile-link' },
          live(() => st('viewOf', { what: st(item.label) })),
        ),
      );
    }
    list.append(tile);
  }
  return list;
}

function waitingSection(d: Dashboard): HTMLElement {
  const incomplete = d.units.filter((u) => !u.complete);
  // The province's fifteen units as fifteen cards of zeros on a phone hide the ones that matter:
  // the table lists the units with anything waiting (a city's own unit always), then the totals.
  const busy = d.units.filter((u) => d.scope === 'unit' || hasWork(u.waiting));
  const idle = d.units.length - busy.length;
  const rows: (UnitRow | { total: true })[] = d.scope === 'programme' ? [...busy, { total: true }] : busy;
  const waitingOf = (r: UnitRow | { total: true }) => ('total' in r ? d.totals : r.waiting);
  return h(
    'section',
    { 'aria-labelledby': 'waiting-heading', id: 'waiting' },
    h(
      'h2',
      { id: 'waiting-heading' },
      live(() => st('waitingTitle')),
    ),
    h(
      'p',
      { class: 'hint' },
      live(() => st('waitingHelp')),
    ),
    tiles(d),
    incomplete.length
      ? h(
          'p',
          { class: 'notice warn' },
          live(() => st('wIncomplete', { units: incomplete.map(unitLabel).join('、') })),
        )
      : null,
    h(
      'h3',
      {},
      live(() => st('waitingByUnit')),
    ),
    table<UnitRow | { total: true }>(
      'waitingByUnit',
      [
        {
          label: 'colUnit',
          cell: (r) => ('total' in r ? live(() => st('totals')) : live(() => unitLabel(r))),
        },
        ...WAITING.map((w) => ({
          label: w.label,
          cell: (r: UnitRow | { total: true }) => number(waitingOf(r)[w.key]),
        })),
      ],
      rows,
    ),
    idle
      ? h(
          'p',
          { class: 'hint', id: 'idle-units' },
          live(() => st('wIdleUnits', { n: idle })),
        )
      : null,
  );
}

/** Whether a unit has anything waiting (returns not received included). */
function hasWork(w: Waiting): boolean {
  return WAITING.some((item) => (w[item.key] ?? 0) > 0);
}

function progressSection(d: Dashboard): HTMLElement {
  const year = d.plan.year;
  const section = h(
    'section',
    { 'aria-labelledby': 'progress-heading', id: 'progress' },
    h(
      'h2',
      { id: 'progress-heading' },
      live(() => st('progressTitle')),
    ),
  );
  const target = d.target;
  if (target) {
    section.append(
      h(
        'h3',
        {},
        live(() => st('targetTable')),
      ),
      table<NonNullable<Dashboard['target']>>(
        'targetTable',
        [
          { label: 'target', cell: (t) => live(() => tr(t.description)) },
          { label: 'deadline', cell: (t) => t.deadline },
          { label: 'targetSize', cell: (t) => number(t.minPoolSize) },
          { label: 'current', cell: (t) => number(t.pool) },
          { label: 'remaining', cell: (t) => number(t.remaining) },
          { label: 'reached', cell: (t) => live(() => st(t.reached ? 'yes' : 'no')) },
        ],
        [target],
      ),
    );
  }

  // By unit: members against the unit's plan.
  section.append(
    h(
      'h3',
      { id: 'plan-heading' },
      live(() => st('planYear', { year })),
    ),
  );
  if (!d.plan.setAt) {
    section.append(
      h(
        'p',
        { class: 'notice' },
        live(() => st('planNotSet', { year })),
      ),
    );
  }
  const legend = { value: () => tr(d.members.label), planned: () => st('legendPlanned') };
  if (d.units.length > 1) {
    section.append(
      barChart({
        title: () => st('unitsChart'),
        summary: () => st('chartSummaryBars', { title: st('unitsChart'), count: d.units.length }),
        bars: () => d.units.map((u): Bar => ({ label: tr(u.name), value: u.members, planned: u.planned })),
        legend,
      }),
    );
  }
  section.append(
    table<UnitRow>(
      'byUnit',
      [
        { label: 'colUnit', cell: (u) => live(() => unitLabel(u)) },
        { label: 'colMembers', cell: (u) => number(u.members) },
        { label: 'colPlanned', cell: (u) => number(u.planned) },
        {
          label: 'colPlannedMembers',
          cell: (u) => (u.planned === null ? number(null) : number(u.plannedMembers)),
        },
        { label: 'colExpected', cell: (u) => number(u.expectedNow) },
        {
          label: 'colLagging',
          cell: (u) => (u.planned === null ? number(null) : live(() => st(u.lagging ? 'yes' : 'no'))),
        },
      ],
      d.units,
    ),
  );

  // By role.
  section.append(
    h(
      'h3',
      {},
      live(() => st('byRole')),
    ),
    barChart({
      title: () => st('rolesChart'),
      summary: () => st('chartSummaryBars', { title: st('rolesChart'), count: d.roles.length }),
      bars: () => d.roles.map((r): Bar => ({ label: tr(r.name), value: r.members, planned: r.planned })),
      legend,
    }),
    compact(
      table<RoleProgress>(
        'byRole',
        [
          { label: 'colRole', cell: (r) => live(() => tr(r.name)) },
          { label: 'colMembers', cell: (r) => number(r.members) },
          { label: 'colPlanned', cell: (r) => number(r.planned) },
        ],
        d.roles,
      ),
    ),
  );

  // The year's months: members at each month's end, with the target (province) or the plan (unit).
  const plannedTotal = d.units.every((u) => u.planned !== null)
    ? d.units.reduce((n, u) => n + (u.planned ?? 0), 0)
    : null;
  const reference = () => {
    if (target) return { value: target.minPoolSize, label: st('legendTarget', { n: target.minPoolSize }) };
    if (plannedTotal !== null)
      return { value: plannedTotal, label: st('legendPlanLine', { n: plannedTotal }) };
    return null;
  };
  const first = d.trend[0];
  const last = d.trend.at(-1);
  section.append(
    h(
      'h3',
      {},
      live(() => st('trendTable')),
    ),
    lineChart({
      title: () => st('trendChart'),
      summary: () =>
        first && last
          ? st('chartSummaryTrend', {
              title: st('trendChart'),
              from: first.month,
              first: first.members,
              to: last.month,
              last: last.members,
            })
          : st('trendChart'),
      points: () => d.trend.map((p) => ({ month: p.month, value: p.members })),
      reference,
      legend: () => st('colMonthEnd'),
    }),
    compact(
      table<Dashboard['trend'][number]>(
        'trendTable',
        [
          { label: 'colMonth', cell: (p) => p.month },
          { label: 'colMonthEnd', cell: (p) => number(p.members) },
        ],
        d.trend,
      ),
    ),
  );
  if (d.scope === 'programme') {
    section.append(
      h(
        'p',
        {},
        h(
          'a',
          { href: 'dashboard.html' },
          live(() => st('fullReport')),
        ),
      ),
    );
  }
  return section;
}

async function render(ctx: PageContext): Promise<void> {
  const { main } = ctx;
  const status = h('p', { role: 'status', class: 'hint' });
  const out = h('div', { id: 'home' });
  const refresh = h(
    'button',
    { type: 'button', class: 'secondary' },
    live(() => st('homeRefresh')),
  );
  main.append(heading('homeTitle'), status, out);
  async function load() {
    status.textContent = st('loading');
    refresh.disabled = true;
    try {
      const d = await apiGet<Dashboard>(`/staff/programs/${encodeURIComponent(ctx.programId)}/dashboard`);
      status.textContent = '';
      const only = d.units[0];
      out.replaceChildren(
        h(
          'p',
          { class: 'notice', id: 'home-as-of' },
          live(() =>
            st('homeAsOf', {
              date: dateTime(d.generatedAt),
              scope:
                d.scope === 'programme' || !only
                  ? st('homeScopeAll')
                  : st('homeScopeUnit', { unit: unitLabel(only) }),
            }),
          ),
          ' ',
          refresh,
        ),
        waitingSection(d),
        progressSection(d),
      );
    } catch (error) {
      if (isSessionEnd(error)) return;
      status.textContent = problem(error);
    } finally {
      refresh.disabled = false;
    }
  }
  refresh.addEventListener('click', () => void load());
  await load();
}

void consolePage('home', 'homeTitle', ['city', 'province', 'auditor'], render);
