"""The fonts of a bulletin: the charts' CJK font from a Python package, the document's by name.

Charts are pictures, so their font travels with them: Noto Sans CJK SC from the `mplfonts` package,
installed from PyPI like every other dependency (DOMAIN §8), never whatever the machine has. It is
pinned by file (`FontProperties(fname=...)`), not by family name, because a family name could
resolve to another copy installed on the machine.

The document's text stays editable, so it names the fonts Chinese government offices use
(GB/T 9704); Word and LibreOffice substitute a CJK font where one is missing.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

CHART_FONT_FILE = "NotoSansCJKsc-Regular.otf"

# East Asian fonts of the document (the w:eastAsia attribute); Latin text and digits use LATIN.
TITLE = "方正小标宋简体"
HEADING = "黑体"
SUBHEADING = "楷体"
BODY = "仿宋"
LATIN = "Times New Roman"


def chart_font_path() -> Path:
    return Path(str(files("mplfonts") / "fonts" / CHART_FONT_FILE))


@cache
def chart_font() -> FontProperties:
    from matplotlib.font_manager import FontProperties

    path = chart_font_path()
    if not path.is_file():
        raise FileNotFoundError(f"未找到图表字体 {path}：请安装 mplfonts（见 pyproject.toml）。")
    return FontProperties(fname=str(path))
