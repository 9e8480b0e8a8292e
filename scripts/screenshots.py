#!/usr/bin/env python3
"""Screenshots of every page of ``ngoaivu serve`` into docs/img/web-*.png, so that the README's
pictures stay current: ``python scripts/screenshots.py`` (needs the ``web`` extra, Playwright
and Debian's chromium). Runs on a copy of the repository's log ``data/`` in a temporary folder,
adds one activity and one broken file there (so the Lỗi page has something to show), and never
touches the repository's own log."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ngoaivu_cli.web.testing import browser, running  # noqa: E402

WEEK = "2023-08-24:2023-08-31"
OLD_REPORT = """BÁO CÁO
Công tác thông tin đối ngoại tháng 01/2021
và kế hoạch trọng tâm tháng 02/2021

Kính gửi: Ban Tuyên giáo Tỉnh ủy

I. Công tác thông tin đối ngoại tháng 01/2021

- Tham mưu Thường trực Tỉnh ủy văn bản gửi Ủy ban Chính quyền tỉnh Bolykhamxay chúc mừng năm mới.
- Phối hợp tổ chức Hội nghị gặp mặt kiều bào tiêu biểu nhân dịp Tết Nguyên đán.
- Dịch tài liệu quảng bá du lịch sang tiếng Lào.
"""
PAGES = [  # (file name, path, what to do before the picture)
    ("web-nhat-ky", "nhat-ky?ky=th%C3%A1ng%208/2023", None),
    ("web-them", "them?linh_vuc=doan_ra_doan_vao", None),
    ("web-them-loi", "them", "invalid"),
    ("web-loi", "loi", None),
    ("web-bao-cao", f"bao-cao?ky={WEEK}&loai=bao_cao_tuan", "pictures"),
    ("web-nhap", "nhap", None),
    ("web-nhap-chon", "nhap", "import"),
    ("web-kiem-tra", "kiem-tra", None),
    ("web-don-vi", "don-vi", None),
    ("web-thung-rac", "thung-rac", None),
]


def main() -> int:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ngoaivu-shots-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "data", root / "data")
        (root / "data" / "2021" / "02" / "2021-02-25-chua-xong.yaml").write_text(
            "date: 2021-02-25\ncategory: doan_ra\nsummary: Đoàn công tác sang Lào\n",
            encoding="utf-8")
        os.chdir(root)
        os.environ.pop("NGOAIVU_CONFIG", None)
        with running(root) as url, browser() as chromium:
            page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
            for name, path, action in PAGES:
                page.goto(url + path)
                if action == "invalid":
                    page.fill("input[name=date]", "31/2/2023")
                    page.select_option("select[name=category]", "doan_ra_doan_vao")
                    page.fill("textarea[name=summary]", "Đón đoàn Tổng Lãnh sự quán Lào")
                    page.click("button[type=submit]>>nth=0")
                    page.wait_for_selector(".field-error")
                elif action == "pictures":  # the page pictures (LibreOffice), when there are
                    page.wait_for_selector("#anh-trang:not([hx-get])", timeout=120_000)
                elif action == "import":  # an old report read, one unticked, one corrected
                    old = root / "bao-cao-cu.txt"
                    old.write_text(OLD_REPORT, encoding="utf-8")
                    page.set_input_files("input[name=tep]", str(old))
                    page.click("button:has-text('Đọc thử')")
                    page.uncheck("input[name=chon][value='1']")
                    page.select_option("select[name=lv_2]", "dich_thuat")
                page.screenshot(path=str(out / f"{name}.png"), full_page=name != "web-bao-cao")
                print(out / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
