// The local outbox pages (`/_local/outbox…`): every message the local runtime "sent", newest
// first, with its links clickable (review links above all), and each message rendered as a
// mail client would show it. Local only: recipients are shown in clear, as in a mailbox.
import {
  type OutboxEntry,
  type OutboxMessage,
  readOutbox,
  readOutboxMessage,
} from '#shared/adapters/mail/mailer.ts';
import { escapeHtml, page } from '#shared/http/html.ts';

export interface OutboxPage {
  contentType: string;
  body: string;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

const json = (value: unknown): OutboxPage => ({
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value, null, 2),
});
const html = (title: string, body: string): OutboxPage => ({
  contentType: 'text/html; charset=utf-8',
  body: page(title, body),
});

/** Only http(s) links become anchors; anything else is shown as text. */
function linkHtml(url: string): string {
  return /^https?:\/\//i.test(url)
    ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`
    : `<code>${escapeHtml(url)}</code>`;
}

function listPage(entries: OutboxEntry[]): OutboxPage {
  const rows = entries
    .map(
      (e) => `<tr>
<td>${escapeHtml(e.at)}</td>
<td>${e.to.map(escapeHtml).join('<br>')}</td>
<td><a href="/_local/outbox/${encodeURIComponent(e.id)}">${escapeHtml(e.subject)}</a></td>
<td><code>${escapeHtml(e.kind)}</code></td>
<td>${e.links.map(linkHtml).join('<br>')}</td>
</tr>`,
    )
    .join('\n');
  return html(
    'Outbox',
    `<h1>Outbox</h1>
<p class="muted">${entries.length} message(s), newest first. <a href="/_local/outbox.json">json</a> · <a href="/_local">local runtime</a></p>
${
  entries.length === 0
    ? '<p>No messages yet.</p>'
    : `<table><tr><th>time</th><th>to</th><th>subject</th><th>kind</th><th>links</th></tr>
${rows}</table>`
}`,
  );
}

function messagePage(message: OutboxMessage): OutboxPage {
  const { entry } = message;
  const shown = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'x-mail-kind']);
  const headers = message.headers
    .filter((h) => shown.has(h.name.toLowerCase()))
    .map((h) => `<tr><th>${escapeHtml(h.name)}</th><td>${escapeHtml(h.value)}</td></tr>`)
    .join('');
  const attachments = message.attachments
    .map(
      (a) =>
        `<li>${escapeHtml(a.filename)} <span class="muted">(${escapeHtml(a.contentType)}, ${a.content.length} bytes)</span></li>`,
    )
    .join('');
  // The HTML part runs in a sandbox without scripts; its links open in the whole tab.
  const rendered =
    message.html === undefined
      ? '<p class="muted">No HTML part.</p>'
      : `<iframe title="message" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" style="width:100%;height:70vh;border:1px solid #ddd" srcdoc="${escapeHtml(`<base target="_top">${message.html}`)}"></iframe>`;
  return html(
    entry.subject,
    `<p><a href="/_local/outbox">← Outbox</a> · <a href="/_local/outbox/${encodeURIComponent(entry.id)}.eml">raw .eml</a></p>
<h1>${escapeHtml(entry.subject)}</h1>
<table>${headers}<tr><th>written</th><td>${escapeHtml(entry.at)}</td></tr></table>
<h2>Links</h2>
${entry.links.length ? `<ul>${entry.links.map((l) => `<li>${linkHtml(l)}</li>`).join('')}</ul>` : '<p class="muted">None.</p>'}
${attachments ? `<h2>Attachments</h2><ul>${attachments}</ul>` : ''}
<h2>HTML part</h2>
${rendered}
<h2>Text part</h2>
<pre style="white-space:pre-wrap">${escapeHtml(message.text ?? '')}</pre>`,
  );
}

/** The outbox pages for a request URL, or undefined when the path is not one of them (or the id is unknown). */
export async function outboxPages(url: URL, dir: string): Promise<OutboxPage | undefined> {
  const path = url.pathname.replace(/\/$/, '');
  if (path === '/_local/outbox') return listPage(await readOutbox(dir));
  if (path === '/_local/outbox.json') return json(await readOutbox(dir));
  const match = /^\/_local\/outbox\/([^/]+?)(\.eml)?$/.exec(path);
  const id = match?.[1];
  if (!id || !ID.test(id)) return undefined;
  const message = await readOutboxMessage(dir, id);
  if (!message) return undefined;
  if (match?.[2]) return { contentType: 'text/plain; charset=utf-8', body: message.raw };
  return messagePage(message);
}
