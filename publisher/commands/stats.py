"""Print how many resources the data has of each class (most first, with labels), and its figures by
unit: how many, the sum of their values, and how many are stated exactly, as more than, or as nearly.
Counts data/ (labels also from ontology/) directly, so it needs no build."""

from __future__ import annotations

from argparse import ArgumentParser, Namespace

from rdflib import Graph

from publisher.build import read_rdf_file
from publisher.commands import project_for
from publisher.errors import InputError
from publisher.stats import format_stats
from publisher.vocab import all_prefixes

HELP = "print counts by class and the figures by unit, with totals"


def configure_parser(parser: ArgumentParser) -> None:
    del parser  # no options


def run(args: Namespace) -> int:
    project = project_for(args)
    data_files = project.ttl_files(project.data_dir)
    if not data_files:
        raise InputError(f"{project.data_dir}: no data files (*.ttl) found.")
    data, ontology = Graph(), Graph()
    for path in data_files:
        data += read_rdf_file(path)
    for path in project.ttl_files(project.ontology_dir):
        ontology += read_rdf_file(path)
    print(format_stats(data, ontology, project, all_prefixes(project.namespaces)))
    return 0
