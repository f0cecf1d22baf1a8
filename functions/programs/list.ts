// GET /programs: the programs this deployment serves.
import { httpHandler } from '#shared/http/handler.ts';
import { listPrograms } from '#shared/use-cases/program-facts.ts';

export const handler = httpHandler({}, async () => ({
  statusCode: 200,
  body: listPrograms(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
