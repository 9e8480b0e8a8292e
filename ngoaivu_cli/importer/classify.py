"""Guessing an imported bullet's category, splitting merged bullets, recovering metrics.

Everything is read from the configuration, so another office's taxonomy works the same way:

- a bullet that opens with a category's ``lead`` ("Tham mưu, báo cáo UBND tỉnh về: a; b; c")
  belongs to it, and a ``merged`` category's bullet splits back into its items a, b, c;
- a sentence that matches one of the configured statistics sentences ("Tham mưu tỉnh làm thủ
  tục cho 07 đoàn với 14 lượt ...") gives back its metrics (``doan_ra: 7, luot_ra: 14``);
- a numbered topic section whose heading is a category's label ("2.4. Công tác vận động và
  quản lý viện trợ phi chính phủ nước ngoài") gives its category to the bullets under it;
- otherwise the words that open the bullet are compared with the labels ("Tham mưu Thường
  trực Tỉnh ủy ..." → ``tham_muu_tinh_uy``), then the words of the whole bullet with the
  labels and with a few common words of each default category (:data:`HINTS`).

A guess carries a confidence: ``high`` (lead, statistics, section, label opening), ``low``
(words only), or no category at all (the bullet goes to the review category).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ngoaivu_cli.config import Category, Config, SectionSpec, StatSentence
from ngoaivu_cli.importer.structure import fold
from ngoaivu_cli.log.entries import REVIEW_CATEGORY

HIGH = "high"
LOW = "low"
NONE = "none"

# Words typical of each category of the shipped taxonomy (used only for keys the
# configuration has). Folded (no diacritics, lower case) when compared.
HINTS: dict[str, tuple[str, ...]] = {
    "chi_dao_dieu_hanh": ("ban hanh", "quy che", "ke hoach so", "trien khai thuc hien",
                          "kiem tra", "don doc", "huong dan nghiep vu"),
    "tham_muu_tinh_uy": ("thuong truc tinh uy",),
    "van_ban_bo_nganh": ("bo ngoai giao", "cuc ngoai vu", "trung uong", "bo", "cuc"),
    "chu_tri_hop": ("chu tri", "hop", "hoi nghi tong ket", "to chuc thanh cong hoi nghi"),
    "bao_cao_nganh": ("ra soat", "thong ke", "bao cao tong ket"),
    "van_ban_nganh": ("cac nganh", "don vi", "cho y kien"),
    "gop_y_du_thao": ("gop y", "du thao"),
    "doan_ra_doan_vao": ("doan ra", "doan vao", "don tiep", "doan cong tac", "luot khach",
                         "di cong tac nuoc ngoai"),
    "thoa_thuan_quoc_te": ("thoa thuan", "ky ket", "ban ghi nho", "bien ban hop tac"),
    "hoi_nghi_quoc_te": ("hoi thao quoc te", "hoi nghi quoc te"),
    "hoi_nhap_quoc_te": ("hoi nhap quoc te", "dai su quan", "to chuc quoc te", "doi tac",
                         "da phuong", "hiep hoi", "tieu vung", "asean", "apec"),
    "hop_tac_lao": ("lao", "bolikhamxay", "bolykhamxay", "kham muon", "savannakhet",
                    "vieng chan", "nuoc ban lao", "doan ket dac biet", "huu nghi vi dai"),
    "luu_hoc_sinh_lao": ("luu hoc sinh", "hoc bong", "sinh vien lao", "dao tao"),
    "kinh_te_doi_ngoai": ("xuat khau", "xuc tien dau tu", "thuong mai", "doanh nghiep",
                          "halal", "thi truong", "fdi", "oda", "giao thuong", "khu kinh te",
                          "nha dau tu"),
    "vien_tro_ngo": ("vien tro", "phi chinh phu", "ngo", "tai tro", "du an", "paccom",
                     "cuu tro"),
    "ngoai_giao_van_hoa": ("van hoa", "unesco", "di san", "giao luu"),
    "thong_tin_doi_ngoai": ("tuyen truyen", "bai viet", "thong tin doi ngoai", "phong vien",
                            "bao chi", "cong thong tin", "quang ba"),
    "bien_gioi": ("bien gioi", "moc quoc gioi", "cua khau", "bien dao", "duong bien"),
    "lanh_su": ("cong dan", "bao ho", "lanh su", "xuat nhap canh", "di cu", "visa", "ho chieu"),
    "nguoi_vn_nuoc_ngoai": ("kieu bao", "nguoi viet nam o nuoc ngoai", "nguoi viet",
                            "dong huong"),
    "dich_thuat": ("bien dich", "phien dich", "dich thuat", "ban dich"),
    "to_chuc_noi_bo": ("phieu tin nhiem", "can bo cong chuc", "ban to chuc", "thi dua",
                       "noi bo", "dang uy"),
}
_STOP = {"va", "cac", "cua", "ve", "voi", "cho", "tai", "tren", "trong", "nhung", "mot", "so",
         "cong", "tac", "viec", "nay", "do", "da", "duoc", "theo", "den", "tu", "la", "nam",
         "tinh", "ha", "de", "khac", "nhieu", "nhan", "dan"}


@dataclass(frozen=True)
class Guess:
    category: str | None
    confidence: str
    why: str


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text)))


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _words(text)
                     if w not in _STOP and not w.isdigit() and len(w) > 1)


def label_match(title: str, config: Config, allowed: tuple[str, ...] = ()) -> str | None:
    """The category whose label is (nearly) the section heading ``title``, if any."""
    t = content_words(re.sub(r"^(công tác|cong tac)\s+", "", title, flags=re.I))
    if not t:
        return None
    best: tuple[float, str | None] = (0.0, None)
    for key, cat in config.categories.items():
        if allowed and key not in allowed:
            continue
        lw = content_words(cat.label)
        if not lw:
            continue
        score = len(t & lw) / max(len(lw), len(t))
        if score > best[0]:
            best = (score, key)
    return best[1] if best[0] >= 0.6 else None


def starts_with_lead(text: str, cat: Category) -> str | None:
    """What follows the category's lead when ``text`` opens with it (case and accents kept)."""
    lead = cat.lead.strip()
    if not lead:
        return None
    n = len(lead)
    if fold(text[:n]) == fold(lead):
        return text[n:].strip()
    return None


def split_items(text: str) -> list[str]:
    """``a; b; c.`` → ``[a, b, c]``: top-level semicolons only (not inside brackets/quotes)."""
    out: list[str] = []
    depth = 0
    quote = False
    start = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in "“”\"":
            quote = not quote if ch == '"' else ch == "“"
        elif ch == ";" and depth == 0 and not quote:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    items = [p.strip().rstrip(";").strip() for p in out]
    if items and items[-1].endswith(".") and not items[-1].endswith("..."):
        items[-1] = items[-1][:-1].rstrip()
    return [p for p in items if p]


@lru_cache(maxsize=1)
def _hint_index() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """First word of each hint → (category, the hint's words)."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key, hints in HINTS.items():
        for hint in hints:
            ws = tuple(hint.replace(",", " ").split())
            index.setdefault(ws[0], []).append((key, ws))
    return {w: tuple(v) for w, v in index.items()}


def _hint_scores(ws: tuple[str, ...]) -> dict[str, float]:
    """Category → weight of its hints found in the words ``ws``: longer hints weigh more, and
    a hint in the opening words more than further on (what a bullet opens with says most)."""
    index = _hint_index()
    scores: dict[str, float] = {}
    seen: set[tuple[str, ...]] = set()
    pos = 0
    for i, w in enumerate(ws):
        for key, hint in index.get(w, ()):
            if hint not in seen and ws[i:i + len(hint)] == hint:
                seen.add(hint)
                scores[key] = scores.get(key, 0.0) + \
                    (0.5 + 0.5 * len(hint)) * (1 + max(0.0, 1 - pos / 200))
        pos += len(w) + 1
    return scores


@lru_cache(maxsize=4096)
def _pair_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """Each phrase of ``text`` (folded, never across punctuation) as its pairs of neighbouring
    syllables, in order; a pair of two common words is ``""``."""
    out = []
    for phrase in re.split(r"[^\w\s]+", fold(text)):
        ws = [w for w in phrase.split() if not w.isdigit()]
        out.append(tuple("" if a in _STOP and b in _STOP else f"{a} {b}"
                         for a, b in zip(ws, ws[1:], strict=False)))
    return tuple(out)


@lru_cache(maxsize=4096)
def compounds(text: str) -> frozenset[str]:
    """The pairs of neighbouring syllables of ``text``: Vietnamese words are mostly two
    syllables ("viện trợ", "công dân", "kinh tế"), so a pair says much more than a syllable."""
    return frozenset(p for run in _pair_runs(text) for p in run if p)


def _label_score(text: str, pairs: frozenset[str], weight: dict[str, float]) -> float:
    """The weight of the label's pairs found in ``text``, each counted once. A run of k
    overlapping pairs is one longer term ("phi chính phủ nước ngoài": four pairs, one term)
    and counts (k + 1) / 2k of their weights: as many words as it has, not as many pairs."""
    seen: set[str] = set()
    score = 0.0
    for phrase in _pair_runs(text):
        run: list[float] = []
        for pair in (*phrase, ""):
            if pair in pairs and pair not in seen:
                seen.add(pair)
                run.append(weight[pair])
                continue
            if run:
                score += sum(run) * (len(run) + 1) / (2 * len(run))
                run = []
    return score


@dataclass(frozen=True)
class _Labels:
    keys: tuple[str, ...]
    words: dict[str, tuple[str, ...]]  # label words of categories that are not merged
    content: dict[str, frozenset[str]]
    pairs: dict[str, frozenset[str]]  # each label's compounds
    weight: dict[str, float]  # a compound's weight: 1 / the number of labels holding it


_LABELS: dict[int, tuple[Config, _Labels]] = {}


def _labels(config: Config) -> _Labels:
    known = _LABELS.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    cats = config.categories
    pairs = {k: compounds(c.label) for k, c in cats.items()}
    df: dict[str, int] = {}
    for ps in pairs.values():
        for pair in ps:
            df[pair] = df.get(pair, 0) + 1
    labels = _Labels(tuple(cats), {k: _words(c.label) for k, c in cats.items()
                                   if c.style != "merged"},
                     {k: content_words(c.label) for k, c in cats.items()}, pairs,
                     {pair: 1 / n for pair, n in df.items()})
    _LABELS.clear()
    _LABELS[id(config)] = (config, labels)
    return labels


def guess(text: str, config: Config, allowed: tuple[str, ...] = (),
          section_titles: tuple[str, ...] = ()) -> Guess:
    """The category of one bullet (see the module docstring)."""
    labels = _labels(config)
    keys = [k for k in labels.keys if (not allowed or k in allowed) and k != REVIEW_CATEGORY]
    if len(keys) == 1:
        return Guess(keys[0], HIGH, "mục của loại báo cáo")
    section_key = None
    for title in reversed(section_titles):
        section_key = label_match(title, config, allowed)
        if section_key and not allowed:
            return Guess(section_key, HIGH, f"tên mục “{title}”")
        if section_key:  # a section the report type fills from several categories: a hint
            break
    ws = _words(text)
    head = ws[:12]
    best_open: tuple[int, str | None] = (0, None)
    for key in keys:
        label = labels.words.get(key)
        if label is None:
            continue  # a merged category's bullets open with its lead, not its label
        n = 0
        for a, b in zip(head, label, strict=False):
            if a != b:
                break
            n += 1
        if n > best_open[0]:
            best_open = (n, key)
    if best_open[0] >= 4 or best_open[0] >= 3 and best_open[0] == len(
            labels.words[best_open[1] or ""]):
        return Guess(best_open[1], HIGH, "mở đầu giống tên lĩnh vực")
    hinted = _hint_scores(ws)
    scores: dict[str, float] = {}
    for key in keys:
        score = hinted.get(key, 0.0) + _label_score(text, labels.pairs[key], labels.weight)
        if best_open[1] == key:
            score += best_open[0]
        if section_key == key:
            score += 2.0
        if score:
            scores[key] = score
    if not scores:
        return Guess(None, NONE, "không đoán được lĩnh vực")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], keys.index(kv[0])))
    top, value = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if value < 1.5:
        return Guess(None, NONE, "không đoán được lĩnh vực")
    confidence = HIGH if value >= 2 * second and value >= 3 else LOW
    return Guess(top, confidence, "theo từ ngữ của nội dung")


# --------------------------------------------------------------------------- statistics


_NUMBER = r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_TOKEN = re.compile(r"\{\{\s*m\.(\w+)\s*\}\}|\{%-?\s*if\s+(not\s+)?raw\.(\w+)\s*-?%\}"
                    r"|\{%-?\s*endif\s*-?%\}|\{[{%#]")


@dataclass(frozen=True)
class StatPattern:
    category: str
    regex: re.Pattern[str]
    groups: tuple[tuple[str, str], ...]  # regex group name → metric
    tags: tuple[str, ...] = ()  # a report section's sentence: the tags the section selects
    loose: re.Pattern[str] | None = None  # the same, with a few stray words after a figure


def _pattern(stat: StatSentence, category: str, tags: tuple[str, ...] = ()) -> StatPattern | None:
    text = stat.text.replace("[^]", "")  # a footnote anchor is not text
    parts: list[str] = []
    loose: list[str] = []
    groups: list[tuple[str, str]] = []
    pos = 0
    depth = 0
    for m in _TOKEN.finditer(text):
        literal = _literal(text[pos:m.start()])
        parts.append(literal)
        loose.append(literal)
        pos = m.end()
        if m.group(1):
            name = f"g{len(groups)}"
            groups.append((name, m.group(1)))
            parts.append(f"(?P<{name}>{_NUMBER})")
            loose.append(f"(?P<{name}>{_NUMBER})(?P<x{name}>{_STRAY})?")
        elif m.group(3):
            parts.append("(?:")
            loose.append("(?:")
            depth += 1
        elif m.group(0).startswith("{%") and "endif" in m.group(0):
            if depth == 0:
                return None
            parts.append(")?")
            loose.append(")?")
            depth -= 1
        else:
            return None  # anything else (loops, filters, expressions): not recoverable
    parts.append(_literal(text[pos:]))
    loose.append(_literal(text[pos:]))
    if depth or not groups:
        return None
    try:
        return StatPattern(category, re.compile(_end(parts), re.I), tuple(groups), tags,
                           re.compile(_end(loose), re.I))
    except re.error:
        return None


# A few words a copy or a clerk left after a figure ("đón tiếp 41 đoàn với 542 17 với 325
# lượt khách"): the sentence is still recognised, the figure kept and the stray words named.
_STRAY = r"(?:\s+[^\s;:]+){1,3}?(?=\s)"


def _end(parts: list[str]) -> str:
    body = "".join(parts).rstrip()
    return body[:-2] + r"\.?" if body.endswith(r"\.") else body


# Words reports spell more than one way: a sentence written with either is the same sentence.
# "CBCCVC" (cán bộ, công chức, viên chức) is the shipped spelling; the real reports (seed 003)
# write "CBCVVC", and an office's configuration may keep that.
_SPELLINGS = {w: "(?:CBCCVC|CBCVVC)" for w in ("CBCCVC", "CBCVVC")}


def _literal(text: str) -> str:
    return r"\s*".join(_SPELLINGS.get(w, re.escape(w)) if w else ""
                       for w in re.split(r"\s+", text))


@lru_cache(maxsize=32)
def _patterns(stats: tuple[tuple[str, tuple[str, ...], StatSentence], ...]
              ) -> tuple[StatPattern, ...]:
    out = []
    for category, tags, stat in stats:
        p = _pattern(stat, category, tags)
        if p is not None:
            out.append(p)
    return tuple(out)


_BY_CONFIG: dict[int, tuple[Config, tuple[StatPattern, ...]]] = {}


def stat_patterns(config: Config) -> tuple[StatPattern, ...]:
    """Every statistics sentence of the configuration: categories' and report sections'."""
    known = _BY_CONFIG.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    patterns = _stat_patterns(config)
    _BY_CONFIG.clear()
    _BY_CONFIG[id(config)] = (config, patterns)
    return patterns


def _stat_patterns(config: Config) -> tuple[StatPattern, ...]:
    stats: list[tuple[str, tuple[str, ...], StatSentence]] = []
    for key, cat in config.categories.items():
        stats.extend((key, (), s) for s in cat.stats)

    def walk(spec: SectionSpec) -> None:
        if spec.stats and spec.categories:
            stats.extend((spec.categories[0], spec.tags, s) for s in spec.stats)
        for sub in spec.subsections:
            walk(sub)

    for rt in config.report_types.values():
        for spec in rt.sections:
            walk(spec)
    return _patterns(tuple(dict.fromkeys(stats)))


def parse_number(text: str) -> int | float:
    """``1.100`` → 1100, ``2,5`` → 2.5, ``15.5`` → 15.5, ``07`` → 7."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


@dataclass
class StatHit:
    category: str
    metrics: dict[str, int | float]
    tags: tuple[str, ...]
    rest: str  # the text without the matched sentence
    skipped: list[str]  # metrics that could not be kept (derived, not a whole number)
    stray: list[str] = field(default_factory=list)  # words after a figure, left out


def _figures(m: re.Match[str], p: StatPattern) -> int:
    return sum(m.group(g) is not None for g, _ in p.groups)


def find_stats(text: str, config: Config, allowed: tuple[str, ...] = ()) -> list[StatHit]:
    """Statistics sentences found in ``text``, longest first, each removed from the rest."""
    hits: list[StatHit] = []
    rest = text
    for p in sorted(stat_patterns(config), key=lambda p: -len(p.regex.pattern)):
        if allowed and p.category not in allowed:
            continue
        m = p.regex.search(rest)
        stray: list[str] = []
        loose = p.loose.search(rest) if p.loose is not None else None
        if loose and (not m or _figures(loose, p) > _figures(m, p)):  # it reads more figures
            m = loose
            stray = [f"{m.group(g)} “{m.group('x' + g).strip()}”" for g, _ in p.groups
                     if m.group("x" + g)]
        if not m:
            continue
        metrics: dict[str, int | float] = {}
        skipped: list[str] = []
        for group, name in p.groups:
            raw = m.group(group)
            if raw is None:
                continue
            metric = config.metrics.get(name)
            value = parse_number(raw)
            if metric is None or metric.sum_of:
                continue  # derived metrics are summed by the report, never written
            if metric.integer and not float(value).is_integer():
                skipped.append(f"{name}={raw}")
                continue
            metrics[name] = int(value) if metric.integer else float(value)
        if not metrics:
            continue
        rest = (rest[:m.start()] + " " + rest[m.end():]).strip()
        hits.append(StatHit(p.category, metrics, p.tags, rest, skipped, stray))
    if hits:
        final = " ".join(rest.split())
        for h in hits:
            h.rest = final
    return hits
