"""A page's HTML as the pieces it is rendered in when its layout renders articles apart.

A layout with ``render_by_article = true`` has each page rendered as separate WeasyPrint
documents of the page's full size: one per article, the first also drawing the page's head
(masthead or running head, the rules between articles, the crop marks), and the page's foot (the
advertising modules with their labels, the imprint) when it has one; a page without articles is
one piece. Every element is positioned absolutely on the page, so each piece draws exactly what
the whole page would draw there; :mod:`typeset.pdf.assemble` joins the pieces in this order (the
order a reader of the PDF's text meets them). Each piece is cached apart, so a rebuild after an
edit renders only the articles that changed (and the head with the first).

A piece's HTML is the page's with every other ``<article>`` removed; the furniture a piece does
not draw is hidden by its CSS (``display: none``: WeasyPrint lays none of it out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ARTICLE = re.compile(r'<article\b[^>]*\bid="(?P<id>[^"]+)"[^>]*>.*?</article>', re.DOTALL)
"""An article of the page as the layout's template writes it (an article holds no other: its
text is escaped, raw HTML in an article is refused)."""
FOOT = ("footer", ".ad", ".ad-label")
"""The page's foot: the imprint and the advertising modules with their labels."""
HEAD = ":not(article)" + "".join(f":not({selector})" for selector in FOOT)
"""The page's head: whatever else is not an article (the masthead or running head, rules)."""
NO_MARKS = "@page { marks: none; }"
WHOLE = "page"
"""The name of the one piece of a page without articles."""
FOOT_PART = "foot"


@dataclass(frozen=True)
class Part:
    """One piece of a page."""

    name: str
    """The id of the article's element (the plan's ``PlacedArticle.id``), ``foot`` or
    ``page``."""
    html: str
    css: str
    """CSS to add after the page's own (and the printer's marks)."""

    @property
    def article(self) -> str | None:
        """The id of the article this piece draws (None for the foot, or a page without
        articles)."""
        return None if self.name in (WHOLE, FOOT_PART) else self.name

    @property
    def foot(self) -> bool:
        """Whether it draws the page's foot (the raster ads among it)."""
        return self.name in (WHOLE, FOOT_PART)


def _hidden(selectors: list[str]) -> str:
    shown = ", ".join(f".page > {selector}" for selector in selectors)
    return f" {shown} {{ display: none !important; }}" if selectors else ""


def split_page(html: str, has_foot: bool) -> list[Part]:
    """The pieces of one page's HTML: one per article in order (the first with the head), then
    the foot when ``has_foot`` (the page has advertising modules or the imprint); the page
    whole when it has no article."""
    ids = [match.group("id") for match in ARTICLE.finditer(html)]
    if not ids:
        return [Part(WHOLE, html, "")]
    parts = []
    for index, ident in enumerate(ids):
        def only(match: re.Match[str], ident: str = ident) -> str:
            return match.group(0) if match.group("id") == ident else ""

        hidden = ([] if index == 0 else [HEAD]) + list(FOOT)
        css = ("" if index == 0 else NO_MARKS) + _hidden(hidden)
        parts.append(Part(ident, ARTICLE.sub(only, html), css.strip()))
    if has_foot:
        parts.append(Part(FOOT_PART, ARTICLE.sub("", html), NO_MARKS + _hidden([HEAD])))
    return parts
