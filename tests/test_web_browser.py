"""``ngoaivu serve`` in a real browser: Debian's Chromium driven by Playwright, the server run
by waitress in a thread on a free port, on a copy of the repository's log.

Skipped, with the reason, when Playwright or Chromium is missing; CI (``.ci/run``) installs
Chromium and sets NGOAIVU_REQUIRE_CHROMIUM=1, so there they fail instead.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")

ROOT = Path(__file__).resolve().parents[1]
WEEK = "2023-08-24:2023-08-31"


def _why_not() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright chưa được cài (pip install playwright)"
    from ngoaivu_cli.web.testing import chromium_path

    if chromium_path() is None:
        return "không có Chromium (/usr/bin/chromium): apt-get install chromium"
    return None


REASON = _why_not()
if REASON and os.environ.get("NGOAIVU_REQUIRE_CHROMIUM"):
    raise RuntimeError(f"NGOAIVU_REQUIRE_CHROMIUM=1 nhưng {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from ngoaivu_cli.web.testing import browser

    with browser() as launched:
        yield launched


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    from ngoaivu_cli.web.testing import running

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with running(tmp_path) as url:
        yield url, tmp_path


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(accept_downloads=True, locale="vi-VN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # a page answering a refused form (422 at the fields, 409 conflict) is meant
    meant = ("(UNPROCESSABLE ENTITY)", "(CONFLICT)")
    yield tab
    context.close()
    assert [e for e in errors if not e.endswith(meant)] == []  # no script error, no CSP refusal


def _fill_activity(page: Any, *, date: str, summary: str) -> None:
    page.fill("input[name=date]", date)
    page.select_option("select[name=category]", "dich_thuat")
    page.fill("textarea[name=summary]", summary)
    page.select_option("select[name=unit]", "TTDT")
    page.fill("input[name=partners]", "Lào")


def test_add_fix_a_field_and_see_it_in_the_list(site: tuple[str, Path], page: Any) -> None:
    url, root = site
    page.goto(url + "them")
    _fill_activity(page, date="31/2/2023", summary="Dịch tài liệu hội thảo xúc tiến đầu tư")
    page.click("text=Ghi và thêm tiếp")
    error = page.locator("#err-date")
    assert "không có trên lịch" in error.inner_text()
    assert page.locator("input[name=date]").get_attribute("aria-invalid") == "true"
    assert page.locator("textarea[name=summary]").input_value().startswith("Dịch tài liệu")
    assert not list((root / "data" / "2023" / "08").glob("*hoi-thao-xuc-tien*"))
    page.fill("input[name=date]", "28/8/2023")
    page.click("button[type=submit]:has-text('Ghi')>>nth=0")
    assert "Đã ghi" in page.inner_text("main")
    assert list((root / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*"))
    page.click("nav >> text=Nhật ký")
    page.fill("input[name=ky]", "thang 8/2023")
    page.click("form.filters button")
    page.wait_for_url("**ky=thang*")
    row = page.locator("table.entries tr", has_text="Dịch tài liệu hội thảo xúc tiến đầu tư")
    assert row.count() == 1 and "28/8/2023" in row.inner_text()
    assert "ky=thang" in page.url and "8%2F2023" in page.url  # the view is its own link


def test_edit_with_a_conflict_from_a_second_tab(site: tuple[str, Path], page: Any) -> None:
    url, _root = site
    page.goto(url + "them")
    _fill_activity(page, date="28/8/2023", summary="Dịch tài liệu hội thảo")
    page.click("button[type=submit]>>nth=0")
    page.wait_for_url("**/hoat-dong/**")
    page.click("a.button:has-text('Sửa')")
    page.wait_for_url("**/sua/**")
    page.wait_for_selector("textarea[name=summary]")
    other = page.context.new_page()
    other.goto(page.url)
    other.fill("textarea[name=summary]", "Bản của tab thứ hai")
    other.click("button:has-text('Ghi thay đổi')")
    assert "Đã ghi" in other.inner_text("main")
    page.fill("textarea[name=summary]", "Bản của tab thứ nhất")
    page.click("button:has-text('Ghi thay đổi')")
    text = page.inner_text("main")
    assert "đã được sửa ở nơi khác" in text.lower() or "Tệp đã được sửa" in text
    assert "Bản của tab thứ hai" in text and "Bản của tab thứ nhất" in text


def test_delete_and_restore(site: tuple[str, Path], page: Any) -> None:
    url, root = site
    page.goto(url + "them")
    _fill_activity(page, date="28/8/2023", summary="Hoạt động sẽ xóa")
    page.click("button[type=submit]>>nth=0")
    page.wait_for_url("**/hoat-dong/**")
    page.click("a.button:has-text('Xóa')")
    page.wait_for_url("**/xoa/**")
    page.click("button:has-text('Xóa')")
    page.wait_for_url("**/thung-rac**")
    assert "Đã xóa" in page.inner_text("main")
    assert not list((root / "data").rglob("*hoat-dong-se-xoa*"))
    page.click("button:has-text('Khôi phục')")
    page.wait_for_url("**/hoat-dong/**")
    assert "Hoạt động sẽ xóa" in page.inner_text("main")
    assert list((root / "data").rglob("*hoat-dong-se-xoa*"))


def test_preview_and_download_the_docx(site: tuple[str, Path], page: Any) -> None:
    from docx import Document

    url, _root = site
    page.goto(url + f"bao-cao?ky={WEEK}&loai=bao_cao_tuan")
    paper = page.inner_text("article.paper")
    assert "KẾT QUẢ THỰC HIỆN" in paper and "Nơi nhận:" in paper
    with page.expect_download() as caught:
        page.click("text=Word (DOCX)")
    download = caught.value
    assert download.suggested_filename == "bao-cao-tuan-2023-08-24_2023-08-31.docx"
    body = "\n".join(p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes()))
                     .paragraphs)
    assert "KẾT QUẢ THỰC HIỆN" in body


def _drop(site: tuple[str, Path], page: Any, tmp_path: Path, report: str) -> tuple[str, Path]:
    """Drop an old report (January 2021, whose activities are taken out of the log first) on
    the Nhập page and read it (the dry run); the site's address and log."""
    url, root = site
    shutil.rmtree(root / "data" / "2021")
    old = tmp_path / "bao-cao-cu.txt"
    old.write_text(report, encoding="utf-8")
    page.goto(url + "nhap")
    page.set_input_files("input[name=tep]", str(old))
    page.click("button:has-text('Đọc thử')")
    return url, root


def test_import_an_old_report(site: tuple[str, Path], page: Any, tmp_path: Path) -> None:
    from tests.test_web import OLD_REPORT

    url, root = _drop(site, page, tmp_path, OLD_REPORT)
    assert "2 hoạt động đề xuất" in page.inner_text("main")
    page.click("button:has-text('Ghi vào nhật ký')")
    assert "Đã ghi" in page.inner_text("main")
    assert list((root / "data" / "2021").rglob("*.yaml"))


def test_every_step_works_without_javascript(site: tuple[str, Path], chromium: Any) -> None:
    """Plain links and forms: the same add, list and download with scripts turned off."""
    url, root = site
    context = chromium.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(url + "them")
        _fill_activity(page, date="29/8/2023", summary="Tiếp đoàn khách không dùng script")
        page.click("button[type=submit]>>nth=0")
        assert "Đã ghi" in page.inner_text("main")
        assert list((root / "data" / "2023" / "08").glob("2023-08-29-tiep-doan-khach*"))
        page.goto(url + "nhat-ky")
        page.fill("input[name=ky]", "tháng 8/2023")
        page.click("form.filters button")
        assert page.locator("table.entries tr", has_text="không dùng script").count() == 1
        page.goto(url + f"bao-cao?ky={WEEK}&loai=bao_cao_tuan")
        with page.expect_download() as caught:
            page.click("text=Markdown")
        assert caught.value.suggested_filename.endswith(".md")
    finally:
        context.close()


def test_the_number_fields_follow_the_category(site: tuple[str, Path], page: Any) -> None:
    """Choosing a category swaps in its own number fields (htmx), keeping what was typed."""
    url, _root = site
    page.goto(url + "them")
    assert page.locator("fieldset.metrics.own").count() == 0
    page.click("details.metrics summary")
    page.fill("input[name=m_trang_bd_noi_dung]", "7")
    page.select_option("select[name=category]", "doan_ra_doan_vao")
    own = page.locator("fieldset.metrics.own")
    own.wait_for()
    assert own.locator("input[name=m_doan_ra]").count() == 1
    assert page.locator("input[name=m_trang_bd_noi_dung]").input_value() == "7"
    assert page.url.endswith("/them")  # the page itself did not change
    page.select_option("select[name=category]", "dich_thuat")
    # a locator, not wait_for_function: its polling evaluates a string, which the app's
    # Content-Security-Policy (script-src 'self') rightly refuses
    page.locator("fieldset.metrics.own input[name=m_doan_ra]").wait_for(state="detached")
    assert page.locator("fieldset.metrics.own input[name=m_trang_bd_noi_dung]").input_value() \
        == "7"


def test_import_choose_and_correct(site: tuple[str, Path], page: Any, tmp_path: Path) -> None:
    """Drop an old report, untick one activity, change another's category, write: two."""
    from ngoaivu_cli import api
    from tests.test_web import THREE

    url, root = _drop(site, page, tmp_path, THREE)
    assert "3 hoạt động đề xuất" in page.inner_text("main")
    page.uncheck("input[name=chon][value='1']")
    page.select_option("select[name=lv_2]", "dich_thuat")
    page.click("button:has-text('Ghi vào nhật ký')")
    assert "Đã ghi" in page.inner_text("main")
    entries = [e for p in sorted((root / "data" / "2021").rglob("*.yaml"))
               for e in api.entries_of_text(p.read_text("utf-8"), str(p))[0]]
    assert len(entries) == 2
    assert entries[0].summary.startswith("Tham mưu") and entries[1].category == "dich_thuat"
