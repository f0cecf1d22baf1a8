// The filing form (附件1): programme and role, every field of the filing, the documents
// (uploaded straight to the bucket as they are chosen), the privacy notice and consent. Checks the body against the JSON Schema the API serves before sending it, maps
// the API's field errors back to their fields, keeps a draft in localStorage and, on success,
// goes to the receipt with the receipt token in the URL fragment.
import type { Validator } from '@cfworker/json-schema';
import {
  ApiError,
  type FieldError,
  fragmentFor,
  keepReceiptNote,
  listPrograms,
  type ProgramFacts,
  type ProgramSummary,
  programFacts,
  submitFiling,
} from './api.ts';
import { attachmentsSection } from './attachments.ts';
import {
  buildBody,
  checkBody,
  checkRequired,
  type FieldMessage,
  makeValidator,
  normalizeYearMonth,
  type RawValues,
  schemaAt,
} from './check.ts';
import { h, live, refreshLive } from './dom.ts';
import { clearDraft, type Draft, emptyDraft, loadDraft, newIdempotencyKey, saveDraft } from './draft.ts';
import { type FieldDef, fieldId, notInDraft, SECTIONS, type SectionDef } from './fields.ts';
import {
  CHECK_MESSAGES,
  colon,
  fieldLabel,
  fill,
  fillText,
  lang,
  OPTION_LABELS,
  onLangChange,
  optionLabel,
  type Text,
  t,
  tr,
  UI,
  type UiKey,
} from './i18n.ts';
import { pageFrame } from './layout.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Where a path's errors show: the element to focus, the error element, what gets aria-invalid. */
interface Target {
  focus: HTMLElement;
  error: HTMLElement;
  invalid: HTMLElement[];
  container: HTMLElement;
}

interface Option {
  value: string;
  label: Text;
}

const targets = new Map<string, Target>();
const controls = new Map<string, Control>();
const rulesEls = new Map<string, HTMLElement>();
const choicePaths = new Set<string>(['role', 'enterprise.categories', 'enterprise.emergingIndustries']);
/** The checkbox groups (enterprise categories, strategic emerging industries): their boxes and renderers, by path. */
const CHECKBOX_PATHS = ['enterprise.categories', 'enterprise.emergingIndustries'] as const;
const checkboxes = new Map<string, HTMLInputElement[]>();
const checkboxRenders = new Map<string, (values: string[]) => void>();

let facts: ProgramFacts | undefined;
let validator: Validator | undefined;
let draft: Draft = emptyDraft();
let submitting = false;
let submitted = false;
const factsCache = new Map<string, Promise<ProgramFacts>>();
const countUpdaters: (() => void)[] = [];
const trainingMarks: HTMLElement[] = [];
/** Whether the chosen programme requires training (its help then never says it may be left empty). */
let trainingRequired = false;

// ---- building the form ------------------------------------------------------------------

/** Re-renders `el` on language switches and whenever the returned function is called. */
function rendered(el: HTMLElement, render: () => string): () => void {
  const update = () => {
    el.textContent = render();
  };
  onLangChange(update);
  update();
  return update;
}

function optionalMark(): HTMLElement {
  return h(
    'span',
    { class: 'optional' },
    live(() => (lang() === 'zh' ? `（${t('optional')}）` : ` (${t('optional')})`)),
  );
}

function requiredMark(): HTMLElement {
  return h('span', { class: 'req', 'aria-hidden': 'true' }, ' *');
}

/** The chosen programme's own word for a field, where its policy has one (Anhui's 所在市、省直管县（市）). */
function programFieldLabel(path: string): Text | undefined {
  const names = facts?.documents;
  if (path === 'enterprise.reportingUnit') return names?.unitLabel;
  if (path === 'person.standardsWorkYears') return names?.yearsLabel;
  return undefined;
}

/** The filing form's official title for the chosen programme, with its annex number where the policy has one. */
function documentTitleText(): string {
  const filing = facts?.documents?.filing;
  if (!filing) return '';
  if (lang() === 'zh') return `《${filing.title.zh}》${filing.annex ? `（${filing.annex}）` : ''}`;
  return `${filing.title.en}${filing.annex ? ` (${filing.annex})` : ''}`;
}

function fieldLabelEl(id: string, label: () => string, optional: boolean): HTMLLabelElement {
  return h('label', { for: id, class: 'label' }, live(label), optional ? optionalMark() : requiredMark());
}

/** Shows a block's fields as required or optional, as the programme's rules for the role say. */
function setMark(el: HTMLElement, required: boolean): void {
  el.className = required ? 'req' : 'optional';
  if (required) el.setAttribute('aria-hidden', 'true');
  else el.removeAttribute('aria-hidden');
  el.textContent = required ? ' *' : lang() === 'zh' ? `（${t('optional')}）` : ` (${t('optional')})`;
}

function setOptions(select: HTMLSelectElement, options: Option[], placeholder: UiKey = 'choose'): void {
  const current = select.value;
  select.replaceChildren(
    h(
      'option',
      { value: '' },
      live(() => t(placeholder)),
    ),
    ...options.map((o) =>
      h(
        'option',
        { value: o.value },
        live(() => tr(o.label)),
      ),
    ),
  );
  select.value = options.some((o) => o.value === current) ? current : '';
}

function staticOptions(path: string): Option[] {
  return Object.keys(OPTION_LABELS[path] ?? {}).map((value) => ({ value, label: optionLabel(path, value) }));
}

function describe(control: HTMLElement, ids: string[]): void {
  control.setAttribute('aria-describedby', ids.join(' '));
}

function fieldRow(def: FieldDef): HTMLElement {
  const id = fieldId(def.path);
  const hint = def.hint
    ? h(
        'p',
        { class: 'hint', id: `${id}-hint` },
        live(() => t(def.hint as UiKey)),
      )
    : null;
  const privacy = notInDraft(def)
    ? h(
        'p',
        { class: 'hint not-in-draft', id: `${id}-not-in-draft` },
        live(() => t('notInDraft')),
      )
    : null;
  const rules = h('div', { class: 'rules', id: `${id}-rules`, hidden: true });
  const error = h('p', { class: 'error-message', id: `${id}-error` });
  const common = {
    id,
    name: def.path,
    'aria-invalid': 'false',
    'aria-required': def.optional ? null : 'true',
  };
  let control: Control;
  let count: HTMLElement | null = null;
  switch (def.kind) {
    case 'select': {
      const select = h('select', common);
      setOptions(
        select,
        staticOptions(def.path),
        def.path === 'enterprise.reportingUnit' ? 'chooseProgramFirst' : 'choose',
      );
      choicePaths.add(def.path);
      control = select;
      break;
    }
    case 'textarea': {
      const max = 2000;
      control = h('textarea', { ...common, rows: 6 });
      count = h('p', { class: 'count', id: `${id}-count` });
      const counter = count;
      const textarea = control;
      const update = rendered(counter, () => {
        const limit = Number(facts ? (schemaAt(facts.filingSchema, def.path)?.maxLength ?? max) : max);
        counter.classList.toggle('over', textarea.value.length > limit);
        return t('charCount', { n: textarea.value.length, max: limit });
      });
      textarea.addEventListener('input', update);
      countUpdaters.push(update);
      break;
    }
    case 'yearMonth': {
      const input = h('input', {
        ...common,
        type: 'text',
        inputmode: def.inputmode,
        pattern: '[0-9]{4}-?[0-9]{1,2}',
        maxlength: 10,
        autocomplete: 'off',
        spellcheck: 'false',
      });
      // 198005 or 1980/5 is shown as the 1980-05 that will be sent, once the field is left.
      input.addEventListener('change', () => {
        const normalized = normalizeYearMonth(input.value);
        if (/^\d{4}-\d{2}$/.test(normalized)) input.value = normalized;
      });
      control = input;
      break;
    }
    default: {
      const type = def.kind === 'text' ? 'text' : def.kind;
      control = h('input', {
        ...common,
        type,
        autocomplete: def.autocomplete,
        inputmode: def.inputmode,
        ...(def.kind === 'number' ? { min: 0, max: 60, step: 1 } : {}),
        ...(def.code ? { autocapitalize: 'characters', spellcheck: 'false', class: 'code' } : {}),
      });
    }
  }
  describe(
    control,
    [hint?.id, privacy?.id, rules.id, error.id, count?.id].filter((x): x is string => Boolean(x)),
  );
  controls.set(def.path, control);
  rulesEls.set(def.path, rules);
  const label = fieldLabelEl(
    id,
    () => tr(programFieldLabel(def.path) ?? fieldLabel(def.path)),
    def.optional === true,
  );
  if (def.path.startsWith('person.training.')) {
    const mark = label.querySelector('span');
    if (mark) trainingMarks.push(mark);
  }
  const row = h(
    'div',
    { class: `field${def.wide || def.kind === 'textarea' ? ' field-wide' : ''}` },
    label,
    hint,
    privacy,
    rules,
    error,
    control,
    count,
  );
  targets.set(def.path, { focus: control, error, invalid: [control], container: row });
  return row;
}

/** A group of checkboxes (the enterprise categories, the strategic emerging industries). */
function checkboxGroup(path: string): HTMLElement {
  const boxes: HTMLInputElement[] = [];
  checkboxes.set(path, boxes);
  const id = fieldId(path);
  const error = h('p', { class: 'error-message', id: `${id}-error` });
  const list = h('div', { class: 'checkboxes' });
  const group = h(
    'fieldset',
    { class: 'field field-wide group', id, 'aria-describedby': error.id },
    h(
      'legend',
      { class: 'label', id: `${id}-legend` },
      live(() => tr(fieldLabel(path))),
      optionalMark(),
    ),
    error,
    list,
  );
  const render = (values: string[]) => {
    const checked = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    boxes.length = 0;
    list.replaceChildren(
      ...values.map((value) => {
        const boxId = `${id}-${value}`;
        const box = h('input', {
          type: 'checkbox',
          id: boxId,
          name: path,
          value,
          'aria-invalid': 'false',
          'aria-describedby': error.id,
        });
        box.checked = checked.has(value);
        boxes.push(box);
        return h(
          'div',
          { class: 'checkbox' },
          box,
          h(
            'label',
            { for: boxId },
            live(() => tr(optionLabel(path, value))),
          ),
        );
      }),
    );
    const target = targets.get(path);
    if (target) {
      target.focus = boxes[0] ?? group;
      target.invalid = [...boxes];
    }
  };
  targets.set(path, { focus: group, error, invalid: [], container: group });
  render(Object.keys(OPTION_LABELS[path] ?? {}));
  checkboxRenders.set(path, render);
  return group;
}

function sectionEl(def: SectionDef): HTMLElement {
  const rows = def.fields.map((f) => (f.kind === 'checkboxes' ? checkboxGroup(f.path) : fieldRow(f)));
  const headingId = `section-${def.id}`;
  const heading = h(
    'h2',
    { id: headingId },
    live(() => t(def.title)),
  );
  const grid = h('div', { class: 'grid' }, ...rows);
  if (!def.block) return h('section', { class: 'section', 'aria-labelledby': headingId }, heading, grid);

  const id = fieldId(def.block);
  const help = def.help
    ? h(
        'p',
        { class: 'hint', id: `${id}-hint` },
        live(() =>
          t(def.help === 'trainingHelp' && !trainingRequired ? 'trainingHelpOptional' : (def.help as UiKey)),
        ),
      )
    : null;
  const rules = h('div', { class: 'rules', id: `${id}-rules`, hidden: true });
  const error = h('p', { class: 'error-message', id: `${id}-error` });
  const mark = h('span', { class: 'optional' });
  const legend = h(
    'legend',
    {},
    h(
      'h2',
      { id: headingId, class: 'legend-title' },
      live(() => t(def.title)),
      mark,
    ),
  );
  const fieldset = h(
    'fieldset',
    {
      class: 'section',
      id,
      'aria-describedby': [help?.id, rules.id, error.id].filter(Boolean).join(' '),
    },
    legend,
    help,
    rules,
    error,
    grid,
  );
  rulesEls.set(def.block, rules);
  const blockControls = def.fields
    .map((f) => controls.get(f.path))
    .filter((c): c is Control => c !== undefined);
  const first = blockControls[0];
  targets.set(def.block, { focus: first ?? fieldset, error, invalid: blockControls, container: fieldset });
  if (def.block === 'person.training') trainingMarks.push(mark);
  else mark.remove();
  return fieldset;
}

// ---- the page -------------------------------------------------------------------------------

const main = pageFrame('formTitle');
const summary = h('div', {
  class: 'error-summary',
  id: 'error-summary',
  role: 'alert',
  tabindex: '-1',
  'aria-labelledby': 'error-summary-title',
  hidden: true,
});
const draftNote = h(
  'div',
  { class: 'notice-banner', id: 'draft-note', hidden: true },
  h(
    'p',
    {},
    live(() => t('draftRestored')),
  ),
);

const programSelect = h('select', {
  id: 'f-program',
  name: 'program',
  'aria-required': 'true',
  'aria-invalid': 'false',
  'aria-describedby': 'f-program-error',
});
const programError = h('p', { class: 'error-message', id: 'f-program-error' });
const roleRow = fieldRow({ path: 'role', kind: 'select' });
const roleSelect = controls.get('role') as HTMLSelectElement;
setOptions(roleSelect, [], 'chooseProgramFirst');
const roleDesc = h('div', { class: 'hint', id: 'f-role-desc' });
roleSelect.setAttribute(
  'aria-describedby',
  `f-role-desc ${roleSelect.getAttribute('aria-describedby') ?? ''}`.trim(),
);
roleRow.insertBefore(roleDesc, roleRow.querySelector('.error-message'));
const programRow = h(
  'div',
  { class: 'field field-wide' },
  fieldLabelEl('f-program', () => t('program'), false),
  programError,
  programSelect,
);
targets.set('program', {
  focus: programSelect,
  error: programError,
  invalid: [programSelect],
  container: programRow,
});

const programSection = h(
  'section',
  { class: 'section', 'aria-labelledby': 'section-program' },
  h(
    'h2',
    { id: 'section-program' },
    live(() => t('sectionProgram')),
  ),
  h('div', { class: 'grid' }, programRow, roleRow),
);

const sections = SECTIONS.map(sectionEl);

const attachments = attachmentsSection({
  programId: () => programSelect.value,
  onTargets: (list) => {
    for (const key of [...targets.keys()]) if (key.startsWith('attachments.')) targets.delete(key);
    for (const { path, ...target } of list) targets.set(path, target);
  },
  onProblem: (path, message) => {
    const target = targets.get(path);
    if (!target) return;
    clearTarget(target);
    if (!message) return;
    target.error.append(
      h(
        'span',
        {},
        live(() => tr(message)),
      ),
    );
    for (const el of target.invalid) el.setAttribute('aria-invalid', 'true');
    target.container.classList.add('has-error');
  },
});

const noticeText = h('div', { class: 'privacy-text', id: 'privacy-notice' });
const noticeVersion = h('p', { class: 'hint', id: 'privacy-version' });
const consentBox = h('input', {
  type: 'checkbox',
  id: 'f-consent-accepted',
  name: 'consent.accepted',
  'aria-required': 'true',
  'aria-invalid': 'false',
  'aria-describedby': 'privacy-version f-consent-accepted-error',
});
const consentError = h('p', { class: 'error-message', id: 'f-consent-accepted-error' });
const consentRow = h(
  'div',
  { class: 'field field-wide' },
  consentError,
  h(
    'div',
    { class: 'checkbox consent' },
    consentBox,
    h(
      'label',
      { for: 'f-consent-accepted' },
      live(() => t('consentLabel')),
      requiredMark(),
    ),
  ),
);
// Publication of a selected officer's name is a consent of its own, never pre-ticked.
const publicationBox = h('input', {
  type: 'checkbox',
  id: 'f-consent-publication',
  name: 'consent.publication',
});
const publicationRow = h(
  'div',
  { class: 'field field-wide' },
  h(
    'div',
    { class: 'checkbox consent' },
    publicationBox,
    h(
      'label',
      { for: 'f-consent-publication' },
      live(() => t('publicationLabel')),
    ),
  ),
);
targets.set('consent.accepted', {
  focus: consentBox,
  error: consentError,
  invalid: [consentBox],
  container: consentRow,
});
const consentSection = h(
  'section',
  { class: 'section', 'aria-labelledby': 'section-consent' },
  h(
    'h2',
    { id: 'section-consent' },
    live(() => t('sectionConsent')),
  ),
  noticeText,
  noticeVersion,
  consentRow,
  publicationRow,
);

const submitButton = h('button', { type: 'submit', class: 'button primary', id: 'submit' });
const renderSubmit = rendered(submitButton, () => t(submitting ? 'submitting' : 'submit'));
const clearButton = h(
  'button',
  { type: 'button', class: 'button secondary', id: 'clear-draft' },
  live(() => t('clearDraft')),
);

const form = h(
  'form',
  { id: 'filing-form', novalidate: true, 'aria-labelledby': 'form-title' },
  programSection,
  ...sections,
  attachments.element,
  consentSection,
  h('div', { class: 'actions' }, submitButton, clearButton),
);

main.append(
  h(
    'h1',
    { id: 'form-title' },
    live(() => t('formTitle')),
  ),
  h('p', { class: 'lead', id: 'form-document-title' }, live(documentTitleText)),
  h(
    'p',
    { class: 'lead' },
    live(() => t('formIntro')),
  ),
  draftNote,
  summary,
  form,
);

// ---- programme facts: roles, units, rules, notice, schema --------------------------------

function renderNotice(): void {
  const notice = facts?.privacyNotice;
  noticeText.replaceChildren(
    ...(notice
      ? [
          h(
            'p',
            {},
            live(() => tr(notice.text)),
          ),
        ]
      : []),
  );
  noticeVersion.replaceChildren(
    ...(notice ? [live(() => `${t('noticeVersion')}${colon()}${notice.version}`)] : []),
  );
}

/** The training block is optional in the schema; a programme's hard rule may require it. */
function updateTrainingMark(): void {
  const required = applicableRules().some((r) => r.severity === 'hard' && r.path === 'person.training');
  trainingRequired = required;
  const hint = document.getElementById(`${fieldId('person.training')}-hint`);
  if (hint) hint.textContent = t(required ? 'trainingHelp' : 'trainingHelpOptional');
  for (const mark of trainingMarks) setMark(mark, required);
  for (const [path, control] of controls) {
    if (path.startsWith('person.training.')) control.setAttribute('aria-required', String(required));
  }
}
onLangChange(updateTrainingMark);

function applicableRules(): ProgramFacts['fieldRules'] {
  const role = roleSelect.value;
  return (facts?.fieldRules ?? []).filter((r) => !role || r.roles.includes(role));
}

function rulesTarget(path: string): HTMLElement | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const el = rulesEls.get(p);
    if (el) return el;
  }
  return undefined;
}

function renderRules(): void {
  for (const el of rulesEls.values()) {
    el.replaceChildren();
    el.hidden = true;
  }
  const seen = new Set<string>();
  for (const rule of applicableRules()) {
    if (seen.has(rule.id)) continue;
    seen.add(rule.id);
    const el = rulesTarget(rule.path);
    if (!el) continue;
    el.hidden = false;
    el.append(
      h(
        'p',
        { class: `rule rule-${rule.severity}` },
        h(
          'span',
          { class: 'rule-tag' },
          live(() => t(rule.severity === 'hard' ? 'ruleHard' : 'ruleSoft')),
        ),
        ' ',
        live(() => tr(rule.message)),
      ),
    );
  }
  const role = facts?.roles.find((r) => r.id === roleSelect.value);
  const description = role?.description;
  // The policy's duties of the chosen role, so the applicant judges the fit before filing.
  const duties = role?.duties ?? [];
  roleDesc.replaceChildren(
    ...(description
      ? [
          h(
            'p',
            {},
            live(() => tr(description)),
          ),
        ]
      : []),
    ...(duties.length > 0
      ? [
          h(
            'p',
            { class: 'role-duties-title' },
            live(() => t('roleDuties')),
          ),
          h(
            'ul',
            { class: 'role-duties' },
            ...duties.map((duty) =>
              h(
                'li',
                {},
                live(() => tr(duty)),
              ),
            ),
          ),
        ]
      : []),
  );
  updateTrainingMark();
}

function loadFacts(id: string): Promise<ProgramFacts> {
  let pending = factsCache.get(id);
  if (!pending) {
    pending = programFacts(id);
    pending.catch(() => factsCache.delete(id));
    factsCache.set(id, pending);
  }
  return pending;
}

async function useProgram(id: string): Promise<void> {
  if (!id) {
    facts = undefined;
    validator = undefined;
    setOptions(roleSelect, [], 'chooseProgramFirst');
    const unit = controls.get('enterprise.reportingUnit');
    if (unit instanceof HTMLSelectElement) setOptions(unit, [], 'chooseProgramFirst');
    attachments.render(undefined);
    renderNotice();
    renderRules();
    refreshLive();
    return;
  }
  let loaded: ProgramFacts;
  try {
    loaded = await loadFacts(id);
  } catch {
    showErrors([{ path: '', message: UI.loadFailed }], 'summaryFailed');
    return;
  }
  if (programSelect.value !== id) return; // the choice changed meanwhile
  facts = loaded;
  validator = makeValidator(loaded.filingSchema);
  setOptions(
    roleSelect,
    loaded.roles.map((r) => ({ value: r.id, label: r.name })),
  );
  const unit = controls.get('enterprise.reportingUnit');
  if (unit instanceof HTMLSelectElement) {
    setOptions(
      unit,
      loaded.reportingUnits.map((u) => ({ value: u.code, label: u.name })),
    );
  }
  // the choices come from the served schema; labels from the dictionary
  for (const [path, control] of controls) {
    const values = schemaAt(loaded.filingSchema, path)?.enum;
    if (control instanceof HTMLSelectElement && Array.isArray(values) && path !== 'role') {
      setOptions(
        control,
        values.map((v) => ({ value: String(v), label: optionLabel(path, String(v)) })),
      );
    }
  }
  for (const path of CHECKBOX_PATHS) {
    const values = (schemaAt(loaded.filingSchema, path)?.items as { enum?: unknown[] } | undefined)?.enum;
    if (Array.isArray(values)) checkboxRenders.get(path)?.(values.map(String));
  }
  attachments.render(loaded.attachments);
  if (draft.noticeVersion !== loaded.privacyNotice.version) {
    consentBox.checked = false;
    delete draft.acceptedAt;
  }
  renderNotice();
  renderRules();
  for (const update of countUpdaters) update();
  // The document title and the fields the programme names its own way follow the choice.
  refreshLive();
}

// ---- values and the draft ------------------------------------------------------------------

function collect(): RawValues {
  const values: RawValues = {};
  for (const [path, control] of controls) values[path] = control.value;
  for (const path of CHECKBOX_PATHS) {
    values[path] = (checkboxes.get(path) ?? []).filter((b) => b.checked).map((b) => b.value);
  }
  values['consent.accepted'] = consentBox.checked;
  values['consent.publication'] = publicationBox.checked;
  return values;
}

function apply(values: RawValues): void {
  for (const [path, control] of controls) {
    const value = values[path];
    if (typeof value !== 'string') continue;
    if (control instanceof HTMLSelectElement && ![...control.options].some((o) => o.value === value))
      continue;
    control.value = value;
  }
  for (const path of CHECKBOX_PATHS) {
    const chosen = values[path];
    if (Array.isArray(chosen))
      for (const box of checkboxes.get(path) ?? []) box.checked = chosen.includes(box.value);
  }
  consentBox.checked =
    values['consent.accepted'] === true &&
    draft.acceptedAt !== undefined &&
    facts !== undefined &&
    draft.noticeVersion === facts.privacyNotice.version;
  publicationBox.checked = values['consent.publication'] === true && consentBox.checked;
  for (const update of countUpdaters) update();
}

function hasContent(values: RawValues): boolean {
  return Object.entries(values).some(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== '' && v !== false));
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;

function saveNow(): void {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  if (submitted) return;
  draft.values = collect();
  draft.programId = programSelect.value;
  saveDraft(draft);
}

function scheduleSave(): void {
  if (submitted) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, 300);
}

// ---- errors ---------------------------------------------------------------------------------

function targetFor(path: string): Target | undefined {
  let p = path
    .split('.')
    .filter((s) => !/^\d+$/.test(s))
    .join('.');
  if (p.startsWith('consent')) p = 'consent.accepted';
  for (; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const target = targets.get(p);
    if (target) return target;
  }
  return undefined;
}

function clearTarget(target: Target): void {
  target.error.replaceChildren();
  for (const el of target.invalid) el.setAttribute('aria-invalid', 'false');
  target.container.classList.remove('has-error');
}

function clearErrors(): void {
  for (const target of targets.values()) clearTarget(target);
  summary.replaceChildren();
  summary.hidden = true;
}

/**
 * Marks every field with an error and lists them all in the summary (announced as an alert).
 * `focusField`: focus goes to the first field in error, for the form's own check of what was
 * just left out; otherwise (the server's answer, a failure) to the summary, which says what happened.
 */
function showErrors(errors: (FieldMessage | FieldError)[], title: UiKey, focusField = false): void {
  clearErrors();
  const entries = errors.map((e) => ({ path: e.path, message: e.message, target: targetFor(e.path) }));
  for (const { message, target } of entries) {
    if (!target) continue;
    target.error.append(
      h(
        'span',
        {},
        live(() => tr(message)),
      ),
    );
    for (const el of target.invalid) el.setAttribute('aria-invalid', 'true');
    target.container.classList.add('has-error');
  }
  // in the order of the form; messages about no field first
  entries.sort((a, b) => {
    if (!a.target || !b.target) return (a.target ? 1 : 0) - (b.target ? 1 : 0);
    if (a.target.focus === b.target.focus) return 0;
    return a.target.focus.compareDocumentPosition(b.target.focus) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  const list = h(
    'ul',
    {},
    ...entries.map(({ path, message, target }) => {
      const text = live(() => tr(message));
      if (!target) return h('li', { 'data-path': path }, text);
      const link = h('a', { href: `#${target.focus.id}` }, text);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        target.container.scrollIntoView({ block: 'center' });
        target.focus.focus({ preventScroll: true });
      });
      return h('li', { 'data-path': path }, link);
    }),
  );
  summary.replaceChildren(
    h(
      'h2',
      { id: 'error-summary-title' },
      live(() => t(title)),
    ),
    list,
  );
  summary.hidden = false;
  const first = focusField ? entries.find((e) => e.target)?.target : undefined;
  if (first) {
    first.container.scrollIntoView({ block: 'center' });
    first.focus.focus({ preventScroll: true });
  } else {
    summary.scrollIntoView({ block: 'start' });
    summary.focus({ preventScroll: true });
  }
}

function checkContext() {
  const badNumbers = new Set<string>();
  for (const [path, control] of controls) {
    if (control instanceof HTMLInputElement && control.type === 'number' && control.validity.badInput) {
      badNumbers.add(path);
    }
  }
  return { choices: choicePaths, badNumbers };
}

function clientCheck(): { body: Record<string, unknown>; errors: FieldMessage[] } {
  const body = buildBody(collect(), {
    noticeVersion: facts?.privacyNotice.version ?? '',
    acceptedAt: draft.acceptedAt,
  });
  if (!facts || !validator) {
    // No served schema before a programme is chosen: still every required field at once. (A
    // programme chosen whose facts are still loading is not reported as missing.)
    return {
      body,
      errors: [
        ...(programSelect.value === '' ? [programMissing()] : []),
        ...checkRequired(body, checkContext()),
      ],
    };
  }
  if (facts.attachments) body.attachments = attachments.refs();
  return {
    body,
    errors: [...checkBody(validator, facts.filingSchema, body, checkContext()), ...attachments.check()],
  };
}

function programMissing(): FieldMessage {
  return { path: 'program', message: fillText(CHECK_MESSAGES.choose, { label: UI.program }) };
}

/** After a field with an error changes: re-check it alone and drop its error when fixed. */
function recheck(path: string): void {
  const target = targetFor(path);
  if (!target || target.container.classList.contains('has-error') === false) return;
  const { errors } = clientCheck();
  const remaining = errors.filter((e) => targetFor(e.path) === target);
  if (remaining.length > 0) return;
  clearTarget(target);
  for (const li of summary.querySelectorAll('li')) {
    if (targetFor(li.getAttribute('data-path') ?? '') === target) li.remove();
  }
  if (!summary.querySelector('li')) {
    summary.replaceChildren();
    summary.hidden = true;
  }
}

// ---- submitting -----------------------------------------------------------------------------

function setSubmitting(on: boolean): void {
  submitting = on;
  submitButton.disabled = on;
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  renderSubmit();
}

async function submit(): Promise<void> {
  if (submitting) return;
  const { body, errors } = clientCheck();
  if (errors.length > 0 || !facts) {
    showErrors(errors.length > 0 ? errors : [programMissing()], 'summaryFix', true);
    return;
  }
  saveNow(); // the key and consent time are in the draft before anything is sent
  setSubmitting(true);
  try {
    const created = await submitFiling(facts.id, body, draft.idempotencyKey);
    keepReceiptNote(created.filingId, { status: created.status, warnings: created.warnings });
    submitted = true;
    clearTimeout(saveTimer);
    clearDraft();
    location.assign(`receipt.html${fragmentFor(created)}`);
  } catch (error) {
    setSubmitting(false);
    if (!(error instanceof ApiError)) {
      showErrors([{ path: '', message: UI.networkError }], 'summaryFailed');
      return;
    }
    if (error.errors.some((e) => e.code === 'idempotency_key_reused')) {
      draft.idempotencyKey = newIdempotencyKey();
      saveNow();
    }
    if (error.errors.length > 0) {
      const sent = (body.attachments ?? []) as Parameters<typeof attachments.placeErrors>[1];
      showErrors(
        attachments.placeErrors(error.errors, sent),
        error.status === 422 ? 'summaryFix' : 'summaryFailed',
      );
    } else {
      const message = UI.serverError;
      showErrors(
        [
          {
            path: '',
            message: {
              zh: fill(message.zh, { status: error.status }),
              en: fill(message.en, { status: error.status }),
            },
          },
        ],
        'summaryFailed',
      );
    }
  }
}

// ---- wiring ---------------------------------------------------------------------------------

function programLabel(p: ProgramSummary): Text {
  return { zh: p.title.zh, en: p.title.en };
}

async function start(): Promise<void> {
  setOptions(programSelect, [], 'loading');
  let programs: ProgramSummary[];
  try {
    programs = (await listPrograms()).programs;
  } catch {
    showErrors([{ path: '', message: UI.loadFailed }], 'summaryFailed');
    return;
  }
  setOptions(
    programSelect,
    programs.map((p) => ({ value: p.id, label: programLabel(p) })),
  );
  const stored = loadDraft();
  if (stored) draft = stored;
  const only = programs.length === 1 ? programs[0]?.id : undefined;
  const programId = programs.some((p) => p.id === draft.programId) ? draft.programId : (only ?? '');
  programSelect.value = programId;
  await useProgram(programId);
  if (stored) {
    apply(stored.values);
    renderRules();
    if (hasContent(stored.values)) draftNote.hidden = false;
  }

  form.addEventListener('input', scheduleSave);
  form.addEventListener('change', (event) => {
    scheduleSave();
    const el = event.target;
    if (
      el instanceof HTMLInputElement ||
      el instanceof HTMLSelectElement ||
      el instanceof HTMLTextAreaElement
    ) {
      recheck(el.name);
    }
  });
  programSelect.addEventListener('change', () => {
    void useProgram(programSelect.value).then(scheduleSave);
  });
  roleSelect.addEventListener('change', renderRules);
  consentBox.addEventListener('change', () => {
    if (consentBox.checked) {
      draft.acceptedAt = new Date().toISOString();
      if (facts) draft.noticeVersion = facts.privacyNotice.version;
    } else {
      delete draft.acceptedAt;
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  clearButton.addEventListener('click', () => {
    if (!window.confirm(t('clearDraftConfirm'))) return;
    clearTimeout(saveTimer);
    clearDraft();
    const programId = programSelect.value;
    form.reset();
    programSelect.value = programId;
    draft = { ...emptyDraft(), programId };
    draftNote.hidden = true;
    attachments.render(facts?.attachments);
    clearErrors();
    for (const update of countUpdaters) update();
  });
  window.addEventListener('pagehide', () => {
    if (saveTimer !== undefined) saveNow();
  });
}

void start();
