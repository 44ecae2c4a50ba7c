"""Synthetic data of the same shape as the article dataset, at a chosen size, generated deterministically.

Copy ``k`` of the seed data renames every IRI under the resource namespace (``…/resource/x`` becomes
``…/resource/x-c<k>``), scales every decimal by a factor that depends only on ``k`` and numbers its
language-tagged texts (``商洛市总工会 (3)``), so the copies are distinct articles with the same structure
and a look-up by IRI or by label stays as selective as on the real data. Vocabulary IRIs (ontology,
shapes, external links) are left alone, so the ontology appears once. Output is N-Triples, lines in
generation order; the same arguments give the same bytes.

    python -m bench.generate dist/dataset.nt.gz 100000 bench/data/synthetic-1e5.nt
"""

from __future__ import annotations

import argparse
import gzip
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def load_seed(path: Path) -> list[ox.Triple]:
    """The seed's triples (graphs are dropped: the benchmark serves one file), sorted for determinism."""
    opener = gzip.open if path.suffix == ".gz" else open
    name = path.name.removesuffix(".gz")
    with opener(path, "rb") as stream:
        quads = ox.parse(stream.read(), format=_format(name))
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=str)


def _format(name: str) -> ox.RdfFormat:
    for fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        if name.endswith("." + fmt.file_extension):
            return fmt
    raise SystemExit(f"{name}: use an .nt, .nq, .ttl or .trig seed (optionally .gz)")


def split_seed(triples: list[ox.Triple], resource_ns: str) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """(triples that mention a resource IRI, the rest: vocabulary, written once)."""
    per_copy, shared = [], []
    for triple in triples:
        terms = (triple.subject, triple.predicate, triple.object)
        if any(isinstance(t, ox.NamedNode) and t.value.startswith(resource_ns) for t in terms):
            per_copy.append(triple)
        else:
            shared.append(triple)
    return per_copy, shared


def rename(term, resource_ns: str, copy: int, factor: Decimal):
    """The term as it stands in copy ``copy``: resource IRIs suffixed, decimals scaled."""
    if copy == 0:
        return term
    if isinstance(term, ox.NamedNode) and term.value.startswith(resource_ns):
        return ox.NamedNode(f"{term.value}-c{copy}")
    if isinstance(term, ox.Literal) and term.datatype == DECIMAL:
        return ox.Literal(str(Decimal(term.value) * factor), datatype=DECIMAL)
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(f"{term.value} ({copy})", language=term.language)
    return term


def generate(seed: Path, target_triples: int, out: Path, resource_ns: str) -> int:
    """Write about ``target_triples`` triples to ``out``; return how many were written."""
    per_copy, shared = split_seed(load_seed(seed), resource_ns)
    if not per_copy:
        raise SystemExit(f"{seed}: no triple mentions an IRI under {resource_ns}")
    copies = max(1, (target_triples - len(shared)) // len(per_copy))
    out.parent.mkdir(parents=True, exist_ok=True)

    def triples():
        yield from shared
        for copy in range(copies):
            factor = Decimal(1 + copy % 9) / Decimal(1 + copy % 5)
            for t in per_copy:
                yield ox.Triple(*(rename(x, resource_ns, copy, factor) for x in (t.subject, t.predicate, t.object)))

    with out.open("wb") as stream:
        ox.serialize(triples(), stream, format=ox.RdfFormat.N_TRIPLES)
    return len(shared) + copies * len(per_copy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=Path, help="the article dataset (N-Triples, optionally .gz, or Turtle)")
    parser.add_argument("triples", type=int, help="about how many triples to write")
    parser.add_argument("out", type=Path, help="the N-Triples file to write")
    parser.add_argument("--resource-ns", default="https://w3id.org/shaanxi-unions/resource/")
    args = parser.parse_args(argv)
    written = generate(args.seed, args.triples, args.out, args.resource_ns)
    print(f"{args.out}: {written} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
