// What the annual return (激励考核, by the enterprise) keeps and whom it tells: the ports its
// use cases (shared/use-cases/returns/) own. The DynamoDB adapter is shared/data/return-store.ts,
// the mail and Step Functions adapters are in shared/wiring/return-services.ts; unit tests pass
// plain fakes.
//
// Items (partition RETURN#<programId>#<year>):
//   PROGRAM                the programme's year: units started, the parent's wait, when it closed
//   UNIT#<unit>            one unit's return: enterprises, answers so far, the city's acknowledgement, results
//   ENT#<unit>#<nnnnn>     one enterprise of the unit (numbered, so batches are key ranges): its people, its answer
// and LINK#<sha256 of token> / RETURN: an enterprise's or a city's link (only the hash of its token).
import { type FilingState, STATES } from '../domain/lifecycle.ts';
import type { Program } from '../domain/programs/program.ts';

/**
 * The filings the annual return covers: the talent pool (`in_pool`) and, for a programme whose
 * filings end in registration without a pool (Anhui), the registered directors (`registered`,
 * where the lifecycle has that state). Both leave through `remove`.
 */
export const RETURN_STATES: readonly FilingState[] = STATES.filter(
  (s) => s === 'in_pool' || (s as string) === 'registered',
);

/** The enterprise's own result for a person still in post (the programme's scale is a subset). */
export const RESULTS = ['excellent', 'qualified', 'unqualified'] as const;
export type Result = (typeof RESULTS)[number];

export const RESULT_LABELS: Record<Result, { zh: string; en: string }> = {
  excellent: { zh: '优秀', en: 'Excellent' },
  qualified: { zh: '合格', en: 'Qualified' },
  unqualified: { zh: '不合格', en: 'Unqualified' },
};

/** A pool member as the return lists them: masked name, never the ID number, phone or email. */
export interface ReturnMember {
  filingId: string;
  /** Masked (`张*`). */
  name: string;
  role: string;
  /** 现任职务 as filed: tells two people of the same surname apart. */
  position: string;
}

/** What the enterprise answered for one person. */
export interface PersonAnswer {
  inPost: boolean;
  /** The enterprise's result, where the programme has a scale and the person is still in post. */
  result?: Result;
  /** Nominated for the province's 优秀评选, with the enterprise's reason. */
  nomination?: { reason: string };
}

export interface EnterpriseReturn {
  programId: string;
  year: string;
  unit: string;
  /** 1-based number within the unit (mail batches are ranges of it). */
  seq: number;
  uscc: string;
  name: string;
  /** Where its link goes: the filings' enterprise contact, else the officer's own email; empty: unreachable. */
  recipients: string[];
  /** The recipients are the officer's own email (the filings predate the enterprise contact's). */
  fallback: boolean;
  members: ReturnMember[];
  /** When the link was sent, and when the latest reminder. */
  notifiedAt?: string;
  remindedAt?: string;
  answers?: Record<string, PersonAnswer>;
  answeredAt?: string;
}

/** Who acknowledged the unit's returns (from the link): the city, or the province after escalation. */
export interface Acknowledger {
  role: 'city' | 'province';
  id: string;
  unit?: string;
}

export type RemovalCause = 'unqualified' | 'left';

export interface Removal {
  filingId: string;
  name: string;
  role: string;
  uscc: string;
  enterprise: string;
  cause: RemovalCause;
}

export interface Nominee {
  filingId: string;
  /** Masked: the filing holds no consent to publish a full name. */
  name: string;
  role: string;
  unit: string;
  uscc: string;
  enterprise: string;
  reason: string;
  result?: Result;
}

/** An enterprise on the city's follow-up list: no answer by the deadline (or no address at all). */
export interface FollowUp {
  uscc: string;
  enterprise: string;
  members: number;
  /** Never reached: neither the enterprise contact nor the officers left an email. */
  unreachable: boolean;
}

/** An enterprise that answered, for the lists. */
export interface Responded {
  uscc: string;
  enterprise: string;
  members: number;
  answeredAt: string;
}

export interface UnitResults {
  enterprises: number;
  answered: number;
  responded: Responded[];
  members: number;
  inPost: number;
  left: number;
  results: Record<Result, number>;
  removals: Removal[];
  nominees: Nominee[];
  followUp: FollowUp[];
}

export type RemovalOutcome = 'removed' | 'skipped';

export type UnitStatus = 'collecting' | 'reviewing' | 'applying' | 'done' | 'failed';

export interface UnitReturn {
  programId: string;
  year: string;
  unit: string;
  status: UnitStatus;
  openedAt: string;
  /** The enterprises' deadline (their links expire then). */
  deadline: string;
  enterprises: number;
  members: number;
  answered: number;
  /** Enterprises with no address at all (no link was sent). */
  unreachable: FollowUp[];
  /** The wait the unit is in (the backend-only Step Functions token), once opened. */
  taskToken?: string;
  escalated?: boolean;
  /** Set when the collection closes (deadline, or every reachable enterprise answered). */
  results?: UnitResults;
  acknowledgedAt?: string;
  acknowledgedBy?: Acknowledger;
  /** What each removal did, once applied. */
  outcomes?: Record<string, RemovalOutcome>;
  error?: string;
  finishedAt?: string;
}

export interface ProgramReturn {
  programId: string;
  year: string;
  status: 'open' | 'closed' | 'failed';
  startedAt: string;
  /** Units whose return was started; set once, so a retried start uses the same list. */
  units?: string[];
  taskToken?: string;
  closedAt?: string;
  error?: string;
}

export interface ReturnLink {
  tokenHash: string;
  programId: string;
  year: string;
  unit: string;
  /** An enterprise's return form, or the city's (escalated: the province's) summary page. */
  kind: 'enterprise' | 'city';
  /** The enterprise (kind enterprise). */
  seq?: number;
  /** Who the summary link was sent to (kind city). */
  reviewer?: Acknowledger;
  createdAt: string;
  expiresAt: string;
}

export interface ReturnStore {
  /** Creates the programme's year if absent; returns what is stored either way. */
  openProgram(input: { programId: string; year: string; startedAt: string }): Promise<ProgramReturn>;
  getProgram(programId: string, year: string): Promise<ProgramReturn | undefined>;
  /** Records the units started, unless a list is already there; returns the stored list. */
  setProgramUnits(programId: string, year: string, units: string[]): Promise<string[]>;
  setProgramWait(programId: string, year: string, taskToken: string): Promise<void>;
  closeProgram(
    programId: string,
    year: string,
    outcome: { status: 'closed' | 'failed'; at: string; error?: string },
  ): Promise<void>;
  /** Units with pool members, from the counters (never the filings). */
  unitsWithPoolMembers(programId: string): Promise<string[]>;
  /** Filing ids of a unit, every state (the `filingsByUnit` index). */
  unitFilingIds(programId: string, unit: string): Promise<string[]>;

  getUnit(programId: string, year: string, unit: string): Promise<UnitReturn | undefined>;
  listUnits(programId: string, year: string): Promise<UnitReturn[]>;
  /** Writes the enterprises, then the unit (conditional); returns the stored unit (an earlier attempt's if any). */
  createUnit(unit: UnitReturn, enterprises: EnterpriseReturn[]): Promise<UnitReturn>;
  /** Enterprises `from` … `from + limit - 1` by number (one Query). */
  enterpriseRange(
    programId: string,
    year: string,
    unit: string,
    from: number,
    limit: number,
  ): Promise<EnterpriseReturn[]>;
  getEnterprise(
    programId: string,
    year: string,
    unit: string,
    seq: number,
  ): Promise<EnterpriseReturn | undefined>;
  /** Records that the link (or a reminder) went out. */
  markSent(
    programId: string,
    year: string,
    unit: string,
    seq: number,
    sent: { kind: 'notify' | 'remind'; at: string },
  ): Promise<void>;
  setUnitWait(
    programId: string,
    year: string,
    unit: string,
    wait: { taskToken: string; escalated: boolean },
  ): Promise<UnitReturn>;
  /**
   * Records an enterprise's answer and counts it on the unit, on condition that the enterprise
   * has not answered and the unit still collects (ConflictError `already_answered` or `closed`
   * otherwise); returns the unit after it.
   */
  answer(
    programId: string,
    year: string,
    unit: string,
    seq: number,
    answer: { answers: Record<string, PersonAnswer>; at: string },
  ): Promise<UnitReturn>;
  /** Ends the collection with its results (collecting → reviewing); false when it had ended already. */
  closeCollection(programId: string, year: string, unit: string, results: UnitResults): Promise<boolean>;
  /** The city's acknowledgement (reviewing → applying); ConflictError `already_acknowledged` otherwise. */
  acknowledge(
    programId: string,
    year: string,
    unit: string,
    ack: { at: string; by: Acknowledger },
  ): Promise<UnitReturn>;
  recordOutcomes(
    programId: string,
    year: string,
    unit: string,
    outcomes: Record<string, RemovalOutcome>,
  ): Promise<void>;
  /** Ends the unit: done, or failed (expired, error). Returns false if it had ended already. */
  finishUnit(
    programId: string,
    year: string,
    unit: string,
    outcome: { status: 'done' | 'failed'; at: string; error?: string },
    /** For `failed` on expiry: only while the acknowledgement is still awaited. */
    onlyIfReviewing?: boolean,
  ): Promise<boolean>;

  putLink(link: ReturnLink): Promise<void>;
  getLink(tokenHash: string): Promise<ReturnLink | undefined>;
}

/** Starting the programme's year (StartExecution; the name makes a repeat harmless). */
export interface ReturnStarter {
  startProgram(programId: string, year: string): Promise<{ execution: string; alreadyStarted: boolean }>;
  startUnit(programId: string, year: string, unit: string): Promise<void>;
}

export interface EnterpriseNotice {
  program: Program;
  year: string;
  kind: 'notify' | 'remind';
  enterprise: EnterpriseReturn;
  link: string;
  deadline: string;
}

export interface SummaryNotice {
  program: Program;
  year: string;
  unit: string;
  kind: 'notify' | 'escalate';
  recipients: { name: string; email: string }[];
  /** One link per recipient, in the same order. */
  links: string[];
  deadline: string;
  results: UnitResults;
}

export interface ReturnNotifier {
  /** One enterprise's link (or reminder): one mail, to its recipients. */
  enterprise(notice: EnterpriseNotice): Promise<void>;
  /** The unit's returns to acknowledge: to the city reviewers, or the province after escalation. */
  summary(notice: SummaryNotice): Promise<void>;
  /** The programme's year, to the province: per unit, and the nominees. */
  results(notice: {
    program: Program;
    year: string;
    units: UnitReturn[];
    recipients: { name: string; email: string }[];
  }): Promise<void>;
  /** To the operators: a unit's or the programme's return failed or expired. No personal data. */
  failure(notice: { programId: string; year: string; unit?: string; error: string }): Promise<void>;
}
