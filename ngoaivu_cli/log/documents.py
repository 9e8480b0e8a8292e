"""Static documents: the parts of a report that are not activities.

A quoted resolution, the difficulties, causes and proposals of a thematic report, a plan's
purposes, its assignments per agency and its reporting deadlines are written once, as YAML
files under ``documents/`` beside ``data/``, and placed by a report type's section
(``document: kho-khan``). Format::

    title: Khó khăn, vướng mắc          # optional, for people reading the file
    style: bullets                      # bullets | paragraphs | numbered | quote
    items:
      - "Hiện nay, tình hình kinh tế toàn cầu khó khăn, ..."
      - label: Sở Kế hoạch và Đầu tư     # numbered: "2. Sở Kế hoạch và Đầu tư: Chủ trì, ..."
        text: "Chủ trì, phối hợp với ..."
        footnote: "..."                  # optional

They are checked by ``ngoaivu validate`` with the same codes and positions as entries.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ngoaivu_cli.errors import Problem, RenderError, SourceLoc, display_path
from ngoaivu_cli.locate import DOCUMENTS_FOLDER
from ngoaivu_cli.safeio import MAX_DOCUMENT_BYTES, decode_utf8, file_kind, read_bytes, reason
from ngoaivu_cli.yamlread import YMap, YNode, YScalar, YSeq, parse_documents, suggest, type_name

DOC_STYLES = ("bullets", "paragraphs", "numbered", "quote")
DOC_KEYS = ("title", "style", "items")
ITEM_KEYS = ("text", "label", "footnote")
FOLDER = DOCUMENTS_FOLDER
# what a report cannot print: C0 and C1 control characters (tab and line breaks apart),
# DEL, non-characters; flagged as in entries (E-TEXT-CONTROL), never dropped in silence
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class DocItem:
    """One item of a static document: its text, an optional label and footnote."""
    text: str
    label: str = ""
    footnote: str = ""


@dataclass(frozen=True)
class StaticDocument:
    """A static document of ``documents/`` (title, style, items), as read."""
    name: str
    path: str
    style: str
    items: tuple[DocItem, ...]
    title: str = ""


def documents_dir(root: Path) -> Path:
    return root / FOLDER


def document_path(root: Path, name: str) -> Path:
    """``documents/<name>.yaml``; names may have sub-folders (``2018/muc-dich``), never ``..``."""
    clean = name.strip().strip("/")
    if not clean or ".." in Path(clean).parts or Path(clean).is_absolute():
        raise RenderError(f'tên tài liệu "{name}" không hợp lệ',
                          hint="dùng tên tệp trong documents/, không có đuôi .yaml, ví dụ "
                               "`kho-khan` hoặc `2018/muc-dich`")
    return documents_dir(root) / f"{clean}.yaml"


def load_document(root: Path, name: str, base: Path | None = None) -> StaticDocument:
    """Read and check one document; raises RenderError (missing) or carries problems."""
    from ngoaivu_cli.confine import inside

    path = document_path(root, name)
    if os.path.lexists(path) and not inside(root, path):
        raise RenderError(f"tài liệu `{name}` ({display_path(path, base)}) là liên kết ra ngoài "
                          "kho nhật ký", hint=f"chép tệp vào {FOLDER}/ thay cho liên kết")
    kind = special_kind(path)
    if kind is not None:
        raise RenderError(f"tài liệu `{name}` ({display_path(path, base)}) là {kind}: không đọc",
                          hint=f"thay bằng tệp YAML thường {FOLDER}/{name}.yaml (xem README, "
                               "mục “Tài liệu tĩnh”)")
    if not path.is_file():
        known = sorted(p.relative_to(documents_dir(root)).with_suffix("").as_posix()
                       for p in documents_dir(root).rglob("*.yaml")) if documents_dir(
            root).is_dir() else []
        guess = suggest(name, known)
        raise RenderError(f"không có tài liệu `{name}` ({display_path(path, base)})",
                          hint=(f"có phải ý bạn là `{guess}`? " if guess else "")
                          + f"tạo tệp {FOLDER}/{name}.yaml (xem docs/nhat-ky.md, mục “Tài liệu tĩnh”)")
    doc, problems = read_document(path, name, base)
    errors = [p for p in problems if p.is_error]
    if errors or doc is None:
        from ngoaivu_cli.errors import DataError

        raise DataError(errors)
    return doc


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it is there but is no regular file one can read (a FIFO, a
    device, a socket, a folder, a link to itself or to nothing), in words; None when it is a
    regular file (through its links) or not there at all."""
    try:
        os.lstat(path)
    except OSError:
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "một vòng liên kết tượng trưng (symlink trỏ vào chính nó)"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "liên kết tượng trưng (symlink) trỏ tới tệp không có"
        from ngoaivu_cli.errors import os_reason

        return f"tệp không mở được ({os_reason(exc)})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "một thư mục, không phải tệp"
    return f"{file_kind(mode)}, không phải tệp thường"


def read_document(path: Path, name: str,
                  base: Path | None = None) -> tuple[StaticDocument | None, list[Problem]]:
    """Parse a document file into a StaticDocument and its problems (never raises)."""
    shown = display_path(path, base)
    try:
        raw = read_bytes(path, MAX_DOCUMENT_BYTES)
    except OSError as exc:
        kind = special_kind(Path(path))
        why = f"tài liệu là {kind}: không đọc" if kind else f"không đọc được tệp: {reason(exc)}"
        return None, [Problem(SourceLoc(shown), "E-READ", why,
                              hint="tài liệu phải là tệp YAML thường trong documents/")]
    text, problem = decode_utf8(raw, shown)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(SourceLoc(shown), "E-EMPTY", "tài liệu rỗng",
                              hint="ghi `items:` với ít nhất một đoạn văn")]
    docs, problems = parse_documents(text, shown)
    lines = text.splitlines()
    if not docs:
        return None, problems

    def add(node: YNode, code: str, message: str, field: str, hint: str | None = None) -> None:
        excerpt = lines[node.line - 1] if 0 < node.line <= len(lines) else None
        problems.append(Problem(SourceLoc(shown, node.line, node.col), code, message, field,
                                hint, excerpt=excerpt))

    root = docs[0]
    if not isinstance(root, YMap):
        add(root, "E-TOP-LEVEL", f"tài liệu phải là một bảng khóa: giá trị, không phải "
            f"{type_name(root)}", "-", "viết `style: bullets` và `items:` với các đoạn văn")
        return None, problems
    for key, (knode, _v) in root.pairs.items():
        if key not in DOC_KEYS:
            guess = suggest(key, DOC_KEYS)
            add(knode, "E-UNKNOWN-FIELD", f"khóa `{key}` không được phép", key,
                f"có phải ý bạn là `{guess}`?" if guess else "các khóa: " + ", ".join(DOC_KEYS))
    style = "bullets"
    style_node = root.get("style")
    if isinstance(style_node, YScalar):
        style = style_node.value.strip()
        if style not in DOC_STYLES:
            guess = suggest(style, DOC_STYLES)
            add(style_node, "E-VALUE", f'kiểu "{style}" không hợp lệ', "style",
                (f"có phải ý bạn là `{guess}`? " if guess else "") + "chọn: "
                + ", ".join(DOC_STYLES))
            style = "bullets"
    elif style_node is not None:
        add(style_node, "E-TYPE", "`style` phải là một chữ", "style")
    items_node = root.get("items")
    items: list[DocItem] = []
    if items_node is None:
        add(root, "E-MISSING-FIELD", "thiếu `items` (các đoạn văn của tài liệu)", "items",
            "thêm `items:` rồi mỗi đoạn một dòng `- \"...\"`")
    elif not isinstance(items_node, YSeq):
        add(items_node, "E-TYPE", f"`items` phải là một danh sách, không phải "
            f"{type_name(items_node)}", "items")
    else:
        for i, item in enumerate(items_node.items):
            parsed = _item(item, i, add)
            if parsed:
                items.append(parsed)
        if not items_node.items:
            add(items_node, "E-SUMMARY-EMPTY", "tài liệu không có đoạn văn nào", "items")
    title = root.get("title")
    if isinstance(title, YScalar):
        _control(title, "title", add)
    return StaticDocument(name, shown, style, tuple(items),
                          title.value.strip() if isinstance(title, YScalar) else ""), problems


def _item(item: YNode, i: int, add) -> DocItem | None:  # noqa: ANN001
    field = f"items[{i}]"
    if isinstance(item, YScalar):
        if item.is_null or not item.value.strip():
            add(item, "E-SUMMARY-EMPTY", "đoạn văn để trống", field, "xóa dòng này hoặc ghi nội dung")
            return None
        _control(item, field, add)
        return DocItem(item.value.strip())
    if not isinstance(item, YMap):
        add(item, "E-TYPE", f"mỗi đoạn phải là một chuỗi hoặc bảng text/label, không phải "
            f"{type_name(item)}", field)
        return None
    values: dict[str, str] = {}
    for key, (knode, value) in item.pairs.items():
        if key not in ITEM_KEYS:
            guess = suggest(key, ITEM_KEYS)
            add(knode, "E-UNKNOWN-FIELD", f"khóa `{key}` không được phép", f"{field}.{key}",
                f"có phải ý bạn là `{guess}`?" if guess else "các khóa: " + ", ".join(ITEM_KEYS))
            continue
        if not isinstance(value, YScalar):
            add(value, "E-TYPE", f"`{key}` phải là một chuỗi", f"{field}.{key}")
            continue
        _control(value, f"{field}.{key}", add)
        values[key] = "" if value.is_null else value.value.strip()
    if not values.get("text"):
        add(item, "E-SUMMARY-EMPTY", "thiếu nội dung `text`", f"{field}.text",
            "ghi `text: \"...\"`")
        return None
    return DocItem(values["text"], values.get("label", ""), values.get("footnote", ""))


def _control(node: YScalar, field: str, add) -> None:  # noqa: ANN001
    """A control character in a text of the document is an error (E-TEXT-CONTROL), as in an
    entry: it is never stripped in silence (``str.strip`` took \\x1c-\\x1f, \\x85 off the
    ends, and a Word file cannot hold most of them)."""
    if node.is_null:
        return
    found = _CONTROL.search(node.value)
    if found is not None:
        add(node, "E-TEXT-CONTROL", f"chữ chứa ký tự điều khiển không in được "
            f"(U+{ord(found.group()):04X})", field,
            "xóa ký tự lạ (thường do sao chép từ PDF hoặc phần mềm khác)")


def check_documents(paths: list[Path], base: Path | None = None,
                    root: Path | None = None) -> list[Problem]:
    """Problems of every document file under ``paths`` (for ``ngoaivu validate``); with
    ``root``, a document that leads outside the log (a link) is refused, not read."""
    from ngoaivu_cli.confine import escapes

    problems: list[Problem] = []
    for path in paths:
        name = path.stem
        if root is not None and escapes(root, path):
            problems.append(Problem(
                SourceLoc(display_path(path, base)), "E-READ",
                "tài liệu là liên kết ra ngoài kho nhật ký (không đọc)",
                hint=f"chép tệp vào {FOLDER}/ thay cho liên kết"))
            continue
        _doc, found = read_document(path, name, base)
        problems.extend(found)
    return problems
