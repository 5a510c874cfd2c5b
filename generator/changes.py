"""What git knows about the project: changed files, uncommitted changes, moves.

Every function takes the project root (the folder holding ``content/``, anywhere inside a
repository) and answers with paths relative to it, as diagnostics print them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

BASE_BRANCHES = ("origin/main", "main")
"""Where ``--changed`` compares from when no ``--base`` is given: the merge-base with the
first that exists."""


class GitError(Exception):
    """git is missing, the folder is not a repository, or a command failed."""


def git(root: Path, *args: str) -> str:
    """Run ``git -C root ARGS`` and return its output; raise :class:`GitError` on failure."""
    return _run(root, list(args), text=True)


def _run(root: Path, args: list[str], *, text: bool = False, given: bytes | None = None
         ) -> Any:
    """``git -C root ARGS``'s output (text or bytes), ``given`` on its standard input;
    :class:`GitError` when git is missing or fails (naming its last line of errors)."""
    try:
        run = subprocess.run(["git", "-C", str(root), *args], input=given, capture_output=True,
                             text=text, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if run.returncode != 0:
        errors = run.stderr if text else run.stderr.decode("utf-8", "replace")
        detail = (errors.strip().splitlines() or ["failed"])[-1]
        raise GitError(f"git {args[0]}: {detail}")
    return run.stdout


def in_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitError:
        return False


def _exists(root: Path, ref: str) -> bool:
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def default_base(root: Path) -> tuple[str, str]:
    """``(commit, description)``: the merge-base of ``HEAD`` with ``origin/main``, else
    with ``main``."""
    for branch in BASE_BRANCHES:
        if _exists(root, branch):
            commit = git(root, "merge-base", "HEAD", branch).strip()
            return commit, f"the merge-base with {branch} ({commit[:10]})"
    raise GitError(f"neither {' nor '.join(BASE_BRANCHES)} exists; pass --base REF")


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_files(root: Path, base: str) -> list[str]:
    """Files under ``root`` that differ from ``base`` in the working tree (staged or not),
    deleted ones included, plus untracked files that are not ignored."""
    if not _exists(root, base):
        raise GitError(f"unknown revision '{base}'")
    changed = _names(git(root, "diff", "--name-only", "--no-renames", "--relative", "-z",
                         base, "--"))
    untracked = _names(git(root, "ls-files", "--others", "--exclude-standard", "-z"))
    return sorted({*changed, *untracked})


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """Those of ``paths`` (relative to ``root``) with changes not committed: modified,
    staged, or untracked."""
    if not paths:
        return []
    output = git(root, "status", "--porcelain", "--untracked-files=all", "-z", "--", *paths)
    top = Path(git(root, "rev-parse", "--show-toplevel").strip())
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    entries = output.split("\0")
    mentioned: set[str] = set()
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        mentioned.add(entry[3:])
        if entry[0] in "RC":  # a rename or copy: the original path follows
            mentioned.add(entries[index])
            index += 1
    relative = {name if prefix == "." else name.removeprefix(prefix + "/")
                for name in mentioned}
    return [path for path in paths if path in relative]


def move(root: Path, old: str, new: str) -> None:
    """``git mv OLD NEW`` (both relative to ``root``)."""
    git(root, "mv", "--", old, new)


def files_at(root: Path, revision: str, paths: list[str]) -> dict[str, bytes]:
    """The bytes of each of ``paths`` (relative to ``root``, no line break in them) as they
    were at ``revision``; a path missing there is left out. One git process for all."""
    if not paths:
        return {}
    names = "".join(f"{revision}:./{path}\n" for path in paths).encode("utf-8")
    output: bytes = _run(root, ["cat-file", "--batch"], given=names)
    found, at = {}, 0
    for path in paths:
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if len(header) == 3:  # an object (a folder's too), else "NAME missing"
            size = int(header[2])
            if header[1] == b"blob":
                found[path] = output[at:at + size]
            at += size + 1
    return found
