"""The model: one activity of the log, as read from its file, with where each field came from.

:data:`FIELDS` is the single definition of an entry's fields; the loader, the validator, the
JSON Schema (``ngoaivu schema``) and the README's table are all derived from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from ngoaivu_cli.errors import SourceLoc
from ngoaivu_cli.records import record

STATUSES = ("done", "planned")


@record(frozen=True)
class FieldSpec:
    """One field of an entry: its kind (text, date, list, metrics), whether required, its meaning."""

    name: str
    kind: str  # "date" | "text" | "key" | "status" | "list" | "metrics" | "official" | "order"
    required: bool
    description: str


FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("date", "date", True, "Ngày diễn ra hoạt động, dạng YYYY-MM-DD (2023-08-28)."),
        FieldSpec("end", "date", False,
                  "Ngày kết thúc của hoạt động nhiều ngày (đoàn công tác 27/9–06/10), YYYY-MM-DD."),
        FieldSpec("category", "key", True, "Lĩnh vực công tác: một khóa trong `categories` của cấu hình."),
        FieldSpec("status", "status", False,
                  "`done` (mặc định): kết quả đã làm; `planned`: kế hoạch cho kỳ tới."),
        FieldSpec("summary", "text", True, "Nội dung, viết đúng như sẽ in trong báo cáo."),
        FieldSpec("unit", "key", False, "Phòng, đơn vị thực hiện: một khóa trong `units` của cấu hình."),
        FieldSpec("tags", "list", False, "Nhãn tự do; loại báo cáo chọn hoạt động theo nhãn."),
        FieldSpec("partners", "list", False, "Quốc gia, tỉnh, tổ chức liên quan (Lào, Bolikhămxay, IOM)."),
        FieldSpec("metrics", "metrics", False,
                  "Số liệu để cộng dồn: tên số liệu trong `metrics` của cấu hình → số (doan_ra: 1)."),
        FieldSpec("footnote", "text", False, "Chú thích cuối trang gắn với câu của hoạt động."),
        FieldSpec("official", "official", False,
                  "Số liệu chính thức công bố cho cả một kỳ (Cục Thống kê công bố năm 2023): "
                  "`official: {scope: năm 2023, metrics: {doan_ra: 120}}`; thay cho tổng cộng "
                  "từ các hoạt động của kỳ đó, trong lĩnh vực của hoạt động này."),
        FieldSpec("order", "order", False,
                  "Thứ tự in: số thứ tự ghi (`ngoaivu new`, `ngoaivu import` tự ghi); các hoạt "
                  "động có `order` in theo số này với nhau, sửa số để đổi chỗ (12.5 nằm giữa 12 "
                  "và 13)."),
        FieldSpec("group", "text", False,
                  "Khóa gộp dòng: các hoạt động cùng `group` trong một mục của báo cáo in chung "
                  "một gạch đầu dòng, nối bằng `join` của mục (mặc định \"; \")."),
    )
}
REQUIRED = tuple(name for name, f in FIELDS.items() if f.required)


@record(frozen=True)
class Official:
    """A figure announced for a whole period (``scope``, a period expression such as ``năm
    2023``): each metric's official value, which wins over the sum computed from entries."""

    scope: str
    metrics: tuple[tuple[str, int | float], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"scope": self.scope, "metrics": dict(self.metrics)}


@dataclass(frozen=True)
class Entry:
    """One activity. Fields that could not be read are None (their problem is reported)."""

    loc: SourceLoc
    date: dt.date | None
    category: str | None
    summary: str | None
    status: str = "done"
    end: dt.date | None = None
    unit: str | None = None
    tags: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    metrics: tuple[tuple[str, int | float], ...] = ()
    footnote: str | None = None
    # field name → (line, col) of its value, for problems found after loading
    positions: tuple[tuple[str, int, int], ...] = field(default=(), compare=False)
    index: int = 0  # position of the entry inside its file (files may hold a list)
    # a plan known only to a month or a quarter: "2024-12" or "2024-q1" (``date`` is then its
    # first day and ``end`` its last, so it belongs to every period it overlaps)
    approx: str | None = None
    official: Official | None = None  # a record of official figures, not an activity
    agency: str | None = None  # the source it came from (ngoaivu_cli/sources.py); None: own log
    # the order the writer chose (`order:`, written by `new` and `import`): see
    # selection.sort_entries; None: placed by its date
    order: int | float | None = None
    # entries of one section sharing it print as one bullet, joined by the section's `join`
    group: str | None = None

    @property
    def last_day(self) -> dt.date | None:
        """The inclusive last day: ``end`` when given, else ``date``."""
        return self.end or self.date

    @property
    def metric_map(self) -> dict[str, int | float]:
        return dict(self.metrics)

    def field_loc(self, name: str) -> SourceLoc:
        """Where field ``name`` was written (the entry's start if it was not)."""
        for fname, line, col in self.positions:
            if fname == name:
                return SourceLoc(self.loc.path, line, col)
        return self.loc

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.loc.path,
            "line": self.loc.line,
            "date": self.date.isoformat() if self.date else None,
            "end": self.end.isoformat() if self.end else None,
            "category": self.category,
            "status": self.status,
            "summary": self.summary,
            "unit": self.unit,
            "tags": list(self.tags),
            "partners": list(self.partners),
            "metrics": dict(self.metrics),
            "footnote": self.footnote,
            **({"approx": self.approx, "approx_label": approx_label(self.approx)}
               if self.approx else {}),
            "agency": self.agency,
        }
        if self.official is not None:
            out["official"] = self.official.to_json()
        if self.order is not None:
            out["order"] = self.order
        if self.group is not None:
            out["group"] = self.group
        return out


def approx_label(stem: str) -> str:
    """``2024-12`` → ``tháng 12/2024``; ``2024-q1`` → ``quý I/2024``."""
    year, _, part = stem.partition("-")
    if part.startswith("q"):
        return f"quý {('I', 'II', 'III', 'IV')[int(part[1:]) - 1]}/{year}"
    month = int(part)
    return f"tháng {month:02d}/{year}" if month < 3 else f"tháng {month}/{year}"

# The category of entries an import could not place: accepted by `validate` with a warning
# (W-REVIEW) even when the configuration does not declare it, until someone recategorises them.
REVIEW_CATEGORY = "xem_lai"


class _Dated(Protocol):
    @property
    def date(self) -> dt.date | None: ...

    @property
    def end(self) -> dt.date | None: ...


def overlaps(entry: _Dated, start: dt.date, end: dt.date) -> bool:
    """The one rule of which days an entry speaks of: it belongs to every period, window or
    scope it overlaps (``start``..``end`` inclusive); an entry without a date to none."""
    return entry.date is not None and entry.date <= end and (entry.end or entry.date) >= start
