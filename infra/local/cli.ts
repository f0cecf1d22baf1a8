// `npm run local -- <command>`: talks to a running `npm start` (PORT, default 3000).
//   tick <n>(s|m|h|d)   fast-forward the workflow clock (reminders, escalations, expiries fire)
//   send-batches        run the weekly city-summary schedule now
const [command, arg] = process.argv.slice(2);
const base = `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const paths: Record<string, string> = {
  tick: `/_local/tick?by=${encodeURIComponent(arg ?? '')}`,
  'send-batches': '/_local/run/send-batches',
};
const path = command ? paths[command] : undefined;
if (!path) {
  console.error('usage: npm run local -- tick <n>(s|m|h|d) | send-batches');
  process.exit(2);
}
const res = await fetch(`${base}${path}`, { method: 'POST' });
console.log(await res.text());
process.exit(res.ok ? 0 : 1);
