"""Deterministic serialisation and atomic writes.

Same input, byte-identical output, whatever PYTHONHASHSEED: N-Quads lines are
sorted; Turtle and TriG come from rdflib's serialisers, which order subjects and
predicates (the graph has no blank nodes). Files are written to a temporary file in
the target folder, flushed to disk, then renamed over the old one, so an error or an
interruption leaves the previous file whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import OutputError
from .namespaces import PREFIXES

CORE = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def nquads(dataset: Dataset) -> bytes:
    """Sorted N-Quads of every graph of the dataset."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def trig(dataset: Dataset) -> bytes:
    """TriG with the default graph first, then named graphs sorted by IRI.

    rdflib's TriG serialiser orders graphs by store internals, which vary between
    runs; each graph body is rdflib Turtle (sorted), the order of graphs is ours.
    """
    namespaces = sorted({**{p: str(n) for p, n in PREFIXES.items()}, **CORE}.items())
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in namespaces)
    blocks = [header]
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    default = str(dataset.default_graph.identifier)
    for name in sorted(graphs, key=lambda n: (n != default, n)):
        body = _turtle_body(graphs[name], namespaces)
        blocks.append(f"{{\n{body}}}\n" if name == default else f"<{name}> {{\n{body}}}\n")
    return "\n".join(blocks).encode("utf-8")


def _turtle_body(graph: Graph, namespaces: list[tuple[str, str]]) -> str:
    copy = Graph(bind_namespaces="none")
    for prefix, ns in namespaces:
        copy.bind(prefix, ns)
    for triple in graph:
        copy.add(triple)
    lines = copy.serialize(format="turtle").splitlines()
    body = [line for line in lines if not line.startswith("@prefix") and line.strip()]
    return "".join(f"    {line}\n" for line in body)


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle").encode("utf-8")


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content`` in one step, or leave it untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # closed below, then renamed or removed: a context manager would delete it
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)  # noqa: SIM115
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}", path=str(path)) from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write several files, each atomically; return those whose bytes changed."""
    changed = []
    for path, content in sorted(files.items()):
        if path.is_file() and path.read_bytes() == content:
            continue
        write_atomic(path, content)
        changed.append(path)
    return changed
