"""The one exception hierarchy of iadef.

Every error a user can cause is an :class:`IadefError`: it names the file and line
(or query and parameter) at fault, says what is wrong and what to do. The CLI turns
these into messages and a non-zero exit at one place.
"""

from __future__ import annotations


class IadefError(Exception):
    """Base of every error raised on purpose by iadef."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SeedError(IadefError):
    """A curated seed file is malformed or states something the loader refuses."""


class OntologyError(IadefError):
    """The ontology file is missing or malformed."""


class QueryError(IadefError):
    """A SPARQL query or its parameters are wrong or refused."""


class ReasonerError(IadefError):
    """The OWL reasoner could not run (no Java, time limit, crash)."""


class OutputError(IadefError):
    """An output could not be written."""


class StoreError(IadefError):
    """The store setting is wrong, or the store cannot be opened or loaded."""


class EndpointError(IadefError):
    """A SPARQL server could not be reached, refused the credentials or failed a request."""


class IngestError(IadefError):
    """An article cannot be ingested, a review queue is wrong, or a decision cannot be applied."""
