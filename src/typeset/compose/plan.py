"""The page plan: what composition hands to rendering, every box in points on the trimmed page.

A :class:`PagePlan` holds the page's furniture (masthead or running head), its rules, its imprint,
its :class:`PlacedArticle` s and its advertising modules (:class:`AdBox`); each placed article
has its head, its photos and its body columns, and each column the :class:`Piece` s of text it
holds, line by line. The layout's templates render these objects as they are (``piece``,
``head`` and ``caption`` in ``macros.html.j2``), so the field names are part of the layouts'
contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..source.layouts import Rect


@dataclass(frozen=True)
class Head:
    """An article's head as a template shows it: the full head, or a continuation's."""

    variant: str
    """``full`` where the article starts, ``cont`` on a continuation page."""
    rubric: str | None
    title: str
    subtitle: str | None
    lead: str | None
    jump: str = ""
    """«Начало на с. 1» on a continuation."""


@dataclass(frozen=True)
class CaptionText:
    """A photo's caption and credit (what the caption template reads)."""

    caption: str | None
    credit: str | None


@dataclass
class Piece:
    """A body paragraph (or the part of one that a column holds), or a box of the body flow."""

    kind: str
    """``para``, or a box: ``subhead``, ``quote``, ``fact``, ``byline``."""
    html: Markup = field(default_factory=Markup)
    classes: str = ""
    """A paragraph's CSS classes (``p first``, ``li start``, ``cont``, ``split``…)."""
    hyphen: bool = False
    """The paragraph's part ends in a hyphenated word: the template adds the hyphen."""
    lines: int = 0
    """Grid lines the piece takes (0 while measuring: a box's height is what is measured)."""
    title: Markup = field(default_factory=Markup)
    """A fact box's title."""
    paras: list[Markup] = field(default_factory=list)
    """The paragraphs of a quote or a fact box."""
    pad: float = 0.0
    """Points above a box's content in its grid lines: a subhead sits at the foot of its box,
    a quote or a fact box in its middle (the layout's template may set it as padding)."""
    texts: list[str] = field(default_factory=list)
    """A composed paragraph's lines as WeasyPrint must lay them out (the geometry check compares
    them); empty when WeasyPrint broke the lines."""
    stretch: list[float | None] = field(default_factory=list)
    """A composed paragraph's word-space stretch on each line (a space's width over the font's
    natural space); None for a line that is not justified (a paragraph's last)."""
    hyphenated: list[bool] = field(default_factory=list)
    """A composed paragraph's lines that end in a hyphen hyphenation added (not the word's own):
    the PDF's text reads those words whole."""
    style: str = ""
    """A composed paragraph's own style (its letter spacing), for its ``<p>``."""


@dataclass
class PhotoBox:
    rect: Rect
    img_height: float
    """Height of the image itself, in points (the caption takes the rest of ``rect``)."""
    src: str
    caption: str | None
    credit: str | None
    width_px: int
    height_px: int


@dataclass
class ColumnBox:
    rect: Rect
    pieces: list[Piece]
    lines: int
    """Grid lines the column has room for."""
    used: int
    """Grid lines its pieces take."""


@dataclass
class JumpOut:
    """«Окончание на с. 5» at the foot of an article continued on a later page."""

    rect: Rect
    text: str


@dataclass
class PlacedArticle:
    slug: str
    id: str
    page: int
    span: int
    column: int
    top: int
    height: int
    head: Head
    head_rect: Rect
    photos: list[PhotoBox] = field(default_factory=list)
    columns: list[ColumnBox] = field(default_factory=list)
    jump_out: JumpOut | None = None
    overset: int = 0
    underset: int = 0


@dataclass
class Furniture:
    """The masthead (page 1) or the running head: its box's CSS."""

    style: str


@dataclass
class RuleBox:
    kind: str
    """``rule-h`` above an article, ``rule-v`` between columns of articles."""
    style: str


@dataclass
class AdBox:
    """An advertising module at the foot of the page, with its label above its top edge."""

    id: str
    """``ad-<page>-<n>``: the module's element id in the page's HTML."""
    kind: str
    """``pdf`` (the page's HTML holds only the box; its first page is placed as a form after
    rendering) or ``raster`` (an image the template shows, scaled to ``rect``)."""
    src: str
    """The file, relative to the edition folder (``ads/bank.pdf``)."""
    rect: Rect
    """The module itself: the booked columns' width and the booked height."""
    label_rect: Rect
    """The grid line above the module that holds its label."""
    label: str
    """«Реклама» (newspaper.toml, ``[ads] label``)."""
    column: int
    """0-based grid column where the module starts."""
    columns: int
    lines: int
    """Grid lines the module takes from the articles, its label included."""
    height_mm: float
    advertiser: str | None = None
    order: str | None = None
    path: Path | None = None
    """The resolved file, when it is usable."""
    name: str = ""
    """How messages name the ad: «ad 'ads/bank.pdf' (АО «Иртыш Кредит»)»."""
    manifest: Path | None = None
    line: int | None = None
    """The booking's line in issue.toml, for messages."""

    @property
    def area(self) -> float:
        """The module's area in square points."""
        return self.rect.w * self.rect.h


@dataclass
class PagePlan:
    number: int
    top_line: int
    """The grid line where the articles start (below the masthead or running head)."""
    lines: int
    """Grid lines the articles have."""
    furniture: Furniture
    articles: list[PlacedArticle] = field(default_factory=list)
    rules: list[RuleBox] = field(default_factory=list)
    imprint: Rect | None = None
    ads: list[AdBox] = field(default_factory=list)
    """Advertising modules at the foot of the page, side by side."""
    ad_share: float = 0.0
    """The modules' area over the page's text area (all columns, margin to margin)."""


@dataclass
class Copyfit:
    """How one article fits the edition: its pages and the body lines over or spare."""

    pages: list[int] = field(default_factory=list)
    overset_lines: int = 0
    underset_lines: int = 0
