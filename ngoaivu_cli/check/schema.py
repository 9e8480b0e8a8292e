"""The OOXML schema rules: what Microsoft Word itself would refuse (ND30-SCHEMA, an error) and
the rest of the schema's findings (ND30-CAUTRUC, a warning about the file's structure).

openxml-audit (PyPI, pure Python, the Open XML SDK's schema data) is an optional dependency,
``pip install "ngoaivu[check]"``; without it the rule is not run and a warning says so.

Which findings Word refuses a file for ("Word found unreadable content", the file does not
open until repaired): a schema violation (an element out of order or unknown, a value not
allowed) in a part Word lays out, that is the document itself, its headers and footers, its
footnotes, endnotes, comments, styles and numbering, and a package Word cannot open (a damaged
zip or part). Everything else is a warning: Word opens such files and rewrites the part on
saving, as it does for a file LibreOffice saved without a theme part, a ``fontTable`` with a
character set the schema does not list, a Word 2016 file's own ``webSettings``, or a
``stylesWithEffects`` part older than its styles (python-docx's template).

Each file is validated by a validator of its own: one validator object reused across files
kept state from one file to the next (a correct footnoted report failed in 3 of 40 runs of
17 files checked together).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ngoaivu_cli.check.rules import ERROR, WARNING, Finding

FORMAT = "office2016"
CODE = "ND30-SCHEMA"  # Word would refuse the file (or the check could not run)
STRUCTURE = "ND30-CAUTRUC"  # the schema's other findings: Word opens the file
HINT = ("mở tệp bằng Word và lưu lại (Word sửa cấu trúc khi lưu); tệp do ngoaivu lập luôn "
        "đúng cấu trúc")
STRUCTURE_HINT = ("Word vẫn mở được tệp; muốn hết cảnh báo, mở bằng Word và lưu lại (Word viết "
                  "lại phần này)")
# the parts Word lays out: a schema violation in them is what Word refuses a file for
_STORY = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes|comments|styles|"
                    r"numbering)\.xml$")

MAX_TOTAL = 256 * 1024 * 1024  # bytes unpacked: the validator reads every part into memory


def _too_big(path: Path) -> str | None:
    import zipfile

    from ngoaivu_cli.check.document import MAX_MEMBER

    try:
        with zipfile.ZipFile(path) as z:
            sizes = [i.file_size for i in z.infolist()]
    except (zipfile.BadZipFile, OSError):
        return None  # the validator reports it
    if max(sizes, default=0) > MAX_MEMBER or sum(sizes) > MAX_TOTAL:
        return f"tệp giải nén ra {sum(sizes) // (1024 * 1024)} MB, quá lớn để kiểm tra"
    return None


def word_refuses(error: Any) -> bool:
    """A finding of openxml-audit Word would refuse the file for (see the module's note)."""
    kind = getattr(getattr(error, "error_type", None), "value", "")
    if kind in ("package", "binary"):
        return True
    return kind == "schema" and bool(_STORY.match(str(getattr(error, "part_uri", "") or "")))


def check_schema(path: Path, *, limit: int = 20) -> list[Finding]:
    """The schema findings for ``path`` (at most ``limit``, and a last one saying how many were
    left out); one warning when openxml-audit is not installed."""
    try:
        from openxml_audit import FileFormat, OpenXmlValidator
    except ImportError:
        return [Finding(CODE, "chưa kiểm tra cấu trúc OOXML: chưa cài openxml-audit",
                        'cài bằng: pip install "ngoaivu[check]" (hoặc pip install '
                        "openxml-audit), rồi chạy lại", part="file", severity=WARNING)]
    too_big = _too_big(path)
    if too_big:
        return [Finding(CODE, f"không kiểm tra cấu trúc OOXML: {too_big}", HINT,
                        part="file", severity=WARNING)]
    validator = OpenXmlValidator(file_format=FileFormat(FORMAT), max_errors=limit + 1)
    try:
        result = validator.validate(path)
    except Exception as exc:  # the validator gave up on a damaged file: that is a finding
        return [Finding(CODE, f"không kiểm tra được cấu trúc OOXML ({exc})", HINT,
                        part="file")]
    errors = [e for e in result.errors
              if getattr(e.severity, "value", "error") == "error"]
    out: list[Finding] = []
    said: dict[tuple[bool, str], int] = {}  # the same finding at many places: once, counted
    for error in errors[:limit]:
        refuses = word_refuses(error)
        key = (refuses, str(error.description))
        if key in said:
            first = out[said[key]]
            count = first.count + 1
            message = first.message.split(" (cùng lỗi ở ")[0] + f" (cùng lỗi ở {count - 1} chỗ khác)"
            out[said[key]] = Finding(first.code, message, first.hint, part="file",
                                     severity=first.severity, count=count)
            continue
        said[key] = len(out)
        where = f"{error.part_uri} {error.path}".strip()
        if refuses:
            out.append(Finding(CODE, f"sai cấu trúc OOXML ({FORMAT}), Word sẽ báo lỗi khi mở: "
                               f"{error.description} — {where}", HINT, part="file",
                               severity=ERROR))
        else:
            out.append(Finding(STRUCTURE, f"cấu trúc OOXML khác lược đồ ({FORMAT}), Word vẫn "
                               f"mở được: {error.description} — {where}", STRUCTURE_HINT,
                               part="file", severity=WARNING))
    if len(errors) > limit:
        out.append(Finding(STRUCTURE, f"còn lỗi cấu trúc khác sau {limit} lỗi đầu, không liệt "
                           "kê hết", STRUCTURE_HINT, part="file", severity=WARNING))
    return out
