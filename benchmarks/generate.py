"""Seeded generator of synthetic activity logs for the benchmarks (never used by the package).

The logs look like a real Sở Ngoại vụ log: Vietnamese summaries in every category of the shipped
configuration, units, partners, tags, metrics, multi-day activities, planned work, footnotes and
a few files holding a list of entries, over ten years of dates. Every generated log is valid
against the shipped configuration (``ngoaivu validate`` reports nothing), so every command runs
its full path. Files are written directly (no CLI), one ``open`` per file, so 100,000 entries
take a few seconds.

    python benchmarks/generate.py --entries 20000 --out /tmp/log-20k
    python benchmarks/generate.py --entries 20 --week 2023-W35 --out /tmp/log-week
    python benchmarks/generate.py --entries 10000 --out /tmp/log-10k --ledger /tmp/10k.beancount

``--ledger`` also writes the same activities as a beancount ledger (one transaction per entry:
its date, summary, tags, unit and category as metadata, its figures as postings), for the
comparison with ``bean-check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20230828
FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2023, 12, 31)  # ten years
BENCH_WEEK = "2023-W35"  # 28/8–03/9/2023, the week the report benchmark asks for

UNITS = ["BGD", "VPTTr", "HTQT", "LSBG", "QLBG", "TTDT"]
PARTNERS = ["Lào", "Bolikhămxay", "Khammuon", "Savannakhet", "Viêng Chăn", "Nhật Bản",
            "Hàn Quốc", "Đài Loan (Trung Quốc)", "Hoa Kỳ", "Đức", "Pháp", "Hungary", "Séc",
            "Australia", "Thái Lan", "Singapore", "Trung Quốc", "Cuba", "IOM", "UNICEF",
            "JICA", "KOICA", "World Vision", "Plan International", "Bộ Ngoại giao",
            "Đại sứ quán Việt Nam tại Lào", "Tổng Lãnh sự quán Lào tại Đà Nẵng"]
PROVINCES_LAO = ["Bolikhămxay", "Khammuon", "Savannakhet", "Xiêng Khoảng", "Viêng Chăn",
                 "Hủa Phăn", "Luông Pha Bang"]
COUNTRIES = ["Nhật Bản", "Hàn Quốc", "Đức", "Pháp", "Hungary", "Séc", "Australia", "Thái Lan",
             "Singapore", "Hoa Kỳ", "Cuba", "Ba Lan", "Nga", "Ấn Độ", "Canada"]
NGOS = ["World Vision", "Plan International", "Tầm nhìn Thế giới", "Cứu trợ trẻ em (Save the "
        "Children)", "Good Neighbors", "Tổ chức Hỗ trợ phát triển Hàn Quốc", "Quỹ Châu Á",
        "Caritas", "ChildFund", "Oxfam"]
DEPTS = ["Sở Kế hoạch và Đầu tư", "Sở Công Thương", "Sở Nội vụ", "Sở Tư pháp",
         "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch",
         "Sở Lao động - Thương binh và Xã hội", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
         "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Ban Quản lý Khu kinh tế tỉnh",
         "UBND huyện Hương Sơn", "UBND huyện Vũ Quang", "UBND huyện Hương Khê",
         "UBND thành phố Hà Tĩnh", "Trường Đại học Hà Tĩnh"]
TOPICS = ["công tác đối ngoại", "hội nhập quốc tế", "thông tin đối ngoại", "bảo hộ công dân",
          "quản lý đoàn ra, đoàn vào", "vận động viện trợ phi chính phủ nước ngoài",
          "hợp tác với các địa phương của Lào", "công tác người Việt Nam ở nước ngoài",
          "quản lý biên giới", "xúc tiến đầu tư", "ký kết và thực hiện thỏa thuận quốc tế",
          "lưu học sinh Lào", "công tác lãnh sự", "tổ chức hội nghị, hội thảo quốc tế"]
PERIODS = ["tháng", "quý", "6 tháng đầu năm", "9 tháng", "năm"]

# category → (summary templates, tags, metrics drawn for it); {n} is a document number, so
# summaries of one day never repeat (validate refuses the same date, category and summary).
CATEGORIES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "chi_dao_dieu_hanh": ([
        "Ban hành Kế hoạch số {n}/KH-SNgV triển khai {topic} năm {year}",
        "Ban hành Quyết định số {n}/QĐ-SNgV về việc kiện toàn Tổ công tác {topic}",
        "Chỉ đạo các phòng, đơn vị triển khai Chỉ thị số {n}/CT-UBND về {topic}",
    ], ["chi-dao"], []),
    "tham_muu_tinh_uy": ([
        "Tham mưu Thường trực Tỉnh ủy ban hành Kế hoạch số {n}-KH/TU về {topic} năm {year}",
        "Tham mưu Thường trực Tỉnh ủy, HĐND tỉnh cử đoàn cán bộ đi công tác tại {country} "
        "(Văn bản số {n}/SNgV-HTQT)",
        "Báo cáo Thường trực Tỉnh ủy kết quả {topic} {period} {year} (số {n}/BC-SNgV)",
    ], ["tinh-uy"], ["van_ban_tham_muu"]),
    "tham_muu_ubnd": ([
        "đề nghị UBND tỉnh giao {dept} chủ trì xây dựng kế hoạch {topic} (Tờ trình số "
        "{n}/TTr-SNgV)",
        "dự thảo Quyết định của UBND tỉnh ban hành Quy chế {topic} (Văn bản số {n}/SNgV-VPTTr)",
        "kết quả {topic} {period} {year} và phương hướng thời gian tới (Báo cáo số {n}/BC-SNgV)",
    ], ["ubnd"], ["van_ban_tham_muu"]),
    "van_ban_bo_nganh": ([
        "Văn bản số {n}/SNgV-HTQT gửi Bộ Ngoại giao báo cáo tình hình {topic} {period} {year}",
        "Báo cáo Cục Ngoại vụ kết quả {topic} với {country} (số {n}/BC-SNgV)",
        "Văn bản gửi Bộ Công an về việc cấp thị thực cho đoàn {country} (số {n}/SNgV-LSBG)",
    ], ["bo-nganh"], []),
    "chu_tri_hop": ([
        "Chủ trì họp các sở, ngành thống nhất nội dung {topic} (Giấy mời số {n}/GM-SNgV)",
        "Chủ trì tổ chức họp Tổ công tác liên ngành về {topic} với {dept} (lần {n})",
    ], ["hop"], []),
    "bao_cao_nganh": ([
        "báo cáo {dept} kết quả {topic} {period} {year} (số {n}/BC-SNgV)",
        "kế hoạch phối hợp với {dept} triển khai {topic} (số {n}/KH-SNgV)",
    ], [], []),
    "van_ban_nganh": ([
        "đề nghị {dept} cung cấp thông tin phục vụ {topic} (Văn bản số {n}/SNgV-VPTTr)",
        "hướng dẫn {dept} thực hiện quy định về {topic} (Văn bản số {n}/SNgV-HTQT)",
    ], [], []),
    "gop_y_du_thao": ([
        "dự thảo Nghị quyết của HĐND tỉnh về {topic} do {dept} chủ trì (Văn bản góp ý số "
        "{n}/SNgV-VPTTr)",
        "dự thảo Kế hoạch của {dept} về {topic} năm {year} (Văn bản góp ý số {n}/SNgV-HTQT)",
    ], ["gop-y"], []),
    "doan_ra_doan_vao": ([
        "Tham mưu UBND tỉnh cử đoàn công tác của {dept} đi {country} (Văn bản số "
        "{n}/SNgV-HTQT)",
        "Đón tiếp và làm việc với Đoàn công tác tỉnh {lao} (Lào) do đồng chí Phó Tỉnh trưởng "
        "dẫn đầu (lần {n})",
        "Thẩm định hồ sơ đoàn ra của {dept} đi học tập kinh nghiệm tại {country} (số "
        "{n}/SNgV-HTQT)",
    ], ["doan-ra"], ["doan_ra", "luot_ra", "doan_vao", "luot_khach"]),
    "thoa_thuan_quoc_te": ([
        "Thẩm định dự thảo Biên bản ghi nhớ hợp tác giữa {dept} và đối tác {country} (số "
        "{n}/SNgV-HTQT)",
        "Báo cáo tình hình ký kết và thực hiện thỏa thuận quốc tế {period} {year} (số "
        "{n}/BC-SNgV)",
    ], ["thoa-thuan-quoc-te"], ["thoa_thuan"]),
    "hoi_nghi_quoc_te": ([
        "Thẩm định chủ trương tổ chức Hội thảo quốc tế về {topic} của {dept} (số "
        "{n}/SNgV-HTQT)",
        "Phối hợp tổ chức Hội nghị xúc tiến đầu tư với doanh nghiệp {country} (lần {n})",
    ], ["hoi-nghi"], ["hoi_thao"]),
    "hoi_nhap_quoc_te": ([
        "Xây dựng báo cáo kết quả thực hiện Chiến lược hội nhập quốc tế {period} {year} (số "
        "{n}/BC-SNgV)",
        "Tham mưu Ban Chỉ đạo hội nhập quốc tế tỉnh triển khai nhiệm vụ năm {year} (số "
        "{n}/SNgV-HTQT)",
    ], ["hoi-nhap"], []),
    "hop_tac_lao": ([
        "Phối hợp với tỉnh {lao} (Lào) triển khai Biên bản thỏa thuận hợp tác năm {year} (số "
        "{n}/SNgV-HTQT)",
        "Tham mưu tổ chức Hội đàm thường niên giữa tỉnh Hà Tĩnh và tỉnh {lao} (lần {n})",
    ], ["lao"], []),
    "luu_hoc_sinh_lao": ([
        "Phối hợp với Trường Đại học Hà Tĩnh tiếp nhận lưu học sinh tỉnh {lao} (Lào) năm học "
        "{year} (đợt {n})",
        "Tổ chức gặp mặt lưu học sinh Lào nhân dịp Tết cổ truyền Bunpimay năm {year} (lần {n})",
    ], ["lao", "luu-hoc-sinh"], ["luu_hoc_sinh"]),
    "kinh_te_doi_ngoai": ([
        "Phối hợp tổ chức đón tiếp doanh nghiệp {country} tìm hiểu cơ hội đầu tư vào Khu kinh "
        "tế Vũng Áng (lần {n})",
        "Cung cấp thông tin thị trường {country} cho doanh nghiệp xuất khẩu của tỉnh (số "
        "{n}/SNgV-HTQT)",
    ], ["xuc-tien-dau-tu"], []),
    "vien_tro_ngo": ([
        "Thẩm định dự án viện trợ của tổ chức {ngo} tại {dept} (số {n}/SNgV-HTQT)",
        "Làm việc với tổ chức {ngo} về kế hoạch hoạt động năm {year} tại Hà Tĩnh (lần {n})",
    ], ["ngo", "vien-tro"], ["du_an_vien_tro", "vien_tro_cam_ket_usd", "ngo_dang_ky"]),
    "ngoai_giao_van_hoa": ([
        "Phối hợp tổ chức Tuần văn hóa Hà Tĩnh tại tỉnh {lao} (Lào) năm {year} (lần {n})",
        "Tham mưu tổ chức chương trình giao lưu văn hóa với Đại sứ quán {country} (số "
        "{n}/SNgV-HTQT)",
    ], ["van-hoa"], []),
    "thong_tin_doi_ngoai": ([
        "Đăng tải bài viết tuyên truyền về {topic} trên Cổng thông tin điện tử của Sở (số "
        "{n})",
        "Cung cấp thông tin cho phóng viên báo chí nước ngoài đến tác nghiệp tại Hà Tĩnh (lượt "
        "{n})",
    ], ["ttdn", "tuyen-truyen"], ["bai_viet"]),
    "bien_gioi": ([
        "Phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh kiểm tra đường biên, mốc giới đoạn "
        "tiếp giáp tỉnh {lao} (đợt {n})",
        "Báo cáo tình hình quản lý biên giới {period} {year} (số {n}/BC-SNgV)",
    ], ["bien-gioi"], ["di_cu_tu_do", "hai_cot"]),
    "lanh_su": ([
        "Phối hợp xử lý vụ việc bảo hộ công dân Hà Tĩnh tại {country} (vụ việc số {n})",
        "Hướng dẫn hồ sơ chứng nhận lãnh sự, hợp pháp hóa lãnh sự cho công dân (hồ sơ số "
        "{n})",
    ], ["bao-ho-cong-dan"], ["vu_viec_bao_ho", "ho_so_lanh_su"]),
    "nguoi_vn_nuoc_ngoai": ([
        "Tổ chức gặp mặt kiều bào Hà Tĩnh tại {country} về thăm quê hương (lần {n})",
        "Cập nhật cơ sở dữ liệu người Hà Tĩnh ở nước ngoài tại {country} (đợt {n})",
    ], ["kieu-bao"], ["kieu_bao", "du_an_kieu_bao"]),
    "dich_thuat": ([
        "Biên dịch tài liệu hội nghị xúc tiến đầu tư với {country} (hợp đồng số {n}/HĐ-TTDT)",
        "Phiên dịch cho đoàn công tác tỉnh {lao} (Lào) làm việc tại Hà Tĩnh (lần {n})",
    ], ["dich-thuat"], ["gio_phien_dich"]),
    "to_chuc_noi_bo": ([
        "Tổ chức họp giao ban cơ quan đánh giá kết quả công tác {period} {year} (lần {n})",
        "Hoàn thiện hồ sơ đánh giá, xếp loại công chức, viên chức năm {year} (đợt {n})",
    ], ["noi-bo"], []),
}
FOOTNOTES = ["Gồm {k} dự án với tổng giá trị cam kết khoảng {usd} USD.",
             "Số liệu tính đến ngày cuối kỳ báo cáo, theo báo cáo của các đơn vị.",
             "Theo Kế hoạch số {n}/KH-UBND của UBND tỉnh."]
TRANSLATION = ["trang_bd_tu_phap", "trang_bd_chung_nhan", "trang_bd_noi_dung", "trang_hieu_dinh",
               "gio_phien_dich", "ban_dich_tu_phap", "ban_sao_chung_nhan", "ho_so_lanh_su"]


@dataclass
class Stats:
    """What a generation wrote: entries, files and the date range."""

    entries: int = 0
    files: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    paths: list[Path] = field(default_factory=list)


def iso_week(spec: str) -> tuple[dt.date, dt.date]:
    """``2023-W35`` → (Monday, Sunday)."""
    year, week = spec.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + dt.timedelta(days=6)


def slug(text: str, words: int = 9) -> str:
    """ASCII slug of a Vietnamese summary, as ``ngoaivu new`` names files."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    parts = re.findall(r"[a-z0-9]+", text)[:words]
    return "-".join(parts) or "hoat-dong"


class _Writer:
    """Draws entries from one seeded random generator and writes their files."""

    def __init__(self, root: Path, seed: int, hand: bool = False, ledger: Path | None = None
                 ) -> None:
        self.rng = random.Random(seed)
        self.ledger = None if ledger is None else open(ledger, "w", encoding="utf-8")  # noqa: SIM115
        if self.ledger is not None:
            self.ledger.write(_LEDGER_HEAD)
        self.hand = hand
        self.data = root / "data"
        self.seen: set[tuple[str, str, str]] = set()
        self.names: set[str] = set()
        self.made_dirs: set[Path] = set()
        self.counter = 0
        self.stats = Stats()

    def entry(self, day: dt.date, status: str = "done",
              before: dt.date | None = None) -> dict[str, object]:
        """One entry on ``day``; a multi-day one ends before ``before`` when given."""
        rng = self.rng
        category = rng.choice(list(CATEGORIES))
        templates, tags, metrics = CATEGORIES[category]
        while True:
            self.counter += 1
            summary = rng.choice(templates).format(
                n=rng.randint(1, 3999), topic=rng.choice(TOPICS), year=day.year,
                country=rng.choice(COUNTRIES), dept=rng.choice(DEPTS), lao=rng.choice(PROVINCES_LAO),
                ngo=rng.choice(NGOS), period=rng.choice(PERIODS))
            key = (day.isoformat(), category, summary)
            if key not in self.seen:
                self.seen.add(key)
                break
        item: dict[str, object] = {"date": day.isoformat(), "category": category,
                                   "status": status, "summary": summary,
                                   "unit": rng.choice(UNITS)}
        item_tags = list(tags)
        if category == "dich_thuat" and rng.random() < 0.5:
            item_tags.append("so-lieu")
            item["summary"] = f"Số liệu biên dịch, phiên dịch (bảng số {self.counter})"
            item["metrics"] = {m: (round(rng.uniform(1, 40), 1) if m == "gio_phien_dich"
                                   else rng.randint(1, 120)) for m in TRANSLATION}
        elif category == "doan_ra_doan_vao" and rng.random() < 0.8:
            item["metrics"] = ({"doan_ra": 1, "luot_ra": rng.randint(2, 25)} if rng.random() < 0.5
                               else {"doan_vao": 1, "luot_khach": rng.randint(2, 40)})
        elif metrics and rng.random() < 0.6:
            chosen = rng.sample(metrics, k=rng.randint(1, len(metrics)))
            item["metrics"] = {m: (round(rng.uniform(1_000, 500_000), 2) if m.endswith("_usd")
                                   else rng.randint(1, 30)) for m in chosen}
        if rng.random() < 0.15:
            item_tags.append("ttdn")
        if item_tags:
            item["tags"] = sorted(set(item_tags))
        if rng.random() < 0.5:
            item["partners"] = rng.sample(PARTNERS, k=rng.randint(1, 3))
        if rng.random() < 0.06:
            end = day + dt.timedelta(days=rng.randint(1, 12))
            if before is None or end < before:
                item["end"] = end.isoformat()
        if rng.random() < 0.03:
            item["footnote"] = rng.choice(FOOTNOTES).format(
                k=rng.randint(2, 12), usd=f"{rng.randint(1, 900)}.{rng.randint(0, 999):03d}.000",
                n=rng.randint(1, 999))
        return item

    def write(self, items: list[dict[str, object]]) -> Path:
        day = dt.date.fromisoformat(str(items[0]["date"]))
        folder = self.data / f"{day.year:04d}" / f"{day.month:02d}"
        if folder not in self.made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(folder)
        base = f"{day.isoformat()}-{slug(str(items[0]['summary']))}"
        name, n = base, 1
        while f"{folder}/{name}" in self.names:
            n += 1
            name = f"{base}-{n}"
        self.names.add(f"{folder}/{name}")
        path = folder / f"{name}.yaml"
        text = "\n".join(_yaml(item, as_item=len(items) > 1, hand=self.hand) for item in items)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if self.ledger is not None:
            self.ledger.writelines(_transaction(item) for item in items)
        st = self.stats
        st.files += 1
        st.entries += len(items)
        st.first = min(st.first or day, day)
        st.last = max(st.last or day, day)
        st.paths.append(path)
        return path


def _account(category: str) -> str:
    return "Expenses:" + "".join(part.capitalize() for part in category.split("_"))


def _ledger_head() -> str:
    day = (FIRST_DAY - dt.timedelta(days=1)).isoformat()
    lines = ['option "title" "Nhật ký công tác đối ngoại"', f"{day} open Assets:Ngan-Sach"]
    lines += [f"{day} open {_account(c)}" for c in CATEGORIES]
    return "\n".join(lines) + "\n\n"


_LEDGER_HEAD = _ledger_head()


def _transaction(item: dict[str, object]) -> str:
    """One entry as a beancount transaction (the activity's figures, or 1 HD, as postings)."""
    def quoted(text: object) -> str:
        return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'

    tags = "".join(f" #{t}" for t in item.get("tags", []))  # type: ignore[attr-defined]
    lines = [f"{item['date']} * {quoted(item['summary'])}{tags}",
             f"  unit: {quoted(item['unit'])}", f"  status: {quoted(item['status'])}"]
    if "end" in item:
        lines.append(f"  end: {item['end']}")
    account = _account(str(item["category"]))
    metrics = item.get("metrics") or {"hoat_dong": 1}
    for name, value in metrics.items():  # type: ignore[attr-defined]
        commodity = name.upper().replace("_", "-")
        lines.append(f"  {account}  {value} {commodity}")
        lines.append(f"  Assets:Ngan-Sach  {-value} {commodity}")
    return "\n".join(lines) + "\n\n"


def _yaml(item: dict[str, object], *, as_item: bool, hand: bool = False) -> str:
    """One entry as YAML; strings as JSON (a valid YAML double-quoted scalar). ``hand``: as
    people type it, with block lists and maps and a comment (read through libyaml)."""
    if hand and not as_item:
        return _hand_yaml(item)
    lines = []
    for key, value in item.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {v}" for k, v in value.items())
            lines.append(f"{key}: {{{inner}}}")
        elif isinstance(value, list):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if not as_item:
        return "\n".join(lines) + "\n"
    return "\n".join(("- " if i == 0 else "  ") + ln for i, ln in enumerate(lines)) + "\n"


def _hand_yaml(item: dict[str, object]) -> str:
    lines = [f"# {item['date']}"]
    for key, value in item.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {json.dumps(v, ensure_ascii=False)}" for v in value)
        elif isinstance(value, str) and _PLAIN_SAFE.fullmatch(value):
            lines.append(f"{key}: {value}")  # unquoted, as typed
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


# text that reads as itself when written without quotes
_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^:#\n]*[^\s:]")


def _days(first: dt.date, last: dt.date, skip: tuple[dt.date, dt.date] | None) -> list[dt.date]:
    out = []
    day = first
    while day <= last:
        if skip is None or not skip[0] <= day <= skip[1]:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def generate(root: Path, entries: int, *, seed: int = SEED, week: str | None = None,
             week_entries: int = 20, hand: bool = False, ledger: Path | None = None) -> Stats:
    """Write a log of ``entries`` entries under ``root/data``.

    With ``week``, the first ``week_entries`` entries fall in that ISO week (done) and the next
    one (planned), and no other entry does: a 20-entry log and a 100,000-entry log built with
    the same ``week`` hold exactly the same files for that report, so comparing them measures
    the cost of the history alone.
    """
    w = _Writer(root, seed, hand, ledger)
    (root / "data").mkdir(parents=True, exist_ok=True)
    skip = None
    count = 0
    if week:
        monday, sunday = iso_week(week)
        skip = (monday, sunday + dt.timedelta(days=7))
        week_rng = random.Random(seed + 1)  # the week's files do not depend on ``entries``
        saved, w.rng = w.rng, week_rng
        planned = max(1, week_entries // 5)
        for i in range(min(week_entries, entries)):
            if i < week_entries - planned:
                day = monday + dt.timedelta(days=i % 5)
                w.write([w.entry(day)])
            else:
                day = sunday + dt.timedelta(days=1 + i % 5)
                w.write([w.entry(day, "planned")])
            count += 1
        w.rng = saved
    days = _days(FIRST_DAY, LAST_DAY, skip)
    weights = [1.0 if d.weekday() < 5 else 0.15 for d in days]
    remaining = entries - count
    chosen = sorted(w.rng.choices(days, weights=weights, k=remaining))
    # no activity of the rest may run into the week (so that week's report is the same)
    before = skip[0] if skip else None
    i = 0
    while i < len(chosen):
        day = chosen[i]
        limit = before if before is not None and day < before else None
        status = "planned" if w.rng.random() < 0.08 else "done"
        if i + 1 < len(chosen) and chosen[i + 1] == day and w.rng.random() < 0.03:
            # a file holding a list of two entries
            w.write([w.entry(day, status, limit), w.entry(day, status, limit)])
            i += 2
        else:
            w.write([w.entry(day, status, limit)])
            i += 1
    if w.ledger is not None:
        w.ledger.close()
    return w.stats


def documents(out: Path, count: int, *, seed: int = SEED, bullets: int = 20) -> list[Path]:
    """``count`` weekly reports as a clerk types them in Word (one plain paragraph each: header,
    title, period, opening, the results, next week's plan, closing, Nơi nhận, signature), with
    the generator's summaries; for the ``ngoaivu import`` benchmark. Needs python-docx."""
    from docx import Document

    w = _Writer(out, seed, False)
    out.mkdir(parents=True, exist_ok=True)
    monday = dt.date.fromisocalendar(2014, 2, 1)
    paths = []
    for i in range(count):
        start = monday + dt.timedelta(days=7 * i)
        end = start + dt.timedelta(days=4)
        span = f"{start.day}/{start.month} - {end.day}/{end.month}/{end.year}"
        doc = Document()
        for text in ("UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: /BC-SNgV",
                     f"Hà Tĩnh, ngày {end.day:02d} tháng {end.month} năm {end.year}", "BÁO CÁO",
                     "Kết quả công tác đối ngoại", f"Từ ngày {span}",
                     "Thực hiện ý kiến chỉ đạo của Ủy ban nhân dân tỉnh về việc báo cáo công tác "
                     f"định kỳ, Sở Ngoại vụ báo cáo kết quả công tác đối ngoại từ {span} và "
                     "phương hướng, nhiệm vụ thời gian tới như sau:", "I. KẾT QUẢ THỰC HIỆN"):
            doc.add_paragraph(text)
        planned = max(1, bullets // 5)
        for j in range(bullets - planned):
            doc.add_paragraph(f"- {w.entry(start + dt.timedelta(days=j % 5))['summary']}.")
        doc.add_paragraph("II. KẾ HOẠCH TRỌNG TÂM TUẦN TỚI")
        for j in range(planned):
            day = end + dt.timedelta(days=3 + j % 5)
            doc.add_paragraph(f"- {w.entry(day, 'planned')['summary']}.")
        for text in (f"Trên đây là báo cáo kết quả tuần từ ngày {span} và phương hướng nhiệm vụ "
                     "thời gian tới; Sở Ngoại vụ báo cáo Văn phòng UBND tỉnh tổng hợp./.",
                     "Nơi nhận:", "- Văn phòng UBND tỉnh;", "- Lưu: VT, VPTTr.",
                     "TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Lê Thị Khánh Cẩm"):
            doc.add_paragraph(text)
        path = out / f"bao-cao-tuan-{start.isoformat()}.docx"
        doc.save(str(path))
        paths.append(path)
    return paths


def check_against_config() -> None:
    """Every category, unit and metric used here exists in the shipped configuration."""
    from ngoaivu_cli.config import load_config

    config = load_config(cwd=Path(os.sep))
    missing = [c for c in CATEGORIES if c not in config.categories]
    missing += [u for u in UNITS if u not in config.units]
    missing += [m for _t, _g, ms in CATEGORIES.values() for m in ms if m not in config.metrics]
    missing += [m for m in TRANSLATION if m not in config.metrics]
    # xem_lai holds what `ngoaivu import` could not place: never written by hand
    unused = [c for c in config.categories if c not in CATEGORIES and c != "xem_lai"]
    if missing or unused:
        raise SystemExit(f"generator out of date with the shipped configuration: missing "
                         f"{missing}, unused categories {unused}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="log root (data/ goes inside)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--week", default=None, help=f"e.g. {BENCH_WEEK}: put a fixed set of "
                        "entries in this week and the next, none other")
    parser.add_argument("--hand", action="store_true", help="write files as people type "
                        "them (block lists, comments) rather than one field a line")
    parser.add_argument("--ledger", type=Path, default=None, help="also write the same "
                        "activities as a beancount ledger here (for bean-check)")
    parser.add_argument("--docx", action="store_true", help="write --entries weekly reports "
                        "as Word files (for the import benchmark) instead of a log")
    args = parser.parse_args(argv)
    if args.docx:
        print(f"{len(documents(args.out, args.entries, seed=args.seed))} documents in {args.out}")
        return 0
    if (args.out / "data").exists():
        print(f"{args.out}/data already exists", file=sys.stderr)
        return 2
    check_against_config()
    stats = generate(args.out, args.entries, seed=args.seed, week=args.week, hand=args.hand,
                     ledger=args.ledger)
    print(f"{stats.entries} entries in {stats.files} files, {stats.first} .. {stats.last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
