"""``ngoaivu status``: which sources have reported for a period, and on time (issue 16.3).

Per source: its entries in the period, the latest one's date, and, when the source folder is a
git repository, when its ``data/`` was last committed (a read-only ``git log``), against the
report type's ``deadline`` (a day of the period's last month). Pure: no click, no printing.

``git`` runs on someone else's repository, whose ``.git/config`` (and the files it includes)
may name programs (a pager, an fsmonitor hook, a gpg program, an ``ext::`` remote or an
``uploadpack`` that a lazy fetch would run): none of them may run, nothing is fetched, and git
never waits on the repository (issue 23.1). Before git starts, :func:`check_repository` looks
at the repository without git: a FIFO or a device where git reads, a partial clone (a
promisor remote: git would fetch its missing objects), a folder of another user (git's
``safe.directory`` rule) mean git is not run, with the reason as the source's note. Then
``git log`` only, on that repository given explicitly, with no system or global
configuration, every program-naming key overridden on the command line (which wins over the
repository), no lazy fetch, no transport allowed (``GIT_ALLOW_PROTOCOL``), in a session of its
own that is ended whole at the timeout: the hardened git of :mod:`ngoaivu_cli.gitsafe`, shared
with ``ngoaivu serve --git``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ngoaivu_cli.config import Config, ReportType
from ngoaivu_cli.errors import Problem
from ngoaivu_cli.gitsafe import GIT_OVERRIDES, Repository, check_repository, git_env, run_git
from ngoaivu_cli.periods import Period

GIT_TIMEOUT = 10.0  # seconds for one run of git

ON_TIME, LATE, WAITING, UNKNOWN, MISSING = "on_time", "late", "waiting", "no_deadline", "missing"
STATE_WORDS = {ON_TIME: "đúng hạn", LATE: "TRỄ HẠN", WAITING: "chưa đến hạn",
               UNKNOWN: "chưa đặt hạn", MISSING: "KHÔNG ĐỌC ĐƯỢC"}


@dataclass
class SourceStatus:
    name: str
    path: str
    entries: int = 0
    latest: dt.date | None = None
    committed: dt.datetime | None = None  # when data/ was last committed (git), if known
    git_note: str = ""  # why the commit date is unknown, when the folder is a repository
    problems: int = 0  # errors in the period's files
    state: str = WAITING

    @property
    def late(self) -> bool:
        return self.state in (LATE, MISSING)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "entries": self.entries,
                "latest": self.latest.isoformat() if self.latest else None,
                "last_commit": self.committed.isoformat() if self.committed else None,
                "git_note": self.git_note or None, "errors": self.problems,
                "state": self.state, "late": self.late}


@dataclass
class Status:
    period: Period
    report_type: ReportType
    deadline: dt.date | None
    today: dt.date
    sources: list[SourceStatus] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # sources that could not be read

    @property
    def late(self) -> list[SourceStatus]:
        return [s for s in self.sources if s.late]

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.to_json(), "report_type": self.report_type.key,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "today": self.today.isoformat(),
                "sources": [s.to_json() for s in self.sources], "late": len(self.late)}


def deadline_of(rt: ReportType, period: Period) -> dt.date | None:
    """Day ``rt.deadline`` of the period's last month (the month's last day when shorter)."""
    if rt.deadline is None:
        return None
    end = period.end
    last = calendar.monthrange(end.year, end.month)[1]
    return dt.date(end.year, end.month, min(rt.deadline, last))


def source_status(config: Config, rt: ReportType, period: Period,
                  today: dt.date, base: Path | None = None) -> Status:
    """The status of every source of ``config`` for ``period``."""
    from ngoaivu_cli.log.loader import Window
    from ngoaivu_cli.selection import in_range
    from ngoaivu_cli.sources import load_source, open_sources

    base = base or Path.cwd()
    due = deadline_of(rt, period)
    out = Status(period, rt, due, today)
    opened = open_sources(config, base)
    found = {s.name: s for s in opened.sources}
    out.notes = opened.problems
    window = Window(period.start, period.end, config.max_activity_days)
    for spec in config.sources:
        row = SourceStatus(spec.name, spec.path)
        out.sources.append(row)
        source = found.get(spec.name)
        if source is None:
            row.state = MISSING
            continue
        row.path = source.data.parent.as_posix()
        loaded = load_source(source, window, config.root, base, check=False)
        days = [e.date for e in loaded.entries if e.date and in_range(e, period.start, period.end)]
        row.entries = len(days)
        row.latest = max(days) if days else None
        row.problems = sum(1 for p in loaded.problems if p.is_error)
        row.committed, row.git_note = last_commit(source.root)
        row.state = _state(row, due, today)
    return out


def _state(row: SourceStatus, due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return UNKNOWN
    if row.entries:
        if row.committed is not None and row.committed.date() > due:
            return LATE  # reported, but committed after the deadline
        return ON_TIME
    return LATE if today > due else WAITING


def last_commit(root: Path) -> tuple[dt.datetime | None, str]:
    """When ``root/data`` was last committed, read with ``git log`` (hardened, see the module
    docstring and :func:`check_repository`); (None, why) when it cannot be told, (None, "")
    when ``root`` is no repository."""
    if not os.path.lexists(root / ".git"):
        return None, ""
    repo = check_repository(root)
    if isinstance(repo, str):
        return None, "không đọc lịch sử git: " + repo
    args = ["git", "--no-pager", "--no-replace-objects", "--literal-pathspecs"]
    for setting in GIT_OVERRIDES:
        args += ["-c", setting]
    args += [f"--git-dir={repo.git_dir}", f"--work-tree={root}", "-C", str(root), "log", "-1",
             "--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-mailmap",
             "--format=%cI", "--", "data"]
    done = run_git(args, git_env(), timeout=GIT_TIMEOUT)
    if isinstance(done, str):
        return None, done
    code, out, err = done
    if code != 0:
        text = err.decode("utf-8", "replace")
        if "lazy fetching disabled" in text or "not allowed" in text:
            return None, ("không đọc được lịch sử git: kho thiếu dữ liệu mà ngoaivu không tải "
                          "thêm (không kết nối tới kho nào)")
        return None, "không đọc được lịch sử git"
    text = out.decode("ascii", "replace").strip()[:64]
    if not text:
        return None, "data/ chưa có commit nào"
    try:
        return dt.datetime.fromisoformat(text), ""
    except ValueError:
        return None, "không đọc được ngày commit"


__all__ = ["STATE_WORDS", "Repository", "SourceStatus", "Status", "check_repository",
           "deadline_of", "git_env", "last_commit", "source_status"]
