"""Where the project's data lives.

Data (ontology, seeds, queries) lives in files beside the code, in a project folder
found from ``--root``, the ``IADEF_ROOT`` environment variable, or the nearest
folder upward from the working directory that holds ``ontology/iadef.ttl``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from iadef.errors import IadefError

ONTOLOGY_FILE = Path("ontology") / "iadef.ttl"
DATA_FOLDERS = ("graph", "seeds", "ontology", "queries")
"""The folders of the project's own data, which no output option may write into."""


@dataclass(frozen=True)
class Project:
    """Paths of one iadef project folder."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / ONTOLOGY_FILE

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def entities(self) -> Path:
        return self.seeds / "entities.yaml"

    @property
    def sources(self) -> Path:
        return self.seeds / "sources.yaml"

    @property
    def documents(self) -> Path:
        return self.seeds / "documents"

    @property
    def facts(self) -> Path:
        return self.seeds / "facts"

    @property
    def graph(self) -> Path:
        return self.root / "graph"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    def relative(self, path: Path) -> str:
        """A path as shown in messages and provenance: relative to the root."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def data_folder(self, path: Path, folders: tuple[str, ...] = DATA_FOLDERS) -> str | None:
        """The folder of the project's own data (``graph``, ``seeds``…) that ``path`` resolves into, if any."""
        for name in folders:
            if self.inside(path, self.root / name):
                return name
        return None

    def inside(self, path: Path, folder: Path) -> bool:
        """Whether ``path``, its links and ``..`` resolved, is ``folder`` or inside it, and inside the project."""
        resolved = path.resolve()
        return all(
            resolved == container or container in resolved.parents
            for container in (folder.resolve(), self.root.resolve())
        )

    def require_inside(self, path: Path, folder: Path, *, error: type[IadefError] = IadefError) -> str:
        """``path`` as shown (relative to the root, links not followed), refused if it resolves outside ``folder``."""
        shown = self.unresolved(path)
        if not self.inside(path, folder):
            raise error(
                f"resolves to {path.resolve()}, outside {self.unresolved(folder)}/",
                path=shown,
                hint=f"put the file itself in {self.unresolved(folder)}/ (no link or path leading out of it)",
            )
        return shown

    def unresolved(self, path: Path) -> str:
        """``path`` relative to the root as written, links not followed (for messages about links)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def find_project(root: str | Path | None = None) -> Project:
    """Locate the project folder, or say how to point iadef at one."""
    if root is None:
        root = os.environ.get("IADEF_ROOT")
    if root is not None:
        project = Project(Path(root))
        if not project.ontology.is_file():
            raise IadefError(
                f"no ontology at {project.ontology}",
                hint="pass --root pointing at an iadef checkout (it holds ontology/iadef.ttl)",
            )
        return project
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / ONTOLOGY_FILE).is_file():
            return Project(folder)
    raise IadefError(
        "not inside an iadef project: no ontology/iadef.ttl here or above",
        hint="cd into the iadef checkout, or pass --root DIR (or set IADEF_ROOT)",
    )
