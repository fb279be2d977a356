"""Opening a store: the one place that turns a store setting into an engine over the built graph.

``open_store`` reads ``graph/iadef.nq`` and the ontology into the engine the setting
names (rdflib in memory, Oxigraph in memory or on disk, or a SPARQL endpoint);
``load_dataset`` is the rdflib dataset the ``memory`` store and the build checks use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iadef.errors import IadefError, QueryError, StoreError
from iadef.graphset import check_graph_set
from iadef.stores.setting import ENV_PASSWORD, FORMS, StoreSpec

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from iadef.paths import Project
    from iadef.sparql.answer import Engine, Quad


ENGINES = ("rdflib", "oxigraph")


def open_engine(project: Project, name: str = "rdflib") -> Engine:
    """An in-memory engine (``rdflib`` or ``oxigraph``) loaded with the project's built graph."""

    if name not in ENGINES:
        raise QueryError(f"unknown engine {name!r}", hint=f"use one of {', '.join(ENGINES)}")
    return open_store(project, StoreSpec("memory" if name == "rdflib" else "oxigraph"))


def open_store(project: Project, spec: StoreSpec, *, timeout: float | None = None) -> Engine:
    """An engine over the store ``spec`` names, holding the project's built graph.

    ``timeout`` is the HTTP time limit for a server (None: the client's default).
    """
    from iadef.stores.oxigraph_engine import OxigraphEngine, load_store

    nquads = project.graph / "iadef.nq"
    if spec.kind == "memory":
        from iadef.stores.rdflib_engine import RdflibEngine

        return RdflibEngine(load_dataset(project))
    if spec.kind in ("oxigraph", "oxigraph-disk"):
        check_graph_set(nquads, project.relative(nquads))
    if spec.kind == "oxigraph":
        return OxigraphEngine(load_store(nquads, project.ontology))
    if spec.kind == "oxigraph-disk":
        from iadef.stores.oxigraph_disk import open_disk_store

        assert spec.path is not None
        store, _ = open_disk_store(nquads, project.ontology, spec.path)
        return OxigraphEngine(store, fork_safe=False)
    if spec.kind == "endpoint":
        from iadef.stores.endpoint import EndpointEngine

        return EndpointEngine(endpoint_for(spec, timeout))
    raise StoreError(f"unknown store kind {spec.kind!r}", hint=f"use {FORMS}")


def whole_dataset(engine: Engine) -> Dataset:
    """Every quad of the store as an rdflib dataset (the rdflib store's own, without a copy)."""
    from iadef.stores.rdflib_engine import RdflibEngine, quads_dataset

    if isinstance(engine, RdflibEngine):
        return engine.dataset
    return quads_dataset(engine.quads())


def all_quads(engine: Engine) -> list[Quad]:
    """Every quad of the store (graph None: the default graph), without building an rdflib dataset.

    The rdflib store's quads come as stored, as :func:`whole_dataset` would give them; other
    engines' as their ``quads()`` gives them (objects canonical).
    """
    from iadef.stores.rdflib_engine import RdflibEngine, dataset_quads

    if isinstance(engine, RdflibEngine):
        return list(dataset_quads(engine.dataset))
    return list(engine.quads())


def endpoint_for(spec: StoreSpec, timeout: float | None = None) -> Any:
    """The :class:`iadef.stores.endpoint.Endpoint` a server setting names (password from the environment)."""
    from iadef.namespaces import PROVENANCE_GRAPH
    from iadef.stores.endpoint import Endpoint

    assert spec.url is not None
    options: dict[str, Any] = {}
    if timeout is not None and timeout > 0:
        options["timeout"] = timeout
    return Endpoint(
        query_url=spec.url,
        update_url=spec.update_url,
        graph_store_url=spec.graph_store_url,
        user=spec.user,
        password=os.environ.get(ENV_PASSWORD),
        default_graph=spec.default_graph or str(PROVENANCE_GRAPH),
        **options,
    )


def load_dataset(project: Project) -> Dataset:
    """The built graph (``graph/iadef.nq``) with the ontology as a named graph; default graph not the union.

    A build writes the ontology into the file; a file without it (an older build, a
    synthetic graph) gets it from ``ontology/iadef.ttl``, so that it is there once.
    """
    from rdflib import Dataset

    from iadef.namespaces import ONTOLOGY_GRAPH

    path = project.graph / "iadef.nq"
    if not path.is_file():
        raise IadefError(f"{project.relative(path)} not found", hint="run `iadef build` first")
    check_graph_set(path, project.relative(path))
    dataset = Dataset(default_union=False)
    _parse(dataset, path, "nquads", project)
    if not len(dataset.graph(ONTOLOGY_GRAPH)):
        _parse(dataset.graph(ONTOLOGY_GRAPH), project.ontology, "turtle", project)
    return dataset


def _parse(graph: Graph, source: Path, syntax: str, project: Project) -> None:
    from rdflib.exceptions import ParserError

    from iadef.stores.oxigraph_engine import unreadable_graph

    try:
        graph.parse(source, format=syntax)
    except (SyntaxError, ParserError, ValueError) as exc:  # rdflib's parsers raise all three
        raise unreadable_graph(source, syntax, exc, shown=project.relative(source)) from None
