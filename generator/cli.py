"""factsite: check, build and maintain a fact-check site's content.

One ``add_parser`` block in :func:`parser` and one ``run_*`` function per command. Every
command works from any folder inside the project (see :func:`generator.project.find_root`).
Exit codes: 0 clean, 1 content errors (or warnings with ``--strict``) or a refused change,
2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import changes
from . import diagnostics as formats
from .diagnostics import Diagnostic
from .history import check_history
from .load import ALL_KINDS, load_tree
from .pipeline import build_graph, collection_paused
from .progress import Progress
from .project import NoProject, find_root
from .publish_gate import publish_gate
from .rename import RenameError, rename
from .scaffold import ScaffoldError, scaffold, write
from .schema import write_schemas

FORMATTERS = {
    "text": formats.format_text,
    "github": formats.format_github,
    "json": formats.format_json,
}


EPILOG = """\
exit codes: 0 clean, 1 content errors (or warnings with --strict) or a refused change,
2 usage errors. Run from any folder inside the project.

examples:
  factsite check                              every problem in every file
  factsite check content/claims/x.yaml        only that file's problems
  factsite check --changed                    only the files changed on this branch
  factsite check --history --base origin/main every file; published records keep their history
  factsite new claims my-claim --field claimant=some-actor
  factsite rename claims old-id new-id        move, alias and update every reference
"""

CHANGED_HELP = (
    "check only the files that differ from a git revision: changed, staged, deleted or "
    "untracked (not ignored) files; the revision is --base, else the merge-base of HEAD "
    f"with {' or '.join(changes.BASE_BRANCHES)}, whichever exists first; implies --history")

HISTORY_HELP = (
    "also compare the records changed since the git revision (--base, else as --changed "
    "finds it) with their versions there: a published record's updates are append-only, "
    "and a change to its rating, verdict, claim, claimant, speaker or quoted words needs a "
    "new entry in updates")


def _version() -> str:
    try:
        return version("factsite")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "unknown"


def _root(value: str) -> Path:
    root = Path(value)
    if not (root / "content").is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} has no content/ folder")
    return root


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="factsite", description=__doc__.splitlines()[0],
                                   epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--version", action="version", version=f"factsite {_version()}")
    main.add_argument("--root", type=_root, default=None, metavar="DIR",
                      help="project folder holding content/ and seeds/ (default: the nearest "
                           "folder at or above the current one that holds content/)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="validate and link all content; report every problem as "
                      "path:line:col: location: message",
        description="Validate and link all of content/, then report the problems of every "
                    "file, or only of the files named (references are still resolved "
                    "against the whole tree). Exit 0 when clean, 1 on errors (and on "
                    "warnings with --strict), 2 on usage errors.")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="report only these files or folders (default: everything)")
    check.add_argument("--changed", action="store_true", help=CHANGED_HELP)
    check.add_argument("--history", action="store_true", help=HISTORY_HELP)
    check.add_argument("--base", metavar="REF",
                       help="the git revision --changed and --history compare with (a branch, "
                            "tag or commit)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--publish", action="store_true",
                       help="also refuse placeholder publisher, site_url or page text, a "
                            "missing licence and missing about/methodology/corrections pages "
                            "(the release gate; see DEPLOY.md)")
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

    build = commands.add_parser("build", help="build the whole site (pages, open data, feeds, "
                                              "redirects) into a docs tree any engine can "
                                              "build, e.g. Zensical")
    build.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="folder to write the tree into (replaced only when the build "
                            "succeeds)")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                       help="the project's mkdocs.yml to adapt (default: mkdocs.yml)")
    build.add_argument("--no-directory-urls", action="store_true",
                       help="link to page.html instead of page/ (use_directory_urls: false)")
    build.set_defaults(run=run_build)

    cms = commands.add_parser("cms", help="write admin/config.yml, the web editor's "
                                          "configuration, from the content model")
    cms.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if admin/config.yml is out of date")
    cms.set_defaults(run=run_cms)

    published = commands.add_parser(
        "published", help="list record pages not yet in published.yaml (the manifest that "
                          "keeps published addresses working)")
    mode = published.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true",
                      help="add every current record page to published.yaml (never removes)")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if a current record page is not listed")
    published.set_defaults(run=run_published)

    renamed = commands.add_parser(
        "rename", help="give a record a new id: move its file, keep the old id as an alias, "
                       "update every reference",
        description="Rename content/KIND/OLD to NEW: the file moves (git mv in a git "
                    "repository), OLD is added to the record's aliases (the old address "
                    "redirects), and every reference field and [[KIND/OLD]] in content/ is "
                    "rewritten, changing nothing else in the files. Refused, with nothing "
                    "written, if NEW exists, if the content has errors, if a file it would "
                    "change has uncommitted changes, or if the result would not check "
                    "cleanly. Exit 0 when renamed, 1 when refused.")
    renamed.add_argument("kind", choices=ALL_KINDS, help="the kind of record")
    renamed.add_argument("old", help="its current id")
    renamed.add_argument("new", help="its new id")
    renamed.set_defaults(run=run_rename)

    serve = commands.add_parser(
        "serve", help="serve the site with live reload; a save shows in about a second",
        description="Run 'mkdocs serve --dirty' on the project's mkdocs.yml: each save "
                    "re-renders only the pages it changes, and MkDocs rewrites only those. "
                    "On content errors the last good site stays served with the errors at "
                    "the top of every page, and they are printed last.")
    serve.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                       help="the project's mkdocs.yml (default: mkdocs.yml)")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
                       help="address to serve at (default: 127.0.0.1:8000)")
    serve.set_defaults(run=run_serve)

    index = commands.add_parser("index", help="build the search index (Pagefind) of a built "
                                              "site; mkdocs build and serve run it themselves")
    index.add_argument("site_dir", type=Path, metavar="SITE_DIR", help="the built site")
    index.set_defaults(run=run_index)
    return main


def run_check(args: argparse.Namespace) -> int:
    compared = _compared(args)
    selection = compared.changed if args.changed else _selection(args)
    if selection == []:  # --changed, and nothing changed
        return 0
    with Progress("checking content"):
        loaded = load_tree(args.root)
        result = build_graph(args.root, loaded)
    diagnostics = result.diagnostics
    if compared.base:
        diagnostics = diagnostics + check_history(args.root, loaded[0], compared.base,
                                                  compared.described, compared.changed)
    if args.publish:
        diagnostics = diagnostics + publish_gate(args.root, result.graph.site)
    if selection is not None:
        everything = diagnostics
        diagnostics = [d for d in everything if _selected(d, selection)]
        _note_others(len(everything) - len(diagnostics), selection)
    print(FORMATTERS[args.format](diagnostics))
    errors = any(d.severity == "error" for d in diagnostics)
    warnings = any(d.severity == "warning" for d in diagnostics)
    return 1 if errors or (args.strict and warnings) else 0


class UsageError(Exception):
    """Bad arguments found after parsing: reported like argparse's own (exit 2)."""


@dataclass(frozen=True)
class Compared:
    """The git revision ``--changed`` and ``--history`` compare with, and what changed."""

    base: str = ""
    described: str = ""
    changed: list[str] = field(default_factory=list)


def _compared(args: argparse.Namespace) -> Compared:
    """The revision to compare with and the files changed since (relative to the root), for
    ``--changed`` or ``--history``; nothing without them."""
    if args.changed and args.paths:
        raise UsageError("give PATHs or --changed, not both")
    option = "--changed" if args.changed else "--history" if args.history else ""
    if args.base and not option:
        raise UsageError("--base goes with --changed or --history")
    if not option:
        return Compared()
    if not changes.in_repository(args.root):
        raise UsageError(f"{option}: {args.root} is not in a git repository")
    try:
        base, described = ((args.base, args.base) if args.base
                           else changes.default_base(args.root))
        found = changes.changed_files(args.root, base)
    except changes.GitError as exc:
        raise UsageError(f"{option}: {exc}") from None
    count = (f"{len(found)} changed file{'' if len(found) == 1 else 's'}" if found
             else "no changed files")
    what = "checking" if args.changed else "comparing the records of"
    print(f"{what} {count} (against {described})", file=sys.stderr)
    return Compared(base, described, found)


def _selection(args: argparse.Namespace) -> list[str] | None:
    """The paths (relative to the root) whose diagnostics to report, or None for all."""
    return [_relative(args.root, path) for path in args.paths] if args.paths else None


def _relative(root: Path, path: str) -> str:
    """A PATH argument as a path relative to the root: from the current folder, else (with
    ``--root``) from the project folder."""
    project = Path(os.path.abspath(root))
    candidates = [Path(os.path.abspath(path))]
    if not Path(path).is_absolute():
        candidates.append(Path(os.path.abspath(project / path)))
    inside = [c for c in candidates if c.is_relative_to(project)]
    if not inside:
        raise UsageError(f"{path}: not inside the project ({root})")
    found = next((c for c in inside if c.exists()), None)
    if found is None:
        raise UsageError(f"{path}: no such file or folder")
    relative = found.relative_to(project)
    return "" if relative == Path() else relative.as_posix()


def _selected(diagnostic: Diagnostic, selection: list[str]) -> bool:
    return any(not path or diagnostic.path == path or diagnostic.path.startswith(path + "/")
               for path in selection)


def _note_others(count: int, selection: list[str]) -> None:
    if count:
        print(f"{count} more problem{'' if count == 1 else 's'} in files not selected; "
              "run 'factsite check' to see every file", file=sys.stderr)


def run_rename(args: argparse.Namespace) -> int:
    try:
        with Progress("checking the rename"):
            report = rename(args.root, args.kind, args.old, args.new)
    except RenameError as exc:
        print(f"factsite rename: error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report))
    return 0


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


def run_build(args: argparse.Namespace) -> int:
    from .build import build_site
    from .cards import CARD_CACHE
    from .cms import CmsError, with_web_editor
    from .folder import ConfigError, read_config, write_tree
    from .site import SiteOptions

    config_path = args.config if args.config.is_absolute() else args.root / args.config
    try:
        config = read_config(config_path)
    except ConfigError as exc:
        print(f"factsite build: error: {exc}", file=sys.stderr)
        return 2
    directory_urls = not args.no_directory_urls
    options = SiteOptions(use_directory_urls=directory_urls,
                          site_url=str(config.get("site_url") or ""), links_from_source=True,
                          card_cache=args.root / CARD_CACHE)
    with Progress("building the site"):
        site = build_site(args.root, options)
    if site.errors:
        print(formats.format_text(list(site.diagnostics)), file=sys.stderr)
        return 1
    try:
        site = with_web_editor(site, args.root)
    except CmsError as exc:
        print(f"factsite build: error: {exc}", file=sys.stderr)
        return 1
    write_tree(site, config, config_path.parent, args.out, directory_urls)
    print(json.dumps({"written": str(args.out), "pages": len(site.pages),
                      "assets": len(site.assets)}))
    return 0


def run_cms(args: argparse.Namespace) -> int:
    from .cms import CONFIG, CmsError, write_config

    try:
        stale = write_config(args.root, dry_run=args.check)
    except CmsError as exc:
        print(f"factsite cms: error: {exc}", file=sys.stderr)
        return 2
    if args.check and stale:
        print(f"{args.root / CONFIG}: out of date; run 'factsite cms'", file=sys.stderr)
    return 1 if args.check and stale else 0


def run_published(args: argparse.Namespace) -> int:
    from .published import MANIFEST, unlisted, update_manifest

    result = build_graph(args.root)
    if result.errors:
        print(formats.format_text(result.diagnostics), file=sys.stderr)
        return 1
    if args.update:
        added, problems = update_manifest(args.root, result.graph)
        if problems:
            print(formats.format_text(problems), file=sys.stderr)
        if any(problem.severity == "error" for problem in problems):
            return 1
        print(json.dumps({"written": str(args.root / MANIFEST), "added": added}))
        return 0
    missing = unlisted(args.root, result.graph)
    for page in missing:
        print(f"{page}: not in {MANIFEST}; run 'factsite published --update' when publishing")
    return 1 if args.check and missing else 0


def run_serve(args: argparse.Namespace) -> int:
    """MkDocs' own ``serve --dirty``, told of each save by the OS (:mod:`.serve`)."""
    from .serve import serve

    config_path = args.config if args.config.is_absolute() else args.root / args.config
    if not config_path.is_file():
        print(f"factsite serve: error: {config_path}: no such file", file=sys.stderr)
        return 2
    return serve(config_path, args.dev_addr)


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
    cli = parser()
    args = cli.parse_args(argv)
    try:
        if args.root is None:
            args.root = find_root(Path.cwd())
        with collection_paused():  # every command builds up data and exits
            return args.run(args)
    except (NoProject, UsageError) as exc:
        cli.error(str(exc))  # exits 2 with the usage line


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
