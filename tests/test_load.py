"""The loader never crashes: arbitrary bytes and YAML give data or diagnostics, fast."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import MAX_DEPTH, MAX_FILE_BYTES, _Loader, load_document
from generator.validate import validate_document

KINDS = ["sources", "actors", "elections", "tactics", "statements", "claims", "site"]
SETTINGS = settings(max_examples=150, deadline=2000,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
YAML_ALPHABET = st.sampled_from([*"abc:-[]{}&*!|>#'\"\n\t ,?%@`0129.\\", "\u2019", "é"])

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def load_and_validate(tmp_path: Path, name: str, payload: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    document, problems = load_document(path, f"content/{name}", kind)
    instance, more = validate_document(document)
    for problem in problems + more:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
    assert instance is not None or problems or more


@SETTINGS
@given(text=st.text(YAML_ALPHABET, max_size=200), kind=st.sampled_from(KINDS))
def test_arbitrary_text_never_crashes(tmp_path: Path, text: str, kind: str) -> None:
    load_and_validate(tmp_path, "x.yaml", text.encode("utf-8"), kind)


@SETTINGS
@given(data=values, kind=st.sampled_from(KINDS))
def test_arbitrary_yaml_data_never_crashes(tmp_path: Path, data: object, kind: str) -> None:
    load_and_validate(tmp_path, "x.yaml", yaml.safe_dump(data).encode("utf-8"), kind)


@SETTINGS
@given(payload=st.binary(max_size=200), kind=st.sampled_from(KINDS))
def test_arbitrary_bytes_never_crash(tmp_path: Path, payload: bytes, kind: str) -> None:
    load_and_validate(tmp_path, "x.yaml", payload, kind)


@SETTINGS
@given(text=st.text(YAML_ALPHABET, max_size=200))
def test_arbitrary_front_matter_never_crashes(tmp_path: Path, text: str) -> None:
    load_and_validate(tmp_path, "x.md", f"---\n{text}\n---\nbody\n".encode(), "explainers")


@SETTINGS
@given(tag=st.sampled_from(["str", "int", "float", "bool", "null", "timestamp"]),
       value=st.text(YAML_ALPHABET, max_size=30), kind=st.sampled_from(KINDS))
def test_explicitly_tagged_values_never_crash(tmp_path: Path, tag: str, value: str,
                                              kind: str) -> None:
    """An explicit tag skips PyYAML's own pattern check: '!!timestamp x' must be refused."""
    text = f"name: !!{tag} {value}\nother: !!{tag} {json.dumps(value)}\n"
    load_and_validate(tmp_path, "x.yaml", text.encode("utf-8"), kind)


def _tags(node: yaml.Node) -> list[object]:
    """Every node's tag, depth first."""
    if isinstance(node, yaml.ScalarNode):
        return [node.tag]
    children = [n for pair in node.value for n in pair] if isinstance(
        node, yaml.MappingNode) else node.value
    return [node.tag, *(tag for child in children for tag in _tags(child))]


@SETTINGS
@given(text=st.text(YAML_ALPHABET, max_size=200) | values.map(yaml.safe_dump))
def test_tags_resolve_as_pyyaml_does(text: str) -> None:
    """The loader's cached tag resolution gives the tags of the PyYAML safe loader it
    extends, node by node (twice: the second time from the cache)."""
    try:
        expected = yaml.compose(text, Loader=_Loader.__bases__[0])
    except yaml.YAMLError:
        return
    for _ in range(2):
        found = yaml.compose(text, Loader=_Loader)
        assert (found is None) == (expected is None)
        if expected is not None:
            assert _tags(found) == _tags(expected)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    _, problems = load_document(path, "content/tactics/t.yaml", "tactics")
    return [p.message for p in problems]


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    messages = problems_of(tmp_path, "\n".join(lines))
    assert time.perf_counter() - started < 1
    assert any("aliases" in m for m in messages)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    depth = MAX_DEPTH + 5
    messages = problems_of(tmp_path, "name: " + "[" * depth + "]" * depth)
    assert any("nesting deeper" in m for m in messages)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    messages = problems_of(tmp_path, "name: " + "x" * (MAX_FILE_BYTES + 1))
    assert any("the limit is" in m for m in messages)


def test_yaml_1_2_booleans_keep_norway(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("country: NO\nflag: yes\nidentified: false\n")
    document, problems = load_document(path, "content/actors/t.yaml", "actors")
    assert problems == []
    assert document.data == {"country": "NO", "flag": "yes", "identified": False}


def test_nested_duplicate_keys_name_their_place(tmp_path: Path) -> None:
    """Repeated keys inside lists and front matter are reported where they stand, with the
    first one's line, and alongside a refusal further on."""
    record = tmp_path / "t.yaml"
    record.write_text("name: x\nitems:\n  - a: 1\n    b: 2\n    a: 3\n  - {c: 1, c: 2}\n"
                      "other: !!python/name:os.system x\n")
    explainer = tmp_path / "e.md"
    explainer.write_text("---\ntitle: t\nmeta:\n  x: 1\n  x: 2\n---\nbody\n")
    found = [problem.format() for path, display, kind in [
        (record, "content/tactics/t.yaml", "tactics"),
        (explainer, "content/explainers/e.md", "explainers")]
        for problem in load_document(path, display, kind)[1]]
    assert found == [
        "content/tactics/t.yaml:5:5: items.0.a: duplicate key 'a' (first set on line 3); "
        "a mapping may set each key once",
        "content/tactics/t.yaml:6:12: items.1.c: duplicate key 'c' (first set on line 6); "
        "a mapping may set each key once",
        "content/tactics/t.yaml:7:8: yaml: YAML tag 'tag:yaml.org,2002:python/name:os.system' "
        "is not allowed",
        "content/explainers/e.md:5:3: meta.x: duplicate key 'x' (first set on line 4); "
        "a mapping may set each key once",
    ]
