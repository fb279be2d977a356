"""``iadef build``: ontology + seeds -> checked, validated, sourced graph files in graph/.

A build loads and checks the seeds, validates the dataset against the SHACL shapes
(:mod:`iadef.curation.validation`) and renders every output in memory; only then is anything
written, as one group (:func:`iadef.output.write_all`). With ``reason=True`` it also
runs HermiT on the ontology plus the merged asserted facts and writes what HermiT
entails, and is not asserted, to ``graph/inferred.trig``: the named graph
``https://w3id.org/iadef/graph/inferred``, described in its default graph as
``prov:wasGeneratedBy`` a reasoning activity. The asserted files are the same bytes
with or without reasoning; an inconsistent graph stops the build and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef

from iadef.curation.attestation import require_attested
from iadef.curation.dataset import add_ontology, build_dataset, merged_graph
from iadef.curation.loader import Seeds, load_seeds
from iadef.curation.ontology import Ontology
from iadef.curation.owl import ReasonerReport, check_consistency
from iadef.curation.owl import _require_java as require_java
from iadef.curation.validation import Report, ValidationError, load_shapes, source_lines, validate_dataset
from iadef.errors import OutputError, ReasonerError
from iadef.namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, PROV
from iadef.output import nquads, trig, turtle, write_all
from iadef.paths import Project

OUTPUTS = ("iadef.trig", "iadef.nq", "iadef.ttl", "manifest.json")
INFERRED_FILE = "inferred.trig"
REASONING = URIRef(BASE + "activity/reasoning")
REASONER = URIRef(BASE + "agent/hermit")


@dataclass
class BuildResult:
    """What a build produced."""

    dataset: Dataset
    seeds: Seeds
    files: dict[Path, bytes]
    changed: list[Path]
    seconds: float
    validation: Report | None = None
    reasoning: ReasonerReport | None = None
    inferred: int = 0
    stale_inferred: Path | None = None  # an inferred.trig left from an older graph


def load(project: Project) -> tuple[Ontology, Seeds, Dataset]:
    """Read and check everything (seeds, and what their quotes attest), in memory; nothing is written."""
    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    seeds = load_seeds(project, ontology)
    require_attested(project, ontology, seeds)
    dataset = build_dataset(seeds)
    _add_wikidata_links(project, dataset)
    add_ontology(dataset, ontology.graph, ontology.shown)
    return ontology, seeds, dataset


def _add_wikidata_links(project: Project, dataset: Dataset) -> None:
    """Curator-accepted Wikidata links (owl:sameAs), in their own named graph, offline."""
    if not (project.seeds / "wikidata-links.yaml").is_file():
        return
    from iadef.wikidata.enrich import link_quads

    for quad in link_quads(project).quads((None, None, None, None)):
        s, p, o, g = quad
        target = dataset.default_graph if str(g) == "urn:x-rdflib:default" else dataset.graph(g)
        target.add((s, p, o))


def render(project: Project, seeds: Seeds, dataset: Dataset, out: Path) -> dict[Path, bytes]:
    """Every output file's bytes, computed before anything is written."""
    quads = nquads(dataset)
    files = {
        out / "iadef.nq": quads,
        out / "iadef.trig": trig(dataset),
        out / "iadef.ttl": turtle(merged_graph(dataset)),
    }
    manifest = {
        "generator": "iadef build",
        "sources": {key: {"file": s.shown, "sha256": s.sha256} for key, s in sorted(seeds.sources.items())},
        "counts": {
            "entities": len(seeds.records),
            "sourced_facts": len(seeds.facts),
            "sources": len(seeds.sources),
            "quads": quads.count(b"\n"),
            "ontology_triples": len(dataset.graph(ONTOLOGY_GRAPH)),
        },
        "files": {path.name: _sha256(content) for path, content in sorted(files.items())},
    }
    files[out / "manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode(
        "utf-8"
    )
    return files


def check(project: Project, ontology: Ontology, seeds: Seeds, dataset: Dataset) -> Report:
    """Validate the dataset against the project's shapes; raise on any violation."""
    report = validate_dataset(dataset, ontology.graph, load_shapes(project), locations=source_lines(project, seeds))
    if not report.conforms:
        raise ValidationError(report)
    return report


def build(
    project: Project,
    out: Path | None = None,
    *,
    reason: bool = False,
    reason_timeout_s: float = 120,
    java_memory_mb: int = 2000,
) -> BuildResult:
    """Load, check, validate (and reason), then write the graph; on any error nothing is written."""
    start = time.perf_counter()
    if out is not None and (name := project.data_folder(out, ("seeds", "ontology", "queries"))) is not None:
        raise OutputError(
            f"--out {out}: refused, it is inside {name}/, which holds the project's own data",
            hint="write the build outside seeds/, ontology/ and queries/ (e.g. --out /tmp/graph), "
            "or leave out --out for graph/",
        )
    if reason:
        require_java()  # before the slower steps
    ontology, seeds, dataset = load(project)
    validation = check(project, ontology, seeds, dataset)
    out = out or project.graph
    files = render(project, seeds, dataset, out)
    report = None
    inferred = 0
    if reason:
        report, inferred_data = infer(ontology, dataset, timeout_s=reason_timeout_s, java_memory_mb=java_memory_mb)
        inferred = len(inferred_data.graph(INFERRED_GRAPH))
        files[out / INFERRED_FILE] = trig(inferred_data)
    changed = write_all(files, last=out / "manifest.json")
    stale = out / INFERRED_FILE
    stale_inferred = stale if not reason and stale.is_file() and changed else None
    seconds = time.perf_counter() - start
    return BuildResult(dataset, seeds, files, changed, seconds, validation, report, inferred, stale_inferred)


def infer(
    ontology: Ontology, dataset: Dataset, *, timeout_s: float = 120, java_memory_mb: int = 2000
) -> tuple[ReasonerReport, Dataset]:
    """HermiT's verdict and the dataset of inferred triples, with their provenance.

    The inferred graph holds the property values HermiT entails (symmetric, inverse,
    transitive, sub-property and property-chain values) and every named superclass
    of each entity's classes, minus what is asserted. Raises :class:`ReasonerError`
    when the graph is inconsistent or has an unsatisfiable class.
    """
    asserted = merged_graph(dataset, links=False)
    graph = Graph()
    for triple in (*ontology.graph, *asserted):
        graph.add(triple)
    report = check_consistency(graph, timeout_s=timeout_s, java_memory_mb=java_memory_mb, infer_property_values=True)
    if not report.consistent or report.unsatisfiable:
        what = (
            f"the ontology and the asserted facts are inconsistent: {report.message}"
            if not report.consistent
            else f"the ontology has classes that can have no member: {', '.join(report.unsatisfiable)}"
        )
        raise ReasonerError(
            what,
            hint="a recent fact or ontology change contradicts the others (disjoint classes, a functional "
            "property with two values, a domain or range): undo it or fix it; nothing was written",
        )
    result = Dataset()
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace)
    inferred = result.graph(INFERRED_GRAPH)
    for s, p, o in report.inferred:
        inferred.add((URIRef(s), URIRef(p), URIRef(o)))
    for entity, cls in [*asserted.subject_objects(RDF.type), *inferred.subject_objects(RDF.type)]:
        for parent in ontology.graph.transitive_objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in (cls, OWL.Thing):
                inferred.add((entity, RDF.type, parent))
    for triple in list(inferred):
        if triple in asserted:
            inferred.remove(triple)
    _describe_reasoning(result.default_graph)
    return report, result


def _describe_reasoning(meta: Graph) -> None:
    """PROV-O about the inferred graph; no timestamp, so that the file is deterministic."""
    ontology_iri = URIRef(BASE + "def/")
    meta.add((INFERRED_GRAPH, RDF.type, PROV.Entity))
    meta.add((INFERRED_GRAPH, RDFS.label, Literal("faits inférés", lang="fr")))
    meta.add((INFERRED_GRAPH, RDFS.label, Literal("inferred facts", lang="en")))
    meta.add(
        (
            INFERRED_GRAPH,
            RDFS.comment,
            Literal(
                "Triples entailed by the iadef ontology and the asserted facts of graph/iadef.nq, and not asserted "
                "there; they have no source document of their own.",
                lang="en",
            ),
        )
    )
    meta.add((INFERRED_GRAPH, PROV.wasGeneratedBy, REASONING))
    meta.add((INFERRED_GRAPH, PROV.wasDerivedFrom, ontology_iri))
    meta.add((REASONING, RDF.type, PROV.Activity))
    meta.add((REASONING, RDFS.label, Literal("OWL 2 reasoning with HermiT", lang="en")))
    meta.add((REASONING, PROV.used, ontology_iri))
    meta.add((REASONING, PROV.wasAssociatedWith, REASONER))
    meta.add((REASONER, RDF.type, PROV.SoftwareAgent))
    meta.add((REASONER, RDFS.label, Literal(f"HermiT OWL 2 reasoner (through owlready2 {_owlready_version()})")))


def _owlready_version() -> str:
    try:
        return version("owlready2")
    except PackageNotFoundError:
        return "unknown version"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
