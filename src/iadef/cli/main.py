"""The ``iadef`` command: a thin layer over the library.

Heavy libraries are imported inside the command handlers so that ``iadef --help``
stays fast. Library errors become messages and exit codes here, and only here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from iadef.cli.store import add_store_options
from iadef.errors import IadefError

Handler = Callable[[argparse.Namespace], int]

# Modules that add their own sub-commands through ``register(subparsers)``. Each one
# keeps heavy imports inside its handlers so that ``iadef --help`` stays fast.
PLUGINS: tuple[str, ...] = ("network", "link", "validate", "query", "serve", "push")


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
    build.add_argument("--reason-timeout", type=float, default=120, metavar="S", help="HermiT time limit (default 120)")
    build.add_argument("--java-memory", type=int, default=2000, metavar="MB", help="HermiT's Java heap (default 2000)")
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
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except IadefError as exc:
        print(f"iadef: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("iadef: interrupted; graph/ is left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
