"""Deterministic serialisation and atomic writes.

Same input, byte-identical output, whatever PYTHONHASHSEED: N-Quads lines are
sorted; Turtle and TriG come from rdflib's serialisers, which order subjects and
predicates (the graph has no blank nodes). Files are written to a temporary file in
the target folder, flushed to disk, then renamed over the old one, so an error or an
interruption leaves the previous file whole.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

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
    grouped: dict[str, list[tuple[Node, Node, Node]]] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        grouped.setdefault(str(g), []).append((s, p, o))
    default = str(dataset.default_graph.identifier)
    for name in sorted(grouped, key=lambda n: (n != default, n)):
        body = _turtle_body(grouped[name], namespaces)
        blocks.append(f"{{\n{body}}}\n" if name == default else f"<{name}> {{\n{body}}}\n")
    return "\n".join(blocks).encode("utf-8")


def _turtle_body(triples: list[tuple[Node, Node, Node]], namespaces: list[tuple[str, str]]) -> str:
    """Sorted Turtle statements of one graph, one subject block each (no prefixes)."""
    manager = _manager(tuple(namespaces))
    by_subject: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in triples:
        predicate = "a" if p == RDF.type else _term(p, manager)
        by_subject.setdefault(_term(s, manager), []).append((predicate, _term(o, manager)))
    lines = []
    for subject in sorted(by_subject):
        pairs = sorted(by_subject[subject], key=lambda pair: (pair[0] != "a", pair))
        body = " ;\n        ".join(f"{p} {o}" for p, o in pairs)
        lines.append(f"    {subject} {body} .\n")
    return "".join(lines)


@functools.lru_cache(maxsize=4)
def _manager(namespaces: tuple[tuple[str, str], ...]) -> NamespaceManager:
    manager = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for prefix, ns in namespaces:
        manager.bind(prefix, ns)
    return manager


@functools.lru_cache(maxsize=4)
def _longest_first(manager: NamespaceManager) -> list[tuple[str, str]]:
    return sorted(((p, str(n)) for p, n in manager.namespaces()), key=lambda item: (-len(item[1]), item[0]))


_SAFE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _term(term: Node, manager: NamespaceManager) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in _longest_first(manager):
            if text.startswith(ns) and _SAFE_LOCAL.match(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return term.n3(manager)
    raise OutputError(f"blank node {term} cannot be written deterministically")


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
