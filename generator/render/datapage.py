"""The /data/ page's facts (its template is ``data.html.j2``): what each open-data file
holds, the licence, and how to cite."""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from ..graph import Graph
from ..load import ALL_KINDS
from ..models import Record
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



def data_values(graph: Graph, site_url: str) -> dict[str, Any]:
    """What the /data/ page's template shows: each file, the licence, and how to cite."""
    site = graph.site
    counts = graph.count()
    files = [(name, Markup(note)) for name, note in FILE_NOTES.items()]
    files += [(f"{kind}.csv", f"All {kind} ({counts[kind]}), one row per record, sorted by id.")
              for kind in ALL_KINDS]
    return {"title": DATA_TITLE, "description": DATA_DESCRIPTION, "files": files,
            "name": site.name if site else "this site",
            "publisher": site.publisher.name if site else "the publisher",
            "newest": newest_date(graph), "data_url": absolute(site_url, f"{DATA_DIR}/")}
