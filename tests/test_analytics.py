"""The projection onto a network and the analytics, on the real seed graph."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset

from iadef.cli.main import main
from iadef.cli.network import Loaded, load
from iadef.curation.ontology import Ontology
from iadef.errors import IadefError
from iadef.network import analytics
from iadef.network.projection import KINDS, Projection, project_dataset
from iadef.paths import Project


def edge(network: Projection, u: str, v: str, key: str) -> dict:
    return network.graph.edges[u, v, key]


# ---------------------------------------------------------------- projection


def test_nodes_are_the_documented_kinds(network: Projection) -> None:
    kinds = {data["kind"] for _, data in network.graph.nodes(data=True)}
    assert kinds <= set(KINDS)
    classes = {data["cls"] for _, data in network.graph.nodes(data=True)}
    assert not classes & {"Post", "Mandate", "Topic", "Headcount"}
    assert "accord-cadre-mistral-ai" in network.graph  # agreements stay nodes
    assert "poste-ministre-des-armees" not in network.graph


def test_a_mandate_becomes_an_edge_from_the_person_to_the_organisation(network: Projection) -> None:
    data = edge(network, "sebastien-lecornu", "ministere-des-armees", "holdsPost:poste-ministre-des-armees")
    assert data["relation"] == "https://w3id.org/iadef/def/holdsPost"
    assert data["post"] == "poste-ministre-des-armees"
    assert data["date"] == "2024-04-04"  # the most precise attestedOn
    assert {item["source"] for item in data["evidence"]} == {
        "doc-000-bretagne-partenariat-armees",
        "doc-001-convention-armees-territoire-bretagne",
    }
    label = analytics.links_between(network, "sebastien-lecornu", "ministere-des-armees", "en")[0]["label"]
    assert label == "holds post: Minister of the Armed Forces"


def test_an_agreement_is_linked_to_its_parties_with_its_signature_date(network: Projection) -> None:
    for party in ("ministere-des-armees", "region-bretagne"):
        data = edge(network, "convention-armees-territoire-bretagne", party, "party")
        assert data["date"] == "2024-04-04"
        assert len(data["evidence"]) == 2  # stated by two documents: one edge, two quotes


def test_every_edge_carries_sources_and_quotes(network: Projection) -> None:
    for u, v, data in network.graph.edges(data=True):
        assert data["evidence"], (u, v, data["rel"])
        for item in data["evidence"]:
            assert item["source"] in network.sources
            assert item["quote"].strip()


def test_symmetric_relations_are_marked(network: Projection) -> None:
    assert edge(network, "region-bretagne", "ministere-des-armees", "partnerOf")["symmetric"] is True
    assert edge(network, "convention-armees-territoire-bretagne", "region-bretagne", "party")["symmetric"] is False


def test_topics_and_headcounts_become_node_facts(network: Projection) -> None:
    facts = network.graph.nodes["amiad"]["facts"]
    assert {"prop": "headcountOf", "value": None, "ref": "effectif-amiad-ingenieurs-2024", "inverse": True} in facts
    assert {"prop": "about", "value": None, "ref": "ia-de-defense", "inverse": False} in facts


def test_projection_is_deterministic(project: Project, dataset: Dataset, network: Projection) -> None:
    again = project_dataset(dataset, Ontology.load(project.ontology))
    assert list(again.graph.nodes(data=True)) == list(network.graph.nodes(data=True))
    assert list(again.graph.edges(keys=True, data=True)) == list(network.graph.edges(keys=True, data=True))


# ---------------------------------------------------------------- names (resolved by iadef.sparql.lookup)


@pytest.fixture(scope="session")
def names(root: Path) -> Loaded:
    return load(argparse.Namespace(root=str(root)))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("AMIAD", "amiad"),
        ("amiad", "amiad"),
        ("Region Bretagne", "region-bretagne"),
        ("ministère des Armées", "ministere-des-armees"),
        ("MINISTERE DES ARMEES ET DES ANCIENS COMBATTANTS", "ministere-des-armees"),
        ("Loig Chesnais-Girard", "loig-chesnais-girard"),
        ("mistral-ai", "mistral-ai"),
    ],
)
def test_names_resolve_without_case_or_accents(names: Loaded, name: str, key: str) -> None:
    assert names.node(name, "A") == key


def test_a_name_that_is_not_a_node_is_refused_with_the_reason(names: Loaded) -> None:
    with pytest.raises(IadefError, match="is a post, not a node") as info:
        names.node("ministre des Armées", "focus")
    assert info.value.hint is not None and "holds post" in info.value.hint
    with pytest.raises(IadefError, match="no entity is named 'Mistral IA'") as info:
        names.node("Mistral IA", "A")
    assert info.value.hint is not None and "Mistral AI" in info.value.hint


def test_class_names(names: Loaded) -> None:
    assert names.classes(["personne", "Agreement", "entreprise"]) == ("Person", "Agreement", "Company")


# ---------------------------------------------------------------- analytics


def test_the_ministry_is_the_most_central_actor(network: Projection) -> None:
    values = analytics.metrics(network)
    for measure in ("degree", "betweenness", "pagerank"):
        assert analytics.ranking(values, measure)[0] == "ministere-des-armees", measure
    top = analytics.ranking(values, "pagerank")[:5]
    assert {"region-bretagne", "region-auvergne-rhone-alpes", "amiad"} <= set(top)


def test_pagerank_matches_networkx(network: Projection) -> None:
    pytest.importorskip("scipy", reason="networkx.pagerank needs SciPy")
    import networkx as nx

    simple = analytics.undirected(network)
    expected = nx.pagerank(simple, alpha=analytics.DAMPING, tol=1e-12)
    ours = analytics.pagerank(simple)
    assert max(abs(expected[key] - ours[key]) for key in expected) < 1e-9
    assert sum(ours.values()) == pytest.approx(1.0)


def test_communities_cover_every_node_once_and_are_stable(network: Projection) -> None:
    values = analytics.metrics(network)
    groups = analytics.communities(network, values)
    members = [key for group in groups for key in group]
    assert sorted(members) == sorted(network.graph.nodes)
    assert analytics.communities(network, values) == groups
    breton = next(group for group in groups if "region-bretagne" in group)
    assert "convention-armees-territoire-bretagne" in breton


def test_brokers_and_bridges(network: Projection) -> None:
    points, bridges = analytics.brokers(network)
    assert "ministere-des-armees" in points
    assert ("contrat-supercalculateur-classifie", "groupement-hpe-orange", False) in bridges


def test_the_shortest_chain_from_mistral_to_bretagne_goes_through_the_ministry(network: Projection) -> None:
    chains = analytics.paths(network, "mistral-ai", "region-bretagne")
    assert [[hop["from"]["key"] for hop in chain] + [chain[-1]["to"]["key"]] for chain in chains] == [
        ["mistral-ai", "ministere-des-armees", "region-bretagne"]
    ]
    first, second = chains[0]
    assert [link["label"] for link in first["links"]] == ["partenaire de"]
    assert first["links"][0]["sources"][0]["title"].startswith("Accord-cadre")
    assert "partenariat majeur" in first["links"][0]["sources"][0]["quote"]
    assert second["links"][0]["sources"][0]["status"] == "signé"


def test_longer_chains_show_the_framework_agreement_and_the_convention(network: Projection) -> None:
    chains = analytics.paths(network, "mistral-ai", "region-bretagne", longer=2, limit=50)
    routes = [[hop["from"]["key"] for hop in chain] + [chain[-1]["to"]["key"]] for chain in chains]
    assert routes[0] == ["mistral-ai", "ministere-des-armees", "region-bretagne"]
    assert [len(route) for route in routes] == sorted(len(route) for route in routes)
    via = ["mistral-ai", "accord-cadre-mistral-ai", "ministere-des-armees", "convention-armees-territoire-bretagne",
           "region-bretagne"]  # fmt: skip
    assert via in routes
    chain = chains[routes.index(via)]
    assert chain[0]["links"][0]["label"] == "titulaire"
    # "partie": the party is stated too since issue 13
    assert {link["label"] for link in chain[1]["links"]} == {
        "bénéficiaire",
        "partie",
        "pouvoir adjudicateur",
    }  # party stated too (issue 13)
    assert chain[3]["links"][0]["date"] == "2024-04-04"


@pytest.mark.parametrize("member", ["hewlett-packard-enterprise", "orange"])
def test_a_consortium_member_reaches_the_ministry_through_the_consortium(network: Projection, member: str) -> None:
    """Issue 13: the chain shows the membership and the consortium's contract, each with its quote."""
    chains = analytics.paths(network, member, "ministere-des-armees")
    routes = [[hop["from"]["key"] for hop in chain] + [chain[-1]["to"]["key"]] for chain in chains]
    assert routes == [[member, "groupement-hpe-orange", "contrat-supercalculateur-classifie", "ministere-des-armees"]]
    membership, contractor, authority = (hop["links"] for hop in chains[0])
    assert [link["label"] for link in membership] == ["membre de"]
    assert membership[0]["sources"][0]["quote"] == "groupement Hewlett Packard Enterprise/Orange"
    # the contract's parties are stated as parties too (issue 13), beside contractor and contracting authority
    assert [link["label"] for link in contractor] == ["titulaire", "partie"]
    assert [link["label"] for link in authority] == ["pouvoir adjudicateur", "partie"]
    assert all("a notifié au groupement" in link["sources"][0]["quote"] for link in (*contractor, *authority))


def test_no_chain_to_an_isolated_actor(network: Projection) -> None:
    assert analytics.paths(network, "mistral-ai", "dicod") == []


# ---------------------------------------------------------------- command line


def test_analyze_json(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "analyze", "--format", "json", "--top", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["top"]["pagerank"][0]["label"] == "ministère des Armées et des Anciens combattants"
    assert len(result["top"]["degree"]) == 3
    assert result["nodes"] == len(result["all"])


def test_analyze_csv_and_table_in_english(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "analyze", "--format", "csv", "--lang", "en"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["key"] == "ministere-des-armees"
    assert rows[0]["label"] == "Ministry of the Armed Forces and Veterans"
    assert rows[0]["broker"] == "True"
    assert main(["--root", str(root), "analyze", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Communities (Louvain)" in out and "Ministry of the Armed Forces and Veterans (ministry)" in out


def test_path_table_json_and_csv(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "path", "mistral ai", "region bretagne"]) == 0
    out = capsys.readouterr().out
    assert "Mistral AI → Région Bretagne : 1 chaîne(s) de 2 relation(s)" in out
    assert "—partenaire de→ Mistral AI" in out and "« " in out
    assert main(["--root", str(root), "path", "Mistral AI", "Région Bretagne", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["chains"][0][1]["to"]["key"] == "region-bretagne"
    assert main(["--root", str(root), "path", "Mistral AI", "Région Bretagne", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["hop"] for row in rows} == {"1", "2"} and all(row["quote"] for row in rows)


def test_path_from_hpe_names_the_consortium(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "path", "HPE", "ministère des armées"]) == 0
    out = capsys.readouterr().out
    assert (
        "Chaîne 1: Hewlett Packard Enterprise → groupement Hewlett Packard Enterprise/Orange → notification du "
        "supercalculateur classifié au groupement HPE/Orange → ministère des Armées et des Anciens combattants"
    ) in out
    assert "Hewlett Packard Enterprise —membre de→ groupement Hewlett Packard Enterprise/Orange" in out


def test_path_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "path", "Mistral AI", "DICoD"]) == 1
    assert "aucune chaîne" in capsys.readouterr().out
    assert main(["--root", str(root), "path", "Nobody", "DICoD"]) == 1
    assert "A: no entity is named 'Nobody'" in capsys.readouterr().err


def test_commands_need_a_built_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "iadef.ttl").write_text("", encoding="utf-8")
    assert main(["--root", str(tmp_path), "analyze"]) == 1
    assert "run `iadef build` first" in capsys.readouterr().err
