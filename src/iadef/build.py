"""``iadef build``: ontology + seeds -> checked, sourced graph files in graph/."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from .dataset import build_dataset, merged_graph
from .loader import Seeds, load_seeds
from .ontology import Ontology
from .output import nquads, trig, turtle, write_all
from .paths import Project

OUTPUTS = ("iadef.trig", "iadef.nq", "iadef.ttl", "manifest.json")


@dataclass
class BuildResult:
    """What a build produced."""

    dataset: Dataset
    seeds: Seeds
    files: dict[Path, bytes]
    changed: list[Path]
    seconds: float


def load(project: Project) -> tuple[Ontology, Seeds, Dataset]:
    """Read and check everything, in memory; nothing is written."""
    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    seeds = load_seeds(project, ontology)
    return ontology, seeds, build_dataset(seeds)


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
        },
        "files": {path.name: _sha256(content) for path, content in sorted(files.items())},
    }
    files[out / "manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode(
        "utf-8"
    )
    return files


def build(project: Project, out: Path | None = None) -> BuildResult:
    """Load, check and write the graph; on any error nothing is written."""
    start = time.perf_counter()
    _, seeds, dataset = load(project)
    files = render(project, seeds, dataset, out or project.graph)
    changed = write_all(files)
    return BuildResult(dataset, seeds, files, changed, time.perf_counter() - start)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
