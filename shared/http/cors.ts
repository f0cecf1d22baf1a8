// Allowed site origins for CORS, one setting shared by the HTTP chain and the CDK stack.
export const ALLOWED_ORIGINS_ENV = 'ALLOWED_ORIGINS';

export function allowedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[ALLOWED_ORIGINS_ENV] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
