// report.html's style sheet, inline in the page (its Content-Security-Policy allows inline styles
// only). The Failures section's suite groups and the suites' sections are laid out and painted
// only near the viewport (content-visibility), so a run of 100,000 tests opens as fast as a small one.
export const CSS = `
:root{--fg:#1b1f24;--muted:#4b5563;--bg:#fff;--panel:#f4f5f7;--line:#d5d9de;--link:#0b57b8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer,nav{max-width:1200px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
h1{font-size:1.5rem;margin:.3em 0}
h2{font-size:1.25rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
a{color:var(--link)}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.85em}
pre{background:var(--panel);border:1px solid var(--line);padding:8px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0}
pre.inline{display:inline-block;margin:0;padding:2px 6px;max-width:100%}
pre.log{max-height:28em}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{color:var(--muted);margin:.2em 0}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 14px;margin:.6em 0}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.8rem;font-weight:700;color:#fff;vertical-align:middle;white-space:nowrap}
.v-passed{background:#1e6b34}.v-failed{background:#b3261e}.v-couldNotRun,.v-timedOut{background:#8a4b00}.v-interrupted{background:#4b5563}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.85rem;color:var(--muted)}
caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:.85rem;padding-top:4px}
.timeline th[scope=row]{white-space:nowrap;width:1%}
.timeline tr.k-attempt th,.timeline tr.k-shard th{padding-left:22px;font-weight:400}
.track-cell,.axis{width:100%;min-width:160px}
.track{position:relative;height:18px;background:var(--panel)}
.axis .track{background:none;height:1.3em}
.tick{position:absolute;top:0;font-size:.75rem;color:var(--muted);border-left:1px solid var(--line);padding-left:2px;white-space:nowrap}
.tick.end{border-left:0;border-right:1px solid var(--line);padding:0 2px 0 0;transform:translateX(-100%)}
.seg{position:absolute;top:2px;bottom:2px;min-width:2px}
.mark{position:absolute;top:-2px;bottom:-2px;width:4px;margin-left:-2px;border-radius:1px}
.p-queued{background:#6b7280}.p-scheduled{background:#7c3aed}.p-pulling{background:#0369a1}.p-cloning{background:#b45309}.p-running{background:#0f766e}
.when{white-space:nowrap}.dur{color:var(--muted);font-size:.85rem}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.85rem;margin:.3em 0}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.mark-swatch{background:var(--fg);width:4px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.4em 0}
.facts div{display:contents}.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.trend{font-weight:600}.strip{display:inline-flex;gap:1px;vertical-align:middle}.strip i{width:6px;height:12px;background:var(--muted)}
.bars{display:inline-flex;gap:1px;align-items:flex-end;height:1.2rem;vertical-align:middle}.bars i{width:6px;background:#3a6ea5}
.strip .h-passed{background:#1e6b34}.strip .h-failed{background:#b3261e}.strip .h-flaky{background:#d08a00}
.st{font-weight:700;font-size:.8rem}.st-failed,.st-error{color:#b3261e}.st-flaky{color:#8a4b00}.st-passed{color:#1e6b34}.st-skipped{color:var(--muted)}
.tests .id{overflow-wrap:anywhere}.num{white-space:nowrap}.msg{overflow-wrap:anywhere}
tr.detail td{border-bottom:2px solid var(--line);padding-left:18px}
details summary{cursor:pointer;font-weight:600}.where{font-weight:400;color:var(--muted)}
details.more,details.list,details.page{margin:.4em 0}
details.more>summary,details.list>summary{display:inline-block;padding:2px 10px;border:1px solid var(--line);border-radius:4px;background:var(--panel)}
details.page>summary{font-weight:400;margin:.2em 0}
pre.list{max-height:40em}
.fgroup h3 .dur{font-weight:400}
.fgroup,section.suite{content-visibility:auto;contain-intrinsic-size:auto 600px}
.run{margin:.5em 0 .1em;font-size:.9rem}
.ev-warning td:nth-child(2){color:#8a4b00;font-weight:600}
.excerpt{margin:.6em 0}.excerpt figcaption{font-size:.9rem;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.8rem;padding:24px 16px}
@media (max-width:640px){
 body{font-size:14px}
 .facts{grid-template-columns:1fr}.facts dt{margin-top:4px}
 .timeline .when,.timeline thead th:last-child{display:none}
 .track-cell,.axis{min-width:120px}
 .tick:nth-child(even){display:none}
 .tests th:nth-child(4),.tests td:nth-child(4),.tests th:nth-child(3),.tests td:nth-child(3){display:none}
 tr.detail td{padding-left:6px}
}
`.trim();
