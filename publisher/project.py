"""The dataset's own configuration (``dataset.toml``): what is published, under which IRIs, from where.

Read once, into a frozen :class:`Project`. Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from publisher.errors import ConfigurationError

DEFAULT_PROJECT_FILE = "dataset.toml"


@dataclass(frozen=True)
class FigureTerms:
    """The IRIs with which the data records a figure, for the quantity check."""

    figure_class: str
    value: str
    unit: str
    qualifier: str
    wording: str
    measure_word: str
    derived_from: str
    qualifiers: dict[str, str]
    initiative: str = ""


@dataclass(frozen=True)
class ProvenanceTerms:
    """The IRIs with which the data records a source passage and its offsets."""

    text: str
    start: str
    end: str


@dataclass(frozen=True)
class Project:
    """Everything dataset-specific that the publisher needs, with absolute paths."""

    root: Path
    slug: str
    base: str
    license: str
    source: Path
    published: date
    creator: str
    keywords: tuple[str, ...]
    title: dict[str, str]
    description: dict[str, str]
    ontology_dir: Path
    data_dir: Path
    shapes_dir: Path
    queries_dir: Path
    dist_dir: Path
    namespaces: dict[str, str]
    figures: FigureTerms
    provenance: ProvenanceTerms
    extra: dict[str, Any] = field(default_factory=dict)

    def ttl_files(self, folder: Path) -> list[Path]:
        """The Turtle files of one of the project's folders, sorted by name."""
        return sorted(folder.glob("*.ttl"))


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ConfigurationError(f"{where}: the setting '{key}' is missing.")
    return table[key]


def _by_language(table: dict[str, Any], key: str, where: str) -> dict[str, str]:
    """A table of texts by language tag, e.g. ``[dataset.title]`` with ``zh = "..."`` and ``en = "..."``."""
    value = _require(table, key, where)
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ConfigurationError(f'{where}: dataset.{key} must be a table of texts by language, e.g. en = "...".')
    return dict(value)


def _keywords(table: dict[str, Any], where: str) -> tuple[str, ...]:
    value = table.get("keywords", [])
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise ConfigurationError(f'{where}: dataset.keywords must be a list of texts, e.g. ["trade unions"].')
    return tuple(value)


def load_project(path: str | Path | None = None) -> Project:
    """Read ``dataset.toml`` (or the given file) and return the project it describes.

    Raises :class:`ConfigurationError` naming the file and the setting when it is missing or wrong.
    """
    file = Path(path or DEFAULT_PROJECT_FILE).resolve()
    if not file.is_file():
        raise ConfigurationError(f"No project file at {file}. Run from the repository, or set PUBLISHER_PROJECT_FILE.")
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{file.name} is not valid TOML: {exc}") from exc
    root = file.parent
    where = file.name
    ds = _require(raw, "dataset", where)
    paths = raw.get("paths", {})
    figs = _require(raw, "figures", where)
    prov = _require(raw, "provenance", where)
    base = _require(ds, "base", where)
    if not isinstance(base, str) or not base.endswith(("/", "#")):
        raise ConfigurationError(f"{where}: dataset.base must end with '/' or '#', got {base!r}.")
    try:
        published = date.fromisoformat(str(_require(ds, "published", where)))
    except ValueError as exc:
        raise ConfigurationError(f"{where}: dataset.published is not an ISO date: {exc}") from exc
    return Project(
        root=root,
        slug=_require(ds, "slug", where),
        base=base,
        license=_require(ds, "license", where),
        source=(root / _require(ds, "source", where)).resolve(),
        published=published,
        creator=ds.get("creator", ""),
        keywords=_keywords(ds, where),
        title=_by_language(ds, "title", where),
        description=_by_language(ds, "description", where),
        ontology_dir=root / paths.get("ontology", "ontology"),
        data_dir=root / paths.get("data", "data"),
        shapes_dir=root / paths.get("shapes", "shapes"),
        queries_dir=root / paths.get("queries", "queries"),
        dist_dir=root / paths.get("dist", "dist"),
        namespaces=dict(raw.get("namespaces", {})),
        figures=FigureTerms(
            figure_class=_require(figs, "class", where),
            value=_require(figs, "value", where),
            unit=_require(figs, "unit", where),
            qualifier=_require(figs, "qualifier", where),
            wording=_require(figs, "wording", where),
            measure_word=_require(figs, "measure_word", where),
            derived_from=_require(figs, "derived_from", where),
            qualifiers=dict(_require(figs, "qualifiers", where)),
            initiative=figs.get("initiative", ""),
        ),
        provenance=ProvenanceTerms(
            text=_require(prov, "text", where),
            start=_require(prov, "start", where),
            end=_require(prov, "end", where),
        ),
        extra={k: v for k, v in raw.items() if k not in {"dataset", "paths", "namespaces", "figures", "provenance"}},
    )
