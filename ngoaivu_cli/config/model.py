"""The configuration as frozen dataclasses: agency, signers, categories, metrics, report types."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.locate import DATA_FOLDER
from ngoaivu_cli.periods import Term
from ngoaivu_cli.records import record

STYLES = ("bullets", "merged", "paragraph")
PERIOD_KINDS = ("day", "days", "week", "month", "quarter", "half", "first_n", "last_n", "year",
                "term")
LAYOUTS = ("bao_cao", "cong_van", "ke_hoach")
# names that stand for a person until the office writes the real one: printing them under a
# signature is never right (ngoaivu_cli/office.py)
PLACEHOLDER_NAMES = frozenset(("Phó Giám đốc Sở", "Họ và tên người ký"))


def is_placeholder(name: str) -> bool:
    """Whether a name (a signer's, a recipient's, an agency's) only holds the place of one:
    empty, one of :data:`PLACEHOLDER_NAMES`, in square brackets ("[Họ và tên người ký]"),
    "Họ và tên ...", or dots to be filled ("…", "..."). Such a name must never be printed on a
    page that is signed (``W-PLACEHOLDER-NAME``)."""
    text = " ".join(name.split())
    return (not text or text in PLACEHOLDER_NAMES or "[" in text or "]" in text
            or text.casefold().startswith(("họ và tên", "họ tên"))
            or "…" in text or "..." in text)


@record(frozen=True)
class Agency:
    """The agency that issues the reports (``agency:``)."""
    parent: str
    name: str
    short_name: str
    symbol: str
    place: str


@record(frozen=True)
class Signer:
    """One person who signs reports (``signers:``)."""
    key: str
    authority: str  # "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC" or "" when the Director signs
    title: str  # "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "GIÁM ĐỐC"
    name: str


@record(frozen=True)
class StatSentence:
    """A statistics sentence of a category or section."""
    text: str  # a Jinja string over m.<metric> (formatted) and raw.<metric>
    when: str | None = None  # metric that must be non-zero for the sentence to be printed


@record(frozen=True)
class Category:
    """One category of activities (``categories:``)."""
    key: str
    label: str
    style: str = "bullets"
    lead: str = ""
    stats: tuple[StatSentence, ...] = ()
    # where the statistics sentences go among the category's entries: first, last, or at the
    # place of its first stats-only entry (tag `so-lieu`) in date order ("marker")
    stats_at: str = "first"


@record(frozen=True)
class JoinedStats:
    """One sentence joining several categories' statistics sentences:
    ``lead`` + "a; b; c." ("Năm qua, Sở Ngoại vụ đã tham mưu ...; tổ chức ...; tiếp nhận ...")."""

    lead: str
    categories: tuple[str, ...]


@record(frozen=True)
class Metric:
    """One figure entries carry (``metrics:``)."""
    key: str
    label: str
    unit: str
    integer: bool = True
    sum_of: tuple[str, ...] = ()


@record(frozen=True)
class SectionSpec:
    """One section of a report: a heading (numbered when given), then static text, a static
    document, the entries it selects, and/or numbered subsections."""

    heading: str = ""
    status: str = "done"  # done | planned | any
    period: str = "current"  # current | next
    group_by: str = "category"  # category | agency | none
    categories: tuple[str, ...] = ()  # only these (empty: all), in this order
    exclude_categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # entries with any of these tags (empty: no condition)
    units: tuple[str, ...] = ()
    # only entries of these agencies: sources' names, "" for the log's own (empty: all)
    agencies: tuple[str, ...] = ()
    style: str | None = None  # force one style for every category
    empty: str = "Không có nội dung phát sinh."  # printed when no entry is selected
    text: str = ""  # a static paragraph (Jinja) printed under the heading
    document: str = ""  # name of a static document under documents/ (Jinja)
    subsections: tuple[SectionSpec, ...] = ()
    entries: bool = True  # whether the section lists entries at all
    stats: tuple[StatSentence, ...] = ()  # opening figures, replacing the categories' own
    lead: str | None = None  # replaces the categories' lead
    marker: str = "- "  # printed before each entry; "" for plain paragraphs
    joined_stats: JoinedStats | None = None  # one sentence over several categories' figures
    # a heading with nothing under it: "note" prints `empty` ("Không có nội dung phát sinh."),
    # "omit" leaves the heading out (and does not number it)
    when_empty: str = "note"
    # the section wrote `stats:` (even `stats: []`): its own sentences replace the categories'
    stats_given: bool = False
    join: str = "; "  # between the summaries of entries sharing a `group` (one bullet)


@record(frozen=True)
class AppendixSpec:
    """A "Phụ lục" table of summed metrics at the end of the document."""

    title: str  # its lines joined by "\n" (``title:`` a list of lines)
    by: str = "category"
    note: str = ""
    compare: str = ""  # a scope (last_year, previous, ytd ...): its figure and the change


@record(frozen=True)
class ReportType:
    """One report type (``report_types:``): its heading, sections and signer."""
    key: str
    name: str
    doc_kind: str
    symbol: str
    title: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    signer: str
    due: tuple[str, ...] = ()
    file_name: str = ""
    subtitle: str = ""
    recipients: tuple[str, ...] = ()
    opening: str = ""
    closing: str = ""
    receivers: tuple[str, ...] = ()
    template: str = ""  # DOCX template path, relative to the configuration's folder
    md_template: str = ""
    layout: str = "bao_cao"
    abstract: tuple[str, ...] = ()  # "V/v ..." lines of a công văn
    cutoff_day: int | None = None
    calendar: bool = False  # True: this type ignores the global cut-off
    numbering: str = "roman"  # roman: I., 1. ; decimal: 1., 2.1.
    # Mục headings (the first level): "upper" in capitals as Nghị định 30 writes them
    # ("I. KẾT QUẢ ..."), "sentence" as written with a capital first letter; when not set,
    # "upper" with roman numbering and "sentence" with decimal (1., 2.1.)
    heading_case: str = "upper"
    blank_day: bool = False  # draft date "ngày    tháng 8 năm 2022" for the clerk to fill
    issue_date: str = "end"  # default issue date: the period's "end" or "start"
    appendix: AppendixSpec | None = None
    # data window of month-based periods: (start day in the month before, end day), see
    # periods.model.with_window; None = calendar months (or cutoff_day)
    window: tuple[int, int] | None = None
    deadline: int | None = None  # sources report by this day of the period's last month
    loc: SourceLoc = field(default=SourceLoc("ngoaivu.yaml"), compare=False)


@record(frozen=True)
class SourceSpec:
    """One ``sources:`` item: another agency's log whose entries the reports compile."""

    name: str  # the agency, as reports print it ("Sở Công Thương")
    path: str  # as written: relative to the configuration's folder, or absolute
    loc: SourceLoc = field(default=SourceLoc("ngoaivu.yaml"), compare=False)


@record(frozen=True)
class Config:
    """The whole configuration, read and checked."""
    source: Path | None  # None: the shipped default alone
    root: Path  # folder of the configuration (the log repository), or the working folder
    agency: Agency
    units: dict[str, str]
    signers: dict[str, Signer]
    categories: dict[str, Category]
    metrics: dict[str, Metric]
    report_types: dict[str, ReportType]
    default_types: dict[str, str]
    cutoff_day: int | None = None
    terms: tuple[Term, ...] = ()
    max_activity_days: int = 31
    stats_only_tag: str = "so-lieu"
    paths: tuple[str, ...] = ()  # files read, shown to the user
    # office habits (`formatting:`): "07 đoàn" or "7 đoàn"; months in period words as the
    # decree writes them ("decree": 01 and 02 only), always two digits ("all") or never ("none");
    # "(đã ký)" under the signature
    pad_counts: bool = True
    pad_months: str = "decree"
    signed: bool = False
    sources: tuple[SourceSpec, ...] = ()  # other agencies' logs (ngoaivu_cli/sources.py)
    skip_missing_sources: bool = False  # --skip-missing-sources: go on without them

    @property
    def own_agency(self) -> str:
        """How the log's own agency is named beside its sources ("Sở Ngoại vụ")."""
        return self.agency.short_name or self.agency.name

    @property
    def data_dir(self) -> Path:
        return self.root / DATA_FOLDER

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def category_label(self, key: str | None) -> str:
        cat = self.categories.get(key or "")
        return cat.label if cat else (key or "")
