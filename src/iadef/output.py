"""Deterministic serialisation and atomic writes.

Same input, byte-identical output, whatever PYTHONHASHSEED: N-Quads lines are
sorted; Turtle and TriG come from rdflib's serialisers, which order subjects and
predicates. The only blank nodes are the ontology's OWL axioms, which the build labels
canonically (:func:`iadef.curation.dataset.add_ontology`). Files are written to a temporary file in
the target folder, flushed to disk, then renamed over the old one, so an error or an
interruption leaves the previous file whole (see :func:`write_all` for groups of files
and the ``IADEF_TEST_SLOW_WRITE_MS`` and ``IADEF_TEST_KILL_AT`` test hooks). The manifest of a
group is renamed last, and readers check it (:mod:`iadef.graphset`).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from iadef.errors import OutputError
from iadef.namespaces import PREFIXES

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
_SAFE_BNODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def _term(term: Node, manager: NamespaceManager) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in _longest_first(manager):
            if text.startswith(ns) and _SAFE_LOCAL.match(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return term.n3(manager)
    if isinstance(term, BNode) and _SAFE_BNODE.match(str(term)):
        return f"_:{term}"  # the ontology's axioms, labelled canonically by the build
    raise OutputError(f"blank node {term} cannot be written deterministically")


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle").encode("utf-8")


SLOW_WRITE_ENV = "IADEF_TEST_SLOW_WRITE_MS"
"""Test hook: after staging each file, announce it on stderr and wait this many ms before any rename."""


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content`` in one step, or leave it untouched."""
    _write_group([path], {path: content})


def write_all(files: dict[Path, bytes], *, last: Path | None = None) -> list[Path]:
    """Write several files as a group; return those whose bytes changed.

    Every changed file is staged first (written and fsynced), and only then renamed
    into place, one right after the other, ``last`` (the manifest) at the end: an error
    or a kill while staging leaves every file as it was, and a kill between two renames
    leaves data files that do not match the manifest, which every reader refuses
    (:func:`check_graph_set`) until the next build. Where Linux allows it (``O_TMPFILE``),
    a staged file has no name until it is renamed; a named temporary file a killed
    writer left behind (``.NAME.PID….tmp``, its process gone) is removed first.
    """
    changed = [path for path, content in sorted(files.items()) if not (path.is_file() and path.read_bytes() == content)]
    changed.sort(key=lambda path: path == last)
    for folder in sorted({path.parent for path in files}):
        remove_stale_temporaries(folder)
    _write_group(changed, files)
    return changed


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)\.(?:[A-Za-z0-9_]+\.)?tmp$")


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the ``.NAME.PID….tmp`` files of writers that are no longer running; return their names."""
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        match = _TEMPORARY.match(name)
        if match is None or _running(int(match["pid"])):
            continue
        try:
            (folder / name).unlink()
        except OSError:
            continue
        removed.append(name)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _write_group(paths: list[Path], files: dict[Path, bytes]) -> None:
    staged: list[_Staged] = []
    current = None
    try:
        for current in paths:
            staged.append(_Staged(current, files[current]))
            _test_pause(current)
            _test_kill("staged", current)
        for item in staged:
            current = item.path
            item.commit()
            _test_kill("renamed", current)
    except OSError as exc:
        raise OutputError(f"cannot write {current}: {exc.strerror}", path=str(current)) from None
    finally:
        for item in staged:
            item.discard()
    for folder in sorted({path.parent for path in paths}):
        _fsync_folder(folder)


class _Staged:
    """The new content of one file, on disk in the file's folder, not yet in place."""

    def __init__(self, path: Path, content: bytes) -> None:
        self.path, self.content = path, content
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file where the folder should be
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
        self.fd, self.name = _open_temporary(path)
        try:
            _write_fd(self.fd, content)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Rename the staged content over the file (an unnamed one gets a name first)."""
        if self.name is None:
            name = str(self.path.parent / f".{self.path.name}.{os.getpid()}.tmp")
            if _link_unnamed(self.fd, name):
                self.name = name
            else:  # the system cannot name it: write a named copy now
                fd, self.name = _named_temporary(self.path)
                try:
                    _write_fd(fd, self.content)
                finally:
                    os.close(fd)
        _test_kill("linked", self.path)
        os.replace(self.name, self.path)
        self.name = None

    def discard(self) -> None:
        """Close the staged file and remove its name if it still has one."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.name is not None:
            Path(self.name).unlink(missing_ok=True)
            self.name = None


def _write_fd(fd: int, content: bytes) -> None:
    os.fchmod(fd, 0o644)
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _open_temporary(path: Path) -> tuple[int, str | None]:
    """An unnamed file in the target folder (Linux ``O_TMPFILE``), or else a named one."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        try:
            return os.open(path.parent, flag | os.O_WRONLY, 0o644), None
        except OSError:  # the file system does not support it
            pass
    return _named_temporary(path)


def _named_temporary(path: Path) -> tuple[int, str]:
    """``.NAME.PID.RANDOM.tmp`` beside ``path``: the PID lets a later writer remove it if this one dies."""
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")


def _link_unnamed(fd: int, name: str) -> bool:
    """Give an ``O_TMPFILE`` file a name: ``linkat(AT_EMPTY_PATH)``, else through /proc."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.linkat(fd, b"", -100, os.fsencode(name), 0x1000) == 0:  # AT_FDCWD, AT_EMPTY_PATH
            return True
    except (OSError, AttributeError):
        pass
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
    except OSError:
        return False
    return True


def _test_pause(path: Path) -> None:
    delay = os.environ.get(SLOW_WRITE_ENV)
    if delay:
        print(f"{SLOW_WRITE_ENV}: staged {path.name}", file=sys.stderr, flush=True)
        time.sleep(int(delay) / 1000)


KILL_AT_ENV = "IADEF_TEST_KILL_AT"
"""Test hook: ``STEP:NAME`` (STEP staged, linked or renamed) kills the writing process with SIGKILL right
after that step for that file, as a power cut or ``kill -9`` would."""


def _test_kill(step: str, path: Path) -> None:
    if os.environ.get(KILL_AT_ENV) == f"{step}:{path.name}":
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable; not every system can open a folder for this."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
