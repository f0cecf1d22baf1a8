// The repository root, for constructs that point at source files (handlers, workflows, site).
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
