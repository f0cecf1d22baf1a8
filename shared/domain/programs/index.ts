// The programs this deployment serves. Adding a province = a configuration file + one line here.
import { NotFoundError } from '../errors.ts';
import { anhuiStdDirector } from './anhui-std-director.ts';
import { liaoningCso } from './liaoning-cso.ts';
import type { Program } from './program.ts';

export const PROGRAMS: readonly Program[] = [liaoningCso, anhuiStdDirector];

export function getProgram(id: string, programs: readonly Program[] = PROGRAMS): Program {
  const program = programs.find((p) => p.id === id);
  if (!program) throw new NotFoundError('program');
  return program;
}
