"""Robustness of ``ngoaivu validate``: a seeded generator writes a few hundred malformed entry
files (mutations of valid entries) into one log; every file must be named in a problem with an
error, the run must exit 1, and nothing may crash (no traceback, no "Lỗi nội bộ").

Every mutation is built so that its file is certainly wrong (for instance random bytes always
contain one that is invalid in UTF-8), so "every file is reported" is an exact assertion.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ngoaivu_cli.cli import main

SEED = 20230828
COUNT = 260  # files per run; the whole module stays well under 20 s

pytestmark = pytest.mark.usefixtures("clean_env")

FIRST_LINE_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
                           r"(?P<code>[EW]-[A-Z0-9-]+): ")
SUMMARY_RE = re.compile(r"^\d+ lỗi, \d+ cảnh báo(?: trong \d+ tệp)? \(đã kiểm tra (\d+) tệp, "
                        r"\d+ hoạt động\)$", re.MULTILINE)

CATEGORIES = ["chu_tri_hop", "lanh_su", "doan_ra_doan_vao", "bien_gioi", "hop_tac_lao",
              "thong_tin_doi_ngoai", "dich_thuat"]
UNITS = ["BGD", "VPTTr", "HTQT", "LSBG", "QLBG", "TTDT"]
METRICS = ["doan_ra", "luot_ra", "doan_vao", "luot_khach", "hoi_thao", "vu_viec_bao_ho"]
SUMMARIES = [
    "Chủ trì họp các sở, ngành thống nhất nội dung báo cáo",
    "Tham mưu UBND tỉnh đón tiếp Đoàn công tác tỉnh Bolikhămxay (Lào)",
    "Phối hợp xử lý vụ việc bảo hộ công dân Hà Tĩnh tại Hàn Quốc",
    "Cử đoàn cán bộ đi công tác tại Nhật Bản, Hàn Quốc",
    "Báo cáo Bộ Ngoại giao tình hình thực hiện thỏa thuận quốc tế",
    "Tuần tra song phương đoạn biên giới Việt Nam - Lào",
    "Đón tiếp Đại sứ Đặc mệnh toàn quyền Cộng hòa Liên bang Đức",
]
# characters YAML refuses in a file: C0/C1 controls (not TAB, LF, CR, NEL), DEL, U+FFFE/FFFF
BAD_CHARS = ([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\x7f"]
             + [chr(c) for c in range(0x80, 0xA0) if c != 0x85] + ["\ufffe", "\uffff"])
NOISE = ["\u200f", "\u200e", "\u202e", "\u202a", "\u200b", "\u2060", "\ufeff", "\u0301", "\u0323",
         "\u0309", "\u0303", "\U0001f600", "\u0e01", "\u4e2d", "\u0644", "\u00a0", "\u3000"]
# bytes that can never appear in UTF-8, and lone continuation bytes
INVALID_BYTES = [0xC0, 0xC1, *range(0xF5, 0x100), *range(0x80, 0xC0)]
REFUSED_TAGS = ["!!python/object/apply:os.system", "!!python/object:os.system",
                "!!python/name:os.system", "!!python/tuple", "!!binary", "!!set", "!khac",
                "!<tag:example.com,2000:x>"]


def entry(rng: random.Random, day: int) -> str:
    """A valid entry (date, category and summary first, so that truncating before summary
    always removes a required field)."""
    lines = [f"date: 2023-08-{day:02d}", f"category: {rng.choice(CATEGORIES)}",
             f"summary: {rng.choice(SUMMARIES)}", f"unit: {rng.choice(UNITS)}"]
    if rng.random() < 0.5:
        lines.append(f"tags: [ttdn, {rng.choice(['lao', 'doan-vao', 'so-lieu'])}]")
    if rng.random() < 0.5:
        lines.append("partners:\n  - Lào\n  - Thái Lan")
    if rng.random() < 0.5:
        lines.append(f"metrics:\n  {rng.choice(METRICS)}: {rng.randint(0, 9)}")
    return "\n".join(lines) + "\n"


def _char_boundary_insert(rng: random.Random, text: str, piece: bytes) -> bytes:
    pos = rng.randint(0, len(text))
    return text[:pos].encode() + piece + text[pos:].encode()


def _cp1258(text: str) -> bytes:
    """Windows-1258: base letters with the tone written as a combining mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out += base.encode("cp1258", errors="replace")
        out += "".join(p for p in parts if p in tones).encode("cp1258")
    return bytes(out)


def _summary_line(text: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines()) if ln.startswith("summary:"))


# Each mutation: (rng, valid text, day) -> bytes of a certainly malformed file.
def m_truncate(rng: random.Random, text: str, day: int) -> bytes:
    return text[: rng.randint(0, text.index("summary:"))].encode()


def m_invalid_bytes(rng: random.Random, text: str, day: int) -> bytes:
    piece = bytes(rng.choice(INVALID_BYTES) for _ in range(rng.randint(1, 3)))
    return _char_boundary_insert(rng, text, piece)


def m_random_bytes(rng: random.Random, text: str, day: int) -> bytes:
    raw = bytearray(rng.randbytes(rng.randint(1, 400)))
    raw[rng.randrange(len(raw))] = rng.choice(INVALID_BYTES)
    return bytes(raw)


def m_wrong_indent(rng: random.Random, text: str, day: int) -> bytes:
    lines = text.splitlines()
    lines[1] = " " * rng.randint(1, 3) + lines[1]  # category under date's value
    return ("\n".join(lines) + "\n").encode()


def m_tab(rng: random.Random, text: str, day: int) -> bytes:
    lines = text.splitlines()
    i = rng.choice([j for j, ln in enumerate(lines) if j > 0 and not ln.startswith(" ")])
    lines[i] = "\t" * rng.randint(1, 2) + lines[i]
    return ("\n".join(lines) + "\n").encode()


def m_control_char(rng: random.Random, text: str, day: int) -> bytes:
    lines = text.splitlines()
    i = _summary_line(text)
    pos = rng.randint(len("summary: ") + 1, len(lines[i]))
    lines[i] = lines[i][:pos] + rng.choice(BAD_CHARS) + lines[i][pos:]
    return ("\n".join(lines) + "\n").encode()


def m_escaped_control(rng: random.Random, text: str, day: int) -> bytes:
    """A control character written as an escape inside a quoted summary (E-TEXT-CONTROL)."""
    lines = text.splitlines()
    i = _summary_line(text)
    words = lines[i][len("summary: "):].split(" ")
    k = rng.randint(1, len(words) - 1)
    code = rng.choice([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0x7F])
    words.insert(k, f"\\x{code:02x}")
    lines[i] = 'summary: "' + " ".join(words) + '"'
    return ("\n".join(lines) + "\n").encode()


def m_unicode_noise(rng: random.Random, text: str, day: int) -> bytes:
    """RTL/zero-width/combining noise in the summary and inside a required key."""
    lines = text.splitlines()
    i = _summary_line(text)
    noisy = list(lines[i][len("summary: "):])
    for _ in range(rng.randint(1, 6)):
        noisy.insert(rng.randint(0, len(noisy)), rng.choice(NOISE))
    key = rng.choice(["date", "category", "summary"])
    broken = key[:1] + rng.choice(["\u200f", "\u200b", "\u0301", "\u202e", "\u00a0"]) + key[1:]
    lines[i] = "summary: " + "".join(noisy)
    j = next(n for n, ln in enumerate(lines) if ln.startswith(key + ":"))
    lines[j] = broken + lines[j][len(key):]
    return ("\n".join(lines) + "\n").encode()


def m_random_unicode(rng: random.Random, text: str, day: int) -> bytes:
    chars = [chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x2FFF),
                             rng.randint(0x1F300, 0x1F6FF)])) for _ in range(rng.randint(0, 200))]
    chars.insert(rng.randint(0, len(chars)), rng.choice(BAD_CHARS))
    return "".join(chars).encode("utf-8")


def m_deep(rng: random.Random, text: str, day: int) -> bytes:
    n = rng.choice([65, 100, 500, 2000, 3000])  # deeper than ~30 000 crashes, see below
    kind = rng.choice(["list", "map", "open"])
    if kind == "list":
        value = "[" * n + "]" * n
    elif kind == "map":
        value = "{a: " * n + "1" + "}" * n
    else:
        value = "[" * n
    return (text + f"tags: {value}\n").encode()


def m_alias(rng: random.Random, text: str, day: int) -> bytes:
    kind = rng.choice(["end", "merge", "undefined", "bomb"])
    if kind == "end":
        return text.replace(f"date: 2023-08-{day:02d}", f"date: &d 2023-08-{day:02d}", 1) \
            .encode() + b"end: *d\n"
    if kind == "merge":
        return ("- &a\n" + "".join(f"  {ln}\n" for ln in text.splitlines())
                + "- <<: *a\n  summary: Hoạt động khác\n").encode()
    if kind == "undefined":
        return (text + "partners: [*khong_co]\n").encode()
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    return (text + "l0: &l0 [lol]\n" + bomb).encode()


def m_tag(rng: random.Random, text: str, day: int) -> bytes:
    field = rng.choice([f for f in ("tags", "partners", "footnote", "metrics", "end")
                        if f"\n{f}:" not in text])
    return (text + f'{field}: {rng.choice(REFUSED_TAGS)} ["echo pwned"]\n').encode()


def m_huge_key(rng: random.Random, text: str, day: int) -> bytes:
    key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rng.randint(50, 5000)))
    return (text + f"{key}: 1\n").encode()


def m_encoding(rng: random.Random, text: str, day: int) -> bytes:
    kind = rng.choice(["cp1258", "utf-16", "utf-32", "tcvn3-bytes", "latin-1"])
    if kind == "cp1258":
        return _cp1258(text)
    if kind == "tcvn3-bytes":  # TCVN3 letters are single bytes 0xA1-0xFF
        return text.encode() + b"footnote: B\xb8o c\xb8o\n"
    if kind == "latin-1":
        return text.encode("latin-1", errors="replace") + b"footnote: caf\xe9\n"
    return text.encode(kind)


def m_empty(rng: random.Random, text: str, day: int) -> bytes:
    return rng.choice([b"", b"\n", b"   \n\n", b"# ghi ch\xc3\xba\n", b"\xef\xbb\xbf",
                       b"\xef\xbb\xbf\n# x\n", b"\t\n"])


def m_top_level(rng: random.Random, text: str, day: int) -> bytes:
    return rng.choice([text.replace(": ", " "), "- Họp\n- Báo cáo\n", "42\n", '"Họp"\n',
                       "- - date: 2023-08-01\n", "---\n- [a]\n"]).encode()


def m_wrong_value(rng: random.Random, text: str, day: int) -> bytes:
    day_text = f"2023-08-{day:02d}"
    kind = rng.choice(["date-invalid", "date-dmy", "end-span", "end-order", "category", "unit",
                       "metric-name", "metric-neg", "metric-text", "status", "summary-empty",
                       "summary-list", "dup-key", "missing", "tcvn3", "vni"])
    swap = {
        "date-invalid": (day_text, "2023-02-30"),
        "date-dmy": (day_text, f"{day:02d}/08/2023"),
        "category": ("category: ", "category: khong_co_"),
        "unit": ("unit: ", "unit: x"),
        "summary-empty": ("summary: ", 'summary: "   "  # '),
        "summary-list": ("summary: ", "summary:\n  - "),
        "missing": ("category: ", "# category: "),
        "tcvn3": ("summary: ", "summary: B¸o c¸o t×nh h×nh "),
        "vni": ("summary: ", "summary: Baùo caùo tình hình "),
    }
    if kind in swap:
        old, new = swap[kind]
        return text.replace(old, new, 1).encode()
    extra = {
        "end-order": f"end: 2023-07-{day:02d}\n",
        "end-span": "end: 2023-12-31\n",
        "metric-name": "metrics:\n  doan_raa: 1\n",
        "metric-neg": "metrics:\n  doan_ra: -1\n",
        "metric-text": "metrics:\n  luot_ra: 12:30\n",
        "status": "status: xong\n",
        "dup-key": "unit: HTQT\n",
    }[kind]
    if kind.startswith("metric") and "metrics:" in text:
        text = text[: text.index("metrics:")]
    return (text + extra).encode()


def m_long_line_many_problems(rng: random.Random, text: str, day: int) -> bytes:
    """One long line holding hundreds to thousands of problems (nulls, lists, maps in tags or
    partners), sometimes after a very long summary: output must stay bounded."""
    n = rng.choice([200, 1000, 3000])
    bad = rng.choice(["~", "[]", "{}", "[x]", "{a: 1}"])
    field = rng.choice(["tags", "partners"])
    if rng.random() < 0.5:
        text = text.replace("summary: ", "summary: " + "rất dài " * rng.randint(500, 3000), 1)
    return (text + f"{field}: [" + ", ".join([bad] * n) + "]\n").encode()


MUTATIONS: list[Callable[[random.Random, str, int], bytes]] = [
    m_truncate, m_invalid_bytes, m_random_bytes, m_wrong_indent, m_tab, m_control_char,
    m_escaped_control, m_unicode_noise, m_random_unicode, m_deep, m_alias, m_tag, m_huge_key,
    m_encoding, m_empty, m_top_level, m_wrong_value, m_long_line_many_problems,
]


def make_log(root: Path, seed: int = SEED, count: int = COUNT) -> list[str]:
    """Write ``count`` malformed files under root/data; returns their paths relative to root."""
    rng = random.Random(seed)
    folder = root / "data" / "2023" / "08"
    folder.mkdir(parents=True)
    shown = []
    for i in range(count):
        day = rng.randint(1, 31)
        mutation = MUTATIONS[i % len(MUTATIONS)]  # every kind, evenly
        raw = mutation(rng, entry(rng, day), day)
        roll = rng.random()
        if roll < 0.85:
            name = f"2023-08-{day:02d}-fuzz-{i:03d}-{mutation.__name__[2:].replace('_', '-')}.yaml"
        elif roll < 0.95:
            name = f"fuzz {i:03d} ghi chú.yaml"
        else:
            name = f"2023-8-{day}-fuzz-{i:03d}.yml"
        (folder / name).write_bytes(raw)
        shown.append(f"data/2023/08/{name}")
    big = folder / "2023-08-31-fuzz-qua-lon.yaml"
    big.write_bytes(entry(rng, 31).encode() + b"#" * 1_000_001)
    shown.append(f"data/2023/08/{big.name}")
    # special files where an entry is expected: each is E-READ, none may block the run
    specials = {"2023-08-30-fuzz-fifo.yaml": "fifo", "2023-08-30-fuzz-dev-zero.yaml": "zero",
                "2023-08-30-fuzz-dev-null.yaml": "null"}  # (a folder named .yaml is a folder)
    for name, kind in specials.items():
        path = folder / name
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to(f"/dev/{kind}")
        shown.append(f"data/2023/08/{name}")
    return shown


def reported(output: str) -> dict[str, set[str]]:
    """path -> severities of its problems, from the first lines of the text output."""
    out: dict[str, set[str]] = {}
    for line in output.splitlines():
        m = FIRST_LINE_RE.match(line)
        if m:
            out.setdefault(m["path"], set()).add(m["severity"])
    return out


def test_generator_is_deterministic(tmp_path: Path):
    a = make_log(tmp_path / "a", count=40)
    b = make_log(tmp_path / "b", count=40)
    assert a == b
    for rel in a:
        if (tmp_path / "a" / rel).is_file() and not (tmp_path / "a" / rel).is_symlink():
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_malformed_files_are_all_reported(tmp_path: Path, monkeypatch, clean_env: Path):
    shown = make_log(tmp_path)
    assert len(shown) >= 200
    monkeypatch.chdir(tmp_path)

    # in process: NGOAIVU_DEBUG=1 (clean_env) turns an internal error into an exception
    result = CliRunner(catch_exceptions=False).invoke(main, ["validate", "data"])
    out = result.output
    assert result.exit_code == 1
    assert "Traceback" not in out and "Lỗi nội bộ" not in out
    found = reported(result.stdout)
    missing = [p for p in shown if p not in found]
    assert not missing, f"not reported: {missing[:10]}"
    without_error = [p for p in shown if "error" not in found[p]]
    assert not without_error, f"only warnings: {without_error[:10]}"
    assert set(found) == set(shown)
    (checked,) = SUMMARY_RE.findall(result.stdout)
    assert int(checked) == len(shown)

    # the real program, once for the whole folder, as a user runs it
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGOAIVU_")}
    env.update(HOME=str(clean_env), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "validate", "data"],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120)
    stdout = proc.stdout.decode("utf-8")
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stdout + stderr
    assert "Lỗi nội bộ" not in stdout + stderr
    assert stderr == ""
    assert set(reported(stdout)) == set(shown)
    assert stdout == result.stdout
    # bounded output whatever the files hold: excerpt windows, 50 problems a file at most
    assert max(len(line) for line in stdout.splitlines()) < 1000  # escapes: 4 chars each
    assert len(stdout) < 5_000 * len(shown)  # (before: one 3,000-problem line was 50 MB)
    assert "\x1b" not in stdout


def test_json_output_of_the_malformed_log(tmp_path: Path, monkeypatch):
    import json

    shown = make_log(tmp_path, seed=SEED + 1, count=120)
    monkeypatch.chdir(tmp_path)
    result = CliRunner(catch_exceptions=False).invoke(main, ["validate", "data", "--format",
                                                             "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["files_checked"] == len(shown)
    paths = {d["path"] for d in doc["diagnostics"] if d["severity"] == "error"}
    assert paths == set(shown)
    keys = [(d["path"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert keys == sorted(keys)


def test_bug_very_deep_nesting_does_not_crash(tmp_path: Path, clean_env: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2023-08-28-sau.yaml").write_text(
        "date: 2023-08-28\ncategory: chu_tri_hop\nsummary: Họp\ntags: " + "[" * 100_000 + "\n",
        "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGOAIVU_")}
    env.update(HOME=str(clean_env), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ngoaivu_cli", "validate", "data"],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert b"data/2023-08-28-sau.yaml:" in proc.stdout
