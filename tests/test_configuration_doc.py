"""docs/configuration.md names (in backticks) every configuration key, variable and filter."""

import re
from pathlib import Path

from ngoaivu_cli.config import read
from ngoaivu_cli.config.vocabulary import SCOPE_WORDS, SCOPES, WORD_NAMES
from ngoaivu_cli.figures import FILTERS as FIGURE_FILTERS
from ngoaivu_cli.formatting import FILTERS

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def _named() -> set[str]:
    return set(re.findall(r"`([^`\s|{}]+)`", DOC.read_text("utf-8")))


def test_every_name_is_documented() -> None:
    wanted = {*read._TOP, *read._REPORT_KEYS, *read._SECTION_KEYS, *read._WINDOW_KEYS,
              *read._FORMATTING_KEYS, *read.PAD_MONTHS, *read._CATEGORY_KEYS,
              *read._JOINED_KEYS, *read.STATS_AT,
              *SCOPES, *SCOPE_WORDS,
              *WORD_NAMES, *FILTERS, *FIGURE_FILTERS, "capfirst", "m", "raw", "documents/"}
    for keys in WORD_NAMES.values():
        wanted.update(keys)
    missing = sorted(wanted - _named())
    assert not missing, f"docs/configuration.md does not mention: {missing}"
