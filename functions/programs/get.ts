// GET /programs/{programId}: what the filing form needs (roles, units, rules, JSON Schema, notice).
import { httpHandler } from '#shared/http/handler.ts';
import { programFacts } from '#shared/use-cases/program-facts.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: programFacts(req.pathParameters.programId ?? ''),
  headers: { 'cache-control': 'public, max-age=300' },
}));
