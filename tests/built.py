"""A throw-away project folder holding the graph as `iadef build` writes it (for CLI tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Dataset

from iadef.curation.seedlines import graph_name
from iadef.namespaces import ONTOLOGY_GRAPH
from iadef.output import nquads
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]


def built_project(folder: Path, dataset: Dataset, replace: dict[str, str] | None = None) -> Project:
    """Copy the ontology and the queries into ``folder``, write ``graph/iadef.nq`` from ``dataset``.

    ``replace`` maps text to substitute in the N-Quads (to inject hostile labels).
    """
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, folder / name)
    text = nquads(dataset).decode("utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "graph").mkdir()
    (folder / "graph" / "iadef.nq").write_text(text, encoding="utf-8")
    return Project(folder)


def without_ontology(dataset: Dataset) -> Dataset:
    """``dataset`` as an older build wrote it: without the ontology graph (the stores then read ontology/)."""
    copy = Dataset()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = graph_name(g)
        if name == ONTOLOGY_GRAPH:
            continue
        (copy.default_graph if name == dataset.default_graph.identifier else copy.graph(name)).add((s, p, o))
    return copy
