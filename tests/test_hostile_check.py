"""Hostile content that ``factsite check`` must refuse (issue 7, see SECURITY.md).

Every case overlays one attack on a copy of the clean fixture (``tests/fixtures/basic``)
and asserts an error at the right file and line with a clear message: nothing is
swallowed, nothing crashes, nothing hangs. Attacks that are *accepted* because they are
rendered inert (entities, code spans…) are checked in ``test_inert_markdown`` and, built
into a real site, in ``tests/test_hostile_site.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import markdown
from generator.cli import main
from generator.diagnostics import Diagnostic
from generator.load import MAX_FILE_BYTES, MAX_NODES
from generator.pipeline import build_graph

BASE = Path(__file__).parent / "fixtures" / "basic"
SAFE_SCHEMES = {"http", "https", "mailto"}
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


# -- hostile records ----------------------------------------------------------------------------
# Each builder returns the text of a new, otherwise valid record and the line on which the
# hostile Markdown starts (block scalars: the line after ``field: |``).


def _block(payload: str, indent: int = 2) -> str:
    return "\n".join(" " * indent + line if line else "" for line in payload.split("\n"))


def actor_description(payload: str) -> tuple[str, str, int]:
    return ("content/actors/hostile.yaml",
            f"name: Hostile\nkind: person\ndescription: |\n{_block(payload)}\n", 4)


def election_description(payload: str) -> tuple[str, str, int]:
    return ("content/elections/hostile.yaml",
            "name: Hostile election\ncountry: RO\ndate: 2024\ntype: general\n"
            f"description: |\n{_block(payload)}\n", 6)


def tactic_description(payload: str) -> tuple[str, str, int]:
    return ("content/tactics/hostile.yaml",
            "name: Hostile tactic\nsummary: One sentence.\ncategory: malign-finance\n"
            f"description: |\n{_block(payload)}\n", 5)


def statement_context(payload: str) -> tuple[str, str, int]:
    return ("content/statements/hostile.yaml",
            "speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Something was said.\n"
            "citations:\n  - source: commission-website\n"
            f"context: |\n{_block(payload)}\n", 8)


def claim_analysis(payload: str) -> tuple[str, str, int]:
    return ("content/claims/hostile.yaml",
            "claim: Something happened.\nclaimant: borduria\nclaimed: 2022\n"
            "appearances:\n  - source: commission-website\nrating: unproven\n"
            "verdict: We cannot tell.\nevidence:\n  - source: commission-website\n"
            f"published: 2022-12-01\nanalysis: |\n{_block(payload)}\n", 12)


def update_note(payload: str) -> tuple[str, str, int]:
    return ("content/actors/hostile-update.yaml",
            "name: Hostile\nkind: person\nupdates:\n  - date: 2024-01-01\n    kind: update\n"
            f"    note: |\n{_block(payload, 6)}\n", 7)


def explainer_body(payload: str) -> tuple[str, str, int]:
    return ("content/explainers/hostile.md",
            "---\ntitle: Hostile\nsummary: A summary.\npublished: 2024-01-01\n"
            f"authors: [Someone]\n---\n{payload}\n", 7)


def page_body(payload: str) -> tuple[str, str, int]:
    return ("content/pages/hostile.md", f"---\ntitle: Hostile\n---\n\n{payload}\n", 5)


MARKDOWN_FIELDS = [actor_description, election_description, tactic_description,
                   statement_context, claim_analysis, update_note, explainer_body, page_body]

RAW_HTML = "is not allowed in Markdown"
BAD_LINK = "is not allowed: only http(s), mailto and relative links"

# (id, payload, line of the problem within the payload, message fragment)
MARKDOWN_ATTACKS: list[tuple[str, str, int, str]] = [
    ("script-tag", "<script>alert(1)</script>", 0, "raw HTML (<script>)"),
    ("img-onerror", "Text <img src=x onerror=alert(1)> more", 0, "raw HTML (<img>)"),
    ("iframe", "<iframe src=\"https://evil.example/\"></iframe>", 0, "raw HTML (<iframe>)"),
    ("a-javascript", "<a href=\"javascript:alert(1)\">x</a>", 0, "raw HTML (<a>)"),
    ("svg-onload", "See <svg onload=alert(1)>", 0, "raw HTML (<svg>)"),
    ("div-onclick-block", "Intro.\n\n<div onclick=\"alert(1)\">\n\n*x*\n\n</div>", 2,
     "raw HTML (<div>)"),
    ("style", "<style>body { display: none }</style>", 0, "raw HTML (<style>)"),
    ("object", "<object data=\"https://evil.example/x.swf\"></object>", 0, "raw HTML (<object>)"),
    ("embed", "x <embed src=\"https://evil.example/x\"> y", 0, "raw HTML (<embed>)"),
    ("form-action", "<form action=\"javascript:alert(1)\"><button>go</button></form>", 0,
     "raw HTML (<form>)"),
    ("meta-refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", 0,
     "raw HTML (<meta>)"),
    ("base-href", "<base href=\"https://evil.example/\">", 0, "raw HTML (<base>)"),
    ("html-comment", "Visible <!-- hidden text --> visible", 0, "raw HTML (<!--"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>", 0, RAW_HTML),
    ("processing-instruction", "<?php echo 1; ?>", 0, RAW_HTML),
    ("closing-tag-only", "text </textarea> text", 0, "raw HTML (<textarea>)"),
    ("upper-case-tag", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", 0, "raw HTML (<SCRIPT>)"),
    ("html-in-ref-label", "See [[actors/borduria|<b onmouseover=alert(1)>x</b>]].", 0, RAW_HTML),
    ("link-javascript", "[click](javascript:alert(1))", 0, BAD_LINK),
    ("link-mixed-case", "[click](JaVaScRiPt:alert(1))", 0, BAD_LINK),
    ("link-leading-space", "[click](  javascript:alert(1))", 0, BAD_LINK),
    ("link-angle-destination", "[click](<javascript:alert(1)>)", 0, BAD_LINK),
    ("link-with-title", "[click](javascript:alert(1) \"title\")", 0, BAD_LINK),
    ("link-decimal-entity", "[click](javascript&#58;alert(1))", 0, BAD_LINK),
    ("link-hex-entity", "[click](&#x6A;avascript:alert(1))", 0, BAD_LINK),
    ("link-named-entity", "[click](javascript&colon;alert(1))", 0, BAD_LINK),
    ("link-data", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", 0,
     BAD_LINK),
    ("link-vbscript", "[click](vbscript:msgbox(1))", 0, BAD_LINK),
    ("link-file", "[passwd](file:///etc/passwd)", 0, BAD_LINK),
    ("link-protocol-relative", "[click](//evil.example/)", 0, BAD_LINK),
    ("image-javascript", "![x](javascript:alert(1))", 0, BAD_LINK),
    ("image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", 0,
     BAD_LINK),
    ("autolink-javascript", "<javascript:alert(1)>", 0, BAD_LINK),
    ("autolink-vbscript-upper", "<VBSCRIPT:msgbox(1)>", 0, BAD_LINK),
    ("autolink-data", "<data:text/html;base64,PHNjcmlwdD4=>", 0, BAD_LINK),
    ("autolink-mixed-case", "<jAvAsCrIpT:alert(1)>", 0, BAD_LINK),
    ("reference-definition", "[click][evil]\n\n[evil]: javascript:alert(1)", 0, BAD_LINK),
    ("reference-definition-next-line", "[click]\n\n[click]:\n  <data:text/html,x>", 0,
     BAD_LINK),
    ("link-in-ref-label", "[[actors/borduria|[x](javascript:alert(1))]]", 0, BAD_LINK),
    ("link-in-table-cell", "| a | b |\n|---|---|\n| [x](javascript:alert(1)) | y |", 2,
     BAD_LINK),
    ("link-in-list", "- one\n- [x](javascript:alert(1))", 1, BAD_LINK),
]


@dataclass
class Case:
    """One overlay: files to write over the fixture, and the errors it must produce."""

    id: str
    files: dict[str, str | bytes]
    expected: list[tuple[str, int, int | None, str]]
    """``(path, line, column or None, message fragment)`` of errors that must be reported."""
    severity: str = "error"
    also: set[str] = field(default_factory=set)
    """Other files that may have errors as a consequence (a broken source's citers)."""


def markdown_cases() -> list[Case]:
    cases = []
    for builder in MARKDOWN_FIELDS:
        for attack_id, payload, line, fragment in MARKDOWN_ATTACKS:
            path, text, start = builder(payload)
            cases.append(Case(f"{builder.__name__}-{attack_id}", {path: text},
                              [(path, start + line, None, fragment)]))
    return cases


# -- URL fields ----------------------------------------------------------------------------------

SOURCE = ("title: Hostile source\nkind: report\npublisher: Someone\npublished: 2024\n"
          "{field}: {value}\n")
SITE = (BASE / "content" / "site.yaml").read_text(encoding="utf-8")


def source_url(field_name: str) -> Callable[[str], tuple[str, str, int, int]]:
    def build(value: str) -> tuple[str, str, int, int]:
        extra = "url: https://example.org/\n" if field_name == "archived_url" else ""
        text = SOURCE.format(field=field_name, value=value) + extra
        return "content/sources/hostile.yaml", text, 5, len(field_name) + 3
    build.__name__ = f"source_{field_name}"
    return build


def site_url(name: str, old: str, template: str) -> Callable[[str], tuple[str, str, int, int]]:
    """Replace ``old`` in site.yaml by ``template`` holding the hostile ``{value}``."""
    def build(value: str) -> tuple[str, str, int, int]:
        marked = SITE.replace(old, template.format(value="\0"))
        offset = marked.index("\0")
        line = marked.count("\n", 0, offset) + 1
        column = offset - marked.rfind("\n", 0, offset)
        return "content/site.yaml", SITE.replace(old, template.format(value=value)), line, column
    build.__name__ = name
    return build


PUBLISHER_URL = "url: https://checks.example.org/"
LICENSE_URL = "url: https://creativecommons.org/licenses/by/4.0/"
URL_FIELDS = [
    source_url("url"), source_url("archived_url"),
    site_url("site_publisher_url", PUBLISHER_URL, "url: {value}"),
    site_url("site_publisher_logo", PUBLISHER_URL, PUBLISHER_URL + "\n  logo: {value}"),
    site_url("site_license_url", LICENSE_URL, "url: {value}"),
]

NOT_HTTP = "is not an http(s) URL"
CREDENTIALS = "contains credentials"
BAD_HOST = "malformed host name"
UNSAFE_CHARS = "characters not allowed in a URL"
MALFORMED = "is not a well-formed URL"
URL_ATTACKS: list[tuple[str, str, str]] = [
    ("javascript", "javascript:alert(document.cookie)", NOT_HTTP),
    ("javascript-upper", "JAVASCRIPT:alert(1)", NOT_HTTP),
    ("javascript-leading-space", "' javascript:alert(1)'", NOT_HTTP),
    ("javascript-tab", "\"java\\tscript:alert(1)\"", NOT_HTTP),
    ("data", "\"data:text/html,<script>alert(1)</script>\"", NOT_HTTP),
    ("vbscript", "vbscript:msgbox(1)", NOT_HTTP),
    ("file", "file:///etc/passwd", NOT_HTTP),
    ("protocol-relative", "//evil.example/", NOT_HTTP),
    ("user-password", "https://user:secret@example.org/", CREDENTIALS),
    ("user-only", "https://token@example.org/", CREDENTIALS),
    ("lookalike-userinfo", "https://checks.example.org@evil.example/", CREDENTIALS),
    ("underscore-host", "https://exa_mple.org/", BAD_HOST),
    ("hyphen-label", "https://-evil-.example.org/", BAD_HOST),
    ("empty-label", "https://example..org/", BAD_HOST),
    ("short-ip", "http://1.2/", BAD_HOST),
    ("bad-ip", "http://999.1.1.1/", MALFORMED),
    ("percent-host", "https://exa%6Dple.org/", BAD_HOST),
    ("no-dot-host", "https://intranet/", "has no valid host name"),
    ("no-slashes", "http:evil.example", MALFORMED),
    ("triple-slash", "http:///evil.example", MALFORMED),
    ("quote-breakout", "'https://example.org/\"><script>alert(1)</script>'", UNSAFE_CHARS),
    ("angle-brackets", "https://example.org/<svg>", UNSAFE_CHARS),
    ("zero-width-host", "https://ex\u200bample.org/", UNSAFE_CHARS),
    ("bidi-override", "https://example.org/\u202egnp.exe", UNSAFE_CHARS),
    ("backslash", "'https://example.org\\@evil.example/'", "backslashes"),
    ("space", "'https://example.org/a b'", "spaces"),
]


def url_cases() -> list[Case]:
    cases = []
    for builder in URL_FIELDS:
        for attack_id, value, fragment in URL_ATTACKS:
            path, text, line, column = builder(value)
            also = {"content/claims/borduria-denies-involvement.yaml"} \
                if path.endswith("site.yaml") else set()
            cases.append(Case(f"{builder.__name__}-{attack_id}", {path: text},
                              [(path, line, column, fragment)], also=also))
    return cases


# -- YAML and file-level attacks ---------------------------------------------------------------

TACTIC = "content/tactics/hostile.yaml"
FIGURES = "content/statements/commission-fake-sites.yaml"
VALID_TACTIC = "name: Hostile tactic\nsummary: One sentence.\ncategory: malign-finance\n"


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return VALID_TACTIC + "\n".join(lines) + "\n"


YAML_CASES = [
    Case("python-object-apply",
         {TACTIC: VALID_TACTIC + "disarm: !!python/object/apply:os.system ['touch PWNED']\n"},
         [(TACTIC, 4, 9, "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
                         "allowed")]),
    Case("python-name", {TACTIC: VALID_TACTIC + "parent: !!python/name:os.system\n"},
         [(TACTIC, 4, 9, "is not allowed")]),
    Case("python-object-new",
         {TACTIC: VALID_TACTIC + "parent: !!python/object/new:subprocess.Popen [[id]]\n"},
         [(TACTIC, 4, 9, "is not allowed")]),
    Case("custom-tag", {TACTIC: VALID_TACTIC + "parent: !include /etc/passwd\n"},
         [(TACTIC, 4, 9, "YAML tag '!include' is not allowed")]),
    Case("tag-directive", {TACTIC: "%TAG !p! tag:yaml.org,2002:python/\n---\n" + VALID_TACTIC
                           + "parent: !p!name:os.system\n"},
         [(TACTIC, 6, 9, "is not allowed")]),
    Case("binary-tag", {TACTIC: VALID_TACTIC + "parent: !!binary aGVsbG8=\n"},
         [(TACTIC, 4, 9, "YAML tag 'tag:yaml.org,2002:binary' is not allowed")]),
    Case("billion-laughs", {TACTIC: billion_laughs()},
         [(TACTIC, 4, 5, "anchors and aliases")]),  # the anchor of the first alias used
    Case("merge-key", {TACTIC: VALID_TACTIC + "x: {a: 1}\ny:\n  <<: {b: 2}\n"},
         [(TACTIC, 6, 3, "merge keys (<<) are not allowed")]),
    Case("duplicate-key", {TACTIC: VALID_TACTIC + "name: Overwritten\n"},
         [(TACTIC, 4, 1, "duplicate key 'name' (first set on line 1)")]),
    Case("duplicate-key-nested", {
        "content/statements/hostile.yaml":
            "speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Said.\ncitations:\n"
            "  - source: commission-website\n    source: example-report\n"},
         [("content/statements/hostile.yaml", 7, 5, "duplicate key 'source'")]),
    Case("tab-indentation", {TACTIC: VALID_TACTIC + "disarm:\n\t- T0098\n"},
         [(TACTIC, 5, 1, "tabs are not allowed")]),
    Case("oversized", {TACTIC: VALID_TACTIC + "description: " + "x" * MAX_FILE_BYTES + "\n"},
         [(TACTIC, 1, 1, f"the limit is {MAX_FILE_BYTES:,}")]),
    Case("too-many-values", {TACTIC: VALID_TACTIC + "tags: [" + ", ".join(
        ["t"] * (MAX_NODES + 1)) + "]\n"}, [(TACTIC, 4, None, f"more than {MAX_NODES} values")]),
    Case("deep-nesting", {TACTIC: VALID_TACTIC + "tags: " + "[" * 200 + "]" * 200 + "\n"},
         [(TACTIC, 4, None, "nesting")]),
    Case("bad-utf8", {TACTIC: VALID_TACTIC.encode() + b"description: caf\xe9\n"},
         [(TACTIC, 4, 17, "not valid UTF-8 (byte 0xe9)")]),
    Case("utf16", {TACTIC: VALID_TACTIC.encode("utf-16")},
         [(TACTIC, 1, 1, "not valid UTF-8")]),
    Case("nul-byte", {TACTIC: VALID_TACTIC.encode() + b"description: a\x00b\n"},
         [(TACTIC, 4, 1, "NUL character")]),
    Case("escaped-nul", {TACTIC: VALID_TACTIC + 'description: "a\\0b"\n'},
         [(TACTIC, 4, 14, "control character U+0000")]),
    Case("escaped-terminal-escape", {TACTIC: VALID_TACTIC + 'name2: "\\e[2K\\e[1Ahidden"\n'},
         [(TACTIC, 4, 8, "control character U+001B")]),
    Case("escaped-escape-in-key", {TACTIC: VALID_TACTIC + '"\\e]52;c;aGk=\\a": x\n'},
         [(TACTIC, 4, 1, "control character U+001B")]),
    Case("raw-control-character", {TACTIC: VALID_TACTIC.encode() + b"description: a\x1bb\n"},
         [(TACTIC, 4, 15, "character U+001B is not allowed in YAML")]),
    Case("markdown-body-escape", {"content/pages/hostile.md":
                                  "---\ntitle: Hostile\n---\nText \x1b[2J here\n"},
         [("content/pages/hostile.md", 4, 6, "control character U+001B")]),
    Case("two-documents", {TACTIC: VALID_TACTIC + "---\nname: Second\n"},
         [(TACTIC, 4, 1, "expected a single document")]),
    Case("complex-key", {TACTIC: VALID_TACTIC + "? [a, b]\n: 1\n"},
         [(TACTIC, 4, 3, "field names must be plain text (got a list)")]),
    Case("huge-integer", {TACTIC: VALID_TACTIC + "x: " + "9" * 5000 + "\n"},
         [(TACTIC, 4, 4, "is too large")]),
    Case("tagged-timestamp-that-is-not", {TACTIC: VALID_TACTIC + "x: !!timestamp soon\n"},
         [(TACTIC, 4, 4, "'soon' is not a valid timestamp")]),
    Case("tagged-int-without-value", {TACTIC: VALID_TACTIC + "x: !!int\n"},
         [(TACTIC, 4, 4, "'' is not a valid int")]),
    Case("tagged-float-without-value", {TACTIC: VALID_TACTIC + "x: !!float ''\n"},
         [(TACTIC, 4, 4, "'' is not a valid float")]),
    *[Case(f"non-finite-figure-{name}", {FIGURES: (BASE / FIGURES).read_text().replace(
        "value: 3", f"value: {value}")}, [(FIGURES, 7, 12, "expected a finite number")])
      for name, value in (("inf", ".inf"), ("minus-inf", "-.inf"), ("nan", ".nan"))],
    Case("front-matter-python-tag", {"content/pages/hostile.md":
                                     "---\ntitle: !!python/object/apply:os.system [id]\n---\n"},
         [("content/pages/hostile.md", 2, 8, "is not allowed")]),
    Case("front-matter-missing", {"content/pages/hostile.md": "<script>alert(1)</script>\n"},
         [("content/pages/hostile.md", 1, 1, "needs YAML front matter")]),
]

BOM_CASE = Case("bom", {TACTIC: "\ufeff" + VALID_TACTIC},
                [(TACTIC, 1, 1, "byte-order mark (BOM)")], severity="warning")

# -- ids and file names -----------------------------------------------------------------------

NOT_AN_ID = "is not a valid id"
ID_CASES = [
    Case("upper-case-file", {"content/actors/Evil.yaml": "name: E\nkind: person\n"},
         [("content/actors/Evil.yaml", 1, 1, "file name 'Evil' is not a valid id")]),
    Case("underscore-file", {"content/actors/evil_one.yaml": "name: E\nkind: person\n"},
         [("content/actors/evil_one.yaml", 1, 1, "rename it, e.g. 'evil-one'")]),
    Case("dotted-file", {"content/actors/evil..yaml": "name: E\nkind: person\n"},
         [("content/actors/evil..yaml", 1, 1, "file name 'evil.' is not a valid id")]),
    Case("unicode-file", {"content/actors/évil.yaml": "name: E\nkind: person\n"},
         [("content/actors/évil.yaml", 1, 1, NOT_AN_ID)]),
    Case("long-file", {f"content/actors/{'a' * 81}.yaml": "name: E\nkind: person\n"},
         [(f"content/actors/{'a' * 81}.yaml", 1, 1, "at most 80 characters")]),
    Case("html-file", {"content/claims/evil.html": "<script>alert(1)</script>"},
         [("content/claims/evil.html", 1, 1, "unexpected file in content/claims/")]),
    Case("js-at-top", {"content/evil.js": "alert(1)"},
         [("content/evil.js", 1, 1, "unexpected file")]),
    Case("unknown-folder", {"content/assets/x.yaml": "a: 1\n"},
         [("content/assets", 1, 1, "unknown folder 'assets'")]),
    Case("sub-folder", {"content/actors/nested/x.yaml": "name: E\nkind: person\n"},
         [("content/actors/nested", 1, 1, "sub-folders are not allowed")]),
    Case("traversal-reference", {"content/statements/hostile.yaml":
                                 "speaker: ../../etc/passwd\ndate: 2022\nform: paraphrase\n"
                                 "text: Said.\ncitations:\n  - source: commission-website\n"},
         [("content/statements/hostile.yaml", 1, 10, "'../../etc/passwd' is not a valid id")]),
    Case("traversal-alias", {"content/actors/hostile.yaml":
                             "name: E\nkind: person\naliases: ['../../index']\n"},
         [("content/actors/hostile.yaml", 3, 11, NOT_AN_ID)]),
    Case("traversal-markdown-reference", {"content/actors/hostile.yaml":
                                          "name: E\nkind: person\n"
                                          "description: See [[actors/../../index]].\n"},
         [("content/actors/hostile.yaml", 3, 18, "unknown actor '../../index'")]),
    Case("traversal-rating", {"content/claims/hostile.yaml":
                              claim_analysis("Fine.")[1].replace("rating: unproven",
                                                                 "rating: ../../x")},
         [("content/claims/hostile.yaml", 6, 9, "is not a rating")]),
    Case("rating-id-not-slug", {"content/site.yaml": SITE.replace(
        "id: misleading", "id: 'x\" onmouseover=alert(1)'")},
         [("content/site.yaml", 16, 9, NOT_AN_ID)],
         also={"content/claims/borduria-denies-involvement.yaml"}),
    Case("id-key-inside", {"content/actors/hostile.yaml":
                           "id: ../../index\nname: E\nkind: person\n"},
         [("content/actors/hostile.yaml", 1, 1, "remove 'id'")]),
]

# -- seeds ---------------------------------------------------------------------------------------

SEED_SOURCE = ("title: Hostile source\nkind: report\npublisher: Someone\npublished: 2024\n"
               "seed: {seed}\n")
SEED = "content/sources/hostile.yaml"
INSIDE = "must be a relative path inside seeds/"
SEED_CASES = [
    Case(f"seed-{name}", {SEED: SEED_SOURCE.format(seed=seed)},
         [(SEED, 5, 7, fragment)])
    for name, seed, fragment in [
        ("dotdot", "../content/site.yaml", INSIDE),
        ("dotdot-nested", "a/../../../etc/passwd", INSIDE),
        ("absolute", "/etc/passwd", INSIDE),
        ("backslash", "'..\\..\\etc\\passwd'", INSIDE),
        ("drive", "'C:/Windows/win.ini'", INSIDE),
        ("double-slash", "a//b.txt", INSIDE),
        ("nul", '"example-report.txt\\0.png"', "control character"),
        ("newline", '"a\\nb"', "control character"),
        ("missing", "nothing-here.txt", "does not exist"),
        ("directory", "sub", "does not exist"),
    ]
]


ALL_CASES = markdown_cases() + url_cases() + YAML_CASES + [BOM_CASE] + ID_CASES + SEED_CASES


def overlay(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "seeds" / "sub").mkdir()
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def assert_printable(diagnostics: list[Diagnostic]) -> None:
    """No diagnostic can forge a line in a CI log or send a terminal escape sequence."""
    for diagnostic in diagnostics:
        line = diagnostic.format()
        assert not UNPRINTABLE.search(line), repr(line)
        assert len(line) < 1500


def assert_reported(diagnostics: list[Diagnostic], case: Case) -> None:
    found = [d for d in diagnostics if d.severity == case.severity]
    for path, line, column, fragment in case.expected:
        matches = [d for d in found if d.path == path and d.line == line
                   and (column is None or d.column == column) and fragment in d.message]
        assert matches, (f"expected {path}:{line}:{column}: …{fragment}… in:\n"
                         + "\n".join(d.format() for d in diagnostics))
    allowed = {path for path, *_ in case.expected} | case.also
    stray = [d for d in diagnostics if d.severity == "error" and d.path not in allowed]
    assert not stray, "unexpected errors:\n" + "\n".join(d.format() for d in stray)


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_hostile_content_is_reported(case: Case, tmp_path: Path) -> None:
    root = overlay(tmp_path, case.files)
    started = time.perf_counter()
    result = build_graph(root)
    assert time.perf_counter() - started < 10, "checking must not hang"
    assert_reported(result.diagnostics, case)
    assert_printable(result.diagnostics)
    assert not (root / "PWNED").exists() and not Path("PWNED").exists()
    if case.severity == "error":
        assert not result.ok()
    else:
        assert result.ok() and not result.ok(strict=True)


def test_corpus_is_large_and_covers_every_field() -> None:
    assert len(MARKDOWN_ATTACKS) + len(URL_ATTACKS) + len(YAML_CASES) + len(ID_CASES) \
        + len(SEED_CASES) >= 100
    assert {b.__name__ for b in MARKDOWN_FIELDS} == {
        "actor_description", "election_description", "tactic_description",
        "statement_context", "claim_analysis", "update_note", "explainer_body", "page_body"}
    assert len(URL_FIELDS) == 5


# -- symbolic links and names the YAML cannot carry ---------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return overlay(tmp_path, {})


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that content must never be able to read."""
    path = tmp_path / "secret" / "passwd.txt"
    path.parent.mkdir()
    path.write_text("root:hunter2:0:0:the root password is hunter2\n", encoding="utf-8")
    return path


def leak_attempt(project: Path, seed: str) -> None:
    (project / "content" / "sources" / "hostile.yaml").write_text(
        SEED_SOURCE.format(seed=seed), encoding="utf-8")
    (project / "content" / "statements" / "hostile.yaml").write_text(
        "speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Said.\ncitations:\n"
        "  - source: hostile\n    quote: the root password is hunter2\n", encoding="utf-8")


def assert_no_leak(result_diagnostics: list[Diagnostic]) -> None:
    assert not any("hunter2" in d.message for d in result_diagnostics)


def test_symlinked_seed_file_is_refused(project: Path, secret: Path) -> None:
    (project / "seeds" / "passwd.txt").symlink_to(secret)
    leak_attempt(project, "passwd.txt")
    result = build_graph(project)
    assert_reported(result.diagnostics, Case("", {}, [(SEED, 5, 7, "leads outside seeds/")],
                                             also={"content/statements/hostile.yaml"}))
    assert_no_leak(result.diagnostics)


def test_seed_in_symlinked_folder_is_refused(project: Path, secret: Path) -> None:
    (project / "seeds" / "outside").symlink_to(secret.parent, target_is_directory=True)
    leak_attempt(project, "outside/passwd.txt")
    result = build_graph(project)
    assert_reported(result.diagnostics, Case("", {}, [(SEED, 5, 7, "leads outside seeds/")],
                                             also={"content/statements/hostile.yaml"}))
    assert_no_leak(result.diagnostics)


def test_symlinked_seeds_folder_is_refused(project: Path, secret: Path) -> None:
    """A pull request can replace seeds/ by a link to any folder of the build machine;
    quote checking would then read its files and quote them back in messages."""
    shutil.rmtree(project / "seeds")
    (project / "seeds").symlink_to(secret.parent, target_is_directory=True)
    leak_attempt(project, "passwd.txt")
    result = build_graph(project)
    errors = [d for d in result.errors if d.path == SEED]
    assert errors and "seeds/ is a symbolic link" in errors[0].message
    assert_no_leak(result.diagnostics)


def test_symlinked_content_file_is_refused(project: Path, secret: Path) -> None:
    (project / "content" / "actors" / "hostile.yaml").symlink_to(secret)
    result = build_graph(project)
    assert_reported(result.diagnostics, Case("", {}, [
        ("content/actors/hostile.yaml", 1, 1, "symbolic links are not allowed in content/")]))
    assert_no_leak(result.diagnostics)


def test_symlinked_site_yaml_is_refused(project: Path, secret: Path) -> None:
    site = project / "content" / "site.yaml"
    site.unlink()
    site.symlink_to(secret)
    result = build_graph(project)
    assert any(d.path == "content/site.yaml" and "symbolic links" in d.message
               for d in result.errors)
    assert_no_leak(result.diagnostics)


def test_symlinked_kind_folder_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "planted.yaml").write_text("name: Planted\nkind: person\n", encoding="utf-8")
    shutil.rmtree(project / "content" / "tactics")
    (project / "content" / "tactics").symlink_to(elsewhere, target_is_directory=True)
    result = build_graph(project)
    assert any(d.path == "content/tactics" and "symbolic links" in d.message
               for d in result.errors)
    assert "planted" not in result.graph.records["tactics"]


def test_symlinked_content_folder_is_refused(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-content"
    shutil.move(project / "content", real)
    (project / "content").symlink_to(real, target_is_directory=True)
    result = build_graph(project)
    assert [d.message for d in result.errors if d.path == "content"] == [
        "content/ is a symbolic link; it must be a real folder in the repository"]
    assert sum(result.graph.count().values()) == 0


def test_symlink_loop_does_not_hang(project: Path) -> None:
    (project / "content" / "actors" / "loop").symlink_to(project / "content",
                                                        target_is_directory=True)
    (project / "seeds" / "loop").symlink_to(project / "seeds", target_is_directory=True)
    started = time.perf_counter()
    result = build_graph(project)
    assert time.perf_counter() - started < 10
    assert any("symbolic links" in d.message for d in result.errors)


@pytest.mark.parametrize("name", ["evil\x1b[2K.yaml", "evil\n::error::forged.yaml",
                                  "evil\u202eyaml.md", b"evil\xff.yaml"],
                         ids=["terminal-escape", "newline-workflow-command", "bidi", "not-utf8"])
def test_hostile_file_names_are_reported_printably(project: Path, name: str | bytes,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = os.fsencode(project / "content" / "actors")
    raw = name if isinstance(name, bytes) else name.encode()
    with open(os.path.join(folder, raw), "w", encoding="utf-8") as handle:
        handle.write("name: E\nkind: person\n")
    result = build_graph(project)
    assert [d for d in result.errors if "is not a valid id" in d.message
            or "unexpected file" in d.message]
    assert_printable(result.diagnostics)
    assert main(["--root", str(project), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and not any(UNPRINTABLE.search(line) for line in lines)


def test_oversized_seed_is_refused(project: Path) -> None:
    (project / "seeds" / "big.txt").write_text("x" * (MAX_FILE_BYTES + 1), encoding="utf-8")
    (project / SEED).write_text(SEED_SOURCE.format(seed="big.txt"), encoding="utf-8")
    result = build_graph(project)
    assert any(d.path == "seeds/big.txt" and "the limit is" in d.message for d in result.errors)


def test_binary_seed_is_refused(project: Path) -> None:
    (project / "seeds" / "bin.txt").write_bytes(b"text\x00\xff\xfe")
    (project / SEED).write_text(SEED_SOURCE.format(seed="bin.txt"), encoding="utf-8")
    result = build_graph(project)
    assert any(d.path == "seeds/bin.txt" and "UTF-8" in d.message for d in result.errors)


# -- messages that quote content cannot forge CI output ------------------------------------------


def test_values_quoted_in_messages_cannot_forge_lines(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A newline in a quoted value would start a line of its own in ``factsite check``'s
    output; on GitHub Actions a line starting with ``::`` is a workflow command."""
    (project / SEED).write_text(
        "title: T\nkind: report\npublisher: P\npublished: 2024\n"
        'url: "https://example.org/\\n::add-mask::x\\n::error file=README.md::forged"\n',
        encoding="utf-8")
    (project / "content" / "actors" / "hostile.yaml").write_text(
        "name: E\nkind: person\ncountry: \"X\\u202eY\\n::warning::forged\"\n", encoding="utf-8")
    (project / "content" / "pages" / "hostile.md").write_text(
        "---\ntitle: T\n---\n<!--\n::error::forged\n-->\n", encoding="utf-8")
    result = build_graph(project)
    assert len(result.errors) == 3
    assert_printable(result.diagnostics)
    for output_format in ("text", "github"):
        assert main(["--root", str(project), "check", "--format", output_format]) == 1
        out = capsys.readouterr().out
        assert not [line for line in out.splitlines() if line.startswith("::")
                    and output_format == "text"]
        assert "forged" in out  # the value is still shown, escaped
        assert len(out.splitlines()) == 4


def test_long_values_quoted_in_messages_are_cut(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A 50,000-character value quoted in a message is cut (``MAX_MESSAGE_CHARS``), so one
    file cannot flood the CI log; the path, line and field stay whole."""
    from generator.load import MAX_MESSAGE_CHARS

    (project / "content" / "actors" / "hostile.yaml").write_text(
        f"name: E\nkind: {'x' * 50_000}\n", encoding="utf-8")
    found = [d for d in build_graph(project).errors if d.path == "content/actors/hostile.yaml"]
    assert len(found) == 1 and found[0].location == "kind"
    assert len(found[0].message) == MAX_MESSAGE_CHARS and found[0].message.endswith("…")
    assert main(["--root", str(project), "check"]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("content/actors/hostile.yaml:2:7: kind: ") and len(line) < 700


# -- accepted but inert --------------------------------------------------------------------------

INERT = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "`<script>alert(1)</script>` in a code span",
    "Intro.\n\n    <script>alert(1)</script> in an indented code block",
    "[x](java&#x09;script:alert(1)) (the tab is percent-encoded: a relative link)",
    "[x](java&#10;script:alert(1)) (the newline is percent-encoded: a relative link)",
    "```\n<iframe src=javascript:alert(1)>\n```",
    "x <svg/onload=alert(1)> (not a tag in CommonMark)",
    "[x](java\tscript:alert(1)) (not a link: a tab in the destination)",
    "[x](%6Aavascript:alert(1)) (a relative link, percent-encoded)",
    "\\[x\\](javascript:alert(1)) (escaped brackets)",
    "[x](#\"onmouseover=\"alert(1))",
    "*<b>*",
    "{: onclick=\"alert(1)\" }",
    "{{ config.extra }} {% include 'x' %}",
]


@pytest.mark.parametrize("payload", INERT)
def test_inert_markdown(payload: str, tmp_path: Path) -> None:
    """Accepted or not, the renderer's output carries no markup outside the allow-list."""
    html = markdown.to_html(payload, lambda reference: None)
    assert_safe_fragment(html)
    if not list(markdown.problems(payload)):
        path, text, _ = actor_description(payload)
        result = build_graph(overlay(tmp_path, {path: text}))
        assert result.ok(), [d.format() for d in result.errors]


def assert_safe_fragment(html: str) -> None:
    soup = BeautifulSoup(html, "lxml")
    for element in soup.find_all(True):
        if element.name in ("html", "body"):
            continue
        assert element.name in markdown.ALLOWED_TAGS, element
        allowed = markdown.ALLOWED_ATTRIBUTES.get(element.name, set()) | {"rel"}
        for attribute, value in element.attrs.items():
            assert attribute in allowed, element
            if attribute in ("href", "src"):
                assert markdown.is_safe_url(value) or value.startswith("#"), element


@settings(max_examples=150, deadline=2000)
@given(st.text(st.sampled_from(list("<>&\"'`=/:;()[]!*_{}#\\|\n\t -~.ajvsciptrxmo%0123456789"))
               | st.characters(codec="utf-8"), max_size=120))
def test_markdown_renderer_output_is_always_on_the_allow_list(text: str) -> None:
    assert_safe_fragment(markdown.to_html(text, lambda reference: ("../x/", "X")))


@settings(max_examples=150, deadline=2000)
@given(st.text(st.characters(codec="utf-8"), max_size=60),
       st.text(st.sampled_from(list(":/%&#;\t\n jJaAvVsScCrRiIpPtT")), max_size=20))
def test_checker_accepts_no_dangerous_link(label: str, destination: str) -> None:
    """Whatever the destination, a link the checker accepts renders with a safe URL."""
    text = f"[{label}]({destination}:alert(1)) <{destination}:x> ![i]({destination}:y)"
    if list(markdown.problems(text)):
        return
    assert_safe_fragment(markdown.to_html(text, lambda reference: None))


# -- lossless: checking never writes -------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[bytes | str, int, int]]:
    """Every file and folder under ``root``: content (or link target), mode and mtime."""
    found: dict[str, tuple[bytes | str, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                body: bytes | str = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                body = path.read_bytes()
            else:
                body = ""
            found[path.relative_to(root).as_posix()] = (body, info.st_mode, info.st_mtime_ns)
    return found


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.id in {
    "python-object-apply", "billion-laughs", "oversized", "bad-utf8", "seed-dotdot",
    "actor_description-script-tag", "site_publisher_url-javascript"}] + [
    Case("clean", {}, [])], ids=lambda c: c.id)
def test_check_never_writes(case: Case, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    root = overlay(tmp_path, case.files)
    os.chmod(root / "content" / "actors" / "borduria.yaml", 0o444)
    before = snapshot(root)
    build_graph(root)
    for output_format in ("text", "github", "json"):
        main(["--root", str(root), "check", "--strict", "--format", output_format])
    capsys.readouterr()
    assert snapshot(root) == before


def test_check_works_on_a_read_only_tree(project: Path) -> None:
    """No write is even attempted: a read-only checkout checks the same."""
    modes = {}
    for folder, dirs, files in os.walk(project):
        for name in files + dirs:
            path = Path(folder) / name
            modes[path] = path.stat().st_mode
    try:
        for path in sorted(modes, key=lambda p: len(p.parts), reverse=True):
            os.chmod(path, modes[path] & ~0o222)
        os.chmod(project, 0o555)
        result = build_graph(project)
        assert result.diagnostics == []
    finally:
        os.chmod(project, 0o755)
        for path, mode in modes.items():
            os.chmod(path, mode)


def test_markdown_problem_in_a_block_scalar_points_at_its_text(tmp_path: Path) -> None:
    path, text, line = update_note("Fine text <script>alert(1)</script>")
    result = build_graph(overlay(tmp_path, {path: text}))
    assert {d.format() for d in result.errors} == {  # the opening and the closing tag
        f"{path}:{line}:7: updates.0.note: raw HTML (<script>) is not allowed in Markdown; "
        "use Markdown formatting (or write &lt; for a literal '<')"}
