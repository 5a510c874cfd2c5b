"""Supply chain (issue 20): what CI runs is pinned, and what it installs is hashed.

Actions are pinned by full commit SHA with the release named in a comment; every container
image (a job's container, a service, a ``docker://`` action) by its ``@sha256`` digest with
the version named in a comment, never by a mutable tag (the workflows use none today);
Python packages come from ``requirements/ci.lock`` with a hash for every file; the deploy
workflow deploys ``main`` only, whatever started it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

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


IMAGE_LINE = re.compile(r"^\s*(?:-\s+)?(?:container|image):\s*\S|docker://")
"""A line naming a container image: ``container: IMAGE``, ``image: IMAGE`` (a job's
container or a service) or ``docker://IMAGE`` (a container action)."""
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}[\"']? # \S+")
"""Pinned: the image's digest, then a comment naming its version."""


def images(workflow: dict[str, Any]) -> list[str]:
    """Every container image a parsed workflow runs: jobs' containers, services and
    ``docker://`` actions."""
    found: list[str] = []
    for job in workflow.get("jobs", {}).values():
        containers = [job.get("container"), *job.get("services", {}).values()]
        found += [entry if isinstance(entry, str) else str(entry.get("image"))
                  for entry in containers if entry is not None]
        found += [step["uses"] for step in job.get("steps", [])
                  if str(step.get("uses", "")).startswith("docker://")]
    return found


def unpinned_images(text: str) -> list[str]:
    """The lines of a workflow that name a container image without a digest and version
    comment, and the parsed images without a digest (whatever the YAML's layout)."""
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    lines = [line.strip() for line in code if IMAGE_LINE.search(line) and not DIGEST.search(line)]
    parsed = [image for image in images(yaml.safe_load(text))
              if not re.search(r"@sha256:[0-9a-f]{64}$", image)]
    return lines + parsed


@pytest.mark.parametrize("name", NAMES)
def test_container_images_are_pinned_by_digest(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert unpinned_images(text) == [], f"{name}: pin images by @sha256 digest, '# version'"


DIGEST_VALUE = "0" * 64


@pytest.mark.parametrize("job", [
    "container: python:3.11-bookworm",
    "container:\n      image: python:3.11-bookworm",
    "container: {image: 'python:3.11-bookworm'}",
    "services:\n      db:\n        image: postgres:16",
    "services:\n      db: postgres:16",
    "steps:\n      - uses: docker://alpine:3.20",
    f"container: python@sha256:{DIGEST_VALUE}",  # a digest, but no version named
])
def test_an_image_by_tag_is_caught(job: str) -> None:
    text = f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    {job}\n"
    assert unpinned_images(text)


@pytest.mark.parametrize("job", [
    f"container: python@sha256:{DIGEST_VALUE} # 3.11-bookworm",
    f"container:\n      image: python@sha256:{DIGEST_VALUE} # 3.11-bookworm",
    f"steps:\n      - uses: docker://alpine@sha256:{DIGEST_VALUE} # 3.20",
])
def test_an_image_by_digest_passes(job: str) -> None:
    text = f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    {job}\n"
    assert unpinned_images(text) == []


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
