"""Editor prose converted in one batch, after every page is laid out.

A page holds a placeholder where its prose goes; :meth:`ProseBatch.run` converts all the
prose in one loop and :meth:`ProseBatch.fill` puts it in. cmark-gfm and nh3 run about twice
as fast in a tight loop as when called between the page builders (measured at 5,000
records: 0.15 s interleaved, 0.09 s batched).
"""

from __future__ import annotations

import re
import secrets

from .. import markdown
from .formatting import shift_headings

PROSE_MARK = f"\x00fs-prose-{secrets.token_hex(8)}-"
"""Starts each placeholder (content can't contain it: NUL is refused, the token is random)."""
_PLACEHOLDER = re.compile(re.escape(PROSE_MARK) + r"(\d+)\x00")


class ProseBatch:
    """Markdown waiting to be converted, each standing in its page as a placeholder."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, int]] = []
        """``(Markdown with links resolved, top heading level)``, in placeholder order."""
        self.html: list[str] = []

    def add(self, text: str, top: int) -> str:
        """Queue ``text``; return the placeholder that stands for its HTML."""
        self.jobs.append((text, top))
        return f"{PROSE_MARK}{len(self.jobs) - 1}\x00"

    def run(self) -> None:
        """Convert what was queued since the last run."""
        self.html += [shift_headings(markdown.render(text), top)
                      for text, top in self.jobs[len(self.html):]]

    def fill(self, page: str) -> str:
        """``page`` with every placeholder replaced by its HTML (converted by :meth:`run`)."""
        if PROSE_MARK not in page:
            return page
        return _PLACEHOLDER.sub(lambda match: self.html[int(match.group(1))], page)
