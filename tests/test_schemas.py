"""The committed schemas/ are what ``factsite schema`` writes, and editors are wired to them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.load import DOCUMENT_KINDS, RECORD_KINDS
from generator.schema import schemas, write_schemas

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "schemas"
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


class EditorLoader(yaml.SafeLoader):
    """Reads YAML the way the YAML language server does (1.2 core: dates stay text)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_committed_schemas_equal_fresh_ones() -> None:
    assert write_schemas(SCHEMAS, dry_run=True) == [], "run 'factsite schema' and commit"
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(schemas()), "stale files"


def test_schema_check_command() -> None:
    assert main(["--root", str(ROOT), "schema", "--check"]) == 0


def test_vscode_maps_every_yaml_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    expected = {f"./schemas/{kind}.schema.json": [f"content/{kind}/*.yaml",
                                                  f"content/{kind}/*.yml"]
                for kind in RECORD_KINDS}
    expected["./schemas/site.schema.json"] = ["content/site.yaml"]
    assert mapping == expected
    for schema in mapping:
        assert (ROOT / schema).is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def content_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content").rglob("*") if p.suffix in (".yaml", ".yml"))


@pytest.mark.parametrize("path", [*content_files(ROOT), *content_files(FIXTURE)],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_schemas_accept_valid_content(path: Path) -> None:
    """No false red squiggles: every valid record validates in the editor too."""
    kind = "site" if path.name == "site.yaml" else path.parent.name
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=EditorLoader)  # a SafeLoader subclass
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
    assert not errors, [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors]
    found = MODELINE.search(text)
    if found:  # a modeline, where there is one, points at the right schema
        assert (path.parent / found.group(1)).resolve() == SCHEMAS / f"{kind}.schema.json"


def test_schema_rejects_unknown_and_missing_fields() -> None:
    schema: dict[str, Any] = json.loads((SCHEMAS / "claims.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert any(e.validator == "additionalProperties"
               for e in validator.iter_errors({"claimnt": "x"}))
    assert any(e.validator == "required" for e in validator.iter_errors({}))


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_front_matter_schemas_exist(kind: str) -> None:
    assert (SCHEMAS / f"{kind}.schema.json").is_file()
