"""``iadef validate``: SHACL shapes and provenance rules, each problem traced to its seed line.

The data checked is the union of every graph of the dataset (the sourced facts,
the curated labels and the default graph that describes them) plus the ontology,
so that ``sh:class`` follows ``rdfs:subClassOf``. pyshacl runs with no inference:
RDFS inference would derive the very types the shapes check from ``rdfs:range``
(a signatory would *become* a Person) and takes about three times as long.

Provenance is checked in Python, since SHACL sees one graph and not which named
graph a triple is in: every fact graph must be described in the default graph by an
``iadef:Assertion`` (whose source and quote the SHACL shapes then check), every
curation graph must be attributed, any other named graph (inferred, linked, imported)
must say where it comes from, and no entity fact may sit in the default graph.

Each problem names the seed file and line it comes from, found through the
``iadef:seedFile`` / ``iadef:seedLine`` the default graph records for every graph.
Nothing here prints: callers get a :class:`Report`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from iadef.curation.seedlines import Location, SeedLocator, graph_name
from iadef.curation.shapequeries import check_shape_queries
from iadef.errors import IadefError, OntologyError
from iadef.namespaces import CURATION, DCTERMS, FACT, IADEF, ID, ONTOLOGY_GRAPH, PROV, SOURCE
from iadef.paths import Project

if TYPE_CHECKING:
    from iadef.curation.loader import Seeds

SHAPES_FILE = Path("ontology") / "shapes.ttl"
SHAPES_HINT = "fix the shape pyshacl names (its SPARQL, or its structure)"
SHAPES = "https://w3id.org/iadef/shapes/"
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_RANK = {"violation": 0, "warning": 1, "info": 2}
_COUNTS = {SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent, SH.QualifiedMinCountConstraintComponent}
_MAX = SH.MaxCountConstraintComponent
_PREFIXES = {"iadef:": str(IADEF), "xsd:": str(XSD), "rdf:": str(RDF), "fact:": str(FACT), "sh:": str(SH)}

_Triple = tuple[Node, Node, Node]


class ValidationError(IadefError):
    """The graph breaks a shape or a provenance rule; nothing was written."""

    def __init__(self, report: Report) -> None:
        first = report.violations[0]
        more = len(report.violations) - 1
        message = first.describe() + (f" (and {more} more violation{'s' if more > 1 else ''})" if more else "")
        super().__init__(
            message,
            path=first.path,
            line=first.line,
            hint="fix the seed at that line; `iadef validate` lists every problem; nothing was written",
        )
        self.report = report


@dataclass(frozen=True)
class Problem:
    """One problem: how bad, which rule, about what, why, and where it was written."""

    severity: str
    rule: str
    focus: str
    message: str
    path: str | None = None
    line: int | None = None

    def describe(self) -> str:
        """The problem without its location: ``violation [rule] focus: message``."""
        return f"{self.severity} [{self.rule}] {self.focus}: {self.message}"

    def __str__(self) -> str:
        where = "" if self.path is None else (f"{self.path}: " if self.line is None else f"{self.path}:{self.line}: ")
        return where + self.describe()

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path or "~", self.line or 0, _RANK.get(self.severity, 3), self.rule, self.focus, self.message)


@dataclass
class Report:
    """The outcome of a validation: every problem found, sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings and infos are allowed)."""
        return not self.violations

    def merged(self, other: Report) -> Report:
        """This report and ``other`` as one (problems re-sorted, times added)."""
        problems = sorted({*self.problems, *other.problems}, key=Problem.sort_key)
        return Report(problems, self.seconds + other.seconds, self.triples)

    def text(self) -> str:
        """The report as printed by ``iadef validate``."""
        verdict = "ok" if self.conforms else "FAILED"
        counts = f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        summary = f"validation {verdict}: {counts} over {self.triples} triples in {self.seconds:.2f} s"
        return "\n".join([*(str(p) for p in self.problems), summary])


def load_shapes(project: Project) -> Graph:
    """The SHACL shapes of the project (``ontology/shapes.ttl``)."""
    path = project.root / SHAPES_FILE
    shown = project.relative(path)
    if not path.is_file():
        raise OntologyError("shapes file not found", path=shown, hint="restore it: git checkout ontology/shapes.ttl")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for syntax errors
        raise OntologyError(f"malformed Turtle: {exc}", path=shown, hint="fix the syntax at that position") from None
    check_shape_queries(graph, path.read_text(encoding="utf-8"), shown)
    return graph


def validate(project: Project, *, reason: bool = False, reason_timeout_s: float = 120) -> Report:
    """Load the seeds of ``project`` and validate the dataset they build (and reason over it)."""
    from iadef.curation.dataset import build_dataset, merged_graph
    from iadef.curation.loader import load_seeds
    from iadef.curation.ontology import Ontology

    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    seeds = load_seeds(project, ontology)
    dataset = build_dataset(seeds)
    report = validate_dataset(dataset, ontology.graph, load_shapes(project), locations=source_lines(project, seeds))
    if reason:
        asserted = merged_graph(dataset, links=False)
        report = report.merged(consistency(ontology.graph, asserted, timeout_s=reason_timeout_s))
    return report


def source_lines(project: Project, seeds: Seeds) -> dict[Node, Location]:
    """Where each source document is described: its key's line in seeds/sources.yaml."""
    shown = project.relative(project.sources)
    return {SOURCE[key]: (shown, source.line) for key, source in seeds.sources.items()}


def validate_files(
    project: Project,
    paths: Sequence[Path],
    *,
    allow_network: bool = False,
    reason: bool = False,
    reason_timeout_s: float = 120,
) -> Report:
    """Validate RDF files given by a user (read safely) against the project's ontology and shapes."""
    from iadef.curation.ontology import Ontology
    from iadef.curation.rdfinput import parse_rdf

    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    merged = Dataset()
    origins: dict[Node, Location] = {}
    for path in paths:
        shown = project.relative(path) if path.is_absolute() else str(path)
        parsed = parse_rdf(path, shown=shown, allow_network=allow_network)
        for s, p, o, g in parsed.quads((None, None, None, None)):
            name = graph_name(g)
            target = merged.default_graph if name == parsed.default_graph.identifier else merged.graph(name)
            target.add((s, p, o))
            origins.setdefault(s, (shown, None))
    report = validate_dataset(merged, ontology.graph, load_shapes(project), locations=origins)
    if reason:
        everything = ((s, p, o) for s, p, o, _ in merged.quads((None, None, None, None)))
        report = report.merged(consistency(ontology.graph, everything, timeout_s=reason_timeout_s))
    return report


def validate_dataset(
    dataset: Dataset,
    ontology: Graph,
    shapes: Graph,
    *,
    locations: Mapping[Node, Location] | None = None,
) -> Report:
    """Run the shapes and the provenance rules on ``dataset``.

    ``locations`` gives a place to report nodes that no seed metadata locates (the
    source documents of sources.yaml, or the file an external triple was read from).
    """
    import pyshacl
    import pyshacl.errors

    started = time.perf_counter()
    locator = SeedLocator(dataset, locations or {})
    data = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if graph_name(g) != ONTOLOGY_GRAPH:  # the build's copy of ``ontology``, added below
            data.add((s, p, o))
    triples = len(data)
    for triple in ontology:
        data.add(triple)
    try:
        _, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
        )
    except (
        pyshacl.errors.ShapeLoadError,
        pyshacl.errors.ConstraintLoadError,
        pyshacl.errors.ReportableRuntimeError,
    ) as exc:
        raise OntologyError(f"the shapes cannot be run: {exc}", path=str(SHAPES_FILE), hint=SHAPES_HINT) from None
    if not isinstance(results, Graph):
        raise OntologyError(f"the shapes cannot be run: {results}", path=str(SHAPES_FILE), hint=SHAPES_HINT)
    top = [r for r in results.subjects(RDF.type, SH.ValidationResult) if (None, SH.detail, r) not in results]
    problems = [_from_result(results, shapes, data, locator, r) for r in top]
    problems += _provenance(dataset, locator) + _one_class(data, locator)
    problems = sorted(set(problems), key=Problem.sort_key)
    return Report(problems, time.perf_counter() - started, triples)


def consistency(ontology: Graph, data: Iterable[_Triple], *, timeout_s: float = 120) -> Report:
    """HermiT's verdict on the ontology plus ``data``, as a report (needs Java)."""
    from iadef.curation.owl import check_consistency

    graph = Graph()
    for triple in (*ontology, *data):
        graph.add(triple)
    report = check_consistency(graph, timeout_s=timeout_s)
    problems = [Problem("violation", "owl-consistency", "the graph", report.message)] if not report.consistent else []
    problems += [
        Problem("violation", "owl-satisfiable", _short(URIRef(c)), "no member possible") for c in report.unsatisfiable
    ]
    return Report(problems, report.seconds, len(graph) - len(ontology))


# ------------------------------------------------------------------ SHACL results


def _from_result(results: Graph, shapes: Graph, data: Graph, locator: SeedLocator, result: Node) -> Problem:
    focus = results.value(result, SH.focusNode)
    value = results.value(result, SH.value)
    shape = results.value(result, SH.sourceShape)
    component = results.value(result, SH.sourceConstraintComponent)
    severity = SEVERITIES.get(results.value(result, SH.resultSeverity), "violation")  # type: ignore[call-overload]
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    predicates = _path_predicates(results, results.value(result, SH.resultPath))
    if not predicates and isinstance(shape, URIRef):
        predicates = [p for p in shapes.objects(shape, SH.targetSubjectsOf) if isinstance(p, URIRef)]
    assert focus is not None
    message = messages[0] if messages else str(component)
    if component in _COUNTS:
        values = sorted({_short(o) for p in predicates for o in data.objects(focus, p)})
        shown = f": {', '.join(values[:5])}{', ...' if len(values) > 5 else ''}" if component == _MAX else ""
        message += f" (found {len(values)}{shown})"
    elif component == SH.ClassConstraintComponent:
        subject = value if value is not None else focus
        message += f" ({_short(subject)} is {_types(data, subject)})"
    elif value is not None and value != focus:
        message += f" (got {_short(value)})"
    rule = str(shape)[len(SHAPES) :] if str(shape).startswith(SHAPES) else _short(component or shape or focus)
    where = locator.locate(focus, predicates, value, extra=component == _MAX)
    return Problem(severity, rule, _short(focus), message, *where)


def _path_predicates(results: Graph, path: Node | None) -> list[URIRef]:
    if isinstance(path, URIRef):
        return [path]
    if isinstance(path, BNode):
        alternatives = results.value(path, SH.alternativePath)
        if alternatives is not None:
            return [p for p in Collection(results, alternatives) if isinstance(p, URIRef)]
    return []


def _types(data: Graph, node: Node) -> str:
    names = sorted(_short(t).removeprefix("iadef:") for t in data.objects(node, RDF.type))
    return ("an " if names[0][0] in "AEIOU" else "a ") + ", ".join(names) if names else "not typed"


def _short(node: Node | None) -> str:
    """An entity key, a prefixed name, a quoted literal or an IRI in angle brackets."""
    if isinstance(node, Literal):
        text = f'"{node}"'
        if node.language:
            return f"{text}@{node.language}"
        return text if node.datatype is None else f"{text}^^{_short(node.datatype)}"
    text = str(node)
    if text.startswith(str(ID)):
        return text[len(ID) :]
    for prefix, namespace in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace) :]
    return f"<{text}>"


# ------------------------------------------------------------------ provenance

_UNSOURCED = "facts stated in the default graph, without a source"
_UNDESCRIBED = "fact graph is not described by an iadef:Assertion with its source and quote in the default graph"
_UNATTRIBUTED = "curated labels are not attributed to anyone (prov:wasAttributedTo)"
_DESCRIBED = (PROV.wasGeneratedBy, PROV.wasDerivedFrom, PROV.wasAttributedTo, DCTERMS.source)
_UNDESCRIBED_GRAPH = "with no provenance in the default graph (prov:wasGeneratedBy, wasDerivedFrom, wasAttributedTo)"
_EMPTY = "an assertion describes a fact graph that is empty or missing"


def _one_class(data: Graph, locator: SeedLocator) -> list[Problem]:
    """One most specific class per entity: superclasses entailed by the ontology may stand next to it.

    (The ``Typed-count`` rule of shapes.ttl, in Python: as SHACL-SPARQL, pyshacl would
    parse the query again for every entity, six times the time of all other shapes.)
    """
    problems = []
    for entity in sorted({s for s in data.subjects(RDF.type) if str(s).startswith(str(ID))}, key=str):
        classes = set(data.objects(entity, RDF.type))
        broader = {b for c in classes for b in data.transitive_objects(c, RDFS.subClassOf) if b != c}
        specific = sorted(_short(c) for c in classes - broader)
        if len(specific) > 1:
            message = f"an entity has exactly one class (rdf:type) (found {len(specific)}: {', '.join(specific)})"
            where = locator.locate(entity, [RDF.type], None, extra=True)
            problems.append(Problem("violation", "Typed-count", _short(entity), message, *where))
    return problems


def _provenance(dataset: Dataset, locator: SeedLocator) -> list[Problem]:
    """Every named graph is described in the default graph; no entity fact is unsourced."""
    meta = dataset.default_graph
    sizes = Counter(graph_name(g) for _, _, _, g in dataset.quads((None, None, None, None)))
    found: list[tuple[Node, str]] = [(s, _UNSOURCED) for s in set(meta.subjects()) if str(s).startswith(str(ID))]
    for name, size in sizes.items():
        text = str(name)
        if name == meta.identifier:
            continue
        if text.startswith(str(FACT)):
            if (name, RDF.type, IADEF.Assertion) not in meta:
                found.append((name, _UNDESCRIBED))
            if size != 1:
                found.append((name, f"a fact graph holds exactly one triple (found {size})"))
        elif text.startswith(str(CURATION)):
            if (name, PROV.wasAttributedTo, None) not in meta:
                found.append((name, _UNATTRIBUTED))
        elif not any((name, p, None) in meta for p in _DESCRIBED):  # inferred, linked or imported triples
            found.append((name, f"named graph of {size} triple(s) {_UNDESCRIBED_GRAPH}"))
    found += [(a, _EMPTY) for a in meta.subjects(RDF.type, IADEF.Assertion) if not sizes[a]]
    return [Problem("violation", "provenance", _short(n), m, *locator.locate(n, [], None)) for n, m in found]
