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
from .load import ALL_KINDS
from .pipeline import build_graph, collection_paused
from .scaffold import ScaffoldError, scaffold, write
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

    new = commands.add_parser("new", help="start a new record from a commented template "
                                          "(never overwrites a file)")
    new.add_argument("kind", choices=ALL_KINDS, help="the kind of record (folder in content/)")
    new.add_argument("id", help="the new record's id: lower-case letters, digits and single "
                                "hyphens (it becomes the file name)")
    new.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                     help="fill in a field; text as typed, lists, mappings, numbers and "
                          "true/false as YAML (tags=[a, b]); repeatable")
    new.set_defaults(run=run_new)

    pages = commands.add_parser("pages", help="write the site's pages as Markdown into a plain "
                                              "docs folder (for engines without plugins)")
    pages.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="folder to write into (created if missing)")
    pages.add_argument("--no-directory-urls", action="store_true",
                       help="link to page.html instead of page/ (use_directory_urls: false)")
    pages.set_defaults(run=run_pages)

    published = commands.add_parser(
        "published", help="list record pages not yet in published.yaml (the manifest that "
                          "keeps published addresses working)")
    mode = published.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true",
                      help="add every current record page to published.yaml (never removes)")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if a current record page is not listed")
    published.set_defaults(run=run_published)

    index = commands.add_parser("index", help="build the search index (Pagefind) of a built "
                                              "site; mkdocs build and serve run it themselves")
    index.add_argument("site_dir", type=Path, metavar="SITE_DIR", help="the built site")
    index.set_defaults(run=run_index)
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


def run_new(args: argparse.Namespace) -> int:
    try:
        created = scaffold(args.root, args.kind, args.id, args.field)
        write(created)
    except ScaffoldError as exc:
        print(f"factsite new: error: {exc}", file=sys.stderr)
        return 2
    print(f"created {created.path}; fill in the empty fields, then run 'factsite check'")
    return 0


def run_pages(args: argparse.Namespace) -> int:
    from .render import RenderOptions, render_pages, write_pages

    result = build_graph(args.root)
    if not result.ok():
        print(formats.format_text(result.diagnostics), file=sys.stderr)
        return 1
    import os

    from .export import data_page

    options = RenderOptions(use_directory_urls=not args.no_directory_urls)
    pages = render_pages(result.graph, options)
    pages.append(data_page(result.graph, os.environ.get("SITE_URL", "")))  # as the plugin does
    written = write_pages(pages, args.out, result.graph)
    print(json.dumps({"written": str(args.out), "pages": written}))
    return 0


def run_published(args: argparse.Namespace) -> int:
    from .published import MANIFEST, unlisted, update_manifest

    result = build_graph(args.root)
    if result.errors:
        print(formats.format_text(result.diagnostics), file=sys.stderr)
        return 1
    if args.update:
        added = update_manifest(args.root, result.graph)
        print(json.dumps({"written": str(args.root / MANIFEST), "added": added}))
        return 0
    missing = unlisted(args.root, result.graph)
    for page in missing:
        print(f"{page}: not in {MANIFEST}; run 'factsite published --update' when publishing")
    return 1 if args.check and missing else 0


def run_index(args: argparse.Namespace) -> int:
    from .search import SearchIndexError, index_site

    try:
        report = index_site(args.site_dir)
    except SearchIndexError as exc:
        print(f"factsite index: error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"written": str(report.bundle), "pages": report.pages}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with collection_paused():  # every command builds up data and exits
        return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
