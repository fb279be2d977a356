"""What a user's SPARQL may do, and for how long.

:func:`check` parses a query with rdflib and inspects the parsed algebra, not the text
(so ``SERVICE`` in a comment or a string is harmless). It refuses, unless
``allow_network`` is given:

- ``SERVICE`` anywhere in the query (federation: a network request);
- ``FROM`` and ``FROM NAMED`` (rdflib would fetch and parse each IRI, ``file:`` included).

Updates (``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``INSERT``,
``DELETE``) are always refused: the commands run queries over a read-only graph, and
``LOAD`` reads files or URLs. A syntax error is reported with its line and column.

Parsing with rdflib costs about 0.25 s a query (its pyparsing grammar), more than the
whole ``iadef query`` on pyoxigraph, so ``check(..., parse=False)`` (for an engine that
does not need rdflib's parse) takes a quicker road first: the query's tokens (the lexer of
:mod:`iadef.sparql.bind`, which skips comments and strings) hold no ``SERVICE``, no
``FROM`` and no update keyword, and pyoxigraph's parser accepts the text. Whatever fails
that road goes the rdflib way above, so refusals and syntax errors read exactly the same.

:func:`run_with_timeout` bounds a query's time. Where the platform can fork and the
engine allows it, the query runs in a forked child process that inherits the loaded graph
(copy-on-write, nothing to reload) and sends its answer back through a pipe; past the
limit the child is killed, so the work really stops. Otherwise (Windows, or an engine
whose library keeps threads that a fork would leave holding locks, such as Oxigraph's
RocksDB store on disk) the query runs in a daemon thread: the caller gets the timeout
error on time, but the thread keeps computing until it finishes or the process exits;
Python cannot stop a thread. pyoxigraph releases the GIL while it evaluates, so the
caller is not held up meanwhile.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from iadef.errors import IadefError, QueryError

T = TypeVar("T")

UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class CheckedQuery:
    """A query that parsed and passed the checks."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    parsed: Any  # rdflib.plugins.sparql.sparql.Query, reusable by the rdflib engine (None: not parsed by rdflib)
    name: str | None = None


MAX_QUERY_CHARS = 1_000_000
"""The longest query text accepted: rdflib's parser takes seconds per megabyte, and memory with it."""
MAX_NESTING = 20
"""The deepest nesting of (), {} and [] accepted: rdflib's recursive parser overflows Python's stack near 25."""
NESTING_HINT = "flatten the query: fewer nested parentheses, braces or brackets (split a long expression)"


def check(
    text: str,
    *,
    name: str | None = None,
    allow_network: bool = False,
    timeout: float | None = None,
    parse: bool = True,
) -> CheckedQuery:
    """Parse ``text`` and refuse what may reach the network or the file system.

    ``name`` (a named query, or a file) is used in messages. A text over
    :data:`MAX_QUERY_CHARS` or nested deeper than :data:`MAX_NESTING` is refused before it is
    parsed; with ``timeout`` (seconds), parsing itself is bounded (in a thread: the caller gets
    the error on time). ``parse``: False when the query will not run on rdflib, which then
    need not parse it (see the module docstring).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text)} characters long, more than the {MAX_QUERY_CHARS} allowed",
            path=name,
            hint="shorten it: a long VALUES list belongs in the graph (seeds/), or in several smaller queries",
        )
    _check_nesting(text, name)
    if not parse and (quick := _quick_check(text, name, allow_network)) is not None:
        return quick
    if timeout is None or timeout <= 0:
        return _check(text, name, allow_network)
    return run_with_timeout(lambda: _check(text, name, allow_network), timeout, what="parsing the query", fork=False)


def _check_nesting(text: str, name: str | None) -> None:
    from iadef.sparql.bind import tokens

    depth = 0
    try:
        for token in tokens(text):
            if token.kind != "punct":
                continue
            if token.text in "({[":
                depth += 1
                if depth > MAX_NESTING:
                    line = text.count("\n", 0, token.start) + 1
                    column = token.start - (text.rfind("\n", 0, token.start) + 1) + 1
                    raise QueryError(
                        f"query nested too deeply: more than {MAX_NESTING} levels of (), {{}} and [] "
                        f"(at line {line}, column {column})",
                        path=name,
                        hint=NESTING_HINT,
                    )
            elif token.text in ")}]":
                depth -= 1
    except QueryError as exc:
        if exc.message.startswith("unterminated string"):
            return  # the parser reports the syntax error with its position
        raise


def _check(text: str, name: str | None, allow_network: bool) -> CheckedQuery:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except RecursionError:
        raise QueryError("query nested too deeply for the parser", path=name, hint=NESTING_HINT) from None
    except ParseException as exc:
        _refuse_update(text, name)
        raise QueryError(
            f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}",
            path=name,
            line=exc.lineno,
            hint=f"near: {exc.line.strip()[:80]!r}" if exc.line.strip() else None,
        ) from None
    try:
        query = translateQuery(tree)
    except RecursionError:
        raise QueryError("query nested too deeply for the parser", path=name, hint=NESTING_HINT) from None
    except Exception as exc:  # rdflib reports semantic errors (e.g. a variable bound twice) as bare exceptions
        raise QueryError(f"invalid SPARQL query: {exc}", path=name) from None
    algebra = query.algebra
    form = FORMS.get(algebra.name, algebra.name)
    if not allow_network:
        if algebra.datasetClause:
            raise QueryError(
                "FROM / FROM NAMED is refused: it makes the engine read other files or URLs",
                path=name,
                hint="query the built graph as it is (use GRAPH for named graphs), or pass --allow-network",
            )
        if _contains(algebra, "ServiceGraphPattern"):
            raise QueryError(
                "SERVICE is refused: it sends the query to a remote endpoint",
                path=name,
                hint="remove the SERVICE clause, or pass --allow-network",
            )
    return CheckedQuery(text=text, form=form, parsed=query, name=name)


#: Keywords that only a refused query holds: its checks are then left to rdflib's parse.
_NETWORK_WORDS = ("SERVICE", "FROM")
_UPDATE_WORDS = ("LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH", "USING")


def _quick_check(text: str, name: str | None, allow_network: bool) -> CheckedQuery | None:
    """The checked query without rdflib's parse, or None when the full check must decide."""
    import pyoxigraph

    from iadef.sparql.bind import FORMS as QUERY_FORMS
    from iadef.sparql.bind import tokens

    refused = _UPDATE_WORDS if allow_network else _UPDATE_WORDS + _NETWORK_WORDS
    form = None
    try:
        for token in tokens(text):
            if token.is_word(*refused):
                return None
            if form is None and token.is_word(*QUERY_FORMS):
                form = token.text.upper()
    except QueryError:  # an unterminated string: rdflib reports it
        return None
    if form is None:
        return None
    try:  # parsed now, evaluated lazily: on an empty store nothing is computed
        pyoxigraph.Store().query(text)
    except (SyntaxError, ValueError, RuntimeError, OSError):
        return None
    return CheckedQuery(text=text, form=form, parsed=None, name=name)


def _refuse_update(text: str, name: str | None) -> None:
    """If ``text`` is a SPARQL update, refuse it with a message naming the operation."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except Exception:  # not an update either: the caller reports the query syntax error
        return
    found = [UPDATE_NAMES.get(request.name, request.name) for request in update.request]
    if not found:
        return
    operations = ", ".join(dict.fromkeys(found))
    reason = "LOAD reads files or URLs; " if "LOAD" in found else ""
    raise QueryError(
        f"SPARQL updates are refused ({operations}): {reason}the graph is read-only here",
        path=name,
        hint="write a SELECT, ASK, CONSTRUCT or DESCRIBE query; change the graph through seeds/ and `iadef build`",
    )


def _contains(node: Any, name: str) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


QUERY_THREAD = "iadef-query"  # the name of a thread running a bounded query (it may outlive its limit)


def run_with_timeout(
    func: Callable[[], T], timeout: float | None, *, what: str = "query", fork: bool = True, limit: float | None = None
) -> T:
    """``func()``, or a :class:`QueryError` once ``timeout`` seconds have passed (None or <= 0: no limit).

    ``fork``: False when ``func`` uses a library that is not safe in a forked child. ``limit``:
    the user's limit, shown in the message when ``timeout`` is what is left of it.
    """
    if timeout is None or timeout <= 0:
        return func()
    shown = f"{what} exceeded {timeout if limit is None else limit:g} s"
    if fork and "fork" in multiprocessing.get_all_start_methods():
        return _in_child(func, timeout, what, shown)
    return _in_thread(func, timeout, shown)


def _exceeded(shown: str) -> QueryError:
    return QueryError(
        shown,
        hint="narrow the query (fewer unconstrained patterns, a LIMIT), or raise --timeout",
    )


def _in_child(func: Callable[[], T], timeout: float, what: str, shown: str) -> T:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(func, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise _exceeded(shown)
        try:
            status, payload = receiver.recv()
        except EOFError:
            child.join(1)
            raise QueryError(f"the {what} process ended without an answer (exit code {child.exitcode})") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    message, path, line, hint = payload
    raise QueryError(message, path=path, line=line, hint=hint)


def _child_main(func: Callable[[], Any], sender: Any) -> None:
    try:
        result: tuple[str, Any] = ("ok", func())
    except IadefError as exc:
        result = ("error", (exc.message, exc.path, exc.line, exc.hint))
    except BaseException as exc:  # report, do not crash silently
        result = ("error", (f"{type(exc).__name__}: {exc}", None, None, None))
    sender.send(result)
    sender.close()


def _in_thread(func: Callable[[], T], timeout: float, shown: str) -> T:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = func()
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=target, name=QUERY_THREAD, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _exceeded(shown)
    if "error" in box:
        error = box["error"]
        if isinstance(error, IadefError):
            raise error
        raise QueryError(f"{type(error).__name__}: {error}") from error  # as a forked child reports it
    return box["result"]  # type: ignore[no-any-return]
