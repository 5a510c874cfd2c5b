"""The /data/ page: what each open-data file holds, the licence, and how to cite."""

from __future__ import annotations

import datetime as dt
import html

from ..graph import Graph
from ..load import ALL_KINDS
from ..models import Record
from .frontmatter import HEADING_MARK
from .urls import absolute

DATA_DIR = "data"
DATA_TITLE = "Open data"
DATA_DESCRIPTION = ("The site's records as JSON, CSV, ClaimReview and Atom, with the licence "
                    "and how to cite.")


def record_dates(record: Record) -> list[dt.date]:
    published = getattr(record, "published", None)
    found = [published] if isinstance(published, dt.date) else []
    return found + [update.date for update in record.updates]


def newest_date(graph: Graph) -> dt.date | None:
    """The latest publication or update date in the content (the export's "as of")."""
    dates = [d for record in graph.all() for d in record_dates(record)]
    return max(dates, default=None)


DATA_PAGE = "data/index.md"
FILE_NOTES = {
    "factsite.json": "The whole validated graph: every record of every kind with its fields "
                     "as written (<code>data</code>), its page URL, display title, source file, "
                     "the records it refers to (<code>links</code>) and those that refer to it "
                     "(<code>backlinks</code>); the site settings and rating scale; every "
                     "alias. <code>version</code> is the layout version (major part changes "
                     "only on incompatible changes); <code>updated</code> is the newest "
                     "publication or update date in the content.",
    "schema/factsite.schema.json": "JSON Schema (draft 2020-12) of factsite.json; each "
                                   "record's <code>data</code> follows "
                                   "<code>schema/&lt;kind&gt;.schema.json</code>.",
    "claimreview.json": "Every fact-check as a schema.org ClaimReview, in one schema.org "
                        "DataFeed, newest first: the markup fact-check aggregators ingest, "
                        "identical to the JSON-LD in each fact-check page's head.",
}



def data_page_body(graph: Graph, site_url: str) -> str:
    """The body of the /data/ page: each file, the licence, and how to cite."""
    site = graph.site
    counts = graph.count()
    rows = list(FILE_NOTES.items())
    rows += [(f"{kind}.csv", f"All {kind} ({counts[kind]}), one row per record, sorted by id.")
             for kind in ALL_KINDS]
    table = "\n".join(
        f'<tr><td><a href="{html.escape(name)}"><code>{html.escape(name)}</code></a></td>'
        f"<td>{note}</td></tr>" for name, note in rows)
    newest = newest_date(graph)
    name = html.escape(site.name if site else "this site")
    publisher = html.escape(site.publisher.name if site else "the publisher")
    year = newest.year if newest else ""
    data_url = html.escape(absolute(site_url, f"{DATA_DIR}/"))
    licence = (f'<a href="{html.escape(site.license.url)}">{html.escape(site.license.name)}</a>'
               if site and site.license else None)
    return "\n".join([
        f"{HEADING_MARK}# Open data\n",
        "<div class=\"fs-prose\">",
        f"<p>Everything published on {name} is also available as data, generated at each "
        "build from the same validated records as the pages. Nothing here is edited by "
        "hand.</p>",
        (f"<p><strong>Licence:</strong> the data and the pages are published under "
         f"{licence}. Credit {publisher} and link to the record or to this page.</p>"
         if licence else
         "<p><strong>Licence:</strong> none is declared yet; ask the publisher before "
         "reusing the data.</p>"),
        "</div>\n",
        f"{HEADING_MARK}## Files\n",
        "<table>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">What it holds</th>"
        "</tr></thead>\n<tbody>",
        table,
        '<tr><td><a href="../feed.xml"><code>/feed.xml</code></a></td><td>Atom feed of '
        "fact-checks and explainers, newest change first; an entry's <code>updated</code> "
        "date and text include its corrections and updates.</td></tr>",
        '<tr><td><a href="../sitemap.xml"><code>/sitemap.xml</code></a></td><td>Every '
        "page of the site.</td></tr>",
        "</tbody>\n</table>\n",
        f"{HEADING_MARK}## CSV conventions\n",
        "<div class=\"fs-prose\">",
        "<ul>",
        "<li>UTF-8 without byte-order mark, comma-separated, a header row, CRLF line ends "
        "(RFC 4180); one row per record, sorted by id.</li>",
        "<li>Columns: <code>id</code>, <code>page_url</code> (the record's page here), "
        "<code>display_title</code>, then the record's fields as in the content model; "
        "<code>about</code> becomes <code>about.elections</code>, <code>about.tactics</code>, "
        "<code>about.actors</code>, <code>about.countries</code>; explainers and pages "
        "end with their Markdown <code>body</code>.</li>",
        "<li>Lists of plain values (ids, tags, authors, country codes) are joined with "
        "<code>; </code> (semicolon and space). Lists of objects (citations, appearances, "
        "evidence, updates, figures) are JSON arrays. An empty cell means no value.</li>",
        "<li>Dates are ISO 8601; partial dates keep their precision "
        "(<code>2022</code>, <code>2022-11</code>).</li>",
        "<li>Text that starts with <code>=</code>, <code>+</code>, <code>-</code>, "
        "<code>@</code>, a tab or a carriage return is written with a leading apostrophe, "
        "so that spreadsheets show it as text instead of running it as a formula; "
        "<code>factsite.json</code> has every value exactly as written.</li>",
        "</ul>",
        "</div>\n",
        f"{HEADING_MARK}## Stable addresses\n",
        "<div class=\"fs-prose\">",
        "<p>A record's address never changes once published. When a record is renamed, its "
        "old address redirects to the new one; a published record is never removed "
        "silently: it is either kept, merged into another record (which takes its address), "
        "or retired with a stated reason.</p>",
        "</div>\n",
        f"{HEADING_MARK}## How to cite\n",
        "<div class=\"fs-prose\">",
        f"<p>A record: {publisher}, “<em>title of the record</em>”, {name}, date published "
        "(and last updated), its address, accessed <em>date</em>.</p>",
        f"<p>The data set: {publisher} ({year}). <em>{name} open data</em>, as of "
        f"{newest.isoformat() if newest else 'the build date'}. "
        f'<a href="{data_url}">{data_url}</a>.</p>',
        "</div>\n",
    ])
