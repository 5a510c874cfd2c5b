"""Open data, feeds and redirects: the site's files besides its pages (no file I/O).

Everything here is a pure function of the validated graph and the site's address, and
every file is byte-identical across two builds of the same content: rows and records are
sorted, and the only dates written are dates from the content.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from pydantic import BaseModel

from . import markdown
from .graph import SINGULAR, Graph
from .jsonld import Context, absolute, claim_review, file_urls, organization, record_path
from .load import ALL_KINDS
from .models import MODELS, Claim, Explainer, MarkdownRecord, Record
from .render.datapage import DATA_DIR, newest_date, record_dates
from .render.views import framed_title
from .schema import SCHEMA_DIALECT, render, schema_texts
from .site import Asset

EXPORT_VERSION = "1.0"
"""Version of the ``factsite.json`` layout: bump the major part on incompatible changes."""
FEED_PATH = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
LIST_SEPARATOR = "; "
REDIRECT_MARK = "<!-- factsite: alias redirect -->"
PathFor = Callable[[str, str], str]


def generator_version() -> str:
    try:
        return metadata.version("factsite")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def dumps(data: Any) -> str:
    """Deterministic JSON text (UTF-8, keys in their built order), compact: the standard
    library's C encoder only runs without ``indent`` (≈ 8x faster; pipe through ``jq`` to
    read it)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


# -- factsite.json ---------------------------------------------------------------------------


def export_record(graph: Graph, record: Record, site_url: str, path: PathFor) -> dict[str, Any]:
    """One record: its fields as written (``data``), where it lives, and its links both ways."""
    key = (record.collection, record.id)
    entry: dict[str, Any] = {
        "id": record.id,
        "url": absolute(site_url, path(*key)),
        "title": graph.title(record),
        "file": record.file,
        "data": record.model_dump(mode="json"),
    }
    if isinstance(record, MarkdownRecord):
        entry["body"] = record.body
    outlinks = graph.outlinks.get(key, {})
    entry["links"] = {kind: graph.refers_to(record, kind) for kind in ALL_KINDS
                      if outlinks.get(kind)}
    entry["backlinks"] = [{"kind": link.kind, "id": link.id, "field": link.field}
                          for link in graph.backlinks.get(key, ())]
    return entry


def export_payload(graph: Graph, site_url: str, path: PathFor = record_path) -> dict[str, Any]:
    """The whole validated graph: every kind, resolved references, backlinks, aliases."""
    newest = newest_date(graph)
    site = graph.site
    return {
        "version": EXPORT_VERSION,
        "generator": f"factsite {generator_version()}",
        "site_url": absolute(site_url, ""),
        "updated": newest.isoformat() if newest else None,
        "license": site.license.model_dump(mode="json") if site and site.license else None,
        "site": site.model_dump(mode="json") if site else None,
        "counts": graph.count(),
        "records": {
            kind: [export_record(graph, graph.records[kind][key], site_url, path)
                   for key in sorted(graph.records[kind])]
            for kind in ALL_KINDS
        },
        "aliases": [
            {"kind": kind, "alias": old, "id": new, "url": absolute(site_url, path(kind, old)),
             "target": absolute(site_url, path(kind, new))}
            for (kind, old), new in sorted(graph.aliases.items())
        ],
    }


def records_from_export(payload: dict[str, Any]) -> dict[str, dict[str, Record]]:
    """Rebuild the record models from a ``factsite.json`` payload (the round trip)."""
    found: dict[str, dict[str, Record]] = {}
    for kind, entries in payload["records"].items():
        found[kind] = {}
        for entry in entries:
            record = MODELS[kind].model_validate(entry["data"])
            record._id = entry["id"]
            record._file = entry["file"]
            if isinstance(record, MarkdownRecord):
                record._body = entry.get("body", "")
            found[kind][entry["id"]] = record
    return found


def export_schema() -> dict[str, Any]:
    """JSON Schema of ``factsite.json``; each record's ``data`` refers to its kind's schema."""
    text = {"type": "string"}
    link = {"type": "object", "additionalProperties": False, "required": ["kind", "id", "field"],
            "properties": {"kind": {"enum": list(ALL_KINDS)}, "id": text, "field": text}}
    defs = {f"{kind}-record": _record_schema(kind, link) for kind in ALL_KINDS}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "factsite.schema.json",
        "title": "factsite open-data export",
        "description": "Schema of data/factsite.json (generated by factsite).",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "generator", "site_url", "updated", "license", "site",
                     "counts", "records", "aliases"],
        "properties": {
            "version": {"const": EXPORT_VERSION},
            "generator": text,
            "site_url": {"type": "string", "format": "uri"},
            "updated": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            "license": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "site": {"anyOf": [{"$ref": "site.schema.json"}, {"type": "null"}]},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "records": {
                "type": "object", "additionalProperties": False, "required": list(ALL_KINDS),
                "properties": {kind: {"type": "array", "items": {"$ref": f"#/$defs/{kind}-record"}}
                               for kind in ALL_KINDS},
            },
            "aliases": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["kind", "alias", "id", "url", "target"],
                "properties": {"kind": {"enum": list(ALL_KINDS)}, "alias": text, "id": text,
                               "url": text, "target": text}}},
        },
        "$defs": defs,
    }


def _record_schema(kind: str, link: dict[str, Any]) -> dict[str, Any]:
    text = {"type": "string"}
    properties: dict[str, Any] = {
        "id": text, "url": text, "title": text, "file": text,
        "data": {"$ref": f"{kind}.schema.json"},
        "links": {"type": "object", "additionalProperties": {"type": "array", "items": text}},
        "backlinks": {"type": "array", "items": link},
    }
    required = ["id", "url", "title", "file", "data", "links", "backlinks"]
    if kind in ("explainers", "pages"):
        properties["body"] = text
        required.append("body")
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": properties}


# -- CSV -----------------------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with these runs as a formula when the CSV is opened in a spreadsheet
(OWASP "CSV injection"); such cells are written with a leading apostrophe."""


def csv_cell(value: Any) -> str:
    """A value as CSV text, safe to open in a spreadsheet."""
    text = value if type(value) is str else _csv_text(value)  # most cells are text
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_text(value: Any) -> str:
    """Lists of plain values joined by ``; ``, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) for item in value):
            return LIST_SEPARATOR.join(csv_cell(item) for item in value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def csv_columns(kind: str) -> list[str]:
    """``id, page_url, display_title``, the kind's fields (``about`` flattened), the shared
    ones, then ``body``. (``url`` and ``title`` are fields of some kinds.)"""
    columns = ["id", "page_url", "display_title"]
    fields = MODELS[kind].model_fields
    shared = [name for name in fields if name in Record.model_fields]
    for name in [*(n for n in fields if n not in shared), *shared]:
        info = fields[name]
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns += [f"{name}.{sub}" for sub in annotation.model_fields]
        else:
            columns.append(name)
    if issubclass(MODELS[kind], MarkdownRecord):
        columns.append("body")
    return columns


def csv_row(entry: dict[str, Any], columns: list[str]) -> list[str]:
    values = {"id": entry["id"], "page_url": entry["url"], "display_title": entry["title"],
              "body": entry.get("body")}
    for name, value in entry["data"].items():
        if isinstance(value, dict):
            values.update({f"{name}.{sub}": item for sub, item in value.items()})
        else:
            values[name] = value
    return [csv_cell(values.get(column)) for column in columns]


def kind_csv(payload: dict[str, Any], kind: str) -> str:
    """One kind as CSV (RFC 4180: header row, CRLF line ends), one row per record."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    columns = csv_columns(kind)
    writer.writerow(columns)
    writer.writerows(csv_row(entry, columns) for entry in payload["records"][kind])
    return buffer.getvalue()


# -- ClaimReview feed ----------------------------------------------------------------------


def claimreview_feed(graph: Graph, site_url: str, path: PathFor = record_path
                     ) -> dict[str, Any]:
    """Every ClaimReview in one schema.org ``DataFeed`` (the layout aggregators ingest)."""
    assert graph.site is not None
    ctx = Context(graph, graph.site, site_url, path)
    claims = [c for c in newest_first(graph, ("claims",)) if isinstance(c, Claim)]
    items = []
    for claim in claims:
        item: dict[str, Any] = {"@type": "DataFeedItem", "dateCreated": claim.published.isoformat()}
        if claim.last_updated:
            item["dateModified"] = claim.last_updated.isoformat()
        item["item"] = [claim_review(ctx, claim)]
        items.append(item)
    newest = max((updated(c) for c in claims), default=None)
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{graph.site.name}: fact-checks (ClaimReview)",
        "url": absolute(site_url, f"{DATA_DIR}/claimreview.json"),
        "publisher": organization(ctx.site),
    }
    if newest:
        feed["dateModified"] = newest.isoformat()
    feed["dataFeedElement"] = items
    return feed


# -- Atom feed -----------------------------------------------------------------------------


def updated(record: Record) -> dt.date:
    """When a dated record last changed: its newest update, else its publication date."""
    return max(record_dates(record))


def newest_first(graph: Graph, kinds: tuple[str, ...]) -> list[Record]:
    """Dated records, newest change first; ties broken by kind and id (stable)."""
    records = [graph.records[kind][key] for kind in kinds for key in sorted(graph.records[kind])]
    dated = [r for r in records if record_dates(r)]
    return sorted(dated, key=lambda r: (updated(r), r.published), reverse=True)  # type: ignore[attr-defined]


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


@dataclass(frozen=True)
class FeedContext:
    graph: Graph
    site_url: str
    path: PathFor

    def url(self, kind: str, record_id: str) -> str:
        return absolute(self.site_url, self.path(kind, record_id))

    def to_html(self, text: str) -> str:
        def resolve(reference: markdown.Reference) -> tuple[str, str] | None:
            target = self.graph.get(reference.kind, reference.id)
            if target is None:
                return None
            return self.url(reference.kind, reference.id), self.graph.title(target)

        return markdown.to_html(text, resolve)


def entry_html(fc: FeedContext, record: Record) -> str:
    """The entry body: the verdict or summary, then every update, newest first."""
    parts: list[str] = []
    if isinstance(record, Claim):
        site = fc.graph.site
        rating = site.rating(record.rating) if site else None
        label = rating.label if rating else record.rating
        parts.append(f"<p><strong>{html.escape(label)}.</strong> {html.escape(record.verdict)}</p>")
    elif isinstance(record, Explainer):
        parts.append(f"<p>{html.escape(record.summary)}</p>")
    for update in sorted(record.updates, key=lambda u: u.date, reverse=True):
        heading = f"{update.kind.capitalize()}, {update.date.isoformat()}"
        parts.append(f"<p><em>{html.escape(heading)}:</em></p>{fc.to_html(update.note)}")
    return "\n".join(parts)


def add_entry(feed: ET.Element, fc: FeedContext, record: Record) -> None:
    entry = _sub(feed, "entry")
    url = fc.url(record.collection, record.id)
    site = fc.graph.site
    _sub(entry, "id", url)
    _sub(entry, "title", framed_title(fc.graph, record), type="text")
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", timestamp(record.published))  # type: ignore[attr-defined]
    _sub(entry, "updated", timestamp(updated(record)))
    publisher = site.publisher.name if site else ""
    names = record.authors if isinstance(record, Explainer) else [publisher]
    for name in names:
        _sub(_sub(entry, "author"), "name", name)
    kind = "fact-check" if isinstance(record, Claim) else SINGULAR[record.collection]
    _sub(entry, "category", term=kind, label=kind.capitalize())
    if isinstance(record, Claim) and site and site.rating(record.rating):
        _sub(entry, "category", term=record.rating, label=site.rating(record.rating).label)  # type: ignore[union-attr]
    summary = record.verdict if isinstance(record, Claim) else record.summary  # type: ignore[attr-defined]
    _sub(entry, "summary", summary, type="text")
    _sub(entry, "content", entry_html(fc, record), type="html")


def atom_feed(graph: Graph, site_url: str, path: PathFor = record_path,
              limit: int | None = None) -> bytes:
    """Atom 1.0 feed of fact-checks and explainers, newest change first."""
    assert graph.site is not None
    site = graph.site
    records = newest_first(graph, ("claims", "explainers"))[:limit]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": site.language})
    _sub(feed, "id", absolute(site_url, ""))
    _sub(feed, "title", f"{site.name}: fact-checks and explainers", type="text")
    if site.description:
        _sub(feed, "subtitle", site.description, type="text")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(site_url, FEED_PATH))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute(site_url, ""))
    newest = max((updated(r) for r in records), default=dt.date(1970, 1, 1))
    _sub(feed, "updated", timestamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", site.publisher.name)
    _sub(author, "uri", site.publisher.url)
    if site.license:
        _sub(feed, "rights", f"{site.license.name} ({site.license.url})", type="text")
    _sub(feed, "generator", "factsite", version=generator_version())
    fc = FeedContext(graph, site_url, path)
    for record in records:
        add_entry(feed, fc, record)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# -- redirects -----------------------------------------------------------------------------


def page_file(page_path: str) -> str:
    """The file that serves a page path (``claims/x/`` → ``claims/x/index.html``)."""
    return page_path + "index.html" if page_path.endswith("/") or not page_path else page_path


def relative_url(from_path: str, to_path: str) -> str:
    """A link from page ``from_path`` to page ``to_path``, both site-relative."""
    start = posixpath.dirname(page_file(from_path)) or "."
    target = posixpath.relpath(page_file(to_path), start)
    if to_path.endswith("/"):
        target = posixpath.dirname(target)
        target = "./" if target in ("", ".") else target + "/"
    return target


def redirect_html(title: str, relative: str, canonical: str) -> str:
    """A static page that sends readers and crawlers from an old URL to the new one."""
    href, name, canon = html.escape(relative), html.escape(title), html.escape(canonical)
    return (
        f"<!doctype html>\n{REDIRECT_MARK}\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Moved: {name}</title>\n"
        f"<link rel=\"canonical\" href=\"{canon}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        "</head>\n<body>\n"
        f"<p>This page has moved to <a href=\"{href}\">{name}</a>.</p>\n"
        "</body>\n</html>\n"
    )


def redirects(graph: Graph, site_url: str, path: PathFor = record_path
              ) -> Iterator[tuple[str, str, str, str]]:
    """``(old page path, new page path, title, canonical url)`` for every alias, sorted."""
    for (kind, old), new in sorted(graph.aliases.items()):
        record = graph.get(kind, new)
        if record is not None:
            yield path(kind, old), path(kind, new), graph.title(record), absolute(
                site_url, path(kind, new))


def netlify_redirects(graph: Graph, site_url: str, path: PathFor = record_path) -> str:
    """A ``_redirects`` file (Netlify, Cloudflare Pages): permanent redirects, site-absolute."""
    prefix = urlsplit(absolute(site_url, "")).path
    lines = [f"{prefix}{old} {prefix}{new} 301"
             for old, new, _, _ in redirects(graph, site_url, path)]
    return "".join(line + "\n" for line in lines)


# -- writing -------------------------------------------------------------------------------


def export_files(graph: Graph, site_url: str, path: PathFor = record_path
                 ) -> dict[str, str | bytes]:
    """Every file this module writes, by path relative to the site folder."""
    payload = export_payload(graph, site_url, path)
    files: dict[str, str | bytes] = {f"{DATA_DIR}/factsite.json": dumps(payload)}
    files[f"{DATA_DIR}/schema/factsite.schema.json"] = render(export_schema())
    for name, text in schema_texts().items():
        files[f"{DATA_DIR}/schema/{name}"] = text
    for kind in ALL_KINDS:
        files[f"{DATA_DIR}/{kind}.csv"] = kind_csv(payload, kind)
    if graph.site is not None:
        files[f"{DATA_DIR}/claimreview.json"] = dumps(claimreview_feed(graph, site_url, path))
        files[FEED_PATH] = atom_feed(graph, site_url, path)
    for old, new, title, canonical in redirects(graph, site_url, path):
        files[page_file(old)] = redirect_html(title, relative_url(old, new), canonical)
    files["_redirects"] = netlify_redirects(graph, site_url, path)
    return files


def export_assets(graph: Graph, site_url: str, *, use_directory_urls: bool = True
                  ) -> list[Asset]:
    """The open data, the feeds and the alias redirects as files of the site, by path."""
    path = record_path if use_directory_urls else file_urls
    files = export_files(graph, site_url, path)
    return [Asset(name, content.encode("utf-8") if isinstance(content, str) else content)
            for name, content in sorted(files.items())]
