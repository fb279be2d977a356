"""The one adapter between rdflib and owlready2: OWL 2 DL reasoning with HermiT.

:func:`check_consistency` hands an rdflib graph to HermiT (through owlready2, which
cannot read Turtle) and reports whether it is consistent, which classes are
unsatisfiable and which facts HermiT inferred. How it goes about it:

* The graph is written as N-Triples into a private ``tempfile.TemporaryDirectory``.
  Triples HermiT or owlready2 cannot read are left out: ``owl:imports`` (we reason
  over the given graph only, never over the network) and ill-typed literals such
  as ``"1,5"^^xsd:decimal`` (owlready2's N-Triples parser rejects the whole file).
* The reasoning runs in a Python worker process of our own, in a new session, so
  that the time limit can be enforced by killing the worker *and* the ``java``
  process owlready2 starts (``sync_reasoner_hermit`` has no timeout parameter).
  The worker loads the file into a fresh ``owlready2.World()``, never the default
  world, and calls ``owlready2.sync_reasoner_hermit``.
* Everything is written inside the private directory, which is removed even on
  failure: the worker's ``TMPDIR`` and ``tempfile.tempdir`` point to it (owlready2
  writes its HermiT input with ``tempfile.NamedTemporaryFile(delete=False)`` and
  does not remove it when HermiT fails or finds the ontology inconsistent), and
  the JVM runs with ``-XX:-UsePerfData`` (no ``/tmp/hsperfdata_*`` file) and
  ``java.io.tmpdir`` set to it.
* Datatypes: HermiT only knows the OWL 2 datatype map, which lacks ``xsd:date``,
  ``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:gMonthDay`` and our EDTF datatype.
  ``ignore_unsupported_datatypes=True`` is enough for HermiT to accept such
  literals (it treats them as opaque values), so they are kept.

owlready2 only records inferred property values that are not the inverse (or,
for a symmetric property, the mirror) of a triple already in the world; those
are added back here, since HermiT entails them too. Class memberships are the
most specific ones HermiT reports. Everything else HermiT derives about the
ontology itself (subclass, subproperty and equivalence axioms) is not a fact and
is not reported, except unsatisfiable classes (equivalent to ``owl:Nothing``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from iadef.errors import ReasonerError

Triple = tuple[str, str, str]

JAVA_HINT = "apt-get install default-jre-headless"
INFERENCES_IRI = "http://inferrences/"  # sic: the ontology owlready2 puts inferences in
INPUT_FILE = "input.nt"
INFERRED_FILE = "inferred.nt"
STATUS_FILE = "status.json"
_WORKER_CODE = "import sys; from iadef.curation.owl import _worker_main; sys.exit(_worker_main(sys.argv[1:]))"
_NOT_FACTS = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty})
_TRIVIAL_TYPES = frozenset({OWL.Thing, OWL.Ontology, OWL.NamedIndividual})


@dataclass(frozen=True)
class ReasonerReport:
    """What HermiT said about a graph.

    ``inferred`` holds (subject, predicate, object) IRIs HermiT inferred that are not
    in the input: class memberships, and property values when they were requested.
    ``unsatisfiable`` holds the IRIs of classes that can have no member.
    """

    consistent: bool
    seconds: float
    inferred: list[Triple] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""


def check_consistency(
    graph: Graph,
    *,
    timeout_s: float = 120,
    java_memory_mb: int = 2000,
    infer_property_values: bool = False,
) -> ReasonerReport:
    """Run HermiT on ``graph``; an inconsistent graph is reported, not raised.

    Raises :class:`ReasonerError` when Java is missing, when HermiT does not finish
    within ``timeout_s`` seconds, or when it fails for another reason.
    """
    _require_java()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="iadef-owl-") as tmp:
        work = Path(tmp)
        dropped = _write_input(graph, work / INPUT_FILE)
        _run_worker(work, timeout_s, java_memory_mb, infer_property_values)
        status = _read_status(work)
        found = _read_inferred(work) if status["consistent"] else Graph()
    seconds = time.monotonic() - started
    return _report(graph, found, status, seconds, dropped, infer_property_values)


def inferred_graph(graph: Graph, *, timeout_s: float = 120, java_memory_mb: int = 2000) -> Graph:
    """The triples HermiT infers from ``graph`` (memberships and property values)."""
    report = check_consistency(graph, timeout_s=timeout_s, java_memory_mb=java_memory_mb, infer_property_values=True)
    if not report.consistent:
        raise ReasonerError(
            f"cannot infer from an inconsistent graph: {report.message}",
            hint="run the consistency check and fix the contradicting facts first",
        )
    inferred = Graph()
    for s, p, o in report.inferred:
        inferred.add((URIRef(s), URIRef(p), URIRef(o)))
    return inferred


# ------------------------------------------------------------------ parent side


def _require_java() -> None:
    if shutil.which("java") is None:
        raise ReasonerError(
            "Java is missing: the HermiT reasoner needs a `java` executable on PATH",
            hint=JAVA_HINT,
        )


def _write_input(graph: Graph, path: Path) -> int:
    """Write what HermiT can read as N-Triples; return how many triples were left out."""
    kept = Graph()
    dropped = 0
    for triple in graph.triples((None, None, None)):
        if _readable(triple):
            kept.add(triple)
        else:
            dropped += 1
    kept.serialize(destination=path, format="nt", encoding="utf-8")
    return dropped


def _readable(triple: tuple[Node, Node, Node]) -> bool:
    _, p, o = triple
    if p == OWL.imports:
        return False
    return not (isinstance(o, Literal) and o.ill_typed)


def _run_worker(work: Path, timeout_s: float, memory_mb: int, infer: bool) -> None:
    command = [sys.executable, "-c", _WORKER_CODE, str(work), str(int(infer)), str(memory_mb)]
    with subprocess.Popen(
        command,
        cwd=work,
        env=_worker_env(work),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as proc:
        try:
            _, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise ReasonerError(
                f"HermiT did not finish within {timeout_s:g} s",
                hint="raise the time limit or reason over a smaller graph",
            ) from None
        except BaseException:
            _kill(proc)
            raise
    if proc.returncode != 0 and not (work / STATUS_FILE).exists():
        raise ReasonerError(f"the reasoner worker failed:\n{_tail(err)}")


def _worker_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    env["TMPDIR"] = str(work)
    java_options = [env.get("JAVA_TOOL_OPTIONS", ""), "-XX:-UsePerfData"]
    if not any(c.isspace() for c in str(work)):
        java_options.append(f"-Djava.io.tmpdir={work}")
    env["JAVA_TOOL_OPTIONS"] = " ".join(filter(None, java_options))
    return env


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the worker and everything it started (java), then reap the worker."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()


def _tail(err: bytes, lines: int = 15) -> str:
    return "\n".join(err.decode("utf-8", "replace").strip().splitlines()[-lines:])


def _read_status(work: Path) -> dict[str, Any]:
    status: dict[str, Any] = json.loads((work / STATUS_FILE).read_text(encoding="utf-8"))
    if "error" in status:
        raise ReasonerError(f"HermiT failed: {status['error']}")
    return status


def _read_inferred(work: Path) -> Graph:
    found = Graph()
    found.parse(work / INFERRED_FILE, format="nt")
    return found


def _report(
    graph: Graph,
    found: Graph,
    status: dict[str, Any],
    seconds: float,
    dropped: int,
    infer: bool,
) -> ReasonerReport:
    asserted = list(graph.triples((None, None, None)))
    facts = {t for t in found if _is_fact(t)}
    if infer:
        facts |= _mirrored(graph, [*asserted, *facts])
    inferred = sorted((str(s), str(p), str(o)) for s, p, o in facts if (s, p, o) not in graph)
    unsatisfiable = sorted(str(c) for c in _unsatisfiable([*asserted, *found]))
    message = str(status["message"])
    if dropped:
        message += f"; {dropped} triple(s) left out (owl:imports, ill-typed literals)"
    if unsatisfiable:
        message += f"; {len(unsatisfiable)} unsatisfiable class(es)"
    return ReasonerReport(status["consistent"], seconds, inferred, unsatisfiable, message)


def _is_fact(triple: tuple[Node, Node, Node]) -> bool:
    s, p, o = triple
    if not (isinstance(s, URIRef) and isinstance(o, URIRef)) or p in _NOT_FACTS:
        return False
    return not (p == RDF.type and o in _TRIVIAL_TYPES)


def _mirrored(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> set[tuple[Node, Node, Node]]:
    """Inverse and symmetric counterparts of ``triples`` (entailed, dropped by owlready2)."""
    inverses = _inverse_properties(graph)
    mirrored: set[tuple[Node, Node, Node]] = set()
    for s, p, o in triples:
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            mirrored.update((o, q, s) for q in inverses.get(p, ()))
    return mirrored


def _inverse_properties(graph: Graph) -> dict[Node, set[Node]]:
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        if isinstance(p, URIRef):
            inverses[p].add(p)
    for p, q in graph.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverses[p].add(q)
            inverses[q].add(p)
    return inverses


def _unsatisfiable(triples: Iterable[tuple[Node, Node, Node]]) -> set[Node]:
    found: set[Node] = set()
    for s, p, o in triples:
        if p == OWL.equivalentClass and OWL.Nothing in (s, o):
            found.add(o if s == OWL.Nothing else s)
    return {c for c in found if isinstance(c, URIRef) and c != OWL.Nothing}


# ------------------------------------------------------------------ worker side


def _worker_main(args: list[str]) -> int:
    """Entry point of the worker process: ``<work dir> <infer 0|1> <memory MB>``."""
    work, infer, memory_mb = Path(args[0]), args[1] == "1", int(args[2])
    import owlready2

    try:
        world = owlready2.World()
        world.get_ontology((work / INPUT_FILE).as_uri()).load()
        with _owlready_settings(work, memory_mb):
            owlready2.sync_reasoner_hermit(
                world,
                infer_property_values=infer,
                ignore_unsupported_datatypes=True,
                debug=0,
            )
    except owlready2.OwlReadyInconsistentOntologyError:
        _write_status(
            work, consistent=False, message="HermiT: inconsistent (no model satisfies all axioms and facts together)"
        )
        return 0
    except owlready2.OwlReadyError as error:
        _write_status(work, error=str(error).strip())
        return 1
    world.get_ontology(INFERENCES_IRI).save(str(work / INFERRED_FILE), format="ntriples")
    _write_status(work, consistent=True, message="HermiT: consistent")
    return 0


@contextmanager
def _owlready_settings(work: Path, memory_mb: int) -> Iterator[None]:
    """Point owlready2's temporary file and the JVM heap size at our settings.

    ``sync_reasoner_hermit`` reads ``owlready2.reasoning.JAVA_MEMORY``; the
    ``owlready2.JAVA_MEMORY`` name is a copy made at import and has no effect.
    """
    import owlready2.reasoning

    saved = tempfile.tempdir, owlready2.reasoning.JAVA_MEMORY
    tempfile.tempdir = str(work)
    owlready2.reasoning.JAVA_MEMORY = memory_mb
    try:
        yield
    finally:
        tempfile.tempdir, owlready2.reasoning.JAVA_MEMORY = saved


def _write_status(work: Path, **status: object) -> None:
    (work / STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
