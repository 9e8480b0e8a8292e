"""Write ngoaivu_cli/fontwidths.py: the advance widths of Times New Roman's letters, for
``ngoaivu check`` to measure a line of text (is the rule under the motto as long as it?).

Liberation Serif has Times New Roman's metrics (that is what it was made for), so its
regular and bold faces are read here, with no font library: the ``cmap`` (format 4) and
``hmtx`` tables of a TrueType file are enough. Run: python scripts/font_widths.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

FONTS = Path("/usr/share/fonts/truetype/liberation2")
OUT = Path(__file__).resolve().parents[1] / "ngoaivu_cli" / "fontwidths.py"
VIET = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụ"
        "ưừứửữựvwxyỳýỷỹỵz")
CHARS = sorted(set(VIET + VIET.upper() + "".join(map(chr, range(32, 127)))
                   + "–—…“”‘’«»•·"))


def widths(path: Path) -> dict[str, int]:
    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sLLL", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode()] = (offset, length)
    head = tables["head"][0]
    per_em = struct.unpack(">H", data[head + 18: head + 20])[0]
    hhea = tables["hhea"][0]
    metrics = struct.unpack(">H", data[hhea + 34: hhea + 36])[0]
    hmtx = tables["hmtx"][0]
    advances = [struct.unpack(">H", data[hmtx + 4 * i: hmtx + 4 * i + 2])[0]
                for i in range(metrics)]
    cmap = tables["cmap"][0]
    n = struct.unpack(">H", data[cmap + 2: cmap + 4])[0]
    sub = None
    for i in range(n):
        platform, encoding, offset = struct.unpack(">HHL", data[cmap + 4 + 8 * i:
                                                                   cmap + 12 + 8 * i])
        if (platform, encoding) in ((3, 1), (0, 3)):
            sub = cmap + offset
    assert sub is not None and struct.unpack(">H", data[sub: sub + 2])[0] == 4
    segs = struct.unpack(">H", data[sub + 6: sub + 8])[0] // 2
    ends = struct.unpack(f">{segs}H", data[sub + 14: sub + 14 + 2 * segs])
    base = sub + 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", data[base: base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", data[base + 2 * segs: base + 4 * segs])
    ro_at = base + 4 * segs
    ranges = struct.unpack(f">{segs}H", data[ro_at: ro_at + 2 * segs])
    out = {}
    for ch in CHARS:
        code = ord(ch)
        for s in range(segs):
            if starts[s] <= code <= ends[s]:
                if ranges[s] == 0:
                    glyph = (code + deltas[s]) & 0xFFFF
                else:
                    at = ro_at + 2 * s + ranges[s] + 2 * (code - starts[s])
                    glyph = struct.unpack(">H", data[at: at + 2])[0]
                    glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
                if glyph:
                    out[ch] = round(advances[min(glyph, metrics - 1)] * 1000 / per_em)
                break
    return out


def main() -> None:
    regular = widths(FONTS / "LiberationSerif-Regular.ttf")
    bold = widths(FONTS / "LiberationSerif-Bold.ttf")
    lines = ['"""Advance widths of Times New Roman (Liberation Serif\'s metrics), thousandths of',
             'an em, regular and bold; written by scripts/font_widths.py, do not edit."""', "",
             f"REGULAR = {regular!r}", "", f"BOLD = {bold!r}", ""]
    text = "\n".join(lines)
    import textwrap
    out = []
    for line in text.splitlines():
        if len(line) > 100 and line.startswith(("REGULAR", "BOLD")):
            name, _, rest = line.partition(" = ")
            out.append(f"{name} = {{")
            items = rest.strip("{}").split(", ")
            out.extend(textwrap.wrap(", ".join(items), 96, initial_indent="    ",
                                     subsequent_indent="    ", break_on_hyphens=False))
            out[-1] += ","
            out.append("}")
        else:
            out.append(line)
    OUT.write_text("\n".join(out) + "\n", "utf-8")
    print(f"{OUT}: {len(regular)} regular, {len(bold)} bold", file=sys.stderr)


if __name__ == "__main__":
    main()
