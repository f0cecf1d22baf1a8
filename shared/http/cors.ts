// Allowed site origins for CORS, one setting shared by the HTTP chain and the CDK stack.
import { ALLOWED_ORIGINS_ENV } from '../config/env.ts';

// Kept for the benchmark's in-process runtime (bench/lib/cold-response.ts); new code imports the registry.
export { ALLOWED_ORIGINS_ENV } from '../config/env.ts';

export function allowedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[ALLOWED_ORIGINS_ENV] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
