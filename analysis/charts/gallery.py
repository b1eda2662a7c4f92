"""The readers' gallery, ``figures/index.html``: every chart in both languages with its alt text,
source line and download links, then the fact-check table. A static page that works when opened
from the file system: relative links, no script, no server.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from analysis import claims
from analysis.files import write_text

STATUS_COLOURS = {"verified": "#0072B2", "contradicted": "#D55E00", "reported-only": "#B07800",
                  "unverifiable": "#666666"}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>X, Grok and child safety — charts and fact-check</title>
<style>
body {{ font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.8rem; }} h2 {{ margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: 1rem; }}
.pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }}
figure {{ margin: 0; }} img {{ width: 100%; height: auto; border: 1px solid #eee; }}
figcaption {{ font-size: .9rem; color: #444; }} .alt {{ margin: .4rem 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: .88rem; }}
th, td {{ text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e5e5e5; vertical-align: top; }}
.status {{ color: white; padding: .1rem .4rem; border-radius: .3rem; white-space: nowrap; }}
@media (max-width: 900px) {{ .pair {{ grid-template-columns: 1fr; }} }}
</style>
</head>
<body>
<h1>X, Grok and child safety: the charts and the fact-check</h1>
<p>Every chart in French and English, with its alt text and source. Each number is checked by
<code>python -m analysis verify</code>; figures we could not check are marked as reported.</p>
{charts}
<h2 id="fact-check">Fact-check of the article's figures</h2>
<table>
<thead><tr><th>Claim</th><th>Published</th><th>Recomputed</th><th>Status</th><th>Said by</th><th>Note</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _figure(entry: dict) -> str:
    files = {Path(name).suffix.lstrip("."): name for name in entry["files"]}
    links = " · ".join(f'<a href="{escape(name)}" download>{fmt.upper()}</a>'
                       for fmt, name in sorted(files.items()))
    lang = entry["lang"]
    return (f'<figure lang="{lang}">\n<img src="{escape(files["png"])}" alt="{escape(entry["alt"])}" '
            f'width="1200" height="675">\n<figcaption><p class="alt">{escape(entry["alt"])}</p>'
            f'<p>{escape(entry["source"])}</p><p>{lang.upper()} — {links}</p></figcaption>\n</figure>')


def _row(result: claims.Result) -> str:
    c = result.claim
    colour = STATUS_COLOURS[result.status]
    return (f'<tr id="claim-{escape(c.id)}"><td>{escape(c.sentence_en)}</td><td>{escape(c.published_text())}</td>'
            f'<td>{escape(result.computed_text())}</td><td><span class="status" style="background:{colour}">'
            f'{escape(result.status)}</span></td><td>{escape(c.said_by)}<br><a href="{escape(c.source_url)}">'
            f'source</a></td><td>{escape(c.note)}</td></tr>')


def write(manifest: list[dict], results: list[claims.Result], out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` from the build's manifest and the fact-check results."""
    by_id: dict[str, dict[str, dict]] = {}
    for entry in manifest:
        by_id.setdefault(entry["id"], {})[entry["lang"]] = entry
    sections = []
    for chart_id, langs in by_id.items():
        title = (langs.get("en") or next(iter(langs.values())))["title"]
        figures = "\n".join(_figure(langs[lang]) for lang in ("fr", "en") if lang in langs)
        sections.append(f'<h2 id="{escape(chart_id)}">{escape(title)}</h2>\n<div class="pair">\n{figures}\n</div>')
    page = PAGE.format(charts="\n".join(sections), rows="\n".join(_row(r) for r in results))
    path = Path(out_dir) / "index.html"
    write_text(path, page)
    return path
