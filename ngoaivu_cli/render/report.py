"""Report orchestration: pick the report type, load the period's entries, build and write.

``make_report`` is the one library call behind ``ngoaivu report`` (and each item of
``ngoaivu batch``): config → loader (only the files of the period) → validate → context →
the DOCX, Markdown, JSON or PDF writer → an atomic write.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import field
from pathlib import Path

from ngoaivu_cli.config import Config, ReportType
from ngoaivu_cli.errors import DataError, Problem, UsageError
from ngoaivu_cli.periods import Period
from ngoaivu_cli.records import record
from ngoaivu_cli.render.context import ReportRequest, build_context
from ngoaivu_cli.safeio import write_atomic
from ngoaivu_cli.scopes import load_for_report
from ngoaivu_cli.yamlread import suggest

FORMATS = ("docx", "md", "json", "pdf")
DOCX_TEMPLATE = "van-ban.docx"
MD_TEMPLATE = "van-ban.md.j2"


@record(frozen=True)
class ReportResult:
    """What :func:`make_report` wrote (or gives back) and what it left out."""
    path: Path | None  # None when written to standard output
    report_type: ReportType
    period: Period
    entries: int
    text: str | None = None  # md/json output when no file was asked for
    warnings: list[Problem] = field(default_factory=list)  # what it left out (dropped.py)


class StrictError(DataError):
    """``report --strict``: the report would leave something out; nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        what = ("văn bản sẽ in chữ giữ chỗ thay cho tên thật" if problems and all(
            p.code == "W-PLACEHOLDER-NAME" for p in problems) else "báo cáo sẽ bỏ sót nội dung")
        self.message = f"{what} (--strict coi cảnh báo là lỗi); không ghi tệp nào"


def choose_type(config: Config, period: Period, name: str | None) -> ReportType:
    """``--type`` when given, else the type configured as default for the period's kind."""
    if name:
        if name not in config.report_types:
            guess = suggest(name, list(config.report_types))
            raise UsageError(f'loại báo cáo "{name}" không có trong cấu hình',
                             hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                             + "các loại: " + ", ".join(config.report_types))
        return config.report_types[name]
    key = config.default_types.get(period.kind)
    if key is None:
        raise UsageError(f"chưa có loại báo cáo mặc định cho kỳ loại \"{period.kind}\" "
                         f"({period.label})",
                         hint="chọn bằng --type (" + ", ".join(config.report_types) + ") hoặc "
                              "khai báo `default_types` trong ngoaivu.yaml")
    return config.report_types[key]


def resolve_for_report(config: Config, expr: str, type_name: str | None, *,
                       today: dt.date | None = None, year: int | None = None,
                       cutoff: int | None = None,
                       calendar: bool = False) -> tuple[Period, ReportType]:
    """Resolve ``--period`` and pick the report type; a type's own ``cutoff_day``, ``window``
    or ``calendar: true`` applies unless the command line says otherwise (``--cutoff``,
    ``--calendar``)."""
    from ngoaivu_cli.selection import resolve_period

    period = resolve_period(expr, config, today=today, year=year, cutoff=cutoff,
                            calendar=calendar)
    rt = choose_type(config, period, type_name)
    if cutoff is None and not calendar and (rt.cutoff_day or rt.calendar or rt.window):
        period = resolve_period(expr, config, today=today, year=year, cutoff=rt.cutoff_day,
                                calendar=rt.calendar or rt.window is not None)
        if rt.window is not None:  # its months from day N of the month before to day N
            from ngoaivu_cli.periods.model import with_window

            period = with_window(period, rt.window)
    return period, rt


def shipped_template(name: str) -> Path:
    """Path of a template shipped with the package."""
    from importlib import import_module  # not importlib.resources: 5 ms of every report

    # templates/ is installed as the package ngoaivu_cli.templates (see pyproject.toml)
    return Path(str(import_module("ngoaivu_cli.templates").__file__)).parent / name


def template_path(config: Config, rt: ReportType, fmt: str) -> Path:
    """The report type's own template, else the log's ``templates/``, else the shipped one."""
    own = rt.md_template if fmt == "md" else rt.template
    name = MD_TEMPLATE if fmt == "md" else DOCX_TEMPLATE
    from ngoaivu_cli.confine import confined, inside

    if own:
        path = confined(config.root, own) if config.source is not None else Path(own)
        if path is None:
            from ngoaivu_cli.errors import RenderError

            key = "md_template" if fmt == "md" else "template"
            raise RenderError(f"mẫu “{own}” của loại báo cáo {rt.key} nằm ngoài kho nhật ký",
                              hint=f"khóa `{key}` phải là đường dẫn tương đối trong kho, ví dụ "
                                   f"`templates/{name}`")
        return path
    local = config.templates_dir / name
    if os.path.lexists(local):
        if not inside(config.root, local):
            from ngoaivu_cli.errors import RenderError

            raise RenderError(f"templates/{name} là liên kết ra ngoài kho nhật ký",
                              hint="chép mẫu vào templates/ thay cho liên kết")
        return local
    return shipped_template(name)


def default_output(rt: ReportType, period: Period, fmt: str) -> Path:
    """``bao-cao-tuan-2023-08-24_2023-08-31.docx``: stable, so a re-run finds its own file."""
    ext = "md" if fmt == "md" else fmt
    return Path(f"{rt.file_name}-{period.start.isoformat()}_{period.end.isoformat()}.{ext}")


def with_comparison(rt: ReportType, period: Period, config: Config, compare: str) -> ReportType:
    """``report --compare``: the report type with its appendix compared with scope ``compare``;
    a :class:`UsageError` when it has no appendix or the scope makes no sense for the period."""
    from dataclasses import replace

    from ngoaivu_cli.scopes import compare_window

    if rt.appendix is None:
        raise UsageError(f"loại báo cáo `{rt.key}` không có phụ lục số liệu để so sánh",
                         hint="--compare dùng với loại có `appendix` (bao_cao_dinh_ky: quý, 6 "
                              "tháng, năm); câu mẫu vẫn in được số của phạm vi khác, ví dụ "
                              "`{{ last_year.doan_ra }}` (xem docs/configuration.md)")
    compare_window(compare, period, config.terms)
    return replace(rt, appendix=replace(rt.appendix, compare=compare))


@record(frozen=True)
class BuiltReport:
    """A report built but not written: its bytes (DOCX, PDF, or UTF-8 Markdown/JSON), its type
    and period, how many entries were read, and what it left out (warnings, with excerpts)."""
    data: bytes
    fmt: str
    report_type: ReportType
    period: Period
    entries: int
    warnings: list[Problem] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The Markdown or JSON text (only for those formats)."""
        return self.data.decode()

    def file_name(self) -> str:
        """The name ``report`` gives the file by default."""
        return default_output(self.report_type, self.period, self.fmt).name


def make_report(config: Config, period: Period, *, type_name: str | None = None,
                fmt: str = "docx", output: Path | None = None, force: bool = False,
                issue_date: dt.date | None = None, number: str = "",
                to_stdout: bool = False, strict: bool = False,
                signed: bool = False, compare: str | None = None) -> ReportResult:
    """Build one report and write it; returns where it went and what it left out
    (``strict``: raise :class:`StrictError` instead of writing when it leaves anything out;
    ``compare``: the scope the appendix compares with, instead of the type's own)."""
    built = build_report(config, period, type_name=type_name, fmt=fmt, issue_date=issue_date,
                         number=number, strict=strict, signed=signed, compare=compare)
    rt = built.report_type
    if to_stdout:
        return ReportResult(None, rt, period, built.entries, built.text, built.warnings)
    if output is None:
        from ngoaivu_cli.confine import default_output_folder

        output = default_output_folder(config.root) / default_output(rt, period, fmt)
    write_atomic(output, built.data, force=force, root=config.root)
    return ReportResult(output, rt, period, built.entries, None, built.warnings)


def build_report(config: Config, period: Period, *, type_name: str | None = None,
                 fmt: str = "docx", issue_date: dt.date | None = None, number: str = "",
                 strict: bool = False, signed: bool = False, compare: str | None = None
                 ) -> BuiltReport:
    """Build one report without writing anything (see :func:`make_report`)."""
    from ngoaivu_cli.budget import run_budget
    from ngoaivu_cli.formatting import PAD_COUNTS

    token = PAD_COUNTS.set(config.pad_counts)  # what `| vn_count` writes in its templates
    try:
        with run_budget():  # one budget for its templates and strings (or its caller's run's)
            return _build_report(config, period, type_name=type_name, fmt=fmt,
                                 issue_date=issue_date, number=number, strict=strict,
                                 signed=signed, compare=compare)
    finally:
        PAD_COUNTS.reset(token)


def _build_report(config: Config, period: Period, *, type_name: str | None, fmt: str,
                  issue_date: dt.date | None, number: str, strict: bool, signed: bool,
                  compare: str | None) -> BuiltReport:
    from ngoaivu_cli.notes import collecting

    if fmt not in FORMATS:
        raise UsageError(f'định dạng "{fmt}" không hỗ trợ', hint="chọn: " + ", ".join(FORMATS))
    rt = choose_type(config, period, type_name)
    if compare:
        rt = with_comparison(rt, period, config, compare)
    loaded = load_for_report(config, rt, period)
    entries = loaded.entries
    request = ReportRequest(rt, period, issue_date, number, signed=signed)
    from ngoaivu_cli.textfill import FillError

    with collecting() as notes:
        from ngoaivu_cli.office import report_office_problems  # another office's names

        notes.problems.extend(report_office_problems(config, rt.signer, rt.key))
        try:
            context = build_context(request, entries, config, pool=loaded)
        except FillError as exc:  # at its line, as validate says it
            from ngoaivu_cli.render.template_check import locate_fill

            locate_fill(config, exc, period)
            exc.problems = _with_excerpts(exc.problems, config.root)
            raise
    warnings = sorted(notes.problems + loaded.skipped, key=Problem.sort_key)
    if (signed or config.signed) and fmt != "json":
        warnings += _signed_dropped(config, rt, "md" if fmt == "md" else "docx")
    warnings += _placeholders(config, rt)
    if strict and warnings:
        raise StrictError(_with_excerpts(warnings, config.root))
    title = " ".join([rt.doc_kind, *context["doc"]["title"]]).strip()

    if fmt == "json":
        from ngoaivu_cli.render.marks import as_brackets

        body = [{**b, "text": as_brackets(b["text"])} for b in context["body"]]
        data = (json.dumps({**context, "body": body}, ensure_ascii=False, indent=2)
                + "\n").encode()
    elif fmt == "md":
        from ngoaivu_cli.render.markdown import render_markdown

        data = render_markdown(template_path(config, rt, "md"), context).encode()
    else:
        from ngoaivu_cli.render.docx_writer import render_docx, source_date

        when = source_date(request.issue_date or period.end)
        data = render_docx(template_path(config, rt, "docx"), context, when=when, title=title)
        if fmt == "pdf":
            from ngoaivu_cli.render.pdf import docx_to_pdf

            data = docx_to_pdf(data)

    return BuiltReport(data, fmt, rt, period, loaded.read,
                       _with_excerpts(warnings, config.root))


def _placeholders(config: Config, rt: ReportType) -> list[Problem]:
    """``W-PLACEHOLDER-NAME`` when the report would print a placeholder as its signer's, a
    recipient's or the agency's name (as ``validate`` says it; ``--strict`` fails on it)."""
    from ngoaivu_cli.config.model import is_placeholder

    signer = config.signers.get(rt.signer)
    names = [config.agency.name, *rt.recipients, *([signer.name] if signer else [])]
    if config.agency.short_name:
        names.append(config.agency.short_name)
    if not any(is_placeholder(name) for name in names):
        return []  # the configuration is read again only then
    from ngoaivu_cli.config.read import config_document
    from ngoaivu_cli.office import placeholder_problems

    return placeholder_problems(config, config_document(config), only=rt.key)


def _signed_dropped(config: Config, rt: ReportType, fmt: str) -> list[Problem]:
    """``W-SIGNED-DROPPED`` when "(đã ký)" is asked for but the log's own template (one copied
    by ``ngoaivu init`` before it existed, or restyled) has no ``{{ signer.signed }}``."""
    from ngoaivu_cli.errors import WARNING, SourceLoc, display_path

    name = MD_TEMPLATE if fmt == "md" else DOCX_TEMPLATE
    path = template_path(config, rt, fmt)
    if path == shipped_template(name) or _template_names(path, "signer.signed"):
        return []
    shown = display_path(path, config.root)
    return [Problem(SourceLoc(shown), "W-SIGNED-DROPPED",
                    f"mẫu {shown} không có chỗ in \"(đã ký)\" ({{{{ signer.signed }}}}): văn bản "
                    "không in dòng đó", "signer.signed",
                    "thêm một đoạn {{ signer.signed }} dưới {{ signer.title }} trong mẫu (Word), "
                    "hoặc xóa mẫu để dùng mẫu có sẵn (xem docs/configuration.md)", WARNING)]


def _template_names(path: Path, name: str) -> bool:
    """Whether a DOCX or Markdown template mentions ``name`` (tags between Word's runs
    ignored); an unreadable template is judged when it is rendered, not here."""
    import io
    import re
    import zipfile

    from ngoaivu_cli.safeio import MAX_TEMPLATE_BYTES, read_bytes

    try:  # bounded and non-blocking, like every read of the log (a FIFO here hung `report`)
        data = read_bytes(path, MAX_TEMPLATE_BYTES)
        if path.suffix.lower() != ".docx":
            return name in data.decode("utf-8", errors="replace")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > 50_000_000:
                return True
            xml = z.read(info).decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return True
    return name in re.sub(r"<[^>]+>", "", xml)


def _with_excerpts(problems: list[Problem], root: Path | None = None) -> list[Problem]:
    from ngoaivu_cli.safeio import excerpt_lines
    from ngoaivu_cli.validate import attach_excerpts

    return attach_excerpts(problems, excerpt_lines(Path.cwd(), root))
