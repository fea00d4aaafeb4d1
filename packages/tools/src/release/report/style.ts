// The report's inline stylesheet: readable on screen and in print, no web fonts (nothing to fetch).

/** CSS inlined into the report's <style>. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --soft: #f8fafc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p { margin: 0 0 8px; color: var(--muted); }
nav { font-size: 12px; color: var(--muted); }
nav a { color: #1d4ed8; text-decoration: none; }
section { border-top: 1px solid var(--line); padding: 16px 0 8px; break-inside: avoid-page; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
dl { display: grid; grid-template-columns: 160px 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; color: #fff; border-radius: 999px; padding: 0 8px; font-size: 12px; line-height: 18px; }
.tag { font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
figure.metric { margin: 0 0 12px; padding: 8px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--soft); }
figure.metric p { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
figcaption { margin-bottom: 4px; }
svg { display: block; max-width: 100%; height: auto; }
.none { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 12px; }
code { font-size: 12px; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; } section { break-inside: avoid; } }
`;
