// What the annual assessment keeps and whom it tells: the ports its use cases own. The
// DynamoDB adapter is shared/data/assessment-store.ts, the mail and Step Functions adapters
// are in shared/adapters/assessment-services.ts; unit tests pass plain fakes.
//
// Items (partition ASSESSMENT#<programId>#<year>):
//   PROGRAM                 the programme's year: units started, the parent's wait, the summary
//   UNIT#<unit>             one unit's batch: pages, grading wait, status, results
//   PAGE#<unit>#<nnnn>      one page of the batch (≤ page size members), its grades and outcomes
// and LINK#<sha256 of token> / ASSESSMENT: a grading link (only the hash of its token).
import type { Program } from '../../domain/programs/program.ts';

export const GRADES = ['excellent', 'qualified', 'basically_qualified', 'unqualified'] as const;
export type Grade = (typeof GRADES)[number];

/** Who graded a page (from the link): city staff of the unit, or the province after escalation. */
export interface Grader {
  role: 'city' | 'province';
  id: string;
  unit?: string;
}

/** A pool member as the batch shows them: masked name, never the ID number or phone. */
export interface RosterMember {
  filingId: string;
  /** Masked (`张*`). */
  name: string;
  role: string;
  enterprise: string;
}

export interface GradeEntry {
  grade: Grade;
  /** Required for 不合格 (the city's words, shown to the person's record as the removal reason). */
  reason?: string;
}

/** What applying a grade did to the member's filing. */
export type Outcome = 'assessed' | 'removed' | 'skipped';

export interface AssessmentPage {
  programId: string;
  year: string;
  unit: string;
  /** 1-based. */
  page: number;
  members: RosterMember[];
  grades?: Record<string, GradeEntry>;
  decidedAt?: string;
  decidedBy?: Grader;
  /** Set by ApplyPage, per member. */
  outcomes?: Record<string, Outcome>;
}

export type UnitStatus = 'open' | 'applying' | 'done' | 'failed';

export interface UnitResults {
  members: number;
  graded: Record<Grade, number>;
  removed: number;
  /** Graded members who had left the pool before the grades were applied (nothing applied). */
  skipped: number;
  /** 优秀, masked names only (the filing holds no consent to publish full names). */
  outstanding: OutstandingEntry[];
}

export interface OutstandingEntry {
  filingId: string;
  /** Masked (`张*`). */
  name: string;
  role: string;
  unit: string;
  enterprise: string;
}

export interface UnitAssessment {
  programId: string;
  year: string;
  unit: string;
  status: UnitStatus;
  members: number;
  /** Members per page (the last page may hold fewer). */
  pageSize: number;
  pageCount: number;
  pagesDecided: number;
  /** Which pages are graded (1-based). */
  decidedPages?: number[];
  openedAt: string;
  /** The wait the unit is in (the backend-only Step Functions token), once opened. */
  taskToken?: string;
  escalated?: boolean;
  deadline?: string;
  results?: UnitResults;
  error?: string;
  finishedAt?: string;
}

export interface ProgramSummary {
  units: { unit: string; status: UnitStatus | 'not_started'; results?: UnitResults; error?: string }[];
  totals: { members: number; graded: Record<Grade, number>; removed: number; skipped: number };
  outstanding: OutstandingEntry[];
  /** Units that had not finished when the summary was made. */
  unfinished: string[];
}

export interface ProgramAssessment {
  programId: string;
  year: string;
  status: 'open' | 'closed' | 'failed';
  startedAt: string;
  /** Units whose batch was started; set once, so a retried start uses the same list. */
  units?: string[];
  taskToken?: string;
  summary?: ProgramSummary;
  closedAt?: string;
  error?: string;
}

export interface AssessmentLink {
  tokenHash: string;
  programId: string;
  year: string;
  unit: string;
  stage: 'assessment';
  reviewer: Grader;
  createdAt: string;
  expiresAt: string;
}

export interface AssessmentStore {
  /** Creates the programme's year if absent; returns what is stored either way. */
  openProgram(input: { programId: string; year: string; startedAt: string }): Promise<ProgramAssessment>;
  getProgram(programId: string, year: string): Promise<ProgramAssessment | undefined>;
  /** Records the units started, unless a list is already there; returns the stored list. */
  setProgramUnits(programId: string, year: string, units: string[]): Promise<string[]>;
  setProgramWait(programId: string, year: string, taskToken: string): Promise<void>;
  closeProgram(
    programId: string,
    year: string,
    outcome: { status: 'closed' | 'failed'; at: string; summary?: ProgramSummary; error?: string },
  ): Promise<void>;
  /** Units with pool members, from the counters (never the filings). */
  unitsWithPoolMembers(programId: string): Promise<string[]>;
  /** Filing ids of a unit, every state (the `filingsByUnit` index). */
  unitFilingIds(programId: string, unit: string): Promise<string[]>;

  getUnit(programId: string, year: string, unit: string): Promise<UnitAssessment | undefined>;
  listUnits(programId: string, year: string): Promise<UnitAssessment[]>;
  /** Writes the pages, then the unit (conditional); returns the stored unit (an earlier attempt's if any). */
  createUnit(unit: UnitAssessment, pages: AssessmentPage[]): Promise<UnitAssessment>;
  setUnitWait(
    programId: string,
    year: string,
    unit: string,
    wait: { taskToken: string; escalated: boolean; deadline: string },
  ): Promise<UnitAssessment>;
  getPage(programId: string, year: string, unit: string, page: number): Promise<AssessmentPage | undefined>;
  /**
   * Records a page's grades, on condition that the page is undecided and the unit still open
   * (ConflictError `already_decided` or `closed` otherwise); returns the unit after it.
   */
  decidePage(
    programId: string,
    year: string,
    unit: string,
    page: number,
    decision: { grades: Record<string, GradeEntry>; at: string; by: Grader },
  ): Promise<UnitAssessment>;
  /** Closes grading for the apply step (open → applying); harmless when already applying. */
  startApplying(programId: string, year: string, unit: string): Promise<void>;
  recordOutcomes(
    programId: string,
    year: string,
    unit: string,
    page: number,
    outcomes: Record<string, Outcome>,
  ): Promise<void>;
  /** Ends the unit: done with its results, or failed (expired, error). Returns false if it had ended already. */
  finishUnit(
    programId: string,
    year: string,
    unit: string,
    outcome: { status: 'done' | 'failed'; at: string; results?: UnitResults; error?: string },
    /** For `failed` on expiry: only while some page is still ungraded. */
    onlyIfUngraded?: boolean,
  ): Promise<boolean>;

  putLink(link: AssessmentLink): Promise<void>;
  getLink(tokenHash: string): Promise<AssessmentLink | undefined>;
}

/** Starting the programme's year (StartExecution; the name makes a repeat harmless). */
export interface AssessmentStarter {
  startProgram(programId: string, year: string): Promise<{ execution: string; alreadyStarted: boolean }>;
  startUnit(programId: string, year: string, unit: string): Promise<void>;
}

export interface GradingNotice {
  program: Program;
  year: string;
  unit: string;
  kind: 'notify' | 'remind' | 'escalate';
  recipients: { name: string; email: string }[];
  /** One link per recipient, in the same order. */
  links: string[];
  deadline: string;
  members: number;
  pages: number;
}

export interface AssessmentNotifier {
  grading(notice: GradingNotice): Promise<void>;
  /** The programme's results, to the province. */
  summary(notice: {
    program: Program;
    year: string;
    summary: ProgramSummary;
    recipients: { name: string; email: string }[];
  }): Promise<void>;
  /** To the operators: a unit's or the programme's assessment failed or expired. No personal data. */
  failure(notice: { programId: string; year: string; unit?: string; error: string }): Promise<void>;
}
