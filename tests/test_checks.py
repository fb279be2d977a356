"""Every problem each whole-graph check looks for is found, on both engines, and nothing else.

A copy of the seeds' graph (on which every check returns no row) gets one planted problem
per kind a check names: for ``dangling-reference-violation`` an untyped entity as subject and
as object, an undeclared property, class and status, an untyped publisher, a curated entity
no source mentions; for ``fact-without-source-violation`` an undescribed fact graph, an
unattributed curation graph, a stray graph, assertions without a source, with a source that
is not a described document, without a quote, with an empty quote, with two triples and
with none; for ``label-missing-violation`` untyped entities, an entity labelled in English
only, and one labelled in ``fr-CA`` (which counts as French). Each check must return exactly
the rows of its planted problems, the same on rdflib and on pyoxigraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from iadef.namespaces import BASE, CURATION, CURATORS, DCTERMS, FACT, IADEF, ID, PROV, SOURCE
from iadef.output import nquads
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.catalogue import execute
from iadef.sparql.guard import check
from iadef.stores.opening import open_engine

from .built import built_project
from .test_queries import CATALOGUE, short

DOC = SOURCE["doc-003-accord-cadre-mistral-ai"]
ENTITY_UNTYPED = "entity used by a fact but typed by no source"


def fact(dataset: Dataset, key: str, *triples: tuple[URIRef, URIRef, object], **described: object) -> URIRef:
    """A fact graph ``fact:doc-x/KEY`` holding ``triples``, described as an assertion of DOC with a quote.

    ``described`` overrides the description: ``source=None`` or ``quote=None`` leaves it out,
    ``status=IRI`` adds one.
    """
    graph = FACT[f"doc-x/{key}"]
    for triple in triples:
        dataset.graph(graph).add(triple)  # type: ignore[arg-type]
    meta = dataset.default_graph
    meta.add((graph, RDF.type, IADEF.Assertion))
    source, quote = described.get("source", DOC), described.get("quote", Literal("x"))
    if source is not None:
        meta.add((graph, PROV.wasDerivedFrom, source))  # type: ignore[arg-type]
    if quote is not None:
        meta.add((graph, IADEF.quote, quote))  # type: ignore[arg-type]
    if "status" in described:
        meta.add((graph, IADEF.status, described["status"]))  # type: ignore[arg-type]
    return graph


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> dict[str, Engine]:
    broken = Dataset(default_union=False)
    broken.parse(data=nquads(dataset).decode("utf-8"), format="nquads")
    meta = broken.default_graph
    mistral, amiad = ID["mistral-ai"], ID["amiad"]
    # dangling-reference-violation (and label-missing-violation for the untyped entities)
    fact(broken, "subject", (ID["ghost-subject"], IADEF.partnerOf, mistral), status=IADEF.Dreaming)
    fact(broken, "object", (mistral, IADEF.partnerOf, ID["ghost-object"]))
    fact(broken, "literal-and-outside", (mistral, IADEF.partnerOf, URIRef("https://example.org/x")))
    fact(broken, "property", (mistral, IADEF.notAProperty, amiad))
    fact(broken, "class", (mistral, RDF.type, IADEF.NotAClass))
    meta.add((DOC, DCTERMS.publisher, ID["ghost-publisher"]))
    lonely = CURATION["lonely"]
    broken.graph(lonely).add((ID["lonely"], RDFS.label, Literal("Seul", lang="fr")))
    meta.add((lonely, RDF.type, PROV.Entity))
    meta.add((lonely, PROV.wasAttributedTo, CURATORS))
    # label-missing-violation
    for key, language in (("english-only", "en"), ("quebec", "fr-CA")):
        curation = CURATION[key]
        broken.graph(curation).add((ID[key], RDFS.label, Literal(key, lang=language)))
        meta.add((curation, RDF.type, PROV.Entity))
        meta.add((curation, PROV.wasAttributedTo, CURATORS))
        fact(broken, key, (ID[key], RDF.type, IADEF.Company))
        fact(broken, f"{key}-partner", (mistral, IADEF.partnerOf, ID[key]))
    # fact-without-source-violation
    broken.graph(FACT["doc-x/orphan"]).add((mistral, IADEF.partnerOf, amiad))
    unattributed = CURATION["unattributed"]
    broken.graph(unattributed).add((amiad, RDFS.label, Literal("AMIAD", lang="fr")))
    meta.add((unattributed, RDF.type, PROV.Entity))
    broken.graph(URIRef(BASE + "graph/stray")).add((amiad, RDFS.comment, Literal("stray")))
    fact(broken, "no-source", (mistral, IADEF.partnerOf, amiad), source=None)
    fact(broken, "undescribed-source", (mistral, IADEF.partnerOf, amiad), source=SOURCE["nowhere"])
    fact(broken, "no-quote", (mistral, IADEF.partnerOf, amiad), quote=None)
    fact(broken, "empty-quote", (mistral, IADEF.partnerOf, amiad), quote=Literal(""))
    fact(broken, "two-triples", (mistral, IADEF.partnerOf, amiad), (amiad, IADEF.partnerOf, mistral))
    fact(broken, "no-triple")
    project = built_project(tmp_path_factory.mktemp("checks"), broken)
    return {name: open_engine(Project(Path(project.root)), name) for name in ("rdflib", "oxigraph")}


def rows(engine: Engine, name: str) -> list[tuple[str | None, ...]]:
    answer = execute(check(CATALOGUE[name].text, name=name), engine)
    return [tuple(short(term) for term in row) for row in answer.rows]


def x(key: str) -> str:
    return str(FACT[f"doc-x/{key}"])


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_dangling_references_are_found(planted: dict[str, Engine], engine: str) -> None:
    assert set(rows(planted[engine], "dangling-reference-violation")) == {
        ("class not declared in the ontology", "iadef:NotAClass", x("class")),
        ("curated entity that no source mentions", "lonely", str(CURATION["lonely"])),
        (ENTITY_UNTYPED, "ghost-object", x("object")),
        (ENTITY_UNTYPED, "ghost-subject", x("subject")),
        ("property not declared in the ontology", "iadef:notAProperty", x("property")),
        ("publisher typed by no source", "ghost-publisher", "doc-003-accord-cadre-mistral-ai"),
        ("status not declared in the ontology", "iadef:Dreaming", x("subject")),
    }


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_facts_without_source_are_found(planted: dict[str, Engine], engine: str) -> None:
    no_source = "no prov:wasDerivedFrom to a described iadef:SourceDocument"
    assert set(rows(planted[engine], "fact-without-source-violation")) == {
        (x("orphan"), "fact graph not described as an iadef:Assertion"),
        (str(CURATION["unattributed"]), "curation graph without prov:wasAttributedTo"),
        (BASE + "graph/stray", "named graph that the default graph does not describe"),
        (x("no-source"), no_source),
        (x("undescribed-source"), no_source),
        (x("no-quote"), "no verbatim quote"),
        (x("empty-quote"), "no verbatim quote"),
        (x("two-triples"), "more than one triple in the fact graph"),
        (x("no-triple"), "assertion whose graph holds no triple"),
    }


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_missing_french_labels_are_found(planted: dict[str, Engine], engine: str) -> None:
    doc = "doc-003-accord-cadre-mistral-ai"
    assert set(rows(planted[engine], "label-missing-violation")) == {
        ("english-only", x("english-only"), doc),
        ("english-only", x("english-only-partner"), doc),
        ("ghost-object", x("object"), doc),
        ("ghost-subject", x("subject"), doc),
    }


CHECKS = ("dangling-reference-violation", "fact-without-source-violation", "label-missing-violation")


@pytest.mark.parametrize("name", CHECKS)
def test_checks_give_the_same_rows_in_the_same_order_on_both_engines(planted: dict[str, Engine], name: str) -> None:
    first, second = rows(planted["rdflib"], name), rows(planted["oxigraph"], name)
    assert first == second and first
