// Small helpers for the server-rendered pages (review, return and batch pages, the report):
// escaping and one page frame usable on a phone.
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function page(title: string, body: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f5f5f5;padding:.5rem;overflow:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.method{display:inline-block;min-width:3.5rem;font-weight:bold}.muted{color:#555}
</style>
</head>
<body>
${body}
</body>
</html>`;
}
