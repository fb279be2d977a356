from __future__ import annotations

from typing import TYPE_CHECKING

from iadef.errors import StoreError
from iadef.graphset import MANIFEST, check_graph_set

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.stores.setting import StoreSpec


def prepare_store(project: Project, spec: StoreSpec) -> str:
    """Refuse what cannot be served; load a disk store before the workers open it read-only."""
    if spec.kind == "endpoint":
        raise StoreError(
            f"iadef serve reads a local store, not the SPARQL endpoint {spec.url}",
            hint="that server is an endpoint already; serve with --store memory, oxigraph or oxigraph:DIR",
        )
    nquads = project.graph / "iadef.nq"
    if not nquads.is_file():
        raise StoreError(f"{project.relative(nquads)} not found", hint="run `iadef build` first")
    check_graph_set(nquads, project.relative(nquads))
    if spec.kind != "oxigraph-disk":
        return "each worker loads graph/iadef.nq"
    from iadef.stores.oxigraph_disk import open_disk_store

    assert spec.path is not None
    store, report = open_disk_store(nquads, project.ontology, spec.path)
    del store  # the workers open it read-only
    return f"loaded {report.quads} quads" if report.loaded else f"up to date, {report.quads} quads"


def build_state(project: Project) -> tuple[tuple[int, int] | None, ...]:
    """Size and modification time (ns) of the files a store is loaded from, and of the manifest
    (renamed last by a build: a set refused as mixed is tried again once it is whole); None for a missing file."""
    state: list[tuple[int, int] | None] = []
    for path in (project.graph / "iadef.nq", project.ontology, project.graph / MANIFEST):
        try:
            stat = path.stat()
        except OSError:
            state.append(None)
        else:
            state.append((stat.st_size, stat.st_mtime_ns))
    return tuple(state)
