// What the public filing form needs to know about a program: roles, reporting units, the
// field rules, the attachments it takes, the JSON Schema of the filing and the privacy
// notice. Reviewer contacts stay internal.
import {
  ATTACHMENT_KIND_LABELS,
  ATTACHMENT_KINDS,
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
} from '../domain/attachments.ts';
import { filingJsonSchema } from '../domain/filing.ts';
import { getProgram, PROGRAMS } from '../domain/programs/index.ts';
import type { Program } from '../domain/programs/program.ts';

export function programSummary(program: Program) {
  return {
    id: program.id,
    title: program.title,
    province: program.province.name,
    authority: program.authority,
    roles: program.roles.map((r) => ({ id: r.id, name: r.name })),
  };
}

export function listPrograms() {
  return { programs: PROGRAMS.map(programSummary) };
}

export function programFacts(programId: string) {
  const program = getProgram(programId);
  return {
    ...programSummary(program),
    policy: program.policy,
    roles: program.roles.map(({ id, name, description, usualPerEnterprise, duties }) => ({
      id,
      name,
      description,
      ...(usualPerEnterprise ? { usualPerEnterprise } : {}),
      duties,
    })),
    documents: program.documents,
    reportingUnits: program.reportingUnits.map(({ code, name, official, kind }) => ({
      code,
      name,
      official,
      kind,
    })),
    fieldRules: program.eligibility.map(({ id, roles, severity, path, message, source }) => ({
      id,
      roles,
      severity,
      path,
      message,
      source,
    })),
    /** Documents the form uploads (POST /programs/{id}/uploads) and the filing refers to. */
    attachments: {
      kinds: ATTACHMENT_KINDS.map((id) => ({
        id,
        name: ATTACHMENT_KIND_LABELS[id],
        required: program.requiredAttachments.includes(id),
      })),
      contentTypes: [...ATTACHMENT_TYPES],
      maxBytes: MAX_ATTACHMENT_BYTES,
    },
    filingSchema: filingJsonSchema(),
    privacyNotice: program.privacyNotice,
  };
}
