"""Answering one query, in a worker: guard, negotiate, run, cap, serialise.

The query goes through :func:`iadef.sparql.guard.check` (no SERVICE, FROM or LOAD), then
the engine; an answer past ``max_rows`` rows (or triples) is an error, 422, never a
truncated result: a client would show a cut table as if it were whole, and a header
saying otherwise is invisible in most clients. The message says to add ``LIMIT``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from iadef.errors import QueryError
from iadef.serve.formats import serialize
from iadef.serve.protocol import (
    CONTENT_TYPES,
    NETWORK_HINT,
    READ_ONLY_HINT,
    HttpError,
    Job,
    Response,
    error_response,
    negotiate,
    offers_for,
)

if TYPE_CHECKING:
    from iadef.sparql.answer import Engine
    from iadef.sparql.guard import CheckedQuery


@functools.lru_cache(maxsize=256)
def _checked(text: str, rdflib: bool = True) -> CheckedQuery:
    from iadef.sparql.guard import check

    return check(text, allow_network=False, parse=rdflib)


def answer_query(engine: Engine, job: Job) -> Response:
    """Check, negotiate, run, cap and serialise one query; every failure is an error response."""
    try:
        try:
            checked = _checked(job.text, engine.name == "rdflib")
        except QueryError as exc:  # the guard's refusals (update, SERVICE, FROM) say "refused"
            if "updates are refused" in exc.message:
                raise HttpError(403, exc.message, hint=READ_ONLY_HINT) from None
            if " refused" in exc.message:
                raise HttpError(403, exc.message, hint=NETWORK_HINT) from None
            raise HttpError(400, exc.message, hint=exc.hint) from None
        media = negotiate(job.accept, offers_for(checked.form))
        try:
            answer = engine.query(checked.text, parsed=checked.parsed)
        except QueryError as exc:
            raise HttpError(400, exc.message, hint=exc.hint) from None
        size = answer.size if answer.form == "SELECT" else len(answer.triples)  # rows not converted to count them
        if size > job.max_rows:
            unit = "rows" if answer.form == "SELECT" else "triples"
            raise HttpError(
                422,
                f"the answer has {size} {unit}, more than this endpoint's limit of {job.max_rows}",
                hint=f"add LIMIT {job.max_rows} (and OFFSET to page through), or narrow the query",
            )
        return Response(200, CONTENT_TYPES[media], serialize(answer, media))
    except HttpError as exc:
        return error_response(exc)


# ---------------------------------------------------------------- service description
