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


def nquads(dataset: Dataset) -> bytes:
    """Sorted N-Quads of every graph of the dataset."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def trig(dataset: Dataset) -> bytes:
    """TriG, re-parsed from sorted N-Quads so the order never depends on insertion."""
    stable = Dataset()
    for prefix, namespace in dataset.namespaces():
        stable.bind(prefix, namespace)
    stable.parse(data=nquads(dataset).decode("utf-8"), format="nquads")
    return stable.serialize(format="trig").encode("utf-8")


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle").encode("utf-8")


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content`` in one step, or leave it untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
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
