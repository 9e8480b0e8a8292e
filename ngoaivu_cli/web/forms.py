"""The activity form: :class:`EntryForm` (the fields as typed, the problems at each), read
from a request or from an entry, turned into the arguments of ``api.add_entry``; and what the
form needs from the configuration (each category's own number fields)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import request

from ngoaivu_cli import api
from ngoaivu_cli.errors import NgoaivuError, Problem
from ngoaivu_cli.web.site import STATUS_WORDS

_VN_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*\Z")


# --------------------------------------------------------------------------- form parsing


@dataclass
class EntryForm:
    """The fields of the entry form, as typed, and the problems found at each."""

    date: str = ""
    end: str = ""
    category: str = ""
    status: str = "done"
    summary: str = ""
    unit: str = ""
    tags: str = ""
    partners: str = ""
    footnote: str = ""
    metrics: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def metrics_open_among(self, keys: Iterable[str]) -> bool:
        """Whether these number fields are shown unfolded: one is filled in, or wrong."""
        return any(k in self.metrics or f"metrics.{k}" in self.errors for k in keys)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @classmethod
    def from_request(cls, config: Any) -> EntryForm:
        f = request.form
        def get(name: str) -> str:
            return f.get(name, "").strip()

        form = cls(date=get("date"), end=get("end"), category=get("category"),
                   status=get("status"), summary=get("summary"), unit=get("unit"),
                   tags=get("tags"), partners=get("partners"), footnote=get("footnote"))
        form.metrics = {k: get(f"m_{k}") for k, m in config.metrics.items()
                        if get(f"m_{k}") and not m.sum_of}  # a computed one has no field
        return form

    @classmethod
    def from_entry(cls, entry: Any) -> EntryForm:
        date = ""
        if entry.approx:
            date = api.entry_when(entry)
        elif entry.date:
            date = api.short_date(entry.date)
        return cls(date=date, end=api.short_date(entry.end) if entry.end and not entry.approx
                   else "", category=entry.category or "", status=entry.status,
                   summary=entry.summary or "", unit=entry.unit or "",
                   tags=", ".join(entry.tags), partners=", ".join(entry.partners),
                   footnote=entry.footnote or "",
                   metrics={k: _number_text(v) for k, v in entry.metrics})

    def fields(self, config: Any) -> dict[str, Any] | None:
        """The arguments of ``api.add_entry``/``api.entry_yaml`` (None without a date); the
        problems found are noted, and the caller checks the rest with ``api.entry_problems``
        so that every problem is shown at once, then writes only when there are none."""
        out: dict[str, Any] = {}
        plan = api.parse_plan_date(self.date) if self.date else None
        if not self.date:
            self.error("date", "chưa ghi ngày")
        elif plan is not None:
            out.update(date=plan.start, approx=plan.stem)
        else:
            day = parse_day(self.date)
            if isinstance(day, str):
                self.error("date", day)
            else:
                out["date"] = day
        if self.end:
            day = parse_day(self.end)
            if isinstance(day, str):
                self.error("end", day)
            else:
                out["end"] = day
        if not self.category:
            self.error("category", "chọn một lĩnh vực")
        if self.status not in STATUS_WORDS:
            self.error("status", "chọn Đã thực hiện hoặc Kế hoạch")
        if not self.summary:
            self.error("summary", "chưa ghi nội dung hoạt động")
        metrics = []
        for key, text in self.metrics.items():
            try:
                metrics.append(api.parse_metric(f"{key}={text.replace(',', '.')}"))
            except NgoaivuError as exc:
                self.error(f"metrics.{key}", exc.message)
        if "date" not in out:
            return None
        out.update(category=self.category, status=self.status, summary=self.summary,
                   unit=self.unit or None, tags=split_list(self.tags),
                   partners=split_list(self.partners), metrics=tuple(metrics),
                   footnote=self.footnote or None)
        return out

    def take(self, problems: Iterable[Problem]) -> None:
        """Put each problem at its field (``metrics.doan_ra`` at that number)."""
        known = {"date", "end", "category", "status", "summary", "unit", "tags", "partners",
                 "footnote"}
        already = set(self.errors)  # what the form itself found is said once
        for p in problems:
            if not p.is_error:
                continue
            text = p.message + (f" (gợi ý: {p.hint})" if p.hint else "")
            name = p.field
            base = name.split(".", 1)[0].split("[", 1)[0]
            if name.startswith("metrics.") and name.split(".", 1)[1] in self.metrics:
                if name not in already:
                    self.error(name, text)
            elif base in known:
                if base not in already:
                    self.error(base, text)
            else:
                self.general.append(text)


def category_metrics(config: Any) -> dict[str, list[str]]:
    """The figures each category's statistics sentences speak of (``m.doan_ra``,
    ``raw.luot_ra``, ``when: doan_ra``), in the configuration's order, computed ones left out:
    the number fields the form shows first for that category."""
    out: dict[str, list[str]] = {}
    for key, category in config.categories.items():
        named: set[str] = set()
        for sentence in category.stats:
            named.update(re.findall(r"\b(?:m|raw)\.(\w+)", sentence.text))
            if sentence.when:
                named.add(sentence.when)
        out[key] = [k for k, m in config.metrics.items() if k in named and not m.sum_of]
    return out


def probe_path(config: Any, values: dict[str, Any]) -> Path:
    """Where a new entry of these fields goes (the name's date part is what the rules check),
    to check its text before writing."""
    approx = values.get("approx")
    if approx:
        return config.data_dir / approx[:4] / f"{approx}-bieu-mau.yaml"
    date = values["date"]
    return config.data_dir / f"{date:%Y}" / f"{date:%m}" / f"{date.isoformat()}-bieu-mau.yaml"


def _number_text(value: int | float) -> str:
    return str(value)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,;\n]", text) if p.strip()))


def parse_day(text: str) -> dt.date | str:
    """``28/8/2023`` or ``2023-08-28``; otherwise the message to show."""
    m = _VN_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return f"ngày {text} không có trên lịch"
    day, message, hint = api.parse_date(text)
    if day is None:
        return f"{message or 'ngày không hợp lệ'} — ghi như 28/8/2023" + (
            f" ({hint})" if hint else "")
    return day
