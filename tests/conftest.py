"""Shared fixtures: the real project, loaded once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph

from iadef.curation.build import load
from iadef.curation.dataset import merged_graph
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.network.projection import Projection, project_dataset
from iadef.paths import Project

from .built import built_project
from .chromium import CHROMIUM, CHROMIUM_ARGS

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


@pytest.fixture(scope="session")
def network(project: Project, dataset: Dataset) -> Projection:
    """The seeds' graph projected to actors and relations (iadef.network.projection)."""
    return project_dataset(dataset, Ontology.load(project.ontology))


@pytest.fixture(scope="session")
def root(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """A built project folder holding the seeds' graph; tests read it and write elsewhere."""
    return built_project(tmp_path_factory.mktemp("built"), dataset).root


@pytest.fixture
def scratch(tmp_path: Path) -> Project:
    """A private copy of the project's data, safe to break."""
    for name in ("ontology", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "graph").mkdir()
    return Project(tmp_path)


# ------------------------------------------------------------------ real tools


def missing_tool(tool: str, reason: str) -> None:
    """Skip the test, or fail it when ``IADEF_REQUIRE_TOOLS`` names ``tool`` (scripts/test.sh sets it).

    CI must not pass by skipping: there every real component the tests drive is required.
    """
    if tool in os.environ.get("IADEF_REQUIRE_TOOLS", "").split(","):
        pytest.fail(f"{reason}; IADEF_REQUIRE_TOOLS asks for {tool}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (playwright's sync API allows one per thread)."""
    if shutil.which(CHROMIUM) is None:
        missing_tool("chromium", f"{CHROMIUM} is not installed (Debian package chromium; .ci/run installs it)")
    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("chromium", "playwright is not installed: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def ingest_case() -> Any:
    """``ingest_case(case, side)``: the proposal for one invented sentence of the ingest fixtures."""
    from .ingest_cases import case_runner

    return case_runner()
