"""Shared fixtures: the fixture content tree built into a real site, once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import DESKTOP, chromium, new_page, serve
from bs4 import BeautifulSoup

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "basic"


def make_project(target: Path, fixture: Path = FIXTURE) -> Path:
    """Copy a fixture's content/ and seeds/ plus the repo's mkdocs.yml and theme/."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in ("content", "seeds"):
        if (fixture / folder).is_dir():
            shutil.copytree(fixture / folder, target / folder)
    shutil.copytree(ROOT / "theme", target / "theme")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def mkdocs(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs ARGS`` in ``project`` (through the installed entry point's package)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def git(root: Path, *args: str) -> str:
    """Run ``git ARGS`` in ``root`` as a test author (fails the test on an error)."""
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def edit(root: Path, path: str, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` (which must be there) with ``new`` in the file ``root/path``, the
    first ``count`` times (-1: every time)."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, count), encoding="utf-8")


def world_readable(path: Path) -> None:
    """linkchecker drops to ``nobody`` when run as root: let it read the site."""
    for folder, _dirs, files in os.walk(path):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


@dataclass
class BuiltSite:
    """A project built with ``mkdocs build --strict``: ``root`` holds content/, seeds/,
    mkdocs.yml and theme/; ``site`` is the output folder; ``log`` is mkdocs' stderr."""

    root: Path
    site: Path
    log: str

    def html(self, url: str) -> BeautifulSoup:
        """Parse the page at a site URL such as ``claims/x/`` or ``""`` (home)."""
        path = self.site / url / "index.html" if not url.endswith(".html") else self.site / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def build_project(project: Path) -> BuiltSite:
    result = mkdocs(project, "build", "--strict")
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    world_readable(project)
    return BuiltSite(project, project / "site", result.stderr)


@pytest.fixture(scope="session")
def built_site() -> Iterator[BuiltSite]:
    """The basic fixture (tests/fixtures/basic) built into a real site, once per session.

    Lives in a world-readable folder under the system temp dir (linkchecker runs as
    ``nobody`` under root). Read-only: tests that need other content build their own copy
    with :func:`make_project` and :func:`build_project`.
    """
    folder = Path(tempfile.mkdtemp(prefix="factsite-site-"))
    try:
        os.chmod(folder, 0o755)
        yield build_project(make_project(folder / "project"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the clean fixture's content/ and seeds/ (no MkDocs files).

    Test modules that need another starting point override this fixture locally.
    """
    root = tmp_path / "project"
    for folder in ("content", "seeds"):
        shutil.copytree(FIXTURE / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def server(built_site: BuiltSite) -> Iterator[str]:
    """The built fixture site over HTTP on a local port (search needs http, not file)."""
    with serve(built_site.site) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium for the browser tests of one module (test_a11y's also needs axe)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A desktop-sized page in a fresh browser context."""
    with new_page(browser, viewport=DESKTOP) as opened:
        yield opened
