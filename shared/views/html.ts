// The HTML primitives every page and mail is built from: escaping, and one page frame usable on a
// phone (review, return and batch pages, the report, the local runtime's pages).
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
.facts th{width:11em;color:#444;font-weight:600}.facts td{overflow-wrap:anywhere}
h2.group,h3.group{font-size:1.05rem;margin:1.25rem 0 .4rem;border:0;padding:0}
.warnings{background:#fff4e5;border:1px solid #f0b849;padding:.5rem .75rem;margin:1rem 0}
label.choice{display:flex;align-items:center;gap:.6rem;min-height:44px;cursor:pointer}
label.choice input{width:1.25rem;height:1.25rem;margin:0;flex:none}
.attachments a{display:inline-flex;align-items:center;min-height:44px}
details.duties summary{padding:.7rem 0;cursor:pointer}
button.primary{font-size:1.1rem;padding:.7rem 1.4rem;margin-top:1rem;min-height:44px}
fieldset textarea,fieldset input:not([type=radio]){box-sizing:border-box;width:100%;min-height:44px;font:inherit;padding:.4rem}
/* A phone: each label stands above its value, so no label is squeezed into a narrow column. */
@media (max-width:40rem){
table.facts,table.facts tbody,table.facts tr,table.facts th,table.facts td{display:block;width:auto}
table.facts{border-top:1px solid #ddd}table.facts tr{border-bottom:1px solid #ddd;padding:.35rem 0}
table.facts th,table.facts td{border:0;padding:0 .2rem}table.facts th{font-size:.85em;color:#555;font-weight:normal}
}
</style>
</head>
<body>
${body}
</body>
</html>`;
}
