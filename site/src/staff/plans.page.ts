// The yearly plans (年度发展计划): each reporting unit's members per role and enterprises planned
// at the year's end. Province staff and auditors read a year's plans; province staff set them,
// in the page (one number field per unit and role, saved whole with the PUT route) or from the
// plan workbook (downloaded with the year's plans filled in, uploaded back). A city reads its own
// plan on the dashboard: the plans route answers the province and auditors only.
import {
  apiGet,
  apiPut,
  apiUpload,
  consolePage,
  dateTime,
  field,
  h,
  heading,
  InputError,
  lang,
  live,
  liveAttr,
  type PageContext,
  st,
  tr,
} from './console.ts';
import { busy, showError, templateButton, workbookInput, XLSX, yearPicker } from './page-parts.ts';

interface UnitPlan {
  unit: string;
  people: Record<string, number>;
  enterprises?: number;
}
interface YearPlan {
  year: string;
  units: UnitPlan[];
  setAt: string | null;
  setBy: string | null;
}

async function render(ctx: PageContext): Promise<void> {
  const { main, scope, facts } = ctx;
  const base = `/staff/programs/${encodeURIComponent(ctx.programId)}/plans`;
  const editable = scope.role === 'province';
  const unitLabel = (u: ProgramUnit) => () =>
    lang() === 'zh' ? `${tr(u.name)}（${u.code}）` : `${tr(u.name)} (${u.code})`;
  type ProgramUnit = (typeof facts.reportingUnits)[number];
  /** The plan's columns: one per role of the programme, then enterprises. */
  const columns: { key: string; label: () => string }[] = [
    ...facts.roles.map((r) => ({ key: r.id, label: () => st('colPeople', { role: tr(r.name) }) })),
    { key: 'enterprises', label: () => st('colPlanEnterprises') },
  ];

  const status = h('p', { role: 'status', id: 'plans-status' });
  const { year, form: yearForm } = yearPicker({
    formId: 'plans-year',
    fieldId: 'plan-year',
    status,
    onYear: (y) => void load(y),
  });
  const out = h('div', { id: 'plans' });
  main.append(
    heading('plansTitle'),
    h(
      'p',
      {},
      live(() => st('plansHelp')),
    ),
    yearForm,
    status,
    out,
  );

  /** The year's plans as a table (a card per unit on a phone); for the province each cell a number field. */
  function grid(plan: YearPlan): { wrap: HTMLElement; inputs: Map<string, HTMLInputElement> } {
    const inputs = new Map<string, HTMLInputElement>();
    const byUnit = new Map(plan.units.map((u) => [u.unit, u]));
    const head = h(
      'tr',
      {},
      h(
        'th',
        { scope: 'col' },
        live(() => st('colUnit')),
      ),
      ...columns.map((c) => h('th', { scope: 'col' }, live(c.label))),
    );
    const body = h('tbody');
    for (const unit of facts.reportingUnits) {
      const planned = byUnit.get(unit.code);
      const row = h('tr', { 'data-unit': unit.code });
      const name = h('th', { scope: 'row' }, live(unitLabel(unit)));
      liveAttr(name, 'data-label', () => st('colUnit'));
      row.append(name);
      for (const c of columns) {
        const value = c.key === 'enterprises' ? planned?.enterprises : planned?.people[c.key];
        const cell = h('td');
        liveAttr(cell, 'data-label', c.label);
        if (editable) {
          const input = h('input', {
            type: 'number',
            min: 0,
            step: 1,
            inputmode: 'numeric',
            class: 'plan-number',
            value: value === undefined ? '' : String(value),
          });
          liveAttr(input, 'aria-label', () => st('planCell', { unit: unitLabel(unit)(), what: c.label() }));
          inputs.set(`${unit.code}|${c.key}`, input);
          cell.append(input);
        } else {
          cell.append(h('span', { class: 'num' }, value === undefined ? '—' : String(value)));
        }
        row.append(cell);
      }
      body.append(row);
    }
    const wrap = h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: editable ? 'rows plan-grid' : 'rows' },
        h(
          'caption',
          { class: 'visually-hidden' },
          live(() => st('plansTable', { year: plan.year })),
        ),
        h('thead', {}, head),
        body,
      ),
    );
    return { wrap, inputs };
  }

  /** The fields read back into the PUT body; a unit with every field blank is left out (no plan). */
  function request(inputs: Map<string, HTMLInputElement>): { units: UnitPlan[] } {
    const units: UnitPlan[] = [];
    for (const unit of facts.reportingUnits) {
      const people: Record<string, number> = {};
      let enterprises: number | undefined;
      let any = false;
      for (const c of columns) {
        const input = inputs.get(`${unit.code}|${c.key}`);
        const text = input?.value.trim() ?? '';
        input?.removeAttribute('aria-invalid');
        if (text === '') continue;
        if (!/^\d+$/.test(text)) {
          input?.setAttribute('aria-invalid', 'true');
          input?.focus();
          throw new InputError(st('planNumberInvalid', { cell: input?.getAttribute('aria-label') ?? '' }));
        }
        any = true;
        if (c.key === 'enterprises') enterprises = Number(text);
        else people[c.key] = Number(text);
      }
      if (any) units.push({ unit: unit.code, people, ...(enterprises === undefined ? {} : { enterprises }) });
    }
    return { units };
  }

  function draw(plan: YearPlan, message?: string): void {
    const y = plan.year;
    const setAt = plan.setAt;
    const { wrap, inputs } = grid(plan);
    const parts: HTMLElement[] = [
      h(
        'h2',
        { id: 'plans-heading' },
        live(() => st('plansTable', { year: y })),
      ),
      h(
        'p',
        { class: setAt ? 'hint' : 'notice', id: 'plans-set-at' },
        live(() =>
          setAt
            ? st('plansSetAt', { at: dateTime(setAt), by: plan.setBy ?? '' })
            : st('plansNone', { year: y }),
        ),
      ),
    ];
    if (!editable) {
      out.replaceChildren(...parts, wrap);
      return;
    }
    const saveStatus = h('p', { role: 'status', id: 'plans-save-status' });
    if (message) {
      saveStatus.className = 'notice';
      saveStatus.textContent = message;
    }
    const save = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('savePlans', { year: y })),
    );
    const form = h(
      'form',
      { id: 'plans-form', novalidate: true, 'aria-labelledby': 'plans-heading' },
      wrap,
      save,
      saveStatus,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(save, saveStatus, async () => {
        const saved = await apiPut<YearPlan>(`${base}/${y}`, request(inputs));
        draw(saved, st('plansSaved', { year: y, n: saved.units.length }));
      });
    });

    // The workbook: download it with the year's plans, upload it filled in.
    const fileStatus = h('p', { role: 'status', id: 'plan-file-status' });
    const template = templateButton({
      id: 'plan-template',
      label: 'planTemplate',
      line: fileStatus,
      path: `${base}/${y}/template`,
      fileName: `plan-${ctx.programId}-${y}.xlsx`,
    });
    const file = workbookInput();
    const upload = h(
      'button',
      { type: 'submit', class: 'primary' },
      live(() => st('upload')),
    );
    const uploadForm = h(
      'form',
      { class: 'panel', id: 'plans-upload', novalidate: true, 'aria-labelledby': 'plans-upload-heading' },
      h(
        'h2',
        { id: 'plans-upload-heading' },
        live(() => st('uploadPlans')),
      ),
      h('p', {}, template),
      field('plan-file', 'file', file),
      upload,
      fileStatus,
    );
    uploadForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = file.files?.[0];
      busy(upload, fileStatus, async () => {
        if (!chosen) throw new InputError(st('chooseFile'));
        const saved = await apiUpload<YearPlan>(
          `${base}/${y}/upload?fileName=${encodeURIComponent(chosen.name)}`,
          chosen,
          XLSX,
        );
        draw(saved, st('plansUploaded', { year: y, n: saved.units.length }));
      });
    });
    out.replaceChildren(...parts, form, uploadForm);
  }

  async function load(y: string): Promise<void> {
    status.className = '';
    status.textContent = st('loading');
    history.replaceState(null, '', `${location.pathname}?year=${y}`);
    try {
      const plan = await apiGet<YearPlan>(`${base}/${y}`);
      status.textContent = '';
      draw(plan);
    } catch (error) {
      out.replaceChildren();
      showError(status, error);
    }
  }

  await load(year.value);
}

void consolePage('plans', 'plansTitle', ['province', 'auditor'], render);
