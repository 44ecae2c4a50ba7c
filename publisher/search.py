"""Search by label: Chinese, English, and pinyin (with or without spaces, or just the initials).

The index is built once per loaded dataset from every ``rdfs:label`` and ``skos:prefLabel`` in the store
and kept beside the data; a search is a scan of a few thousand short strings, ranked exact match first,
then prefix, then substring, then pinyin.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox
from pypinyin import lazy_pinyin

from publisher.store import select

_LABELS = """
SELECT ?s ?label WHERE {
  { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }
  UNION { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
  FILTER(isIRI(?s))
}"""
_FOLD = re.compile(r"[\s\-_·.,:;'\"‘’()（）《》“”、，。：]+")


def fold(text: str) -> str:
    """Lower case, full-width to half-width, no spaces or punctuation: the form both sides are compared in."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Entry:
    """One resource as the search sees it."""

    iri: str
    labels: dict[str, str]
    keys: tuple[str, ...]
    pinyin: str
    initials: str


@dataclass(frozen=True)
class Hit:
    iri: str
    labels: dict[str, str]
    score: int


def build_index(store: ox.Store) -> tuple[Entry, ...]:
    """One entry per labelled IRI, with its labels by language and their folded and pinyin forms."""
    labels: dict[str, dict[str, str]] = {}
    for row in select(store, _LABELS):
        literal = row["label"]
        if not isinstance(literal, ox.Literal):
            continue
        lang = (literal.language or "").split("-")[0]
        labels.setdefault(row["s"].value, {}).setdefault(lang, literal.value)
    entries = []
    for iri, by_lang in sorted(labels.items()):
        syllables: list[str] = []
        for text in by_lang.values():
            if any("\u4e00" <= ch <= "\u9fff" for ch in text):
                syllables = [fold(s) for s in lazy_pinyin(text) if fold(s)]
                break
        entries.append(
            Entry(
                iri=iri,
                labels=by_lang,
                keys=tuple(sorted({fold(t) for t in by_lang.values()})),
                pinyin="".join(syllables),
                initials="".join(s[0] for s in syllables),
            )
        )
    return tuple(entries)


def _score(entry: Entry, wanted: str) -> int | None:
    best: int | None = None
    for key in entry.keys:
        if key == wanted:
            return 0
        if key.startswith(wanted):
            best = 1 if best is None else min(best, 1)
        elif wanted in key:
            best = 2 if best is None else min(best, 2)
    if best is not None:
        return best
    if entry.pinyin and entry.pinyin.startswith(wanted):
        return 3
    if entry.pinyin and wanted in entry.pinyin:
        return 4
    if len(wanted) >= 2 and entry.initials.startswith(wanted):
        return 5
    return None


def search(index: tuple[Entry, ...], query: str, limit: int = 50) -> list[Hit]:
    """The entries matching ``query``, best first (then by shorter label, then IRI)."""
    wanted = fold(query)
    if not wanted:
        return []
    hits = []
    for entry in index:
        score = _score(entry, wanted)
        if score is not None:
            hits.append(Hit(entry.iri, entry.labels, score))
    hits.sort(key=lambda h: (h.score, min(len(v) for v in h.labels.values()), h.iri))
    return hits[:limit]
