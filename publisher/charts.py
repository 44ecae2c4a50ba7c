"""A bar chart of figures, drawn on the server as accessible SVG (no script, no external assets).

:func:`figure_bars` reads every figure in one unit from the store (which unit: ``[site] chart_unit`` in
the project file); :func:`bar_chart_svg` draws them as horizontal bars on a logarithmic scale, since the
values span several orders of magnitude, with each bar's stated wording beside it and a link to the figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import pyoxigraph as ox

from publisher.project import Project
from publisher.store import select

# SELECT *: pyoxigraph substitutes only variables that are projected. Labels are picked by language in Python.
_FIGURES = """
SELECT * WHERE {
  ?figure a ?figureClass ; ?unitP ?unit ; ?valueP ?value .
  OPTIONAL { ?figure ?wordingP ?wording }
  OPTIONAL { ?figure <http://www.w3.org/2000/01/rdf-schema#label> ?label }
}"""


@dataclass(frozen=True)
class Bar:
    iri: str
    label: str
    value: float
    wording: str


def figure_bars(store: ox.Store, project: Project, unit: str, lang: str) -> list[Bar]:
    """Every figure in ``unit``, largest first, labelled in ``lang`` (falling back to its IRI)."""
    terms = project.figures
    rows = select(
        store,
        _FIGURES,
        substitutions={
            ox.Variable("figureClass"): ox.NamedNode(terms.figure_class),
            ox.Variable("unitP"): ox.NamedNode(terms.unit),
            ox.Variable("unit"): ox.NamedNode(unit),
            ox.Variable("valueP"): ox.NamedNode(terms.value),
            ox.Variable("wordingP"): ox.NamedNode(terms.wording),
        },
    )
    bars: dict[str, Bar] = {}
    for row in rows:
        try:
            value = float(row["value"].value)
        except (TypeError, ValueError):
            continue
        iri = row["figure"].value
        label = row["label"]
        in_lang = label is not None and (label.language or "").split("-")[0] == lang
        if iri in bars and not in_lang:
            continue
        name = label.value if label is not None else iri.rsplit("/", 1)[-1]
        wording = row["wording"].value if row["wording"] is not None else ""
        bars[iri] = Bar(iri, name, value, wording)
    return sorted(bars.values(), key=lambda b: (-b.value, b.label))


def _tick_label(power: int, lang: str) -> str:
    value = 10**power
    if lang == "zh":
        for size, word in ((10**8, "亿"), (10**4, "万")):
            if value >= size:
                return f"{value // size}{word}"
        return str(value)
    for size, word in ((10**9, "bn"), (10**6, "m"), (10**3, "k")):
        if value >= size:
            return f"{value // size}{word}"
    return str(value)


def bar_chart_svg(bars: list[Bar], title: str, lang: str, href_for, width: int = 720) -> str:
    """The chart as an SVG element; ``href_for(iri)`` gives each bar's link. Empty string for no bars."""
    positive = [b for b in bars if b.value > 0]
    if not positive:
        return ""
    row, label_w, top = 26, 300, 30
    plot_w = width - label_w - 110
    low = math.floor(math.log10(min(b.value for b in positive)))
    high = math.ceil(math.log10(max(b.value for b in positive)))
    high = max(high, low + 1)
    height = top + row * len(positive) + 30

    def x(value: float) -> float:
        return label_w + plot_w * (math.log10(value) - low) / (high - low)

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        "<style>rect{fill:#0b5394}a:hover rect,a:focus rect{fill:#8a1c1c}.grid{stroke:#c9ccd1}"
        "text{font-size:12px;fill:#1b1b1b;font-family:system-ui,sans-serif}</style>",
        f'<desc id="chart-desc">{len(positive)} bars, logarithmic scale from {_tick_label(low, "en")} '
        f"to {_tick_label(high, 'en')}.</desc>",
    ]
    for power in range(low, high + 1):
        tx = x(10**power)
        parts.append(f'<line class="grid" x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 24}"/>')
        parts.append(
            f'<text class="tick" x="{tx:.1f}" y="{height - 8}" text-anchor="middle">{_tick_label(power, lang)}</text>'
        )
    for i, bar in enumerate(positive):
        y = top + i * row
        bar_w = max(x(bar.value) - label_w, 2)
        name = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        parts.append(f'<a href="{escape(href_for(bar.iri))}"><g class="bar">')
        parts.append(f"<title>{escape(bar.label)}: {escape(bar.wording or format(bar.value, ','))}</title>")
        parts.append(f'<text class="bar-label" x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row - 8}"/>')
        parts.append(f'<text class="bar-value" x="{label_w + bar_w + 6:.1f}" y="{y + 16}">{escape(bar.wording)}</text>')
        parts.append("</g></a>")
    parts.append("</svg>")
    return "\n".join(parts)
