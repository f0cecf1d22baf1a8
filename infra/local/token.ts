// `npm run token -- --role city --unit 210100` | `--role province --program liaoning-cso` |
// `--role auditor --program liaoning-cso` [--subject name] [--expires 8h]: prints a staff token
// from the local key set, for `Authorization: Bearer <token>` against `npm start`.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { type StaffScope, scopeOfGroup } from '#shared/domain/staff.ts';
import { issueStaffToken, staffKeyFile } from './staff-auth.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const usage =
  'usage: npm run token -- --role city --unit <code> [--program <id>] | --role province|auditor --program <id> [--subject <name>] [--expires 8h]';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    unit: { type: 'string' },
    program: { type: 'string' },
    subject: { type: 'string' },
    expires: { type: 'string' },
  },
});
const fail = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(2);
};
const role = values.role ?? fail('--role is required');
let programId = values.program;
if (role === 'city') {
  const unit = values.unit ?? fail('--unit is required for city staff');
  if (!programId) {
    const owners = PROGRAMS.filter((p) => p.reportingUnits.some((u) => u.code === unit));
    if (owners.length !== 1) fail(`unit ${unit} belongs to ${owners.length} programmes: give --program`);
    programId = owners[0]?.id;
  }
}
const group =
  role === 'city'
    ? `city-${programId}-${values.unit}`
    : `${role}-${programId ?? fail('--program is required')}`;
const scope: StaffScope = scopeOfGroup(group) ?? fail(`no such role, programme or unit: ${group}`);
const localDir = resolve(process.env.LOCAL_DIR ?? join(root, '.local'));
console.log(
  await issueStaffToken(staffKeyFile(localDir), {
    scopes: [scope],
    ...(values.subject ? { subject: values.subject } : {}),
    ...(values.expires ? { expiresIn: values.expires } : {}),
  }),
);
