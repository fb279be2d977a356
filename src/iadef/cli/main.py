"""The ``iadef`` command: a thin layer over the library.

Heavy libraries are imported inside the command handlers so that ``iadef --help``
stays fast. Library errors become messages and exit codes here, and only here.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

from iadef.cli.options import integer, seconds
from iadef.cli.store import add_store_options
from iadef.errors import IadefError, OutputError

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")

# Modules that add their own sub-commands through ``register(subparsers)``. Each one
# keeps heavy imports inside its handlers so that ``iadef --help`` stays fast.
PLUGINS: tuple[str, ...] = ("network", "export", "link", "validate", "query", "serve", "push", "ingest")


def _project(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from iadef.paths import find_project

    return find_project(args.root)


def cmd_build(args: argparse.Namespace) -> int:
    from iadef.curation.build import build

    project = _project(args)
    out = Path(args.out) if args.out else None
    result = build(
        project, out, reason=args.reason, reason_timeout_s=args.reason_timeout, java_memory_mb=args.java_memory
    )
    counts = result.seeds
    print(
        f"built {len(counts.records)} entities, {len(counts.facts)} sourced facts "
        f"from {len(counts.sources)} documents in {result.seconds:.2f} s"
    )
    if result.validation is not None:
        report = result.validation
        print(f"  validated: no violation, {len(report.warnings)} warning(s) ({report.seconds:.2f} s)")
        for problem in report.warnings:
            print(f"    {problem}")
    if result.reasoning is not None:
        print(f"  reasoned: consistent, {result.inferred} inferred triples ({result.reasoning.seconds:.2f} s)")
    for path in sorted(result.files):
        state = "written" if path in result.changed else "unchanged"
        print(f"  {project.relative(path)}  ({state})")
    if result.stale_inferred is not None:
        stale = project.relative(result.stale_inferred)
        print(f"  note: {stale} was inferred from the previous graph: run `iadef build --reason`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from iadef.curation.build import load

    _, seeds, _ = load(_project(args))
    print(
        f"ok: {len(seeds.records)} entities, {len(seeds.facts)} sourced facts, every quote found and attesting its fact"
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from iadef.cli.store import open_from_args
    from iadef.curation.stats import compute, report
    from iadef.stores.opening import whole_dataset

    project = _project(args)
    stats = compute(whole_dataset(open_from_args(args, project)))
    print(report(stats))
    return 0 if stats.provenance_share == 1.0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iadef",
        description="A sourced knowledge graph of French defence AI.",
    )
    parser.add_argument("--root", help="project folder (default: found from the working directory, or IADEF_ROOT)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = sub.add_parser("build", help="check and validate the seeds, then write the graph to graph/")
    build.add_argument("--out", help="write to this folder instead of graph/")
    build.add_argument(
        "--reason", action="store_true", help="also write what HermiT infers to inferred.trig (needs Java)"
    )
    build.add_argument(
        "--reason-timeout", type=seconds(low=0.001), default=120, metavar="S", help="HermiT time limit (default 120)"
    )
    build.add_argument(
        "--java-memory", type=integer(64, 1 << 20), default=2000, metavar="MB", help="HermiT's Java heap (default 2000)"
    )
    build.set_defaults(handler=cmd_build)

    check = sub.add_parser("check", help="check the ontology and seeds without writing anything")
    check.set_defaults(handler=cmd_check)

    stats = sub.add_parser("stats", help="counts per class and property, and the share of sourced facts")
    add_store_options(stats)
    stats.set_defaults(handler=cmd_stats)

    for module_name in PLUGINS:
        module = importlib.import_module(f"iadef.cli.{module_name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # One OpenBLAS thread unless the user says otherwise. iadef's numeric work (a page's layout)
    # is on small matrices, where OpenBLAS' thread pool, started when numpy is first imported,
    # costs more than it gives: about 50 ms of CPU a run of `iadef viz` on two cores, and waits
    # of tens of milliseconds in LAPACK calls on a busy machine (benchmarks/startup.py).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    stdout = sys.stdout
    try:
        if stdout is None or stdout.closed:
            raise OutputError(
                "standard output is closed: nothing could be printed",
                hint="run the command with its output going somewhere (a terminal, a file: > out.txt, or a pipe)",
            )
        sys.stdout = CheckedOutput(stdout)
        code = handler(args)
        sys.stdout.flush()
        return code
    except IadefError as exc:
        _flush_what_was_printed()
        print(f"iadef: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _discard_output(stdout)
        return 0
    except KeyboardInterrupt:
        _flush_what_was_printed()
        print("iadef: interrupted; graph/ is left as it was", file=sys.stderr)
        return 130
    finally:
        sys.stdout = stdout


def _flush_what_was_printed() -> None:
    """Before an error message: the lines a command printed first go out first (if they can)."""
    if isinstance(sys.stdout, CheckedOutput):
        with contextlib.suppress(IadefError, OSError):
            sys.stdout.flush()


class CheckedOutput:
    """Standard output whose every write is checked: a failure is an :class:`OutputError`.

    A full disk, ``/dev/full``, a file over its size limit or a terminal whose encoding cannot
    show a character would otherwise end in a traceback, or in a truncated file and exit 0
    (Python's buffered writer can lose the error of a short write). Text is encoded here and
    written with ``os.write`` until every byte is out, in chunks of :data:`CHUNK` bytes. A
    closed pipe (``| head``) stays a quiet end.
    """

    CHUNK = 1 << 16

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending: list[bytes] = []
        self.size = 0
        self.line_buffering = bool(getattr(stream, "line_buffering", False))  # a terminal: each line at once
        try:
            stream.flush()
            self.fd: int | None = stream.fileno()
        except (OSError, ValueError, AttributeError):  # not a file (a test's capture): write through it
            self.fd = None

    def write(self, text: str) -> int:
        if self.fd is None:
            return self._checked(lambda: self.stream.write(text))
        data = self._checked(lambda: text.encode(self.stream.encoding or "utf-8", self.stream.errors or "strict"))
        self.pending.append(data)
        self.size += len(data)
        if self.size >= self.CHUNK or (self.line_buffering and "\n" in text):
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.fd is None:
            self._checked(self.stream.flush)
            return
        view = memoryview(b"".join(self.pending))
        self.pending, self.size = [], 0
        fd = self.fd
        while view:
            view = view[self._checked(functools.partial(os.write, fd, view)) :]

    def _checked(self, step: Callable[[], T]) -> T:
        try:
            return step()
        except BrokenPipeError:
            raise
        except UnicodeEncodeError as exc:
            char = exc.object[exc.start]
            raise OutputError(
                f"standard output cannot show {char!r} (U+{ord(char):04X}): its encoding is {exc.encoding}",
                hint="use a UTF-8 locale (e.g. LANG=C.UTF-8) or set PYTHONIOENCODING=utf-8",
            ) from None
        except OSError as exc:
            _discard_output(self.stream)
            raise OutputError(
                f"cannot write to standard output: {exc.strerror or exc}; the output is incomplete",
                hint="free space (or raise the file size limit) where the output goes, or send it elsewhere",
            ) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _discard_output(stream: TextIO | None) -> None:
    """Point standard output at /dev/null, so that Python's last flush at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno() if stream is not None else 1)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
