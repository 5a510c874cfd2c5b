"""Supply chain (issue 20): what CI runs is pinned, and what it installs is hashed.

Actions are pinned by full commit SHA with the release named in a comment; no container
action is referenced by a mutable tag; Python packages come from ``requirements/ci.lock``
with a hash for every file; the deploy workflow deploys ``main`` only, whatever started it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
LOCK = ROOT / "requirements" / "ci.lock"
NAMES = sorted(path.name for path in WORKFLOWS.glob("*.y*ml"))
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def uses_lines(name: str) -> list[str]:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if re.match(r"^\s*(?:-\s+)?uses:", line)]


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned_by_commit_sha_with_the_version_named(name: str) -> None:
    lines = uses_lines(name)
    assert lines
    for line in lines:
        assert PINNED.match(line), f"{name}: {line.strip()}: pin by SHA, '# vX.Y.Z' after it"


@pytest.mark.parametrize("name", NAMES)
def test_no_container_action_by_a_mutable_tag(name: str) -> None:
    for line in uses_lines(name):
        if "docker://" in line:
            assert "@sha256:" in line, line


def test_deploy_runs_for_main_only() -> None:
    workflow = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text(encoding="utf-8"))
    for job in workflow["jobs"].values():
        assert job["if"] == "github.ref == 'refs/heads/main'"


def test_workflows_install_python_packages_from_the_hashed_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(VENV)/.test-installed:", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r $(LOCK)" in recipe and "--no-deps" in recipe
    assert "make .venv/.test-installed" in (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    deploy = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    installs = [line.strip() for line in deploy.splitlines() if "pip install" in line]
    assert installs == ["python -m pip install --require-hashes -r requirements/ci.lock",
                        "python -m pip install --no-deps --no-build-isolation ."]


def locked() -> dict[str, str]:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}"
                         r"(?: \\)?\n)+)", text, re.M)
    pins = re.findall(r"^[A-Za-z0-9_.-]+==", text, re.M)
    assert len(entries) == len(pins) > 50, "every pin has at least one sha256 hash"
    return {name.lower().replace("_", "-"): version for name, version, _ in entries}


def test_lock_pins_every_dependency_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = locked()
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower().replace("_", "-")
        assert name in pins, f"{name} is not in requirements/ci.lock: run 'make lock'"
    assert "setuptools" in pins  # the build backend, for the no-isolation editable install
