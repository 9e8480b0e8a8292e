"""``ngoaivu serve``: every page, permission, CSRF, Host, path-escape, upload and conflict case,
through Flask's test client on a copy of the repository's log."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("flask")

from ngoaivu_cli import api, web  # noqa: E402
from ngoaivu_cli.cli import main  # noqa: E402
from ngoaivu_cli.web.app import TRASH, create_app, entry_id  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WEEK = "2023-08-24:2023-08-31"
OLD_REPORT = """BÁO CÁO
Công tác thông tin đối ngoại tháng 01/2021
và kế hoạch trọng tâm tháng 02/2021

Kính gửi: Ban Tuyên giáo Tỉnh ủy

I. Công tác thông tin đối ngoại tháng 01/2021

- Tham mưu Thường trực Tỉnh ủy văn bản gửi Ủy ban Chính quyền tỉnh Bolykhamxay chúc mừng năm mới.
- Phối hợp tổ chức Hội nghị gặp mặt kiều bào tiêu biểu nhân dịp Tết Nguyên đán.
"""


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's log, the working folder (as `ngoaivu serve` makes it)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOAIVU_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


class Browser:
    """A test client that keeps the session and fills in the form's CSRF token."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()
        self.token = ""

    def get(self, url: str, **kw: Any) -> Any:
        response = self.client.get(url, **kw)
        found = response.mimetype == "text/html" and re.search(
            r'name="csrf" value="([^"]+)"', response.get_data(as_text=True))
        if found:
            self.token = found[1]
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
             **kw: Any) -> Any:
        if csrf and not self.token:
            self.get("/them" if "/them" in url else "/kiem-tra")
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf", self.token)
        return self.client.post(url, data=data, **kw)


def browser(root: Path, **kw: Any) -> Browser:
    return Browser(create_app(root, **kw))


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def field_errors(response: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'class="field-error" id="err-([\w-]+)">([^<]*)<',
                                    text(response)):
        found.setdefault(name, []).append(message)
    return found


def entry_files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in (root / "data").rglob("*.yaml")}


FORM = {"date": "28/8/2023", "category": "dich_thuat", "status": "done", "unit": "TTDT",
        "summary": "Dịch tài liệu hội thảo xúc tiến đầu tư", "partners": "Lào, Nhật Bản",
        "tags": "dich-thuat", "m_trang_bd_noi_dung": "12"}


def add(b: Browser, **changes: str) -> Any:
    return b.post("/them", {**FORM, **changes})


def key_of(response: Any) -> str:
    found = re.search(r"/hoat-dong/([0-9a-f]{16})", response.headers["Location"])
    assert found, response.headers["Location"]
    return found[1]


def seen_of(response: Any) -> str:
    found = re.search(r'name="seen" value="([0-9a-f]+)"', text(response))
    assert found
    return found[1]


# --------------------------------------------------------------------------- the vendored script


def test_vendored_htmx_is_the_recorded_file() -> None:
    data = (Path(web.__file__).parent / "static" / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == web.HTMX_SHA256
    assert f'version:"{web.HTMX_VERSION}"' in data.decode()
    vendored = (Path(web.__file__).parent / "static" / "VENDORED.md").read_text("utf-8")
    assert web.HTMX_SHA256 in vendored and web.HTMX_VERSION in vendored


def test_pages_are_package_data() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "ngoaivu_cli.web" in project["tool"]["setuptools"]["packages"]
    patterns = project["tool"]["setuptools"]["package-data"]["ngoaivu_cli.web"]
    here = Path(web.__file__).parent
    shipped = {p.relative_to(here).as_posix() for pat in patterns for p in here.glob(pat)}
    assert {"templates/base.html", "static/htmx.min.js", "static/style.css"} <= shipped
    assert {p.relative_to(here).as_posix() for p in (here / "templates").iterdir()} <= shipped


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize(("url", "words"), [
    ("/nhat-ky?ky=tháng 8/2023", "Nhật ký hoạt động"),
    ("/them", "Thêm hoạt động"),
    ("/loi", "Lỗi của nhật ký"),
    (f"/bao-cao?ky={WEEK}", "Các báo cáo đến hạn"),
    ("/don-vi", "Đơn vị báo cáo"),
    ("/kiem-tra", "Kiểm tra thể thức"),
    ("/nhap", "Nhập báo cáo cũ"),
    ("/thung-rac", "Thùng rác"),
])
def test_every_page_answers_in_vietnamese(log: Path, url: str, words: str) -> None:
    response = browser(log).get(url)
    assert response.status_code == 200
    page = text(response)
    assert words in page and 'lang="vi"' in page
    assert "Traceback" not in page


def test_home_goes_to_the_log(log: Path) -> None:
    response = browser(log).get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/nhat-ky")


def test_log_lists_a_period_with_filters_and_a_permalink(log: Path) -> None:
    b = browser(log)
    page = text(b.get("/nhat-ky?ky=thang 8/2023"))  # without diacritics too
    every = api.select_entries(api.load_config(None, cwd=log),
                               api.resolve_period("tháng 8/2023", api.load_config(None, cwd=log)))
    shown = [e for e in every.entries if e.official is None]
    assert f"{len(shown)} hoạt động" in page
    assert "24/8/2023" in page  # dates as 28/8/2023
    dates = re.findall(r'<td class="when">(\d+)/8/2023', page)
    assert dates == sorted(dates, key=int)  # sorted by date
    only = text(b.get("/nhat-ky?ky=tháng 8/2023&linh_vuc=dich_thuat"))
    count = int(re.search(r"(\d+) hoạt động", only)[1])  # type: ignore[index]
    assert 0 < count < len(shown)
    assert 'href="/nhat-ky?ky=th%C3%A1ng+8%2F2023&amp;linh_vuc=dich_thuat"' in only
    bad = b.get("/nhat-ky?ky=tháng 13/2023")
    assert bad.status_code == 200 and 'class="problem"' in text(bad)
    unknown = b.get("/nhat-ky?ky=tháng 8/2023&linh_vuc=khong_co")
    assert "không có trong cấu hình" in text(unknown)


# --------------------------------------------------------------------------- adding


def test_add_writes_the_file_new_writes(log: Path, tmp_path_factory: pytest.TempPathFactory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    b = browser(log)
    before = entry_files(log)
    response = add(b)
    assert response.status_code == 302
    (written,) = entry_files(log) - before
    # the same entry through `ngoaivu new`, in another copy of the log
    other = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "data", other / "data")
    monkeypatch.chdir(other)
    result = CliRunner().invoke(main, [
        "new", "--date", "2023-08-28", "--category", "dich_thuat", "--status", "done",
        "--unit", "TTDT", "--summary", FORM["summary"], "--partner", "Lào", "--partner",
        "Nhật Bản", "--tag", "dich-thuat", "--metric", "trang_bd_noi_dung=12"])
    assert result.exit_code == 0, result.output
    assert (other / written).read_bytes() == (log / written).read_bytes()
    assert key_of(response) == entry_id(written.relative_to("data"))
    page = text(b.get(response.headers["Location"]))
    assert "Đã ghi" in page and FORM["summary"] in page


def test_add_shows_each_problem_at_its_field_and_writes_nothing(log: Path) -> None:
    b = browser(log)
    before = entry_files(log)
    response = add(b, category="dich_thuatx", unit="ZZ", m_trang_bd_noi_dung="mười")
    assert response.status_code == 422
    errors = field_errors(response)
    assert "dich_thuat" in errors["category"][0]  # "có phải ý bạn là `dich_thuat`?"
    assert "ZZ" in errors["unit"][0]
    assert "không phải là số" in errors["metrics-trang_bd_noi_dung"][0]
    page = text(response)
    assert 'name="category" class="bad"' in page
    assert FORM["summary"] in page  # what was typed is kept
    assert entry_files(log) == before
    missing = add(b, date="31/2/2023", summary="")
    assert "không có trên lịch" in field_errors(missing)["date"][0]
    assert field_errors(missing)["summary"]
    assert entry_files(log) == before


def test_a_validate_rule_is_shown_at_its_field(log: Path) -> None:
    """A rule only `validate` knows (an end before the start) is shown at that field, not as
    a general message."""
    b = browser(log)
    before = entry_files(log)
    response = b.post("/them", {**FORM, "end": "27/8/2023"})
    assert response.status_code == 422
    assert field_errors(response)["end"], text(response)
    assert entry_files(log) == before
    # a computed figure has no field, and one sent anyway is not written
    assert 'name="m_trang_bien_dich"' not in text(b.get("/them"))
    computed = b.post("/them", {**FORM, "m_trang_bien_dich": "3"})
    assert computed.status_code == 302
    (new,) = entry_files(log) - before
    assert "trang_bien_dich:" not in (log / new).read_text("utf-8")


def test_add_and_continue_keeps_the_form(log: Path) -> None:
    b = browser(log)
    response = add(b, tiep="1")
    assert response.status_code == 302
    follow = b.get(response.headers["Location"])
    page = text(follow)
    assert "Đã ghi" in page and "Nhập hoạt động tiếp theo" in page
    assert '<option value="dich_thuat" selected>' in page  # the category stays


def test_a_month_plan_and_its_done_form(log: Path) -> None:
    b = browser(log)
    response = add(b, date="tháng 12/2024", status="planned", summary="Dịch kỷ yếu hội nghị",
                   m_trang_bd_noi_dung="")
    assert response.status_code == 302, field_errors(response)
    assert (log / "data" / "2024").is_dir()
    (plan,) = (log / "data" / "2024").glob("2024-12-*.yaml")
    assert "date: 2024-12" in plan.read_text("utf-8")
    key = key_of(response)
    listed = text(b.get("/nhat-ky?ky=tháng 12/2024"))
    assert "Dịch kỷ yếu hội nghị" in listed and "tháng 12/2024" in listed
    assert f"/da-thuc-hien/{key}" in listed
    done = b.get(f"/da-thuc-hien/{key}")
    page = text(done)
    assert done.status_code == 200 and "Dịch kỷ yếu hội nghị" in page
    assert 'value="done" checked' in page
    quarter = add(b, date="quý I/2024", status="planned", summary="Kế hoạch quý một",
                  m_trang_bd_noi_dung="")
    assert quarter.status_code == 302
    assert list((log / "data" / "2024").glob("2024-q1-*.yaml"))


# --------------------------------------------------------------------------- editing


def test_edit_through_the_form(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    form = b.get(f"/sua/{key}")
    assert form.status_code == 200 and 'name="summary"' in text(form)
    assert "Dịch tài liệu hội thảo" in text(form)
    response = b.post(f"/sua/{key}", {**FORM, "summary": "Dịch tài liệu hội nghị",
                                      "seen": seen_of(form)})
    assert response.status_code == 302
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    assert "Dịch tài liệu hội nghị" in path.read_text("utf-8")


def test_edit_problems_at_the_field_write_nothing(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    before = path.read_bytes()
    form = b.get(f"/sua/{key}")
    response = b.post(f"/sua/{key}", {**FORM, "category": "dich_thuatx",
                                      "seen": seen_of(form)})
    assert response.status_code == 422
    assert "dich_thuat" in field_errors(response)["category"][0]
    assert path.read_bytes() == before


def test_edit_conflict_shows_both_versions_and_writes_nothing(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    form = b.get(f"/sua/{key}")
    theirs = path.read_text("utf-8").replace("hội thảo", "hội thảo quốc tế")
    path.write_text(theirs, encoding="utf-8")  # changed in another tab, an editor, git pull
    response = b.post(f"/sua/{key}", {**FORM, "summary": "Bản của tôi", "seen": seen_of(form)})
    assert response.status_code == 409
    page = text(response)
    assert "hội thảo quốc tế" in page and "Bản của tôi" in page and "Chưa ghi gì" in page
    assert path.read_text("utf-8") == theirs
    # deleted meanwhile: the same page, not a 404
    path.unlink()
    gone = b.post(f"/sua/{key}", {**FORM, "seen": seen_of(form)})
    assert gone.status_code == 409 and "bị xóa" in text(gone)
    assert not path.exists()


def test_edit_of_the_date_moves_the_entry_to_its_new_file(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    form = b.get(f"/sua/{key}")
    response = b.post(f"/sua/{key}", {**FORM, "date": "29/8/2023", "seen": seen_of(form)})
    assert response.status_code == 302, field_errors(response)
    month = log / "data" / "2023" / "08"
    assert not list(month.glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml"))
    (moved,) = month.glob("2023-08-29-dich-tai-lieu-hoi-thao*.yaml")
    assert "2023-08-29" in moved.read_text("utf-8")


def test_a_file_the_form_cannot_represent_opens_the_yaml_editor(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    path.write_text(path.read_text("utf-8") + "# ghi chú của người soạn\n", encoding="utf-8")
    form = b.get(f"/sua/{key}")
    assert form.status_code == 200
    page = text(form)
    assert 'name="yaml"' in page and "ghi chú của người soạn" in page
    before = path.read_bytes()
    broken = path.read_text("utf-8").replace("category: dich_thuat", "category: khong_co")
    response = b.post(f"/sua/{key}", {"yaml": broken, "seen": seen_of(form)})
    assert response.status_code == 422
    assert "khong_co" in text(response) and "category" in text(response)
    assert path.read_bytes() == before
    fixed = path.read_text("utf-8").replace("hội thảo", "hội nghị")
    response = b.post(f"/sua/{key}", {"yaml": fixed.replace("\n", "\r\n"),
                                      "seen": seen_of(form)})
    assert response.status_code == 302
    assert path.read_text("utf-8") == fixed


# --------------------------------------------------------------------------- deleting


def test_delete_asks_then_moves_to_the_trash_and_restores(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    content = path.read_bytes()
    ask = b.get(f"/xoa/{key}")
    assert ask.status_code == 200 and "Xóa hoạt động này?" in text(ask)
    assert path.exists()  # asking deletes nothing
    response = b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert response.status_code == 302
    assert not path.exists()
    kept = list((log / TRASH).rglob("*.yaml"))
    assert [p.read_bytes() for p in kept] == [content]
    trash = b.get(response.headers["Location"])
    stamp = re.search(r"/thung-rac/(\w+)/khoi-phuc", text(trash))
    assert stamp and "Đã xóa" in text(trash)
    restored = b.post(f"/thung-rac/{stamp[1]}/khoi-phuc")
    assert restored.status_code == 302
    assert path.read_bytes() == content
    assert not list((log / TRASH).rglob("*.yaml"))
    assert b.post(f"/thung-rac/{stamp[1]}/khoi-phuc").status_code == 404


def test_delete_of_a_changed_file_is_a_conflict(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    ask = b.get(f"/xoa/{key}")
    path.write_text(path.read_text("utf-8").replace("hội thảo", "hội nghị"), encoding="utf-8")
    response = b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    assert response.status_code == 409
    assert path.exists() and not (log / TRASH).exists()


def test_restore_never_replaces_a_file(log: Path) -> None:
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    ask = b.get(f"/xoa/{key}")
    b.post(f"/xoa/{key}", {"seen": seen_of(ask)})
    path.write_text("# một tệp khác cùng tên\n", encoding="utf-8")
    stamp = re.search(r"/thung-rac/(\w+)/khoi-phuc", text(b.get("/thung-rac")))
    assert stamp
    response = b.post(f"/thung-rac/{stamp[1]}/khoi-phuc")
    assert response.status_code == 409 and "đã có tệp" in text(response)
    assert path.read_text("utf-8") == "# một tệp khác cùng tên\n"


# --------------------------------------------------------------------------- addressing


@pytest.mark.parametrize("key", ["0000000000000000", "..%2F..%2Fngoaivu.yaml", "abc",
                                 "%2Fetc%2Fpasswd", "0123456789abcdef0"])
def test_an_unknown_id_is_a_404_page(log: Path, key: str) -> None:
    b = browser(log)
    for url in (f"/hoat-dong/{key}", f"/sua/{key}", f"/xoa/{key}", f"/da-thuc-hien/{key}"):
        response = b.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in text(response)
    assert b.post(f"/xoa/{key}", {"seen": "x"}).status_code == 404


def test_made_up_ids_do_not_keep_the_server_walking_the_log(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown id walks data/ (a link kept from before a restart): once, not once per
    request, so a run of made-up ids cannot load the server with walks of a large log; a file
    written outside is still found by a later walk."""
    from ngoaivu_cli.web import site as web_site

    walks: list[Path] = []
    real = Path.rglob

    def counted(self: Path, pattern: str) -> Any:
        walks.append(self)
        return real(self, pattern)

    monkeypatch.setattr(Path, "rglob", counted)
    b = browser(log)
    for n in range(20):
        assert b.get(f"/hoat-dong/{n:016x}").status_code == 404
    assert len(walks) == 1
    outside = log / "data" / "2023" / "08" / "2023-08-29-ben-ngoai.yaml"
    outside.write_text("date: 2023-08-29\ncategory: tham_muu_ubnd\nsummary: Viết ngoài\n",
                       encoding="utf-8")
    key = entry_id(Path("2023/08/2023-08-29-ben-ngoai.yaml"))
    monkeypatch.setattr(web_site, "WALK_EVERY", 0.0)  # the next walk is due
    assert b.get(f"/hoat-dong/{key}").status_code == 200
    assert len(walks) == 2


def test_an_id_outside_data_is_never_served(log: Path) -> None:
    """An id is a hash of a path under data/: a file outside (even one named like an entry)
    has no id the server answers to."""
    secret = log / "bi-mat.yaml"
    secret.write_text("date: 2023-08-28\n", encoding="utf-8")
    b = browser(log)
    for rel in (Path("../bi-mat.yaml"), Path("/tmp/bi-mat.yaml"), Path("bi-mat.yaml")):
        assert b.get(f"/hoat-dong/{entry_id(rel)}").status_code == 404


def test_ids_survive_a_restart(log: Path) -> None:
    key = key_of(add(browser(log)))
    assert browser(log).get(f"/sua/{key}").status_code == 200  # a new app: found by its walk


# --------------------------------------------------------------------------- safety


def test_a_form_without_its_token_writes_nothing(log: Path) -> None:
    b = browser(log)
    before = entry_files(log)
    response = b.post("/them", FORM, csrf=False)
    assert response.status_code == 400 and "mã bảo vệ" in text(response)
    response = b.post("/them", {**FORM, "csrf": "doan-bua"})
    assert response.status_code == 400
    assert entry_files(log) == before
    # a token from another session is not this one's
    other = browser(log)
    other.get("/them")
    assert b.post("/them", {**FORM, "csrf": other.token}).status_code == 400
    assert entry_files(log) == before


def test_a_request_from_another_origin_is_refused(log: Path) -> None:
    b = browser(log)
    before = entry_files(log)
    for header in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/x"},
                   {"Origin": "http://localhost:9999"}):
        response = b.post("/them", FORM, headers=header)
        assert response.status_code == 403, header
        assert "không đến từ một trang" in text(response)
    assert entry_files(log) == before
    same = b.post("/them", FORM, headers={"Origin": "http://localhost"})
    assert same.status_code == 302


@pytest.mark.parametrize("host", ["evil.example", "attacker.localhost", "127.0.0.2",
                                  "localhost.evil.example:80"])
def test_only_the_servers_own_host_names(log: Path, host: str) -> None:
    response = browser(log).get("/nhat-ky", headers={"Host": host})
    assert response.status_code == 400
    assert "không trả lời cho tên" in text(response)


def test_own_host_names_are_answered(log: Path) -> None:
    b = browser(log, host="0.0.0.0", hosts=["may-so.local"])
    for host in ("localhost:5000", "127.0.0.1", "[::1]:8080", "may-so.local:80"):
        assert b.get("/nhat-ky", headers={"Host": host}).status_code == 200, host


def test_session_cookie_is_strict(log: Path) -> None:
    response = browser(log).get("/them")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_read_only_refuses_every_write(log: Path) -> None:
    b = browser(log, allow="view")
    before = entry_files(log)
    assert b.get("/nhat-ky?ky=tháng 8/2023").status_code == 200
    assert b.get(f"/bao-cao?ky={WEEK}").status_code == 200
    b.get("/kiem-tra")
    for url in ("/them", "/xoa/0000000000000000", "/nhap", "/kiem-tra",
                "/thung-rac/20240101T000000000000Z/khoi-phuc"):
        response = b.post(url, FORM)
        assert response.status_code == 403, url
        assert "chỉ xem" in text(response)
    assert b.get("/them").status_code == 403
    assert entry_files(log) == before
    assert "Chỉ xem" in text(b.get("/nhat-ky"))


def test_allow_add_may_add_but_not_edit(log: Path) -> None:
    b = browser(log, allow="add")
    key = key_of(add(b))
    assert b.get(f"/sua/{key}").status_code == 403
    assert b.get(f"/xoa/{key}").status_code == 403
    assert b.post(f"/xoa/{key}", {"seen": "x"}).status_code == 403
    assert "--allow add" in text(b.get(f"/sua/{key}"))


def test_another_address_is_view_only_by_default(log: Path) -> None:
    b = browser(log, host="0.0.0.0")
    assert b.get("/them", headers={"Host": "127.0.0.1"}).status_code == 403
    assert browser(log, host="0.0.0.0", allow="edit").get("/them").status_code == 200


def test_an_unknown_allow_level_is_a_usage_error(log: Path) -> None:
    from ngoaivu_cli.errors import NgoaivuError

    with pytest.raises(NgoaivuError):
        create_app(log, allow="admin")


def test_errors_are_vietnamese_pages(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b = browser(log)
    wrong = b.post("/nhat-ky")
    assert wrong.status_code == 405 and "Không dùng được cách gửi này" in text(wrong)
    assert "Không tìm thấy" in text(b.get("/khong-co-trang-nay"))

    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("lỗi thử")

    monkeypatch.setattr(api, "select_entries", boom)
    crashed = b.get("/nhat-ky")
    assert crashed.status_code == 500
    assert "Lỗi của chương trình" in text(crashed)
    assert "Traceback" not in text(crashed) and "lỗi thử" not in text(crashed)


def test_a_library_error_is_a_page_with_its_hint(log: Path) -> None:
    response = browser(log).get("/bao-cao/tai?ky=tháng 13/2023&dinh_dang=md")
    assert response.status_code == 400
    page = text(response)
    assert "Không làm được" in page and "tháng" in page


def test_writes_hold_one_lock(log: Path) -> None:
    """While a write holds the lock, another waits: two adds of the same activity at once make
    one file and a duplicate problem, never two files."""
    app = create_app(log)
    site = app.extensions["ngoaivu"]
    first, second = Browser(app), Browser(app)
    first.get("/them")
    second.get("/them")
    results: list[int] = []
    with site.lock:
        threads = [threading.Thread(target=lambda b=b: results.append(
            b.post("/them", FORM).status_code)) for b in (first, second)]
        for t in threads:
            t.start()
        threads[0].join(0.3)
        assert results == []  # both wait for the lock
    for t in threads:
        t.join()
    assert sorted(results) == [302, 422]
    assert len(list((log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu*.yaml"))) == 1


# --------------------------------------------------------------------------- problems


def test_problems_page_links_to_the_form_of_the_file(log: Path) -> None:
    bad = log / "data" / "2023" / "08" / "2023-08-30-hong.yaml"
    bad.write_text("date: 2023-08-30\ncategory: khong_co\nsummary: Một hoạt động hỏng\n",
                   encoding="utf-8")
    b = browser(log)
    page = text(b.get("/loi"))
    assert "data/2023/08/2023-08-30-hong.yaml:2" in page
    assert "khong_co" in page and "Gợi ý" in page
    key = entry_id(Path("2023/08/2023-08-30-hong.yaml"))
    assert f"/sua/{key}" in page
    form = b.get(f"/sua/{key}")
    assert form.status_code == 200 and 'name="yaml"' in text(form)  # not a valid entry: YAML


# --------------------------------------------------------------------------- reports


def test_report_preview_from_the_json_model(log: Path) -> None:
    b = browser(log)
    page = text(b.get(f"/bao-cao?ky={WEEK}&loai=bao_cao_tuan"))
    config = api.load_config(None, cwd=log)
    period, _rt = api.report_period(config, WEEK, "bao_cao_tuan")
    import json

    model = json.loads(api.build_report(config, period, type_name="bao_cao_tuan",
                                        fmt="json").data)
    assert model["doc"]["place_date"] in page
    assert "KẾT QUẢ THỰC HIỆN" in page
    assert "Nơi nhận:" in page and model["signer"]["name"] in page
    for receiver in model["receivers"]:
        assert receiver in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page


def test_reports_due_in_a_month(log: Path) -> None:
    page = text(browser(log).get("/bao-cao?ky=tháng 8/2023"))
    assert "tuần 34/2023" in page and "tháng 8/2023" in page
    assert "Báo cáo công tác thông tin đối ngoại tháng" in page


def test_report_warnings_are_shown(log: Path) -> None:
    """A report that leaves something out shows what `report --strict` would fail on."""
    plan = log / "data" / "2023" / "08" / "2023-08-29-ke-hoach.yaml"  # a plan of the period
    plan.write_text("date: 2023-08-29\ncategory: dich_thuat\nstatus: planned\n"
                    "summary: Dịch tài liệu theo kế hoạch\n", encoding="utf-8")
    config = api.load_config(None, cwd=log)
    period, _ = api.report_period(config, WEEK, "bao_cao_tuan")
    warnings = api.build_report(config, period, type_name="bao_cao_tuan", fmt="json").warnings
    assert warnings
    page = text(browser(log).get(f"/bao-cao?ky={WEEK}&loai=bao_cao_tuan"))
    assert "report --strict" in page and warnings[0].message in page


@pytest.mark.parametrize(("fmt", "start"), [("docx", b"PK"), ("md", b"**"), ("json", b"{")])
def test_report_downloads(log: Path, fmt: str, start: bytes) -> None:
    response = browser(log).get(f"/bao-cao/tai?ky={WEEK}&loai=bao_cao_tuan&dinh_dang={fmt}")
    assert response.status_code == 200
    assert response.data.lstrip()[:len(start)] == start or fmt == "md"
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"bao-cao-tuan-2023-08-24_2023-08-31.{fmt}" in response.headers["Content-Disposition"]


def test_docx_download_has_the_report_text(log: Path) -> None:
    from docx import Document

    response = browser(log).get(f"/bao-cao/tai?ky={WEEK}&loai=bao_cao_tuan&dinh_dang=docx")
    document = Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "KẾT QUẢ THỰC HIỆN" in body


def test_report_unknown_format_or_type(log: Path) -> None:
    b = browser(log)
    assert b.get(f"/bao-cao/tai?ky={WEEK}&dinh_dang=exe").status_code == 404
    response = b.get(f"/bao-cao?ky={WEEK}&loai=khong_co")
    assert response.status_code == 404 and "khong_co" in text(response)


# --------------------------------------------------------------------------- uploads


def _docx(log: Path) -> bytes:
    config = api.load_config(None, cwd=log)
    period, _ = api.report_period(config, WEEK, "bao_cao_tuan")
    return api.build_report(config, period, type_name="bao_cao_tuan").data


def test_check_an_uploaded_docx(log: Path) -> None:
    b = browser(log)
    b.get("/kiem-tra")
    response = b.post("/kiem-tra", {"tep": (io.BytesIO(_docx(log)), "bao cao tuần.docx")},
                      content_type="multipart/form-data")
    assert response.status_code == 200
    page = text(response)
    assert "bao cao tuần.docx" in page
    assert "Không thấy lỗi thể thức nào" in page or "lỗi," in page
    # nothing kept, and never under the sent name
    site = b.client.application.extensions["ngoaivu"]
    assert not any(site.upload_dir.rglob("*"))


def test_check_refuses_other_types_and_big_files(log: Path) -> None:
    b = browser(log)
    b.get("/kiem-tra")
    wrong = b.post("/kiem-tra", {"tep": (io.BytesIO(b"MZ"), "virus.exe")},
                   content_type="multipart/form-data")
    assert wrong.status_code == 415 and "không nhận tệp .exe" in text(wrong)
    nothing = b.post("/kiem-tra", {}, content_type="multipart/form-data")
    assert nothing.status_code == 400 and "chưa chọn tệp" in text(nothing)
    b.client.application.config["MAX_CONTENT_LENGTH"] = 1000
    big = b.post("/kiem-tra", {"tep": (io.BytesIO(b"x" * 5000), "lon.docx")},
                 content_type="multipart/form-data")
    assert big.status_code == 413 and "Tệp quá lớn" in text(big)


def test_a_broken_docx_is_a_result_not_a_crash(log: Path) -> None:
    b = browser(log)
    b.get("/kiem-tra")
    response = b.post("/kiem-tra", {"tep": (io.BytesIO(b"khong phai docx"), "hong.docx")},
                      content_type="multipart/form-data")
    assert response.status_code in (200, 422)
    assert "Traceback" not in text(response)


def test_import_an_old_report_dry_run_then_write(log: Path) -> None:
    shutil.rmtree(log / "data" / "2021")
    b = browser(log)
    b.get("/nhap")
    before = entry_files(log)
    response = b.post("/nhap", {"tep": (io.BytesIO(OLD_REPORT.encode()), "bao-cao-cu.txt")},
                      content_type="multipart/form-data")
    assert response.status_code == 200
    page = text(response)
    assert "2 hoạt động đề xuất" in page and "Bolykhamxay" in page and "kiều bào" in page
    # each proposed activity beside the paragraph of the document it was read from
    sources = re.findall(r'<td class="source">(.*?)</td>', response.get_data(as_text=True), re.S)
    assert len(sources) == 2 and all("đoạn " in cell for cell in sources), sources
    assert entry_files(log) == before  # a dry run writes nothing
    token = re.search(r'name="tep_id" value="([^"]+)"', page)
    assert token
    written = b.post("/nhap", {"tep_id": token[1], "ten": "bao-cao-cu.txt"})
    assert written.status_code == 200 and "Đã ghi" in text(written)
    (new,) = entry_files(log) - before  # one file of the document's entries, as `import`
    assert new.parts[1] == "2021"
    assert api.entries_of_text((log / new).read_text("utf-8"), str(new))[0][1].summary \
        .startswith("Phối hợp tổ chức Hội nghị gặp mặt kiều bào")
    assert b.post("/nhap", {"tep_id": token[1]}).status_code == 404  # used once
    assert b.post("/nhap", {"tep_id": "../../etc"}).status_code == 404


def test_import_refuses_other_types(log: Path) -> None:
    b = browser(log)
    b.get("/nhap")
    response = b.post("/nhap", {"tep": (io.BytesIO(b"x"), "a.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 415


# --------------------------------------------------------------------------- agencies


def test_agencies_without_sources_says_so(log: Path) -> None:
    page = text(browser(log).get("/don-vi"))
    assert "chưa có <code>sources:</code>" in page


def test_agencies_with_sources(log: Path) -> None:
    other = log / "so-cong-thuong"
    (other / "data" / "2023" / "08").mkdir(parents=True)
    (other / "data" / "2023" / "08" / "2023-08-25-a.yaml").write_text(
        "date: 2023-08-25\ncategory: kinh_te_doi_ngoai\nsummary: Hội nghị xúc tiến\n",
        encoding="utf-8")
    (log / "ngoaivu.yaml").write_text(
        "sources:\n  - {name: Sở Công Thương, path: so-cong-thuong}\n", encoding="utf-8")
    page = text(browser(log).get("/don-vi?ky=tháng 8/2023"))
    assert "Sở Công Thương" in page and "25/8/2023" in page


# --------------------------------------------------------------------------- the command


def test_serve_command_starts_the_server_in_the_log(log: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from ngoaivu_cli.web import server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "serve", lambda root, **kw: calls.append({"root": root, **kw}))
    sub = log / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = CliRunner().invoke(main, ["serve", str(log), "--read-only", "--no-browser",
                                       "--port", "8123"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["root"] == log.resolve() and call["allow"] == "view"
    assert call["port"] == 8123 and call["open_browser"] is False
    assert Path.cwd() == log.resolve()  # once, at start (see ngoaivu_cli/web/app.py)


@pytest.mark.parametrize("args", [["--port", "70000"], ["--read-only", "--allow", "edit"]])
def test_serve_usage_errors(log: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["serve", *args, "--no-browser"])
    assert result.exit_code == 2 and "Lỗi" in result.output


def test_the_server_answers_on_a_free_port(log: Path) -> None:
    from ngoaivu_cli.web.server import address, make_server

    server = make_server(log, port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = address("127.0.0.1", int(server.effective_port))
        assert int(server.effective_port) > 0
        with urllib.request.urlopen(url + "nhat-ky?ky=th%C3%A1ng%208/2023", timeout=10) as r:
            assert r.status == 200 and "Nhật ký hoạt động" in r.read().decode()
        request = urllib.request.Request(url + "nhat-ky", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
    finally:
        server.close()


def test_a_broken_file_in_the_period_points_to_the_problems_page(log: Path) -> None:
    (log / "data" / "2023" / "08" / "2023-08-30-hong.yaml").write_text(
        "date: 2023-08-30\ncategory: khong_co\nsummary: Hỏng\n", encoding="utf-8")
    b = browser(log)
    for url in ("/nhat-ky?ky=tháng 8/2023", f"/bao-cao?ky={WEEK}"):
        page = text(b.get(url))
        assert "nhật ký có lỗi" in page and 'href="/loi"' in page, url


def test_the_categorys_own_figures_come_first(log: Path) -> None:
    """The number fields the chosen category's statistics sentences speak of are shown first
    and open; the others folded; a computed one (trang_bien_dich) never."""
    b = browser(log)
    page = text(b.get("/them?linh_vuc=doan_ra_doan_vao"))
    own = page.split('<fieldset class="metrics own">', 1)[1].split("</fieldset>", 1)[0]
    assert "Tổ chức và quản lý đoàn ra, đoàn vào" in own
    assert {"m_doan_ra", "m_luot_ra", "m_doan_vao", "m_luot_khach"} <= set(
        re.findall(r'name="(m_\w+)"', own))
    assert "m_trang_bd_noi_dung" not in own
    rest = page.split("Số liệu khác", 1)[1]
    assert 'name="m_trang_bd_noi_dung"' in rest and 'name="m_doan_ra"' not in rest
    assert "m_trang_bien_dich" not in page
    assert '<fieldset class="metrics own">' not in text(b.get("/them"))


# --------------------------------------------------------------------------- a broken file, reports due


def test_a_broken_file_leaves_every_valid_entry_listed(log: Path) -> None:
    """An invalid YAML file in the period: the list and the preview show every valid entry,
    and the problem beside them with a link to the fix; the download still refuses (as
    `report` does), with a page."""
    b = browser(log)
    before = text(b.get("/nhat-ky?ky=tháng 8/2023"))
    count = re.search(r"\): (\d+) hoạt động", before)
    assert count and int(count[1]) > 1
    broken = log / "data" / "2023" / "08" / "2023-08-30-hong.yaml"
    broken.write_text("date: 2023-08-30\ncategory: [oops\nsummary: Hỏng\n", encoding="utf-8")
    page = text(b.get("/nhat-ky?ky=tháng 8/2023"))
    assert f"): {count[1]} hoạt động" in page  # every valid entry still listed
    assert "2023-08-30-hong.yaml:2" in page and 'href="/loi"' in page
    key = entry_id(Path("2023/08/2023-08-30-hong.yaml"))
    assert f'href="/sua/{key}"' in page  # the form that fixes it
    assert b.get(f"/sua/{key}").status_code == 200
    preview = text(b.get(f"/bao-cao?ky={WEEK}&loai=bao_cao_tuan"))
    assert "KẾT QUẢ THỰC HIỆN" in preview and "2023-08-30-hong.yaml:2" in preview
    assert "/bao-cao/tai" not in preview
    refused = b.get(f"/bao-cao/tai?ky={WEEK}&loai=bao_cao_tuan&dinh_dang=docx")
    assert refused.status_code == 422 and "nhật ký có lỗi" in text(refused)


def _due_offered(page: str) -> set[tuple[str, str]]:
    due = page.split('<ul class="due">', 1)[1].split("</ul>", 1)[0]
    return {(kind, span) for span, kind in
            re.findall(r'href="/bao-cao\?ky=([\d:-]+)&amp;loai=(\w+)"', due)}


@pytest.mark.parametrize("expr", [WEEK, "tháng 8/2023", "2023-08-01:2023-08-31"])
def test_the_reports_due_are_what_batch_makes(log: Path, expr: str) -> None:
    """The Báo cáo page offers for a period exactly the reports `batch --period` makes, a
    type with its own cut-off day (its month 15/7–14/8) included."""
    (log / "ngoaivu.yaml").write_text(
        "version: 1\nreport_types:\n  bao_cao_thang_chot:\n"
        "    name: Báo cáo tháng, chốt số liệu ngày 14\n    due: [month]\n"
        "    file_name: bao-cao-thang-chot\n    doc_kind: BÁO CÁO\n    symbol: BC-SNgV\n"
        "    title: [\"Kết quả công tác đối ngoại {{ period.label }}\"]\n"
        "    sections:\n      - heading: KẾT QUẢ THỰC HIỆN\n    signer: giam_doc\n"
        "    cutoff_day: 14\n", encoding="utf-8")
    config = api.load_config(None, cwd=log)
    _period, batch = api.plan_batch(config, expr)
    made = {(j.report_type.key, f"{j.period.start}:{j.period.end}") for j in batch.jobs}
    assert ("bao_cao_thang_chot", "2023-07-15:2023-08-14") in made or ":" in expr
    assert _due_offered(text(browser(log).get(f"/bao-cao?ky={expr}"))) == made


# --------------------------------------------------------------------------- import choices


THREE = OLD_REPORT + "- Dịch tài liệu quảng bá du lịch sang tiếng Lào.\n"


def _proposal(b: Browser, report: str = THREE) -> tuple[str, str]:
    b.get("/nhap")
    page = text(b.post("/nhap", {"tep": (io.BytesIO(report.encode()), "bao-cao-cu.txt")},
                       content_type="multipart/form-data"))
    token = re.search(r'name="tep_id" value="([^"]+)"', page)
    assert token, page
    return token[1], page


def _written(log: Path, before: set[Path]) -> list[Any]:
    out = []
    for new in sorted(entry_files(log) - before):
        out += api.entries_of_text((log / new).read_text("utf-8"), str(new))[0]
    return out


def test_import_writes_only_the_chosen_with_their_corrections(log: Path) -> None:
    shutil.rmtree(log / "data" / "2021")
    b = browser(log)
    before = entry_files(log)
    token, page = _proposal(b)
    indices = re.findall(r'name="chon" value="(\d+)"[^>]*checked', page)
    assert len(indices) == 3  # each proposed one chosen by default
    assert 'name="lv_0"' in page and 'name="tt_0"' in page
    form: dict[str, Any] = {"tep_id": token, "chon": ["0", "2"]}  # the second one unticked
    for i in indices:
        chosen = re.search(rf'name="lv_{i}".*?<option value="(\w+)" selected', page, re.S)
        assert chosen
        form[f"lv_{i}"] = chosen[1]
        form[f"tt_{i}"] = "done"
    form["lv_2"] = "dich_thuat"  # corrected
    response = b.post("/nhap", form)
    assert response.status_code == 200 and "Đã ghi" in text(response)
    entries = _written(log, before)
    assert [e.summary[:20] for e in entries] == ["Tham mưu Thường trực", "Dịch tài liệu quảng "]
    assert entries[1].category == "dich_thuat"


@pytest.mark.parametrize(("field", "value", "status"), [
    ("chon", "7", 400), ("chon", "-1", 400), ("chon", "0 or 1", 400),
    ("lv_0", "khong_co", 400), ("lv_0", "../../ngoaivu", 400), ("tt_0", "xong", 400)])
def test_import_refuses_a_forged_choice(log: Path, field: str, value: str,
                                        status: int) -> None:
    b = browser(log)
    before = entry_files(log)
    token, _page = _proposal(b)
    form: dict[str, Any] = {"tep_id": token, "chon": "0", "lv_0": "dich_thuat", "tt_0": "done"}
    form[field] = value
    response = b.post("/nhap", form)
    assert response.status_code == status and "Traceback" not in text(response)
    assert entry_files(log) == before


def test_import_token_of_another_session_or_expired(log: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(log)
    mine, theirs = Browser(app), Browser(app)
    before = entry_files(log)
    token, _page = _proposal(mine)
    theirs.get("/nhap")
    stolen = theirs.post("/nhap", {"tep_id": token})
    assert stolen.status_code == 404 and entry_files(log) == before
    from ngoaivu_cli.web.pages import imports

    monkeypatch.setattr(imports, "UPLOAD_TTL", -1)
    late = mine.post("/nhap", {"tep_id": token})
    assert late.status_code in (404, 410) and "hết hạn" in text(late)
    assert entry_files(log) == before
    assert not any(site_upload.iterdir()) if (site_upload := app.extensions["ngoaivu"]
                                              .upload_dir).is_dir() else True


# --------------------------------------------------------------------------- live number fields


def test_update_without_javascript_shows_the_categorys_fields(log: Path) -> None:
    """The "Cập nhật" button (in <noscript>) sends the form back: the chosen category's number
    fields come first, what was typed stays, nothing is written."""
    b = browser(log)
    page = text(b.get("/them"))
    assert 'name="cap_nhat"' in page.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    before = entry_files(log)
    response = b.post("/them", {"date": "28/8/2023", "category": "doan_ra_doan_vao",
                                "summary": "Đón đoàn", "m_trang_bd_noi_dung": "3",
                                "cap_nhat": "1"})
    assert response.status_code == 200 and entry_files(log) == before
    own = text(response).split('<fieldset class="metrics own">', 1)[1].split("</fieldset>")[0]
    assert 'name="m_doan_ra"' in own
    assert 'name="m_trang_bd_noi_dung" value="3"' in text(response)
    assert "Đón đoàn" in text(response) and "field-error" not in text(response)


def test_the_metric_fragment_for_htmx(log: Path) -> None:
    b = browser(log)
    b.get("/them")
    response = b.post("/so-lieu", {"category": "doan_ra_doan_vao", "m_doan_ra": "2"})
    fragment = text(response)
    assert response.status_code == 200 and fragment.lstrip().startswith(("{#", "<div", "\n"))
    assert '<div id="so-lieu">' in fragment and "<html" not in fragment
    assert 'name="m_doan_ra" value="2"' in fragment.split("</fieldset>")[0]
    assert b.post("/so-lieu", {"category": "x"}, csrf=False).status_code == 400
    assert browser(log, allow="view").post("/so-lieu", {}).status_code == 403


# --------------------------------------------------------------------------- page pictures


def test_page_pictures_without_the_programs_say_so(log: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from ngoaivu_cli.web import thumbnails

    monkeypatch.setattr(thumbnails.shutil, "which", lambda name: None)
    b = browser(log)
    page = text(b.get(f"/bao-cao?ky={WEEK}&loai=bao_cao_tuan"))
    assert "/bao-cao/anh?" in page
    response = b.get(f"/bao-cao/anh?ky={WEEK}&loai=bao_cao_tuan", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "cần LibreOffice" in text(response)
    assert "<html" not in text(response)


@pytest.mark.skipif(__import__("shutil").which("pdftoppm") is None
                    or __import__("shutil").which("soffice") is None,
                    reason="cần LibreOffice và pdftoppm")
def test_page_pictures_of_the_pdf_are_cached_outside_the_log(log: Path) -> None:
    app = create_app(log)
    b = Browser(app)
    page = text(b.get(f"/bao-cao/anh?ky={WEEK}&loai=bao_cao_tuan"))
    found = re.findall(r'src="(/bao-cao/anh/([0-9a-f]{32})/(trang-\d+\.png))"', page)
    assert found and len(found) <= 4
    picture = b.get(found[0][0])
    assert picture.status_code == 200 and picture.data[:8] == b"\x89PNG\r\n\x1a\n"
    folder = app.extensions["ngoaivu"].upload_dir / "anh-trang" / found[0][1]
    assert folder.is_dir() and not list(log.rglob("*.png"))
    stamp = folder.stat().st_mtime_ns
    assert text(b.get(f"/bao-cao/anh?ky={WEEK}&loai=bao_cao_tuan")) == page  # from the cache
    assert folder.stat().st_mtime_ns == stamp
    for bad in ("../../ngoaivu.yaml", "trang-1.png/../../x", "bao-cao.pdf"):
        assert b.get(f"/bao-cao/anh/{found[0][1]}/{bad}").status_code == 404
    assert b.get(f"/bao-cao/anh/{'0' * 32}/trang-1.png").status_code == 404


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="cần LibreOffice")
def test_page_pictures_without_pdftoppm_are_libreoffices_first_page_or_a_note(
        log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ngoaivu_cli.web import thumbnails

    monkeypatch.setattr(thumbnails, "has_pdftoppm", lambda: False)
    b = browser(log)
    page = text(b.get(f"/bao-cao/anh?ky={WEEK}&loai=bao_cao_tuan"))
    found = re.findall(r'src="(/bao-cao/anh/[0-9a-f]{32}/trang-\d+\.png)"', page)
    if found:  # Writer's png export (a full LibreOffice): the first page
        assert len(found) == 1 and "Trang đầu" in page
        assert b.get(found[0]).data[:4] == b"\x89PNG"
    else:  # LibreOffice without its graphic filters (libreoffice-writer-nogui): said so
        assert "cần pdftoppm (gói poppler-utils)" in page and "Traceback" not in page


def test_an_edit_through_the_form_keeps_the_entrys_order(log: Path) -> None:
    """Issue 25, item 4: `order` (written by add, as by `new`) is kept by an edit, also one
    that moves the entry to another day's file."""
    b = browser(log)
    key = key_of(add(b))
    (path,) = (log / "data" / "2023" / "08").glob("2023-08-28-dich-tai-lieu-hoi-thao*.yaml")
    assert "\norder: 1\n" in path.read_text("utf-8")
    add(b, summary="Dịch tài liệu thứ hai")  # order 2
    form = b.get(f"/sua/{key}")
    assert 'name="summary"' in text(form)  # the form still represents the file
    assert b.post(f"/sua/{key}", {**FORM, "summary": "Dịch tài liệu hội nghị",
                                  "seen": seen_of(form)}).status_code == 302
    assert "\norder: 1\n" in path.read_text("utf-8")
    form = b.get(f"/sua/{key}")
    assert b.post(f"/sua/{key}", {**FORM, "date": "29/8/2023", "summary": "Dịch tài liệu hội "
                                  "nghị", "seen": seen_of(form)}).status_code == 302
    (moved,) = (log / "data" / "2023" / "08").glob("2023-08-29-dich-tai-lieu-hoi-nghi*.yaml")
    assert "\norder: 1\n" in moved.read_text("utf-8")
