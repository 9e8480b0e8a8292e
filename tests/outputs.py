"""Every document this tool ships a way to write: each shipped report type on the shipped log,
and each example's report, rendered in-process into a folder (for the schema and check tests)."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from ngoaivu_cli.cli import main

ROOT = Path(__file__).resolve().parents[1]

# name → (folder to run in, report arguments); every shipped type and every example appears
OUTPUTS: dict[str, tuple[Path, list[str]]] = {
    "weekly": (ROOT, ["--period", "2023-08-24:2023-08-31", "--type", "bao_cao_tuan"]),
    "monthly": (ROOT, ["--period", "tháng 01/2021", "--type", "thong_tin_doi_ngoai_thang"]),
    "quarterly": (ROOT, ["--period", "quý III/2023", "--type", "bao_cao_dinh_ky"]),
    "year": (ROOT, ["--period", "năm 2023", "--type", "bao_cao_dinh_ky"]),
    "cong-van": (ROOT / "examples" / "cong-van-nhiem-ky",
                 ["--period", "từ đầu nhiệm kỳ đến nay", "--today", "2022-08-15",
                  "--type", "cong_van_nghi_quyet_hdnd"]),
    "ke-hoach": (ROOT / "examples" / "ke-hoach-nam",
                 ["--period", "năm 2018", "--type", "ke_hoach_nam", "--date", "2018-02-05"]),
    "lam-giang-tuan": (ROOT / "examples" / "tinh-lam-giang", ["--period", "25/11 - 01/12/2024"]),
    "lam-giang-thang": (ROOT / "examples" / "tinh-lam-giang", ["--period", "tháng 11/2024"]),
    "tong-hop-6-thang": (ROOT / "examples" / "tong-hop-nguon" / "so-ngoai-vu",
                         ["--period", "6 tháng đầu năm 2024", "--type",
                          "bao_cao_tong_hop_6_thang"]),
    "tong-hop-ke-hoach": (ROOT / "examples" / "tong-hop-nguon" / "so-ngoai-vu",
                          ["--period", "6 tháng cuối năm 2024", "--type", "ke_hoach_tinh"]),
}


def render_all(folder: Path, *extra: str) -> dict[str, Path]:
    """Render every output into ``folder``; ``extra`` goes to each ``report`` command."""
    old = Path.cwd()
    saved = {k: os.environ.pop(k, None) for k in ("NGOAIVU_CONFIG", "SOURCE_DATE_EPOCH")}
    out: dict[str, Path] = {}
    try:
        for name, (where, args) in OUTPUTS.items():
            os.chdir(where)
            target = folder / f"{name}.docx"
            result = CliRunner().invoke(main, ["report", *args, *extra, "-o", str(target),
                                               "--force"], catch_exceptions=False)
            assert result.exit_code == 0, f"{name}: {result.output}"
            out[name] = target
    finally:
        os.chdir(old)
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value
    return out
