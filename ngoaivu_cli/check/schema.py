"""The OOXML schema rule (ND30-SCHEMA): what Microsoft Word's own validator would reject.

openxml-audit (PyPI, pure Python, the Open XML SDK's schema data) is an optional dependency,
``pip install "ngoaivu[check]"``; without it the rule is not run and a warning says so.
"""

from __future__ import annotations

from pathlib import Path

from ngoaivu_cli.check.rules import WARNING, Finding

FORMAT = "office2016"
HINT = ("mở tệp bằng Word và lưu lại (Word sửa cấu trúc khi lưu); tệp do ngoaivu lập luôn "
        "đúng cấu trúc")
_validator = None


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


def check_schema(path: Path, *, limit: int = 20) -> list[Finding]:
    """ND30-SCHEMA findings for ``path``; one warning when openxml-audit is not installed."""
    global _validator
    try:
        from openxml_audit import FileFormat, OpenXmlValidator
    except ImportError:
        return [Finding("ND30-SCHEMA", "chưa kiểm tra cấu trúc OOXML: chưa cài openxml-audit",
                        'cài bằng: pip install "ngoaivu[check]" (hoặc pip install '
                        "openxml-audit), rồi chạy lại", part="file", severity=WARNING)]
    too_big = _too_big(path)
    if too_big:
        return [Finding("ND30-SCHEMA", f"không kiểm tra cấu trúc OOXML: {too_big}", HINT,
                        part="file", severity=WARNING)]
    if _validator is None:
        _validator = OpenXmlValidator(file_format=FileFormat(FORMAT), max_errors=limit)
    try:
        result = _validator.validate(path)
    except Exception as exc:  # the validator gave up on a damaged file: that is a finding
        return [Finding("ND30-SCHEMA", f"không kiểm tra được cấu trúc OOXML ({exc})", HINT,
                        part="file")]
    out = []
    for error in result.errors[:limit]:
        if getattr(error.severity, "value", "error") != "error":
            continue
        where = f"{error.part_uri} {error.path}".strip()
        out.append(Finding("ND30-SCHEMA", f"sai cấu trúc OOXML ({FORMAT}): {error.description} "
                           f"— {where}", HINT, part="file"))
    return out
