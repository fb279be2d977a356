"""Sub-command ``validate`` (registered by :mod:`iadef.cli.main`).

``iadef validate`` checks the graph the seeds build against ``ontology/shapes.ttl``
and the provenance rules; ``iadef validate FILE...`` checks RDF files instead (read
with :mod:`iadef.curation.rdfinput`); ``--reason`` adds HermiT's consistency check. The
report goes to standard output; the exit code is 1 when there is any violation.
pyshacl and rdflib are imported inside the handler so that ``iadef --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from iadef.cli.options import seconds


def register(sub: Any) -> None:
    """Add ``validate`` to the ``iadef`` sub-command parser."""
    validate = sub.add_parser(
        "validate",
        help="check the graph against the SHACL shapes and provenance rules (exit 1 on any violation)",
    )
    validate.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="RDF files to check instead of the seeds (.ttl .nt .nq .trig .rdf .owl .jsonld)",
    )
    validate.add_argument("--reason", action="store_true", help="also check OWL consistency with HermiT (needs Java)")
    validate.add_argument(
        "--reason-timeout", type=seconds(low=0.001), default=120, metavar="S", help="HermiT time limit (default 120)"
    )
    validate.add_argument(
        "--allow-network", action="store_true", help="let JSON-LD files load a remote @context (refused by default)"
    )
    validate.set_defaults(handler=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    """Print the validation report; 0 when there is no violation, else 1."""
    from iadef.curation.validation import validate, validate_files
    from iadef.paths import find_project

    project = find_project(args.root)
    options = {"reason": args.reason, "reason_timeout_s": args.reason_timeout}
    if args.files:
        files = [Path(name) for name in args.files]
        report = validate_files(project, files, allow_network=args.allow_network, **options)
    else:
        report = validate(project, **options)
    print(report.text())
    return 0 if report.conforms else 1
