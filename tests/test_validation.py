"""SHACL shapes and provenance rules: the seeds pass, and each shape catches a crafted fault
with its exact message and the seed file and line it comes from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from iadef.cli.main import main
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.curation.validation import Report, load_shapes, validate
from iadef.namespaces import IADEF
from iadef.paths import Project

from .conftest import ROOT

DOC0 = "seeds/facts/doc-000-bretagne-partenariat-armees.yaml"
QUOTE = "Sébastien Lecornu, ministre des Armées"
ENTITIES = "seeds/entities.yaml"


# ------------------------------------------------------------------ helpers


def copy_project(folder: Path) -> Project:
    """The same copy as the ``scratch`` fixture, for module-scoped fixtures."""
    for name in ("ontology", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "graph").mkdir()
    return Project(folder)


def fact_line(project: Project, rel: str, snippet: str) -> int:
    """The line of the fact (``  - s:``) that holds the first ``snippet``."""
    text = (project.root / rel).read_text(encoding="utf-8")
    assert snippet in text, snippet
    before = text[: text.index(snippet) + len("  - s:")].splitlines()
    return max(n for n, line in enumerate(before, start=1) if line.startswith("  - s:"))


def replace(project: Project, rel: str, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; the line of the fact that holds it."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = fact_line(project, rel, old) if rel.startswith("seeds/facts/") else 0
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def append(project: Project, rel: str, text: str) -> int:
    """Append ``text`` to a file; the line it starts on."""
    path = project.root / rel
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def add_entity(project: Project, key: str, cls: str) -> int:
    """Declare a new entity (label + mention in DOC0); the line of its declaration in DOC0."""
    append(project, ENTITIES, f"{key}:\n  label: {{fr: {key}}}\n")
    path = project.root / DOC0
    text = path.read_text(encoding="utf-8")
    head = "entities:\n"
    path.write_text(text.replace(head, f"{head}  {key}:\n    type: {cls}\n    quote: '{QUOTE}'\n", 1), encoding="utf-8")
    return declared_at(project, key)


def declared_at(project: Project, key: str) -> int:
    """The line where DOC0 declares ``key`` under entities:."""
    lines = (project.root / DOC0).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line == f"  {key}:")


def fact(s: str, p: str, o: str, quote: str = QUOTE) -> str:
    return f"  - s: {s}\n    p: {p}\n    o: {o}\n    quote: '{quote}'\n"


def line_of(project: Project, rel: str, key: str) -> int:
    lines = (project.root / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line == f"{key}:")


def lines(report: Report) -> list[str]:
    return [str(problem) for problem in report.problems]


# ------------------------------------------------------------------ the seeds pass


def test_the_seeds_pass_validation(project: Project) -> None:
    report = validate(project)
    assert report.problems == []
    assert report.conforms
    assert report.triples > 5000


def test_validate_command_passes_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("validation ok: 0 violation(s), 0 warning(s) over ")


# ------------------------------------------------------------------ cardinalities, from seed edits


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, dict[str, int]]:
    """One scratch project with a fault for each cardinality shape, validated once."""
    project = copy_project(tmp_path_factory.mktemp("crafted"))
    new = [
        ("convention-sans-partie", "Convention"),
        ("mandat-sans-titulaire", "Mandate"),
        ("budget-sans-montant", "Budget"),
        ("effectif-sans-nombre", "Headcount"),
        ("poste-sans-organisation", "Post"),
    ]
    for key, cls in new:
        add_entity(project, key, cls)
    where = {key: declared_at(project, key) for key, _ in new}
    where["second holder"] = append(
        project, DOC0, fact("mandat-lecornu-ministre-armees", "holder", "loig-chesnais-girard")
    )
    lfi = "la loi de finances pour 2024 consacre 130 millions d’euros à l’IA de défense"
    amount = f"  - s: budget-ia-defense-lfi-2024\n    p: amount\n    v: 2000000000\n    quote: '{lfi}'\n"
    where["second amount"] = append(project, DOC0, amount)
    where["inverse"] = append(project, DOC0, fact("ministere-des-armees", "hasSubOrganization", "dga-mi"))
    return validate(project), where


CARDINALITIES = [
    (
        "second holder",
        "violation [Mandate-holder] mandat-lecornu-ministre-armees: a mandate has exactly one holder "
        "(found 2: loig-chesnais-girard, sebastien-lecornu)",
    ),
    (
        "second amount",
        'violation [Budget-amount] budget-ia-defense-lfi-2024: a budget has exactly one amount (found 2: "130000000.0"'
        '^^xsd:decimal, "2000000000.0"^^xsd:decimal)',
    ),
    (
        "convention-sans-partie",
        "violation [Agreement-party] convention-sans-partie: an agreement needs at least one party "
        "(party, contractor or contractingAuthority), or the agreement that provides for it (providedForBy) (found 0)",
    ),
    (
        "mandat-sans-titulaire",
        "violation [Mandate-holder] mandat-sans-titulaire: a mandate has exactly one holder (found 0)",
    ),
    (
        "mandat-sans-titulaire",
        "violation [Mandate-post] mandat-sans-titulaire: a mandate has exactly one post (found 0)",
    ),
    ("budget-sans-montant", "violation [Budget-amount] budget-sans-montant: a budget has exactly one amount (found 0)"),
    (
        "budget-sans-montant",
        "violation [Budget-currency] budget-sans-montant: a budget has exactly one currency (found 0)",
    ),
    (
        "effectif-sans-nombre",
        "violation [Headcount-count] effectif-sans-nombre: a headcount has exactly one count (found 0)",
    ),
    (
        "poste-sans-organisation",
        "warning [Post-postIn] poste-sans-organisation: a post should be in exactly one organisation"
        " (postIn) (found 0)",
    ),
    (
        "inverse",
        "warning [hasSubOrganization] ministere-des-armees: hasSubOrganization is inferred from subOrganizationOf: "
        "state subOrganizationOf on the other entity instead (found 1: dga-mi)",
    ),
]


@pytest.mark.parametrize(("where", "expected"), CARDINALITIES, ids=[c[1].split("]")[0] + "]" for c in CARDINALITIES])
def test_cardinality_shape_catches_a_crafted_fault(
    crafted: tuple[Report, dict[str, int]], where: str, expected: str
) -> None:
    report, lines_by_fault = crafted
    assert f"{DOC0}:{lines_by_fault[where]}: {expected}" in lines(report)


def test_crafted_faults_are_the_only_problems(crafted: tuple[Report, dict[str, int]]) -> None:
    report, _ = crafted
    assert len(report.violations) == 8 and len(report.warnings) == 2
    assert not report.conforms


# ------------------------------------------------------------------ value classes and datatypes


RELAXED_ONTOLOGY = [  # what the loader checks from the ontology, taken away so that only the shapes are left
    ("rdfs:domain iadef:Agreement ; rdfs:range iadef:Person ;", "rdfs:domain iadef:Agreement ;"),  # signatory
    (
        "iadef:party a owl:ObjectProperty ;\n    rdfs:domain iadef:Agreement ; rdfs:range iadef:Actor ;",
        "iadef:party a owl:ObjectProperty ;\n    rdfs:domain iadef:Agreement ;",
    ),
    ("rdfs:domain iadef:Post ; rdfs:range iadef:Organization ;", "rdfs:domain iadef:Post ;"),  # postIn
    ("rdfs:subPropertyOf schema:location ;\n    rdfs:range iadef:Place ;", "rdfs:subPropertyOf schema:location ;"),
    (
        "rdfs:subPropertyOf schema:containedInPlace ;\n    rdfs:domain iadef:Place ; rdfs:range iadef:Place ;",
        "rdfs:subPropertyOf schema:containedInPlace ;",
    ),
    ("rdfs:domain iadef:Mandate ; rdfs:range iadef:Person ;", "rdfs:domain iadef:Mandate ;"),  # holder
    (
        'rdfs:subPropertyOf iadef:date ;\n    iadef:valueKind "date" ;\n    rdfs:label "date de signature"@fr',
        'rdfs:subPropertyOf iadef:date ;\n    iadef:valueKind "string" ;\n    rdfs:label "date de signature"@fr',
    ),
    ('iadef:valueKind "currency" ;', 'iadef:valueKind "string" ;'),
    ('iadef:valueKind "decimal" ;', 'iadef:valueKind "text" ;'),
]


@pytest.fixture(scope="module")
def relaxed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, dict[str, int]]:
    """A scratch project whose ontology no longer constrains what the seeds then get wrong."""
    project = copy_project(tmp_path_factory.mktemp("relaxed"))
    for old, new in RELAXED_ONTOLOGY:
        replace(project, "ontology/iadef.ttl", old, new)
    convention = "  - s: convention-armees-territoire-bretagne\n"
    where = {
        "signatory": replace(
            project,
            DOC0,
            "    p: signatory\n    o: loig-chesnais-girard\n",
            "    p: signatory\n    o: region-bretagne\n",
        ),
        "party": replace(project, DOC0, "    p: party\n    o: region-bretagne\n", "    p: party\n    o: bretagne\n"),
        "postIn": replace(
            project, DOC0, "    p: postIn\n    o: ministere-des-armees\n", "    p: postIn\n    o: bretagne\n"
        ),
        "location": replace(project, DOC0, "    p: location\n    o: rennes\n", "    p: location\n    o: amiad\n"),
        "containedInPlace": replace(
            project, DOC0, "  - s: bruz\n    p: containedInPlace\n", "  - s: amiad\n    p: containedInPlace\n"
        ),
        "holder": replace(
            project, DOC0, "    p: holder\n    o: loig-chesnais-girard\n", "    p: holder\n    o: region-bretagne\n"
        ),
        "signatureDate": fact_line(project, DOC0, convention + "    p: signatureDate\n"),
        "currency": replace(project, DOC0, "    p: currency\n    v: EUR\n", "    p: currency\n    v: eur\n"),
        "amount": fact_line(project, DOC0, "    p: amount\n    v: 130000000\n"),
    }
    return validate(project), where


VALUES = [
    (
        "signatory",
        "violation [signatory] convention-armees-territoire-bretagne: a signatory is a person"
        " (region-bretagne is a Region)",
    ),
    (
        "party",
        "violation [party] convention-armees-territoire-bretagne: a party is an actor (a person or an organisation)"
        " (bretagne is a Territory)",
    ),
    ("postIn", "violation [postIn] poste-ministre-des-armees: a post is in an organisation (bretagne is a Territory)"),
    ("location", "violation [location] european-cyber-week: a location is a place (amiad is an Agency)"),
    (
        "containedInPlace",
        "violation [PlaceSubject] amiad: only a place is contained in a place or near a place (amiad is an Agency)",
    ),
    (
        "holder",
        "violation [holder] mandat-chesnais-girard-president-bretagne: the holder of a mandate is a person"
        " (region-bretagne is a Region)",
    ),
    (
        "signatureDate",
        "violation [signatureDate] convention-armees-territoire-bretagne: a date must be an xsd:date, xsd:gYearMonth, "
        'xsd:gYear, xsd:gMonthDay or EDTF literal (got "2024-04"^^xsd:string)',
    ),
    (
        "currency",
        "violation [currency] budget-ia-defense-lfi-2024: a currency is an ISO 4217 code of three capital letters "
        '(xsd:string), such as EUR (got "eur"^^xsd:string)',
    ),
    (
        "amount",
        "violation [amount] budget-ia-defense-lfi-2024: an amount is an xsd:decimal in units of its currency"
        ' (got "130000000"@fr)',
    ),
]


@pytest.mark.parametrize(("where", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_value_shape_catches_what_the_ontology_no_longer_does(
    relaxed: tuple[Report, dict[str, int]], where: str, expected: str
) -> None:
    report, lines_by_fault = relaxed
    assert f"{DOC0}:{lines_by_fault[where]}: {expected}" in lines(report)


# ------------------------------------------------------------------ the shapes cover the ontology as used


@pytest.fixture(scope="module")
def shapes(project: Project) -> Graph:
    return load_shapes(project)


def _used_properties(seeds: Seeds, ontology: Ontology) -> list[str]:
    used = {fact.predicate for fact in seeds.facts}
    return sorted(name for name, prop in ontology.properties.items() if prop.iri in used)


def test_every_range_used_in_the_seeds_has_a_value_shape(seeds: Seeds, shapes: Graph) -> None:
    ontology = Ontology.load(ROOT / "ontology" / "iadef.ttl")
    missing = []
    for name in _used_properties(seeds, ontology):
        prop = ontology.properties[name]
        if prop.is_object and prop.range is not None:
            classes = {shapes.value(s, SH["class"]) for s in shapes.subjects(SH.path, prop.iri)}
            if IADEF[prop.range] not in classes:
                missing.append(f"{name} -> {prop.range}")
    assert missing == []


def test_every_domain_used_in_the_seeds_has_a_subject_shape(seeds: Seeds, shapes: Graph) -> None:
    ontology = Ontology.load(ROOT / "ontology" / "iadef.ttl")
    missing = []
    for name in _used_properties(seeds, ontology):
        prop = ontology.properties[name]
        if prop.domain is not None:
            classes = {shapes.value(s, SH["class"]) for s in shapes.subjects(SH.targetSubjectsOf, prop.iri)}
            if IADEF[prop.domain] not in classes:
                missing.append(f"{name}: {prop.domain}")
    assert missing == []


def test_every_date_property_has_a_date_shape(shapes: Graph) -> None:
    ontology = Ontology.load(ROOT / "ontology" / "iadef.ttl")
    dated = set(shapes.objects(URIRef("https://w3id.org/iadef/shapes/Dated"), SH.targetSubjectsOf))
    for name, prop in ontology.properties.items():
        if prop.value_kind == "date":
            assert prop.iri in dated, name
            shape = next(shapes.subjects(SH.path, prop.iri))
            assert shapes.value(shape, SH.node) == URIRef("https://w3id.org/iadef/shapes/DateLiteral"), name


def test_every_class_used_in_the_seeds_is_labelled_by_a_shape(seeds: Seeds, shapes: Graph) -> None:
    ontology = Ontology.load(ROOT / "ontology" / "iadef.ttl")
    targets = {
        str(c).removeprefix(str(IADEF))
        for c in shapes.objects(URIRef("https://w3id.org/iadef/shapes/Labelled"), SH.targetClass)
    }
    assert sorted(cls for cls in set(seeds.types.values()) if not ontology.superclasses(cls) & targets) == []
