"""The ``factsite`` command-line tool.

Exit codes: 0 clean, 1 content errors (or warnings with ``--strict``), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import diagnostics as formats
from .pipeline import build_graph
from .schema import write_schemas

FORMATTERS = {
    "text": formats.format_text,
    "github": formats.format_github,
    "json": formats.format_json,
}


def _root(value: str) -> Path:
    root = Path(value)
    if not (root / "content").is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} has no content/ folder")
    return root


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="factsite", description=__doc__.splitlines()[0])
    main.add_argument("--root", type=_root, default=".", metavar="DIR",
                      help="project folder holding content/ and seeds/ (default: .)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate and link all content; report every "
                                              "problem as path:line:col: location: message")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                       help="text (default), github (pull-request annotations) or json")
    check.set_defaults(run=run_check)

    schema = commands.add_parser("schema", help="write a JSON Schema per record kind "
                                                "(for editor autocompletion)")
    schema.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR",
                        help="folder to write into (default: schemas/)")
    schema.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the folder's schemas are out of date")
    schema.set_defaults(run=run_schema)
    return main


def run_check(args: argparse.Namespace) -> int:
    result = build_graph(args.root)
    output = FORMATTERS[args.format](result.diagnostics)
    print(output)
    return 0 if result.ok(strict=args.strict) else 1


def run_schema(args: argparse.Namespace) -> int:
    out = args.out if args.out.is_absolute() else args.root / args.out
    stale = write_schemas(out, dry_run=args.check)
    if args.check:
        for name in stale:
            print(f"{out / name}: out of date; run 'factsite schema'", file=sys.stderr)
        return 1 if stale else 0
    print(json.dumps({"written": str(out), "changed": stale}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
