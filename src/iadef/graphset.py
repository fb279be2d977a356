"""Reading ``graph/`` as one set: the N-Quads a store loads must be those the manifest names.

``iadef build`` writes ``iadef.nq``, ``iadef.trig``, ``iadef.ttl`` and, last,
``manifest.json``, which records the SHA-256 of the others
(:func:`iadef.output.write_all`). A build killed between two renames leaves new data
files beside the old manifest; every reader of the graph calls :func:`check_graph_set`
first, and refuses such a mixed set rather than answer from it. A folder with no
manifest (a graph written by another tool, or by the tests and benchmarks) is read as it is.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from iadef.errors import StoreError

MANIFEST = "manifest.json"
REBUILD = "run `iadef build` to write the whole set again"


def check_graph_set(nquads: Path, shown: str) -> None:
    """Raise a :class:`StoreError` if ``nquads`` (shown as ``shown``) is not the file its manifest records."""
    manifest = nquads.with_name(MANIFEST)
    shown_manifest = str(Path(shown).with_name(MANIFEST))
    try:
        raw = manifest.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"cannot read the manifest: {exc.strerror}", path=shown_manifest, hint=REBUILD) from None
    try:
        expected = json.loads(raw)["files"][nquads.name]
    except (ValueError, KeyError, TypeError):
        raise StoreError(
            f"not a manifest of iadef build (no SHA-256 for {nquads.name})", path=shown_manifest, hint=REBUILD
        ) from None
    if sha256_of(nquads) != expected:
        raise StoreError(
            f"{shown} is not the file {shown_manifest} records (another SHA-256): the folder holds files of two "
            "different builds, from a build that was interrupted or is being written",
            hint=REBUILD,
        )


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks ('' if it cannot be read: the load will say why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
