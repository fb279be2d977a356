"""Shared fixtures: the real project, loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from iadef.build import load
from iadef.dataset import merged_graph
from iadef.loader import Seeds
from iadef.ontology import Ontology
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def loaded(project: Project) -> tuple[Ontology, Seeds, Dataset]:
    return load(project)


@pytest.fixture(scope="session")
def seeds(loaded: tuple[Ontology, Seeds, Dataset]) -> Seeds:
    return loaded[1]


@pytest.fixture(scope="session")
def dataset(loaded: tuple[Ontology, Seeds, Dataset]) -> Dataset:
    return loaded[2]


@pytest.fixture(scope="session")
def merged(dataset: Dataset) -> Graph:
    return merged_graph(dataset)


@pytest.fixture
def scratch(tmp_path: Path) -> Project:
    """A private copy of the project's data, safe to break."""
    for name in ("ontology", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "graph").mkdir()
    return Project(tmp_path)
