// The ASL files in workflows/: valid Amazon States Language (asl-validator), every
// substitution placeholder wired to a function, every Task with a timeout and (off the
// failure path) a Catch for States.ALL, and a short happy path for the filing workflow.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { localFunctionArn, substitute } from '#infra/local/sfn/local-workflows.ts';
import { STATE_MACHINES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';

type Json = Record<string, unknown>;
interface State extends Json {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Json[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Branches?: { States: Record<string, State> }[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

interface AslValidation {
  isValid: boolean;
  errors: { 'Error code': string; Message: string }[];
  errorsText: (separator?: string) => string;
}
// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => AslValidation;

/** A `${Name}` placeholder, as the ASL files carry them. */
const placeholder = (name: string) => `\${${name}}`;

const workflowsDir = new URL('../../workflows/', import.meta.url);
const aslFiles = readdirSync(workflowsDir)
  .filter((f) => f.endsWith('.asl.json'))
  .sort();
const read = (file: string) => readFileSync(new URL(file, workflowsDir), 'utf8');

/** As the CDK app and the local engine do: the partition, and each placeholder → its function's ARN. */
const substitutions: Record<string, string> = {
  Partition: 'aws',
  ...Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.substitution, localFunctionArn(f.id)])),
};
const definitionOf = (file: string) =>
  JSON.parse(substitute(read(file), substitutions, `workflows/${file}`)) as Definition;

/** Every state, nested ones (Parallel branches, Map processors) included, with its path. */
function allStates(states: Record<string, State>, path = ''): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [`${path}${name}`, state] as [string, State],
    ...(state.Branches ?? []).flatMap((b, i) => allStates(b.States, `${path}${name}.Branches[${i}].`)),
    ...[state.ItemProcessor, state.Iterator].flatMap((p) =>
      p ? allStates(p.States, `${path}${name}.ItemProcessor.`) : [],
    ),
  ]);
}

describe('workflows/*.asl.json', () => {
  it('are all there, and each is a state machine the app deploys', () => {
    expect(aslFiles).toContain('filing.asl.json');
    expect(aslFiles.map((f) => `workflows/${f}`).sort()).toEqual(STATE_MACHINES.map((m) => m.file).sort());
  });

  it.each(aslFiles)('%s is valid Amazon States Language (asl-validator, ARNs and paths checked)', (file) => {
    const result = aslValidator(definitionOf(file), { checkArn: true, checkPaths: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('asl-validator does catch an invalid definition (the check above can fail)', () => {
    const broken = definitionOf('filing.asl.json');
    const first = broken.States.StartReview;
    if (first) first.Next = 'NoSuchState';
    const result = aslValidator(broken, { checkArn: true, checkPaths: true });
    expect(result.isValid).toBe(false);
    expect(result.errorsText('\n')).toContain('NoSuchState');
  });

  it.each(aslFiles)('every substitution placeholder in %s is provided by WORKFLOW_FUNCTIONS', (file) => {
    const used = [...read(file).matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    const provided = new Set(['Partition', ...WORKFLOW_FUNCTIONS.map((f) => f.substitution)]);
    expect(used.filter((name) => !provided.has(name ?? ''))).toEqual([]);
    // and nothing of the kind is left after substitution
    expect(JSON.stringify(definitionOf(file))).not.toMatch(/\$\{/);
  });

  it('every WORKFLOW_FUNCTIONS substitution is used by some ASL file, with a handler module', () => {
    const text = aslFiles.map(read).join('\n');
    for (const f of WORKFLOW_FUNCTIONS) {
      expect(text).toContain(placeholder(f.substitution));
      expect(() => readFileSync(new URL(`../../${f.handler}`, import.meta.url))).not.toThrow();
    }
  });

  it('substitute throws naming a placeholder it has no value for', () => {
    const text = read('filing.asl.json');
    const { WorkflowWaitFunctionArn: _missing, ...partial } = substitutions;
    expect(() => substitute(text, partial, 'workflows/filing.asl.json')).toThrow(
      `workflows/filing.asl.json: no value for the substitution ${placeholder('WorkflowWaitFunctionArn')}`,
    );
    expect(() => substitute(`{"Resource": "${placeholder('Typo')}"}`, substitutions, 'x.asl.json')).toThrow(
      /x\.asl\.json: .*\$\{Typo\}/,
    );
    expect(
      substitute(`{"Resource": "${placeholder('A')}", "Other": "${placeholder('A')}"}`, { A: 'arn' }, 'x'),
    ).toBe('{"Resource": "arn", "Other": "arn"}');
  });

  it.each(aslFiles)('every Task in %s has a timeout (TimeoutSeconds or TimeoutSecondsPath)', (file) => {
    const tasks = allStates(definitionOf(file).States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    const without = tasks
      .filter(([, s]) => s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined)
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  // The failure handler (the state every States.ALL catcher leads to) is the one Task allowed
  // without a Catch: it records the failure and goes straight to the Fail state.
  it.each(aslFiles)('every Task in %s, but the failure handler, catches States.ALL (last)', (file) => {
    const states = allStates(definitionOf(file).States);
    const handlers = new Set(
      states.flatMap(([, s]) =>
        (s.Catch ?? []).filter((c) => c.ErrorEquals.includes('States.ALL')).map((c) => c.Next),
      ),
    );
    const missing = states
      .filter(([name, s]) => s.Type === 'Task' && !s.End && !handlers.has(name))
      .filter(([, s]) => {
        const last = s.Catch?.at(-1);
        return !(last && last.ErrorEquals.length === 1 && last.ErrorEquals[0] === 'States.ALL');
      })
      .map(([name]) => name);
    expect(missing).toEqual([]);
    // the failure handler itself ends the execution as failed, after retrying everything
    for (const handler of handlers) {
      const state = states.find(([name]) => name === handler)?.[1];
      expect(state?.Type).toBe('Task');
      const next = states.find(([name]) => name === state?.Next)?.[1];
      expect(next?.Type).toBe('Fail');
      expect((state?.Retry as { ErrorEquals: string[] }[] | undefined)?.[0]?.ErrorEquals).toEqual([
        'States.ALL',
      ]);
    }
  });

  describe('the filing workflow', () => {
    const definition = definitionOf('filing.asl.json');
    const HAPPY_PATH = [
      'Entry',
      'StartReview',
      'CityReview',
      'ApplyCityDecision',
      'CityOutcome',
      'CityApproved',
      'AwaitProvince',
      'ApplyProvinceDecision',
      'ProvinceOutcome',
      'Included',
    ];

    /** Where a state goes with this decision (Choice states branch on $.decision.decision). */
    function next(name: string, decision: string): string | undefined {
      const state = definition.States[name];
      if (!state) return undefined;
      if (state.Type === 'Choice') {
        const rule = state.Choices?.find(
          (c) => c.Variable === '$.decision.decision' && c.StringEquals === decision,
        );
        return String(rule?.Next ?? state.Default);
      }
      return state.Next;
    }

    it('has the happy path Entry → StartReview → … → Included, in at most 10 states', () => {
      expect(definition.StartAt).toBe('Entry');
      const path = [definition.StartAt];
      let decision = 'approve';
      for (let i = 0; i < 20; i++) {
        const current = path.at(-1) ?? '';
        const state = definition.States[current];
        if (!state || state.Type === 'Succeed' || state.Type === 'Fail' || state.End) break;
        if (current === 'AwaitProvince') decision = 'include';
        const to = next(current, decision);
        if (!to) break;
        path.push(to);
      }
      expect(path).toEqual(HAPPY_PATH);
      expect(path.length).toBeLessThanOrEqual(10);
      expect(definition.States.Included?.Type).toBe('Succeed');
    });

    it('has its human waits as top-level .waitForTaskToken tasks with the timeout from the state', () => {
      const waits = Object.entries(definition.States).filter(
        ([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      );
      expect(waits.map(([name]) => name).sort()).toEqual(['AwaitAmendment', 'AwaitProvince', 'CityReview']);
      for (const [, state] of waits) {
        expect(state.TimeoutSecondsPath).toBe('$.wait.timeoutSeconds');
        expect(state.InputPath).toBeUndefined();
        const payload = (state.Parameters as { Payload: Json }).Payload;
        expect(payload['taskToken.$']).toBe('$$.Task.Token');
        expect(state.ResultPath).toBe('$.decision');
        // a timeout is caught by name, before the catch-all
        expect(state.Catch?.[0]?.ErrorEquals).toEqual(['States.Timeout']);
      }
    });

    it("ends the city's approval at Registered where the approval step registered the filing, else at the province's wait", () => {
      const approved = definition.States.CityApproved;
      expect(approved?.Type).toBe('Choice');
      expect(definition.States.Registered?.Type).toBe('Succeed');
      // Ordered rules as the engine reads them; a comparison on a missing path fails the execution.
      const route = (state: Record<string, unknown>) => {
        for (const rule of approved?.Choices ?? []) {
          const not = rule.Not as { Variable: string; IsPresent: boolean } | undefined;
          if (not) {
            const present = not.Variable.slice(2) in state;
            if (present !== not.IsPresent) return rule.Next;
            continue;
          }
          const key = String(rule.Variable).slice(2);
          if (!(key in state)) throw new Error(`compares the missing ${String(rule.Variable)}`);
          if (state[key] === rule.BooleanEquals) return rule.Next;
        }
        return approved?.Default;
      };
      expect(route({ registered: true })).toBe('Registered');
      expect(route({ registered: false })).toBe('AwaitProvince');
      // A state from before the flag existed goes on to the province, as it did then.
      expect(route({})).toBe('AwaitProvince');
    });

    it('enters a resumed review at the wait of its stage (amendment, province), anything else at StartReview', () => {
      const entry = definition.States.Entry;
      expect(entry?.Type).toBe('Choice');
      const route = (stage: string) =>
        entry?.Choices?.find((c) => c.Variable === '$.stage' && c.StringEquals === stage)?.Next ??
        entry?.Default;
      expect(['city', 'amend', 'province', 'anything'].map(route)).toEqual([
        'StartReview',
        'AwaitAmendment',
        'AwaitProvince',
        'StartReview',
      ]);
    });
  });
});
