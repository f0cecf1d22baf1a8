// The start-up check of the local Step Functions engine: every definition it would run
// differently from AWS is refused with the state and the reason, all problems at once, and
// the real filing workflow (once its substitutions are filled in) is accepted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localFunctionArn, substitute } from '#infra/local/sfn/local-workflows.ts';
import {
  assertRunsLocallyAsInAws,
  LAMBDA_INVOKE,
  MAX_TIMER_SECONDS,
  UnsupportedDefinitionError,
  WAIT_FOR_TOKEN,
} from '#infra/local/sfn/validate.ts';
import { STATE_MACHINES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';

type Json = Record<string, unknown>;

/** A `${Name}` substitution placeholder, as the ASL files carry them. */
const placeholder = (name: string) => `\${${name}}`;

const STEP = localFunctionArn('WorkflowStep');
const WAIT = localFunctionArn('WorkflowWait');

/** A Lambda task that runs locally as in AWS (override fields per test). */
const lambdaTask = (extra: Json = {}): Json => ({
  Type: 'Task',
  Resource: STEP,
  TimeoutSeconds: 60,
  End: true,
  ...extra,
});

/** A top-level human wait that runs locally as in AWS (override fields per test). */
const waitTask = (extra: Json = {}): Json => ({
  Type: 'Task',
  Resource: WAIT_FOR_TOKEN,
  Parameters: {
    FunctionName: WAIT,
    Payload: { 'state.$': '$', 'taskToken.$': '$$.Task.Token' },
  },
  TimeoutSecondsPath: '$.wait.timeoutSeconds',
  End: true,
  ...extra,
});

const machine = (states: Record<string, Json>, extra: Json = {}): Json => ({
  StartAt: Object.keys(states)[0],
  States: states,
  ...extra,
});

/** The problems reported for a definition (one per line), or [] when it is accepted. */
function problemsOf(definition: Json, name = 'TestMachine'): string[] {
  try {
    assertRunsLocallyAsInAws(definition, name);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedDefinitionError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe(`state machine ${name} cannot run locally as in AWS:`);
    return message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ''));
  }
}

function refused(definition: Json): UnsupportedDefinitionError {
  try {
    assertRunsLocallyAsInAws(definition, 'Refused');
  } catch (error) {
    if (error instanceof UnsupportedDefinitionError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
}

describe('assertRunsLocallyAsInAws', () => {
  it('accepts a plain JSONPath definition with explicit timeouts', () => {
    expect(
      problemsOf(
        machine({
          Prepare: lambdaTask({ End: undefined, Next: 'Ask' }),
          Ask: waitTask({ End: undefined, Next: 'Pause' }),
          Pause: { Type: 'Wait', Seconds: 10, Next: 'Done' },
          Done: { Type: 'Succeed' },
        }),
      ),
    ).toEqual([]);
  });

  it('throws an UnsupportedDefinitionError with its own name', () => {
    const error = refused(machine({ A: lambdaTask({ Assign: { x: 1 } }) }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UnsupportedDefinitionError');
  });

  describe('JSONata', () => {
    it('refuses a top-level QueryLanguage JSONata', () => {
      const problems = problemsOf(machine({ A: lambdaTask() }, { QueryLanguage: 'JSONata' }));
      expect(problems).toEqual(['top level: JSONata is not supported locally']);
    });

    it("refuses a state's QueryLanguage JSONata, naming the state", () => {
      expect(problemsOf(machine({ Decide: lambdaTask({ QueryLanguage: 'JSONata' }) }))).toEqual([
        'Decide: JSONata is not supported locally; use JSONPath',
      ]);
    });

    it("refuses a state's Arguments (JSONata's Parameters)", () => {
      const problems = problemsOf(
        machine({ CallIt: lambdaTask({ Arguments: { step: '{% $states.input %}' } }) }),
      );
      expect(problems).toEqual(['CallIt: JSONata is not supported locally; use JSONPath']);
    });

    it("refuses a state's Output (JSONata's OutputPath)", () => {
      const problems = problemsOf(
        machine({ Shape: { Type: 'Pass', Output: '{% $states.input.a %}', End: true } }),
      );
      expect(problems).toEqual(['Shape: JSONata is not supported locally; use JSONPath']);
    });

    it('accepts an explicit QueryLanguage JSONPath', () => {
      expect(
        problemsOf(machine({ A: lambdaTask({ QueryLanguage: 'JSONPath' }) }, { QueryLanguage: 'JSONPath' })),
      ).toEqual([]);
    });
  });

  describe('variables', () => {
    it('refuses Assign on a state', () => {
      const problems = problemsOf(machine({ Remember: { Type: 'Pass', Assign: { seen: true }, End: true } }));
      expect(problems).toEqual(['Remember: Assign is not supported locally']);
    });

    // In JSONPath definitions AWS also takes `Assign` in a Catch and in a Choice rule; the
    // local engine would ignore those silently just the same.
    it('refuses Assign in a Catch', () => {
      const problems = problemsOf(
        machine({
          Work: lambdaTask({
            End: undefined,
            Next: 'Done',
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failed: true }, Next: 'Done' }],
          }),
          Done: { Type: 'Succeed' },
        }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Work\b.*Assign/);
    });

    it('refuses Assign in a Choice rule', () => {
      const problems = problemsOf(
        machine({
          Route: {
            Type: 'Choice',
            Choices: [{ Variable: '$.ok', BooleanEquals: true, Assign: { route: 'ok' }, Next: 'Done' }],
            Default: 'Done',
          },
          Done: { Type: 'Succeed' },
        }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Route\b.*Assign/);
    });
  });

  describe('heartbeats', () => {
    it('refuses HeartbeatSeconds', () => {
      expect(problemsOf(machine({ Ask: waitTask({ HeartbeatSeconds: 3600 }) }))).toEqual([
        'Ask: HeartbeatSeconds is not supported locally',
      ]);
    });

    it('refuses HeartbeatSecondsPath', () => {
      expect(problemsOf(machine({ Ask: waitTask({ HeartbeatSecondsPath: '$.beat' }) }))).toEqual([
        'Ask: HeartbeatSeconds is not supported locally',
      ]);
    });
  });

  describe('timeouts', () => {
    it('refuses a Lambda task without TimeoutSeconds or TimeoutSecondsPath (the local default is 60 s)', () => {
      expect(problemsOf(machine({ Work: lambdaTask({ TimeoutSeconds: undefined }) }))).toEqual([
        'Work: every Task needs an explicit TimeoutSeconds (the local engine defaults to 60 s)',
      ]);
    });

    it('refuses a human wait without any timeout', () => {
      const problems = problemsOf(machine({ Ask: waitTask({ TimeoutSecondsPath: undefined }) }));
      expect(problems).toEqual([
        'Ask: every Task needs an explicit TimeoutSeconds (the local engine defaults to 60 s)',
      ]);
    });

    it('accepts a task with TimeoutSecondsPath only', () => {
      expect(problemsOf(machine({ Ask: waitTask() }))).toEqual([]);
    });

    it('takes ~24.8 days as the largest timer', () => {
      expect(MAX_TIMER_SECONDS).toBe(2_147_483);
      expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
      expect((MAX_TIMER_SECONDS + 1) * 1000).toBeGreaterThan(2 ** 31 - 1);
    });

    it('refuses TimeoutSeconds above ~24.8 days and accepts it at the limit', () => {
      expect(
        problemsOf(
          machine({
            Ask: waitTask({ TimeoutSeconds: MAX_TIMER_SECONDS + 1, TimeoutSecondsPath: undefined }),
          }),
        ),
      ).toEqual([`Ask: TimeoutSeconds over ${MAX_TIMER_SECONDS} s`]);
      // 30 days, a plausible review deadline, is over the limit
      expect(problemsOf(machine({ Work: lambdaTask({ TimeoutSeconds: 30 * 86_400 }) }))).toEqual([
        `Work: TimeoutSeconds over ${MAX_TIMER_SECONDS} s`,
      ]);
      expect(problemsOf(machine({ Work: lambdaTask({ TimeoutSeconds: MAX_TIMER_SECONDS }) }))).toEqual([]);
    });

    it('refuses a Wait state above ~24.8 days and accepts it at the limit', () => {
      expect(
        problemsOf(machine({ Sleep: { Type: 'Wait', Seconds: MAX_TIMER_SECONDS + 1, End: true } })),
      ).toEqual([`Sleep: Wait over ${MAX_TIMER_SECONDS} s`]);
      expect(problemsOf(machine({ Sleep: { Type: 'Wait', Seconds: MAX_TIMER_SECONDS, End: true } }))).toEqual(
        [],
      );
    });

    it('refuses TimeoutSecondsPath together with InputPath on a human wait', () => {
      expect(problemsOf(machine({ Ask: waitTask({ InputPath: '$.filing' }) }))).toEqual([
        'Ask: TimeoutSecondsPath together with InputPath is not supported locally',
      ]);
      // either alone is fine
      expect(
        problemsOf(
          machine({
            Ask: waitTask({ InputPath: '$.filing', TimeoutSecondsPath: undefined, TimeoutSeconds: 600 }),
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('resources', () => {
    it('refuses an unresolved substitution placeholder in Resource', () => {
      expect(
        problemsOf(machine({ Work: lambdaTask({ Resource: placeholder('WorkflowStepFunctionArn') }) })),
      ).toEqual([`Work: unresolved substitution in Resource ${placeholder('WorkflowStepFunctionArn')}`]);
    });

    it("refuses an unresolved substitution placeholder in a human wait's FunctionName", () => {
      const problems = problemsOf(
        machine({
          Ask: waitTask({
            Parameters: {
              FunctionName: placeholder('WorkflowWaitFunctionArn'),
              Payload: { 'taskToken.$': '$$.Task.Token' },
            },
          }),
        }),
      );
      expect(problems).toEqual([
        `Ask: FunctionName must be a Lambda ARN, got ${placeholder('WorkflowWaitFunctionArn')}`,
      ]);
    });

    it('refuses a human wait without FunctionName', () => {
      expect(problemsOf(machine({ Ask: waitTask({ Parameters: { Payload: {} } }) }))).toEqual([
        'Ask: FunctionName must be a Lambda ARN, got nothing',
      ]);
    });

    it('refuses the optimized arn:aws:states:::lambda:invoke integration', () => {
      expect(LAMBDA_INVOKE).toBe('arn:aws:states:::lambda:invoke');
      const problems = problemsOf(
        machine({
          Work: lambdaTask({ Resource: LAMBDA_INVOKE, Parameters: { FunctionName: STEP, 'Payload.$': '$' } }),
        }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Work: use the function ARN as Resource/);
    });

    it.each([
      'arn:aws:states:::sqs:sendMessage',
      'arn:aws:states:::dynamodb:putItem',
      'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      'arn:aws:states:::states:startExecution.sync:2',
      `${STEP}:live`,
      'WorkflowStep',
    ])('refuses the resource %s, which the engine cannot serve', (resource) => {
      expect(problemsOf(machine({ Work: lambdaTask({ Resource: resource }) }))).toEqual([
        `Work: resource ${resource} cannot be served locally`,
      ]);
    });

    it('accepts Lambda ARNs in any region, account and partition', () => {
      for (const arn of [
        'arn:aws:lambda:eu-west-1:123456789012:function:Step_1',
        'arn:aws-cn:lambda:cn-north-1:123456789012:function:step-fn',
      ]) {
        expect(problemsOf(machine({ Work: lambdaTask({ Resource: arn }) }))).toEqual([]);
      }
    });
  });

  describe('human waits inside Map or Parallel', () => {
    it('refuses a .waitForTaskToken task inside a Map (ItemProcessor), naming its path', () => {
      const problems = problemsOf(
        machine({
          EachFiling: {
            Type: 'Map',
            ItemsPath: '$.filings',
            ItemProcessor: { StartAt: 'AskOne', States: { AskOne: waitTask() } },
            End: true,
          },
        }),
      );
      expect(problems).toEqual([
        'EachFiling.ItemProcessor.AskOne: a human wait (.waitForTaskToken) must be at the top level, not inside Map or Parallel',
      ]);
    });

    it('refuses a .waitForTaskToken task inside a legacy Map Iterator', () => {
      const problems = problemsOf(
        machine({
          EachFiling: {
            Type: 'Map',
            ItemsPath: '$.filings',
            Iterator: { StartAt: 'AskOne', States: { AskOne: waitTask() } },
            End: true,
          },
        }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^EachFiling\.ItemProcessor\.AskOne: a human wait/);
    });

    it('refuses a .waitForTaskToken task inside a Parallel branch, naming the branch', () => {
      const problems = problemsOf(
        machine({
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Work', States: { Work: lambdaTask() } },
              { StartAt: 'AskCity', States: { AskCity: waitTask() } },
            ],
            End: true,
          },
        }),
      );
      expect(problems).toEqual([
        'Both.Branches[1].AskCity: a human wait (.waitForTaskToken) must be at the top level, not inside Map or Parallel',
      ]);
    });

    it('looks into Maps nested in Parallel branches and checks nested tasks like top-level ones', () => {
      const problems = problemsOf(
        machine({
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Each',
                States: {
                  Each: {
                    Type: 'Map',
                    ItemProcessor: {
                      StartAt: 'Deep',
                      States: {
                        Deep: waitTask({ End: undefined, Next: 'Slow' }),
                        Slow: lambdaTask({ TimeoutSeconds: undefined }),
                      },
                    },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        }),
      );
      expect(problems).toEqual([
        'Both.Branches[0].Each.ItemProcessor.Deep: a human wait (.waitForTaskToken) must be at the top level, not inside Map or Parallel',
        'Both.Branches[0].Each.ItemProcessor.Slow: every Task needs an explicit TimeoutSeconds (the local engine defaults to 60 s)',
      ]);
    });

    it('accepts Lambda tasks inside Map and Parallel', () => {
      expect(
        problemsOf(
          machine({
            Each: {
              Type: 'Map',
              ItemProcessor: { StartAt: 'One', States: { One: lambdaTask() } },
              Next: 'Both',
            },
            Both: {
              Type: 'Parallel',
              Branches: [{ StartAt: 'Two', States: { Two: lambdaTask() } }],
              End: true,
            },
          }),
        ),
      ).toEqual([]);
    });
  });

  it('lists every problem at once, in one error naming the state machine', () => {
    const definition = machine(
      {
        Start: lambdaTask({ Resource: placeholder('Missing'), End: undefined, Next: 'Ask' }),
        Ask: waitTask({ HeartbeatSeconds: 60, InputPath: '$.x', End: undefined, Next: 'Pause' }),
        Pause: { Type: 'Wait', Seconds: 40 * 86_400, Next: 'Remember' },
        Remember: { Type: 'Pass', Assign: { a: 1 }, Next: 'Call' },
        Call: lambdaTask({ Resource: LAMBDA_INVOKE, TimeoutSeconds: undefined }),
      },
      { QueryLanguage: 'JSONata' },
    );
    let message = '';
    try {
      assertRunsLocallyAsInAws(definition, 'FilingWorkflow');
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedDefinitionError);
      message = (error as Error).message;
    }
    expect(message.startsWith('state machine FilingWorkflow cannot run locally as in AWS:\n')).toBe(true);
    const problems = problemsOf(definition);
    expect(problems).toEqual([
      'top level: JSONata is not supported locally',
      `Start: unresolved substitution in Resource ${placeholder('Missing')}`,
      'Ask: HeartbeatSeconds is not supported locally',
      'Ask: TimeoutSecondsPath together with InputPath is not supported locally',
      `Pause: Wait over ${MAX_TIMER_SECONDS} s`,
      'Remember: Assign is not supported locally',
      expect.stringMatching(/^Call: use the function ARN as Resource/),
      'Call: every Task needs an explicit TimeoutSeconds (the local engine defaults to 60 s)',
    ]);
  });

  describe('the real workflows', () => {
    const values = {
      Partition: 'aws',
      ...Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.substitution, localFunctionArn(f.id)])),
    };

    it.each(STATE_MACHINES.map((m) => [m.id, m.file] as const))(
      'accepts %s (%s) once substituted',
      (id, file) => {
        const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
        const definition = JSON.parse(substitute(text, values, file)) as Json;
        expect(() => assertRunsLocallyAsInAws(definition, id)).not.toThrow();
      },
    );

    it('refuses the filing workflow before substitution, naming every state that needs one', () => {
      const file = 'workflows/filing.asl.json';
      const raw = JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as {
        States: Record<string, Json>;
      };
      const problems = problemsOf(raw);
      const needing = Object.entries(raw.States)
        .filter(([, s]) => s.Type === 'Task')
        .map(([name]) => name)
        .sort();
      expect(needing.length).toBeGreaterThan(0);
      expect([...new Set(problems.map((p) => p.split(':')[0]))].sort()).toEqual(needing);
    });
  });
});
