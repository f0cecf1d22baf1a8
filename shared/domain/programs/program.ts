// A program is one province's scheme, held entirely as data: roles, reporting units, rules,
// review stages, targets, assessment calendar, notice and email texts. Code never branches
// on a program id; a new province is a new configuration file validated by this schema.
import * as z from 'zod/mini';
import { ATTACHMENT_KINDS } from '../attachments.ts';
import { ConfigurationError } from '../errors.ts';
import { EDUCATION_LEVELS, TITLE_LEVELS } from '../validation/ranks.ts';

const localized = z.strictObject({
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
});
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const slug = z.string().check(z.regex(/^[a-z][a-z0-9_-]{1,40}$/));

export const RoleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,30}$/)),
  name: localized,
  description: localized,
  /** "一般配备 N 名": more active filings of this role in one enterprise is a warning, not a refusal. */
  usualPerEnterprise: z.optional(z.number().check(z.int(), z.minimum(1))),
  /**
   * The role's 主要职责 in the policy's words, one duty per item, shown on the form when the role is chosen and on the
   * review page, so applicants and reviewers judge fit against them.
   */
  duties: z._default(z.array(localized), []),
});

/**
 * What the programme's own documents are called: the filing form (附件1) and the city summary (附件2) where the policy
 * has annexes, and the words it uses for the unit and the years of experience.
 */
export const DocumentsSchema = z.strictObject({
  filing: z.strictObject({ title: localized, annex: z.optional(z.string().check(z.minLength(1))) }),
  summary: z.strictObject({ title: localized, annex: z.optional(z.string().check(z.minLength(1))) }),
  /** The column and field that name the reporting unit (所在市, or 所在市、省直管县（市） where counties report). */
  unitLabel: localized,
  /** The years-of-experience field (从事标准化工作年限, or 从事标准管理工作年限). */
  yearsLabel: localized,
});

export const ReviewerContactSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  email: z.email(),
});

export const ReportingUnitSchema = z.strictObject({
  /** GB/T 2260 code, or an internal code where the unit has none (then `official` is false). */
  code: z.string().check(z.regex(/^[0-9A-Z-]{2,20}$/)),
  name: localized,
  official: z.boolean(),
  kind: z.enum(['city', 'county', 'zone']),
  /** The bureau that reviews this unit's filings, and who receives its review emails. */
  reviewer: z.strictObject({
    authority: localized,
    contacts: z.array(ReviewerContactSchema).check(z.minLength(1)),
  }),
});

/** Eligibility conditions as data, combined with all/any. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { educationAtLeast: (typeof EDUCATION_LEVELS)[number] }
  | { titleAtLeast: (typeof TITLE_LEVELS)[number] }
  | { standardsWorkYearsAtLeast: number }
  | { trainingPassed: true }
  | { appointed: true };

export const ConditionSchema: z.ZodMiniType<Condition> = z.union([
  z.strictObject({ all: z.array(z.lazy(() => ConditionSchema)).check(z.minLength(1)) }),
  z.strictObject({ any: z.array(z.lazy(() => ConditionSchema)).check(z.minLength(1)) }),
  z.strictObject({ educationAtLeast: z.enum(EDUCATION_LEVELS) }),
  z.strictObject({ titleAtLeast: z.enum(TITLE_LEVELS) }),
  z.strictObject({ standardsWorkYearsAtLeast: z.number().check(z.minimum(0)) }),
  z.strictObject({ trainingPassed: z.literal(true) }),
  z.strictObject({ appointed: z.literal(true) }),
]);

export const EligibilityRuleSchema = z.strictObject({
  id: slug,
  /** Roles the rule applies to. */
  roles: z.array(z.string()).check(z.minLength(1)),
  /** hard: the filing is refused; soft: accepted with a warning the reviewer sees. */
  severity: z.enum(['hard', 'soft']),
  condition: ConditionSchema,
  /** The field the finding is attached to. */
  path: z.string(),
  message: localized,
  /** Where in the policy the rule comes from. */
  source: z.string(),
});

/**
 * The review stages the filing workflow knows, in the order it runs them: the city (or county)
 * bureau, then the province's inclusion from the city's summary batch. A programme lists the
 * city stage alone when the city's approval ends the review (the filing is registered).
 */
export const REVIEW_STAGE_KINDS = ['city', 'province'] as const;
export type ReviewStageKind = (typeof REVIEW_STAGE_KINDS)[number];

export const ReviewStageSchema = z.strictObject({
  id: z.enum(REVIEW_STAGE_KINDS, {
    error: (issue) =>
      `unknown review stage ${JSON.stringify(issue.input)} (the workflow runs ${REVIEW_STAGE_KINDS.join(', ')})`,
  }),
  name: localized,
  /** How long a reviewer has before the task escalates (days). */
  timeoutDays: z.number().check(z.int(), z.minimum(1), z.maximum(24)),
  /** Reminder days after the task opened, each before the timeout. */
  reminderDays: z.array(z.number().check(z.int(), z.minimum(1))),
});

export const TargetSchema = z.strictObject({
  id: slug,
  deadline: isoDate,
  description: localized,
  /** Pool size (all listed roles) to reach by the deadline; absent for qualitative milestones. */
  minPoolSize: z.optional(z.number().check(z.int(), z.minimum(1))),
  roles: z.optional(z.array(z.string())),
});

/**
 * Enterprise coverage (Anhui: 「重点引导…规模以上企业特别是战略性新兴产业企业」): the enterprises with at least one
 * member of `roles`, counted per reporting unit and split by 规上 and 战略性新兴产业. `base` holds, where the province
 * has them, how many such enterprises each unit has (the denominators; our filings cannot know them), so the report
 * can show the share; a unit without a figure gets the count alone.
 */
export const CoverageSchema = z.strictObject({
  roles: z.array(z.string()).check(z.minLength(1)),
  base: z.optional(
    z.strictObject({
      /** Where the figures come from (e.g. the statistics bureau's list of a year). */
      source: localized,
      units: z.record(
        z.string(),
        z.strictObject({
          aboveScale: z.optional(z.number().check(z.int(), z.minimum(1))),
          emerging: z.optional(z.number().check(z.int(), z.minimum(1))),
        }),
      ),
    }),
  ),
});
export const ProgramSchema = z
  .strictObject({
    id: slug,
    province: z.strictObject({ code: z.string().check(z.regex(/^\d{2}$/)), name: localized }),
    authority: localized,
    title: localized,
    policy: z.strictObject({ reference: z.string(), issued: isoDate }),
    roles: z.array(RoleSchema).check(z.minLength(1)),
    reportingUnits: z.array(ReportingUnitSchema).check(z.minLength(1)),
    /** Provincial staff who receive escalated reviews and the city summary batches. */
    provinceReviewers: z.array(ReviewerContactSchema).check(z.minLength(1)),
    eligibility: z.array(EligibilityRuleSchema),
    reviewStages: z
      .array(ReviewStageSchema)
      .check(z.minLength(1, { error: 'no review stages: the workflow needs at least the city stage' })),
    targets: z.array(TargetSchema),
    /** Enterprise coverage in the target-progress report (absent: the report shows none). */
    coverage: z.optional(CoverageSchema),
    documents: z._default(DocumentsSchema, {
      filing: { title: { zh: '人员信息备案表', en: 'Filing form' } },
      summary: { title: { zh: '人员信息汇总表', en: 'Summary of filings' } },
      unitLabel: { zh: '所在市', en: 'City' },
      yearsLabel: { zh: '从事标准化工作年限', en: 'Years in standardization work' },
    }),
    /** Documents every filing must carry (企业意见盖章, 聘任文件); other kinds may still be attached. */
    requiredAttachments: z._default(z.array(z.enum(ATTACHMENT_KINDS)), []),
    /** Days an applicant has to send the changes the city asked for (design: 21). */
    amendmentDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(24)), 21),
    /**
     * Training pass lists: a filing's certificate number not found on them is a warning while
     * the lists are incomplete (default); `requireRoster` makes it a refusal once they are.
     */
    training: z._default(
      z.strictObject({
        requireRoster: z._default(z.boolean(), false),
        /**
         * The training milestones the report checks against the batches: the province runs the
         * first batch in `provinceFirstBatchYear`; from `citiesFromYear` on, each year has
         * batches run by the cities. Absent: the programme sets no training milestone.
         */
        milestones: z.optional(
          z.strictObject({
            provinceFirstBatchYear: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
            citiesFromYear: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
          }),
        ),
      }),
      { requireRoster: false },
    ),
    /** The annual return (激励考核): each enterprise answers for its own pool members. */
    assessment: z
      .strictObject({
        /** The annual return opens on this month and day (Asia/Shanghai). */
        opensOn: z.strictObject({
          month: z.number().check(z.int(), z.minimum(1), z.maximum(12)),
          day: z.number().check(z.int(), z.minimum(1), z.maximum(28)),
        }),
        /** Days the enterprises have to send their return (the window). */
        dueDays: z.number().check(z.int(), z.minimum(1), z.maximum(24)),
        /** Days after opening on which enterprises that have not answered are reminded. */
        reminderDays: z._default(z.array(z.number().check(z.int(), z.minimum(1))), []),
        /** The enterprise's own result for each person; empty: only whether the person is still in post. */
        grades: z.array(z.enum(['excellent', 'qualified', 'unqualified'])),
        /** Days the city bureau has to acknowledge its unit's returns before they go to the province. */
        acknowledgeDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(24)), 14),
      })
      .check(
        z.refine((a) => a.reminderDays.every((d) => d < a.dueDays), {
          message: 'return reminders must come before the due day',
        }),
      ),
    privacyNotice: z.strictObject({ version: z.string().check(z.minLength(1)), text: localized }),
    /** Days after which withdrawn, rejected and removed records are anonymized. */
    retentionDays: z.number().check(z.int(), z.minimum(30)),
  })
  .check(
    z.superRefine((program, ctx) => {
      const roleIds = new Set(program.roles.map((r) => r.id));
      const seen = new Set<string>();
      for (const [i, unit] of program.reportingUnits.entries()) {
        if (seen.has(unit.code)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reportingUnits', i, 'code'],
            message: `duplicate unit ${unit.code}`,
          });
        }
        seen.add(unit.code);
        if (unit.official && !/^\d{6}$/.test(unit.code)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reportingUnits', i, 'code'],
            message: 'official codes are 6 digits',
          });
        }
        if (unit.official && !unit.code.startsWith(program.province.code)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reportingUnits', i, 'code'],
            message: 'code outside the province',
          });
        }
      }
      for (const [i, rule] of program.eligibility.entries()) {
        for (const role of rule.roles) {
          if (!roleIds.has(role)) {
            ctx.addIssue({
              code: 'custom',
              path: ['eligibility', i, 'roles'],
              message: `unknown role ${role}`,
            });
          }
        }
      }
      for (const role of program.coverage?.roles ?? []) {
        if (!roleIds.has(role)) {
          ctx.addIssue({ code: 'custom', path: ['coverage', 'roles'], message: `unknown role ${role}` });
        }
      }
      for (const unit of Object.keys(program.coverage?.base?.units ?? {})) {
        if (!seen.has(unit)) {
          ctx.addIssue({
            code: 'custom',
            path: ['coverage', 'base', 'units', unit],
            message: `unknown unit ${unit}`,
          });
        }
      }
      for (const [i, target] of program.targets.entries()) {
        for (const role of target.roles ?? []) {
          if (!roleIds.has(role)) {
            ctx.addIssue({ code: 'custom', path: ['targets', i, 'roles'], message: `unknown role ${role}` });
          }
        }
      }
      // The workflow runs the stages in REVIEW_STAGE_KINDS order, each once, starting with the
      // city: any other list would fail a filing only once it reached the missing stage.
      const stageIds = program.reviewStages.map((s) => s.id);
      for (const [i, stage] of program.reviewStages.entries()) {
        if (stageIds.indexOf(stage.id) !== i) {
          ctx.addIssue({
            code: 'custom',
            path: ['reviewStages', i, 'id'],
            message: `review stage ${stage.id} is listed twice`,
          });
        } else if (REVIEW_STAGE_KINDS[i] !== stage.id) {
          const before = REVIEW_STAGE_KINDS[REVIEW_STAGE_KINDS.indexOf(stage.id) - 1];
          ctx.addIssue({
            code: 'custom',
            path: ['reviewStages', i, 'id'],
            message: before
              ? `review stage ${stage.id} needs the ${before} stage right before it`
              : `review stage ${stage.id} must come first`,
          });
        }
        if (stage.reminderDays.some((d) => d >= stage.timeoutDays)) {
          ctx.addIssue({
            code: 'custom',
            path: ['reviewStages', i],
            message: 'reminders must come before the timeout',
          });
        }
      }
    }),
  );

export type Program = z.output<typeof ProgramSchema>;
export type ProgramInput = z.input<typeof ProgramSchema>;
export type Role = Program['roles'][number];
export type ReportingUnit = Program['reportingUnits'][number];

/** Validates a program configuration once, at start-up; a broken file stops the process with the paths at fault. */
export function defineProgram(input: ProgramInput): Program {
  const result = ProgramSchema.safeParse(input);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`program ${String((input as { id?: unknown }).id)} is invalid: ${where}`);
  }
  return result.data;
}

/** Whether the programme runs this review stage. */
export function hasStage(program: Program, kind: ReviewStageKind): boolean {
  return program.reviewStages.some((s) => s.id === kind);
}

/**
 * The state in which a person of the programme holds a place: in the talent pool after the
 * province's inclusion, or registered (备案) where the city's approval ends the review.
 * Reports, the pool list and its export count and list this state for the programme.
 */
export function memberState(program: Program): 'in_pool' | 'registered' {
  return hasStage(program, 'province') ? 'in_pool' : 'registered';
}

export function findUnit(program: Program, code: string): ReportingUnit | undefined {
  return program.reportingUnits.find((u) => u.code === code);
}

export function findRole(program: Program, id: string): Role | undefined {
  return program.roles.find((r) => r.id === id);
}
