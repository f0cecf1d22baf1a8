// One renderer for every message the system sends: a message is a heading and a list of blocks,
// rendered twice, as plain text and as HTML (one column, inline styles because mail clients drop
// style sheets, readable on a phone), framed with the programme's title and a do-not-reply footer.
// The review mails (review-mails.ts) and the annual return's (return-mails.ts) both use it.
import type { Program } from '../domain/programs/program.ts';
import { escapeHtml } from './html.ts';

export type MailBlock =
  | { kind: 'p'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'list'; items: string[] }
  /** A grid; as text, its head and rows joined with ` | `. */
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** A wide sheet (附件2) kept on one line per row; as text, one numbered record per row. */
  | { kind: 'sheet'; head: string[]; rows: string[][] }
  | { kind: 'button'; label: string; url: string }
  | { kind: 'note'; text: string };

/** A rendered message: spread it into `MailMessage` with the recipients. */
export interface MailContent<K extends string> {
  kind: K;
  subject: string;
  text: string;
  html: string;
  /** The links the message carries, for `MailMessage.links`. */
  links: string[];
}

export interface MailLook {
  /**
   * Label/value rows whose values may be long (ids, URLs): the value breaks anywhere and the
   * label stays at the top of its row. The annual return's mails never had it.
   */
  breakFactValues: boolean;
}

const FONT = 'system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif';
const CELL = 'border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top';

/** A link a message may carry: http(s) only. */
function checkedUrl(url: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('email link is not a URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error('email links must be http(s)');
  return url;
}

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case 'p':
    case 'note':
      return block.text;
    case 'heading':
      return `【${block.text}】`;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}：${value}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      return [block.head.join(' | '), ...block.rows.map((r) => r.join(' | '))].join('\n');
    case 'sheet':
      return block.rows
        .map(
          (row) =>
            `${row[0] ?? ''}. ${row
              .slice(1)
              .map((cell, i) => `${block.head[i + 1] ?? ''}：${cell || '—'}`)
              .join('；')}`,
        )
        .join('\n');
    case 'button':
      return `${block.label}：\n${block.url}`;
  }
}

function gridHtml(head: string[], rows: string[][], tableStyle: string): string {
  const e = escapeHtml;
  return `<div style="overflow-x:auto;margin:0 0 12px"><table style="${tableStyle}"><thead><tr>${head
    .map((h) => `<th style="${CELL};background:#f0f2f5">${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((c) => `<td style="${CELL}">${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

function blockHtml(block: MailBlock, look: MailLook): string {
  const e = escapeHtml;
  switch (block.kind) {
    case 'p':
      return `<p style="margin:0 0 12px">${e(block.text)}</p>`;
    case 'heading':
      return `<h2 style="font-size:16px;margin:20px 0 8px">${e(block.text)}</h2>`;
    case 'facts': {
      const th = `text-align:left;font-weight:normal;color:#555;padding:4px 12px 4px 0;white-space:nowrap;${look.breakFactValues ? 'vertical-align:top;' : ''}width:1%`;
      const td = `padding:4px 0${look.breakFactValues ? ';word-break:break-all' : ''}`;
      return `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 12px;font-size:15px">${block.rows
        .map(
          ([label, value]) => `<tr><th style="${th}">${e(label)}</th><td style="${td}">${e(value)}</td></tr>`,
        )
        .join('')}</table>`;
    }
    case 'list':
      return `<ul style="margin:0 0 12px;padding-left:20px">${block.items
        .map((item) => `<li style="margin:0 0 4px">${e(item)}</li>`)
        .join('')}</ul>`;
    case 'table':
      return gridHtml(block.head, block.rows, 'border-collapse:collapse;font-size:13px');
    case 'sheet':
      return gridHtml(block.head, block.rows, 'border-collapse:collapse;font-size:13px;white-space:nowrap');
    case 'button':
      return `<p style="margin:20px 0"><a href="${e(block.url)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${e(block.label)}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#555;word-break:break-all">如按钮无法点击，请将以下链接复制到浏览器打开：<br><a href="${e(block.url)}" style="color:#1a56db">${e(block.url)}</a></p>`;
    case 'note':
      return `<p style="margin:0 0 12px;padding:8px 12px;background:#fff8e1;border-left:4px solid #f0b400;font-size:14px">${e(block.text)}</p>`;
  }
}

/** The message in the programme's frame; every button's link is checked to be http(s). */
export function renderMail<K extends string>(
  program: Program,
  kind: K,
  subject: string,
  heading: string,
  blocks: MailBlock[],
  look: MailLook,
): MailContent<K> {
  const links = blocks.flatMap((b) => (b.kind === 'button' ? [checkedUrl(b.url)] : []));
  const footer = `本邮件由${program.title.zh}备案系统自动发送（${program.authority.zh}），请勿直接回复。`;
  const text = [program.title.zh, heading, ...blocks.map(blockText), '—', footer].join('\n\n');
  const html = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;font-family:${escapeHtml(FONT)};font-size:16px;line-height:1.6;color:#1a1a1a">
<p style="margin:0 0 4px;font-size:13px;color:#555">${escapeHtml(program.title.zh)}</p>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>
${blocks.map((b) => blockHtml(b, look)).join('\n')}
<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #ddd;font-size:12px;color:#777">${escapeHtml(footer)}</p>
</div>
</body>
</html>`;
  return { kind, subject: `【${program.title.zh}】${subject}`, text, html, links };
}
