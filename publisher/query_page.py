"""The query page: a SPARQL editor (YASGUI) for people, with the example queries beside it.

The SPARQL endpoint's ``GET /sparql`` calls :func:`render_query_page` when a browser asks for it
without a query. YASGUI comes from its npm package, installed by the set-up step into ``node_modules``
(never committed), and is served by this blueprint under ``/assets/yasgui/``: no CDN, no network.
Where it is not installed (no npm), the page says so and offers a plain form that runs queries all the
same. ``?example=<name>`` opens the page with that example in the editor.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template, request, send_from_directory

from publisher import pages
from publisher.errors import ResourceNotFound
from publisher.examples import Example, find_example, load_examples
from publisher.i18n import add_strings
from publisher.negotiation import RESULT_FORMATS
from publisher.store import EXTENSION_KEY, get_data
from publisher.urls import base_path

bp = Blueprint("query_page", __name__)

EXAMPLES_KEY = "publisher.examples"
YASGUI_KEY = "publisher.yasgui"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
ASSET_MAX_AGE = 24 * 3600

# The page's own interface strings, added to the shared ones of publisher.i18n.
QUERY_STRINGS: dict[str, dict[str, str]] = {
    "query_title": {"zh": "SPARQL 查询", "en": "SPARQL query"},
    "query_intro": {
        "zh": "用 SPARQL 查询本数据集。接口地址：",
        "en": "Ask the dataset anything in SPARQL. The endpoint is at",
    },
    "query_protocol": {
        "zh": "程序可按 SPARQL 1.1 协议以 GET 或 POST 访问同一地址。",
        "en": "Programs reach the same address with GET or POST, as the SPARQL 1.1 Protocol says.",
    },
    "examples": {"zh": "示例查询", "en": "Example queries"},
    "examples_intro": {
        "zh": "点击示例即可载入编辑器并运行；每个示例也有固定网址，可直接取得结果。",
        "en": "Click an example to load it into the editor and run it. Each also has a stable URL with its results.",
    },
    "examples_intro_form": {
        "zh": "点击示例即可填入下面的表单；每个示例也有固定网址，可直接取得结果。",
        "en": "Click an example to put it in the form. Each also has a stable URL with its results.",
    },
    "no_examples": {"zh": "尚无示例查询。", "en": "No example queries yet."},
    "results_link": {"zh": "结果", "en": "results"},
    "editor": {"zh": "查询编辑器", "en": "Query editor"},
    "editor_missing": {
        "zh": "此处未安装 SPARQL 编辑器（YASGUI，由安装步骤用 npm 安装）。下面的简单表单同样可以运行查询。",
        "en": "The SPARQL editor (YASGUI, installed by the set-up step with npm) is not installed here. "
        "This plain form runs queries all the same.",
    },
    "query_label": {"zh": "查询", "en": "Query"},
    "format_label": {"zh": "结果格式", "en": "Result format"},
    "run_query": {"zh": "运行查询", "en": "Run query"},
    "all_examples": {"zh": "全部示例", "en": "All examples"},
    "open_in_editor": {"zh": "在编辑器中打开", "en": "Open in the editor"},
    "query_text": {"zh": "查询语句", "en": "The query"},
    "results": {"zh": "结果", "en": "Results"},
    "no_results": {"zh": "没有结果。", "en": "No results."},
    "answer": {"zh": "答案", "en": "Answer"},
    "truncated": {
        "zh": "结果过多，只显示前 {limit} 行。",
        "en": "There are more results than the {limit} rows shown.",
    },
    "other_formats": {"zh": "其他格式", "en": "Other formats"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
}
add_strings(QUERY_STRINGS)

# Declared in the default query and used by the result table to shorten IRIs, beside the dataset's own.
COMMON_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FORMAT_NAMES = {"json": "SPARQL JSON", "xml": "SPARQL XML", "csv": "CSV", "tsv": "TSV"}


def resolve_yasgui_dir(setting: str, project_root: Path) -> Path | None:
    """The folder of the installed YASGUI build, or ``None`` when it is not installed there.

    A relative setting is looked up under the project's folder first, then the working directory.
    """
    if not setting.strip():
        return None
    configured = Path(setting)
    candidates = [configured] if configured.is_absolute() else [project_root / configured, Path.cwd() / configured]
    for folder in candidates:
        if all((folder / name).is_file() for name in YASGUI_FILES):
            return folder.resolve()
    return None


def get_examples() -> tuple[Example, ...]:
    """The example queries of the current app, as loaded at start-up."""
    return current_app.extensions[EXAMPLES_KEY]


def yasgui_dir() -> Path | None:
    """The YASGUI build the current app serves, if any."""
    return current_app.extensions[YASGUI_KEY]


def default_query(prefixes: dict[str, str]) -> str:
    """The editor's first query: the dataset's prefixes and a look at some labelled resources."""
    lines = [f"PREFIX {prefix}: <{iri}>" for prefix, iri in prefixes.items()]
    lines += ["", "SELECT ?resource ?label WHERE {", "  ?resource rdfs:label ?label .", "}", "LIMIT 20", ""]
    return "\n".join(lines)


def endpoint_iri() -> str:
    """The endpoint's address as the world reaches it: under ``PUBLIC_URL`` when set, else this request's root."""
    public = str(current_app.config["PUBLIC_URL"]).rstrip("/")
    return f"{public}/sparql" if public else f"{request.url_root}sparql"


def render_query_page(status: int = 200) -> Response:
    """The query page as a Flask response: the editor (or the plain form) and the examples."""
    data = get_data()
    examples = get_examples()
    chosen = find_example(examples, request.args.get("example", ""))
    prefixes = {**COMMON_PREFIXES, **data.project.namespaces}
    initial = chosen.query if chosen else default_query(prefixes)
    editor = yasgui_dir() is not None
    mount = request.script_root
    html = render_template(
        "query.html",
        examples=examples,
        editor=editor,
        endpoint=f"{mount}/sparql",
        endpoint_iri=endpoint_iri(),
        initial_query=initial,
        formats=[(fmt.key, FORMAT_NAMES.get(fmt.key, fmt.media_type)) for fmt in RESULT_FORMATS],
        example_queries={example.name: example.query for example in examples},
        dataset_terms={"base": base_path(data.project.base), "mount": mount, "prefixes": prefixes},
        yasgui_css=f"{mount}/assets/yasgui/yasgui.min.css",
        yasgui_js=f"{mount}/assets/yasgui/yasgui.min.js",
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


@bp.get("/assets/yasgui/<path:filename>")
def yasgui_asset(filename: str) -> Response:
    """A file of the installed YASGUI build (script, style sheet, source map)."""
    folder = yasgui_dir()
    if folder is None:
        raise ResourceNotFound("The SPARQL editor (YASGUI) is not installed here; run the set-up step with npm.")
    return send_from_directory(folder, filename, max_age=ASSET_MAX_AGE)


def init_app(app: Flask) -> None:
    """Load the example queries, find YASGUI, and register the asset routes."""
    project = app.extensions[EXTENSION_KEY].project
    app.extensions[EXAMPLES_KEY] = load_examples(project.queries_dir)
    app.extensions[YASGUI_KEY] = resolve_yasgui_dir(str(app.config["YASGUI_DIR"]), project.root)
    pages.install(app)
    app.register_blueprint(bp)
