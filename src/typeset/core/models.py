"""The documented schema of the files a newspaper keeps.

``newspaper.toml`` (:class:`Newspaper`), ``issue.toml`` (:class:`IssueManifest`), the front
matter of an article (:class:`FrontMatter`) and a layout's ``layout.toml`` (:class:`LayoutConfig`).
Every model
refuses unknown keys; each field's docstring is its documentation.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


# --- newspaper.toml ----------------------------------------------------------------------------

class Printer(Strict):
    """What the printing house asks for; the ``[printer]`` table of newspaper.toml."""

    name: str = "{code}_{date:%Y%m%d}_p{page:02}.pdf"
    """File-name pattern of a press page. Fields: code, year, number, total, date, page, pages."""
    bleed: float = Field(3.0, ge=0, le=20)
    """Bleed beyond the trim on every side, in millimetres."""
    marks: bool = True
    """Draw crop marks outside the bleed."""
    pdf: Literal["x-4", "x-1a"] = "x-4"
    """PDF/X flavour of the press files."""
    icc: str | None = None
    """Path (relative to newspaper.toml) of the printer's CMYK output profile (.icc)."""
    icc_name: str | None = None
    """Output condition identifier written into the OutputIntent (e.g. "FOGRA39")."""
    ink_limit: float = Field(240, ge=100, le=400)
    """Total area coverage limit, in percent (coldset newsprint: 240). The printer's profile
    must be built for it: the preflight is an error when a photo's 99.9th percentile or a
    colour of the page goes more than 2 % above it."""
    min_ppi: int = Field(150, ge=50, le=1200)
    """Lowest effective resolution accepted for images on the page."""
    max_ppi: int = Field(300, ge=72, le=2400)
    """Photos placed at a higher effective resolution are resampled to it (Lanczos) before
    they are converted: newsprint resolves no more, and the files stay small."""
    overprint_black: bool = True
    """100 % K text and rules overprint (set through ExtGState in the press files), so that
    misregistration shows no white halo around black on tints and photos."""
    page_multiple: int = Field(4, ge=1, le=64)
    """The page count of an edition must be a multiple of this (a press signature)."""
    black_only_pages: list[int] = []
    """Pages printed in black only: their photos are converted to grey."""
    min_color_text_pt: float = Field(9.0, ge=0)
    """Text smaller than this prints in a single solid ink (a 70 % grey becomes 100 % K):
    screened or registered small type is fuzzy on newsprint. Prepress makes it so in every
    output; coloured text this small left in a press file is a preflight warning."""


class Ads(Strict):
    """How advertising modules are marked; the ``[ads]`` table of newspaper.toml."""

    label: str = Field("Реклама", min_length=1, max_length=40)
    """The mark each module carries (advertising law requires it in periodicals), set in the
    layout's sans above the module's top edge."""


class Proofreading(Strict):
    """The proofreader's warnings; the ``[proofreading]`` table of newspaper.toml."""

    off: list[str] = []
    """Warnings switched off, by code (``typeset typo --codes`` lists them), e.g.
    ``["missing-comma"]`` for a paper that wants none of those."""


class Newspaper(Strict):
    """The paper itself: identity and imprint (выходные данные)."""

    title: str
    """The paper's title, as in the masthead."""
    subtitle: str
    """The line under the title, e.g. «Общественно-политическая газета»."""
    founded: int = Field(ge=1700, le=2100)
    """Year of the first issue («Выходит с 1991 года»)."""
    founder: str
    """Учредитель."""
    editor: str
    """Главный редактор."""
    address: str
    """Editorial office address."""
    registration: str
    """Registration certificate text."""
    age_mark: str
    """Age rating mark, e.g. "16+"."""
    price: str
    """Cover price, or «Бесплатно» / «Свободная цена»."""
    layout: str
    """Default layout name (a folder of layouts/), optionally ``name@version``."""
    code: str = Field("paper", pattern=r"^[A-Za-z0-9_-]{1,32}$")
    """Short code of the paper used in press file names."""
    publisher: str | None = None
    """Издатель, when not the founder."""
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    printing_house: str | None = None
    """«Отпечатано в …»: the printing house's name and address for the imprint."""
    language: str = "ru"
    """Language of the content (BCP 47), written into PDF metadata."""
    issn: str | None = None
    """The paper's ISSN, e.g. "0317-8471" (eight digits, the last may be X, checked): written
    into the archive bags' bag-info.txt."""
    printer: Printer = Printer()
    """The printing house's requirements."""
    ads: Ads = Ads()
    """How advertising modules are marked."""
    proofreading: Proofreading = Proofreading()
    """Which proofreading warnings the paper wants (all by default)."""

    @field_validator("issn")
    @classmethod
    def _issn(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"\d{4}-\d{3}[\dX]", value):
            raise ValueError("an ISSN is written NNNN-NNNC, e.g. 0317-8471 (C a digit or X)")
        digits = value.replace("-", "")
        total = sum((8 - k) * int(d) for k, d in enumerate(digits[:7]))
        check = (11 - total % 11) % 11
        if digits[7] != ("X" if check == 10 else str(check)):
            raise ValueError(f"the check digit of ISSN {value} is wrong (it should end in "
                             f"{'X' if check == 10 else check}); copy the number again")
        return value

    @field_validator("age_mark")
    @classmethod
    def _age_mark(cls, value: str) -> str:
        if not re.fullmatch(r"(0|6|12|16|18)\+", value):
            raise ValueError("must be one of 0+, 6+, 12+, 16+, 18+")
        return value


# --- issue.toml --------------------------------------------------------------------------------

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


class Placement(Strict):
    """One article on one page."""

    slug: Annotated[str, Field(pattern=SLUG)]
    """The article's file name without ``.md`` under ``articles/``."""
    span: int | None = Field(None, ge=1, le=12)
    """How many of the page grid's columns the article occupies (default: all)."""
    continued: bool = False
    """This placement holds the rest of an article that began on an earlier page."""


def _placement(value: object) -> object:
    return {"slug": value} if isinstance(value, str) else value


def _relative_path(value: str, example: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in value:
        raise ValueError(f"'{value}' must be a path inside the edition folder, "
                         f"like {example} (no '..', no absolute path, no URL)")
    return value


class AdBooking(Strict):
    """One advertising module booked on a page: an entry of ``ads = [...]``."""

    file: str
    """The ad as the advertiser delivered it, relative to the edition folder (``ads/bank.pdf``):
    a PDF (its first page prints, as vectors) or a JPEG, PNG or TIFF."""
    columns: int = Field(ge=1, le=12)
    """Width of the module in grid columns (their widths plus the gutters between them)."""
    height: float = Field(gt=0, le=1000)
    """Height of the module, in millimetres."""
    column: int | None = Field(None, ge=1, le=12)
    """The grid column (1 = leftmost) where the module starts; default: right after the ad
    listed before it, or column 1."""
    advertiser: str | None = None
    """Who placed the ad, for messages, the report and the archive's bookmarks."""
    order: str | None = None
    """The advertising department's order number, for the report."""

    @field_validator("file")
    @classmethod
    def _relative(cls, value: str) -> str:
        return _relative_path(value, "ads/bank.pdf")


class PageSpec(Strict):
    """One ``[[pages]]`` table."""

    articles: list[Placement] = []
    """The articles on the page, in reading order (top to bottom, left to right)."""
    ads: list[AdBooking] = []
    """Advertising modules at the foot of the page, side by side in the order listed; the
    articles fill the space above and beside them."""

    @field_validator("articles", mode="before")
    @classmethod
    def _slugs(cls, value: object) -> object:
        if isinstance(value, list):
            return [_placement(item) for item in value]
        return value


class IssueManifest(Strict):
    """``issue.toml``: one numbered edition."""

    number: int = Field(ge=1, le=999)
    """Number of the edition within its year."""
    date: dt.date
    """Publication date (a TOML date)."""
    total: int | None = Field(None, ge=1)
    """Running number since the paper was founded."""
    layout: str | None = None
    """Overrides newspaper.toml's layout; ``name@version`` pins a version."""
    circulation: int | None = Field(None, ge=1)
    """Тираж, printed in the imprint."""
    signed: dt.datetime | None = None
    """«Подписано в печать», printed in the imprint."""
    order: str | None = None
    """Printing-house order number («Заказ №»), printed in the imprint."""
    pages: list[PageSpec] = Field(min_length=1)
    """One table per page, in page order."""

    @field_validator("date", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date such as 2024-04-25, without a time")
        return value


# --- article front matter ------------------------------------------------------------------------

class Photo(Strict):
    """A photo of an article."""

    src: str
    """Path relative to the edition folder, e.g. ``images/harvest.jpg``."""
    caption: str | None = None
    credit: str | None = None
    span: int | None = Field(None, ge=1, le=12)
    """Columns the photo spans (default: chosen by the layout from the article's span)."""

    @field_validator("src")
    @classmethod
    def _relative(cls, value: str) -> str:
        return _relative_path(value, "images/photo.jpg")


class FrontMatter(Strict):
    """The YAML block at the top of an article."""

    title: str = Field(min_length=1)
    """Headline."""
    rubric: str | None = None
    """Section label shown above the headline."""
    subtitle: str | None = None
    lead: str | None = None
    """Lead paragraph, set larger than the body."""
    author: str | None = None
    """Byline."""
    photos: list[Photo] = []
    tags: list[str] = []

    @model_validator(mode="after")
    def _strip(self) -> FrontMatter:
        if not self.title.strip():
            raise ValueError("title is empty")
        return self


# --- layout.toml ---------------------------------------------------------------------------------

class WordSpacing(Strict):
    """InDesign's Word Spacing: how wide a justified line's word spaces may be, in percent of the
    font's own space."""

    minimum: float = Field(75, ge=25, le=100)
    """The narrowest a word space is ever set (a line is never shrunk further unless it cannot fit
    otherwise, and is then reported)."""
    desired: float = Field(100, ge=50, le=200)
    """The width the composer aims at."""
    maximum: float = Field(133, ge=100, le=1000)
    """The widest a word space is set while breaks exist that keep it within; a line goes past it
    only when no set of breaks of its paragraph does better."""

    @model_validator(mode="after")
    def _ordered(self) -> WordSpacing:
        if not self.minimum <= self.desired <= self.maximum:
            raise ValueError("must be minimum ≤ desired ≤ maximum")
        return self


class LetterSpacing(Strict):
    """InDesign's Letter Spacing (desired 0): how far the composer may tighten or loosen every
    character of a line, in percent of an em (InDesign counts in percent of a space)."""

    minimum: float = Field(-3, ge=-10, le=0)
    maximum: float = Field(2, ge=0, le=10)


class Justification(Strict):
    """A layout's ``[justification]`` table: the H&J settings of its body paragraphs, named as in
    InDesign's Justification and Hyphenation dialogs.

    A layout with this table has typeset compose its body paragraphs: each paragraph is broken
    into lines by total fit over the whole paragraph (Knuth–Plass), with widths from the layout's
    own fonts, and WeasyPrint renders the lines as composed. A layout without it leaves line
    breaking to WeasyPrint (first fit, ``hyphens: auto``), as version 1 of weekly-a3 did.
    """

    word_spacing: WordSpacing = WordSpacing()
    letter_spacing: LetterSpacing = LetterSpacing()
    hyphenate: bool = True
    """Hyphenate words at the points of the layout's hyphenation patterns."""
    words_with_at_least: int = Field(5, ge=2, le=20)
    """Only words of at least this many letters are hyphenated."""
    after_first: int = Field(2, ge=1, le=10)
    """Fewest letters before a hyphen («по-»)."""
    before_last: int = Field(2, ge=1, le=10)
    """Fewest letters carried to the next line after a hyphen."""
    hyphen_limit: int = Field(3, ge=1, le=10)
    """Most consecutive lines ending in a hyphen (automatic or written)."""
    hyphenate_capitalized_words: bool = True
    min_last_line: int = Field(5, ge=0, le=40)
    """Fewest characters on the last line of a paragraph of two lines or more: never «ено»
    alone."""
    hyphen_penalty: float = Field(6000, ge=0, le=100000)
    """What a hyphen costs against a loose line (InDesign's slider "Better Spacing — Fewer
    Hyphens"): TeX's demerits, where a line whose spaces are at their maximum costs 110² and a
    hyphen this value squared. Higher: fewer hyphens, looser lines."""


class LayoutConfig(Strict):
    """A layout's ``layout.toml``: page geometry and type, turned into CSS custom properties."""

    name: str
    version: int = Field(ge=1)
    """Bumped on every change once an edition used the layout."""
    description: str = ""
    page_width: float = Field(gt=0)
    """Trim width, mm."""
    page_height: float = Field(gt=0)
    """Trim height, mm."""
    margin_top: float
    margin_bottom: float
    margin_inner: float
    margin_outer: float
    columns: int = Field(ge=1, le=12)
    gutter: float = Field(ge=0)
    """Space between columns, mm."""
    body_size: float = Field(gt=0)
    """Body type size, pt."""
    line_height: float = Field(gt=0)
    """Body leading, pt: the baseline grid everything snaps to."""
    masthead_lines: int = Field(ge=1)
    """Height of page 1's masthead, in body lines."""
    running_head_lines: int = Field(ge=1)
    """Height of the running head on the other pages, in body lines."""
    photo_max_lines: int = 40
    """Tallest a photo may grow to absorb spare lines."""
    fonts: dict[str, str] = {}
    """Font files of the layout (family name → folder-relative file glob), for coverage checks."""
    fallback_fonts: list[str] = []
    """Font files (folder-relative globs) that supply characters the text fonts lack, such as
    ≈ ≤ ≥ →: the CSS names their family last in every font-family stack. A character prints
    when every text font has it, or a fallback font has it."""
    css: dict[str, str] = {}
    """Extra CSS custom properties (name → value)."""
    typography: int = Field(1, ge=1)
    """The typography rule set the articles are typeset with (typeset's rules of Russian
    typography are versioned so that a printed edition rebuilds to the same bytes): 1 for layouts
    that do not name one."""
    justification: Justification | None = None
    """The H&J settings of body paragraphs, composed by typeset (see :class:`Justification`);
    absent: WeasyPrint breaks the lines."""
    render_by_article: bool = False
    """Render each page as pieces cached apart, one per article (the first with the page's head:
    masthead or running head, rules) and the page's foot (ads, imprint), and join them: a
    rebuild after an edit renders only the articles that changed. The templates must write
    each article as one ``<article id="…">`` element (``art.id``) directly in the page's
    ``<section class="page">``, the furniture as elements beside them (the foot as ``footer``,
    ``.ad`` and ``.ad-label``), every one positioned absolutely."""
