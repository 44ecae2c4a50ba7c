"""Blueprint: the home page (``/``), search by label (``/search``) and lists of resources by class (``/browse``).

The home page says what the dataset is (from the project file), names its source, counts what is in it,
offers entry points by class, a search box, a chart of the figures of one unit, the dumps with their
checksums, the licence and how to cite. Its numbers are computed once per loaded data version.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from publisher import pages
from publisher.charts import bar_chart_svg, figure_bars
from publisher.dumps import list_dumps
from publisher.errors import BadRequest
from publisher.i18n import add_strings, choose_language
from publisher.negotiation import HTML, JSON, negotiate
from publisher.search import Entry, build_index, search
from publisher.store import PublishedData, get_data, select
from publisher.urls import local_url

bp = Blueprint("home", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Classes of the schema languages and of the dataset's own description: ontology terms and shapes are
# documented at /ontology and /shapes, the description at /.well-known/void; none is an entry into the data.
SCHEMA_LANGUAGES = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/ns/shacl#",
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/dcat#",
    "http://spdx.org/rdf/terms#",
)
BROWSE_LIMIT = 500

add_strings(
    {
        "home_source": {"zh": "来源", "en": "Source"},
        "home_counts": {"zh": "数据概况", "en": "What is in it"},
        "home_triples": {"zh": "三元组", "en": "triples"},
        "home_resources": {"zh": "个资源", "en": "resources"},
        "home_by_class": {"zh": "按类别浏览", "en": "Browse by class"},
        "home_search": {"zh": "按名称搜索", "en": "Search by name"},
        "home_search_hint": {
            "zh": "中文、英文或拼音均可，例如 商洛、Shangluo 或 shangluo",
            "en": "Chinese, English or pinyin, e.g. 商洛, Shangluo or shangluo",
        },
        "home_search_button": {"zh": "搜索", "en": "Search"},
        "home_chart": {"zh": "图表", "en": "Chart"},
        "home_chart_note": {
            "zh": "对数刻度；每条对应原文中的一个数字，点击可查看出处。",
            "en": "Logarithmic scale; each bar is one figure of the article; click it for its source.",
        },
        "home_downloads": {"zh": "下载", "en": "Downloads"},
        "home_query": {"zh": "用 SPARQL 查询", "en": "Query it with SPARQL"},
        "home_cite": {"zh": "引用方式", "en": "How to cite"},
        "search_results": {"zh": "搜索结果", "en": "Search results"},
        "search_none": {"zh": "没有找到匹配的名称。", "en": "No name matches."},
        "browse_title": {"zh": "此类的资源", "en": "Resources of this class"},
        "browse_cut": {"zh": "仅显示前 {shown} 个。", "en": "Only the first {shown} are shown."},
    }
)


@dataclass(frozen=True)
class ClassCount:
    iri: str
    count: int


@dataclass(frozen=True)
class Overview:
    """What the home page shows that depends only on the data: counts, classes, the source, the index."""

    triples: int
    resources: int
    classes: tuple[ClassCount, ...]
    source: str | None
    index: tuple[Entry, ...]


_SOURCE = """SELECT ?source WHERE {
  ?dataset a <http://rdfs.org/ns/void#Dataset> ; <http://purl.org/dc/terms/source> ?source .
} LIMIT 1"""
_TYPES = "SELECT ?s ?class WHERE { ?s a ?class }"


def compute_overview(data: PublishedData) -> Overview:
    """Counts of the data's own resources (those under the base) per class, the source and the search index."""
    root = data.project.base
    per_class: Counter[str] = Counter()
    resources: set[str] = set()
    for row in select(data.store, _TYPES):
        subject, cls = row["s"], row["class"]
        if not (isinstance(subject, ox.NamedNode) and isinstance(cls, ox.NamedNode)):
            continue
        if not subject.value.startswith(root) or cls.value.startswith(SCHEMA_LANGUAGES):
            continue
        per_class[cls.value] += 1
        resources.add(subject.value)
    sources = list(select(data.store, _SOURCE))
    return Overview(
        triples=data.triple_count,
        resources=len(resources),
        classes=tuple(ClassCount(iri, n) for iri, n in sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        source=sources[0]["source"].value if sources else None,
        index=build_index(data.store),
    )


def get_overview() -> Overview:
    """The overview of the loaded data, computed on first use."""
    data = get_data()
    cached = current_app.extensions.get("publisher.overview")
    if cached is None or cached[0] != data.version:
        cached = (data.version, compute_overview(data))
        current_app.extensions["publisher.overview"] = cached
    return cached[1]


def _labeller(data: PublishedData, language: str) -> pages.Labeller:
    return pages.Labeller(data.store, data.project.base, data.project.namespaces, language)


def citation(data: PublishedData, language: str) -> str:
    """A citation of the dataset: creator, year, title, version, IRI."""
    project = data.project
    title = project.title.get(language) or next(iter(project.title.values()))
    return f"{project.creator} ({project.published.year}). {title}. Version {data.version}. {project.base}dataset"


@bp.route("/", methods=["GET"])
def home() -> str:
    """The home page."""
    data = get_data()
    language = choose_language()
    overview = get_overview()
    labeller = _labeller(data, language)
    site = data.project.extra.get("site", {})
    chart = ""
    if site.get("chart_unit"):
        title = site.get("chart_title", {}).get(language, "")
        bars = figure_bars(data.store, data.project, site["chart_unit"], language)
        chart = bar_chart_svg(bars, title, language, lambda iri: local_url(iri, data.project.base))
    classes = [(labeller.label(c.iri), c) for c in overview.classes]
    return render_template(
        "home.html",
        project=data.project,
        overview=overview,
        classes=classes,
        source_label=labeller.label(overview.source) if overview.source else None,
        source_href=local_url(overview.source, data.project.base) if overview.source else "",
        chart=chart,
        dumps=list_dumps(data.project.dist_dir),
        citation=citation(data, language),
        version=data.version,
    )


def _hit_view(hit, labeller: pages.Labeller, base: str) -> dict[str, str]:
    label = labeller.label(hit.iri)
    return {"iri": hit.iri, "href": local_url(hit.iri, base), "label": label.text, "lang": label.lang}


@bp.route("/search", methods=["GET"])
def search_page() -> Response | str:
    """Resources whose label matches ``q`` (Chinese, English or pinyin), as HTML or JSON."""
    data = get_data()
    query = request.args.get("q", "")
    if len(query) > 200:
        raise BadRequest("The search text is longer than 200 characters.")
    chosen = negotiate(request.headers.get("Accept"), (HTML, JSON), request.args.get("format"))
    labeller = _labeller(data, choose_language())
    hits = [_hit_view(h, labeller, data.project.base) for h in search(get_overview().index, query)]
    if chosen is JSON:
        response = jsonify({"query": query, "results": hits})
    else:
        response = Response(render_template("search.html", query=query, hits=hits), mimetype="text/html")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


@bp.route("/browse", methods=["GET"])
def browse() -> Response | str:
    """The resources of one class (``?class=<IRI>``), by label, as HTML or JSON."""
    data = get_data()
    class_iri = request.args.get("class", "")
    if not class_iri:
        raise BadRequest("Name a class: /browse?class=<IRI>. The home page lists them.")
    chosen = negotiate(request.headers.get("Accept"), (HTML, JSON), request.args.get("format"))
    labeller = _labeller(data, choose_language())
    members = sorted(
        {
            q.subject.value
            for q in data.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(class_iri))
            if isinstance(q.subject, ox.NamedNode)
        }
    )
    items = sorted(
        ({"iri": m, "href": local_url(m, data.project.base), **vars(labeller.label(m))} for m in members),
        key=lambda item: item["text"],
    )
    shown = items[:BROWSE_LIMIT]
    if chosen is JSON:
        response = jsonify({"class": class_iri, "total": len(items), "results": shown})
    else:
        response = Response(
            render_template(
                "browse.html",
                class_label=labeller.label(class_iri),
                class_href=local_url(class_iri, data.project.base),
                items=shown,
                total=len(items),
                limit=BROWSE_LIMIT,
            ),
            mimetype="text/html",
        )
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def init_app(app: Flask) -> None:
    """Register the home, search and browse pages."""
    pages.install(app)
    app.register_blueprint(bp)
