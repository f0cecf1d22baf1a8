// Staff and what they may do. A member of staff is known by the groups of their sign-in
// token (Cognito groups in the cloud, the same names from an OIDC provider or the local key
// set): `city-<programme>-<unit>` (city staff of one reporting unit), `province-<programme>`
// (province staff of one programme), `auditor-<programme>` (read-only, with the audit log).
// Every staff use case asks `authorize` first; a refusal is a 403 that names nothing.
import * as z from 'zod/mini';
import { ForbiddenError } from './errors.ts';
import { getProgram } from './programs/index.ts';
import { findUnit } from './programs/program.ts';
import { lineText } from './text-fields.ts';

export type StaffRole = 'city' | 'province' | 'auditor';

export interface StaffScope {
  role: StaffRole;
  programId: string;
  /** City staff only: their reporting unit. */
  unit?: string;
}

export interface StaffPrincipal {
  /** The token's subject (who, for the audit trail). */
  subject: string;
  scopes: StaffScope[];
}

/** What a staff request does, for the authorization table. */
export type StaffAction =
  | 'list' // search and list filings, pool members
  | 'read' // a filing's detail (masked)
  | 'reveal' // unmask an ID number or phone (with a reason, audited)
  | 'audit' // the audit log of a filing or a unit
  | 'export' // the city summary (附件2)
  | 'import' // import pool members
  | 'report' // the target-progress report
  | 'resume' // restart a filing's review after its workflow failed (recorded and alerted)
  | 'remove' // remove a member from the pool, with a reason (audited)
  | 'training'; // record a training batch and upload its pass list

/** Which roles may take each action (on their own unit or programme only). */
export const STAFF_PERMISSIONS: Record<StaffAction, readonly StaffRole[]> = {
  list: ['city', 'province', 'auditor'],
  read: ['city', 'province', 'auditor'],
  reveal: ['city', 'province'],
  audit: ['province', 'auditor'],
  export: ['city', 'province'],
  import: ['province'],
  report: ['province', 'auditor'],
  // The province watches the whole programme's workflows and receives their failure alerts.
  resume: ['province'],
  // The province keeps the pool; cities review and guide, and learn of every removal by mail.
  remove: ['province'],
  // The province runs the first batches; from 2022 each city records and uploads its own.
  training: ['city', 'province'],
};

const GROUP = /^(city|province|auditor)-([a-z0-9-]+?)(?:-([0-9A-Z]{2,6}(?:-[0-9A-Z]{2,4})?))?$/;

/** Group names the token may carry for a scope (the inverse of `scopeOfGroup`). */
export function groupOf(scope: StaffScope): string {
  return scope.role === 'city' ? `city-${scope.programId}-${scope.unit}` : `${scope.role}-${scope.programId}`;
}

/** The scope a group names, if it names a programme (and unit) that exist. */
export function scopeOfGroup(group: string): StaffScope | undefined {
  const match = GROUP.exec(group);
  if (!match) return undefined;
  const [, role, programId, unit] = match as unknown as [string, StaffRole, string, string | undefined];
  let program: ReturnType<typeof getProgram>;
  try {
    program = getProgram(programId);
  } catch {
    return undefined;
  }
  if (role === 'city') {
    if (!unit || !findUnit(program, unit)) return undefined;
    return { role, programId, unit };
  }
  return unit ? undefined : { role, programId };
}

/**
 * The groups claim as API Gateway hands it over. An array is taken as it is, item by item. The
 * HTTP API JWT authorizer renders an array claim as one string, its items joined by single
 * spaces inside brackets (`[city-liaoning-cso-210100 auditor-liaoning-cso]`); that string, or a
 * bare one, is split on single spaces only. Never on commas or other white space: a group
 * named `staff,province-liaoning-cso` is one group, and it names no scope.
 */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  const inner = /^\[(.*)\]$/s.exec(claim)?.[1] ?? claim;
  return inner.split(' ').filter((g) => g !== '');
}

export function principalFromClaims(claims: Record<string, unknown>): StaffPrincipal | undefined {
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!subject) return undefined;
  const scopes = groupsFromClaim(claims['cognito:groups'] ?? claims.groups).flatMap((g) => {
    const scope = scopeOfGroup(g);
    return scope ? [scope] : [];
  });
  return { subject, scopes };
}

/** What a request touches: a programme, and for unit-scoped data the unit. */
export interface StaffTarget {
  programId: string;
  unit?: string;
}

/** The scope that allows `action` on `target`, or ForbiddenError. */
export function authorize(principal: StaffPrincipal, action: StaffAction, target: StaffTarget): StaffScope {
  const allowed = STAFF_PERMISSIONS[action];
  const scope = principal.scopes.find(
    (s) =>
      allowed.includes(s.role) &&
      s.programId === target.programId &&
      (s.role !== 'city' || (target.unit !== undefined && s.unit === target.unit)),
  );
  if (!scope) throw new ForbiddenError('forbidden');
  return scope;
}

/** The units of a programme this principal may `action` on (all for province and auditor). */
export function unitsFor(principal: StaffPrincipal, action: StaffAction, programId: string): string[] {
  const program = getProgram(programId);
  const all = program.reportingUnits.map((u) => u.code);
  const allowed = STAFF_PERMISSIONS[action];
  const units = new Set<string>();
  for (const s of principal.scopes) {
    if (!allowed.includes(s.role) || s.programId !== programId) continue;
    if (s.role === 'city') {
      if (s.unit) units.add(s.unit);
    } else {
      for (const u of all) units.add(u);
    }
  }
  return all.filter((u) => units.has(u));
}

/** A staff member's reason: one line of 4–200 characters, shown in the audit log and its exports. */
export const STAFF_REASON = { min: 4, max: 200 } as const;

/** Unmasking asks what to show and why (the reason goes to the access log). */
export const RevealRequestSchema = z.strictObject({
  fields: z.array(z.enum(['idNumber', 'mobile'])).check(z.minLength(1), z.maxLength(2)),
  reason: lineText(STAFF_REASON.min, STAFF_REASON.max),
});
export type RevealRequest = z.output<typeof RevealRequestSchema>;

/** Restarting a review says why (the reason goes to the access log with the restart). */
export const ResumeRequestSchema = z.strictObject({
  reason: lineText(STAFF_REASON.min, STAFF_REASON.max),
});
export type ResumeRequest = z.output<typeof ResumeRequestSchema>;
