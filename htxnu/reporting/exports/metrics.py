"""How wide a line of text is on paper, for the rules the decree sizes after the text.

Times New Roman is the decree's font; Liberation Serif has the same advance widths
(it was made metric-compatible) and covers every Vietnamese letter from version 2 on
(Debian's fonts-liberation2, installed by `make fonts`). Without it the width is
estimated at half an em per letter, which keeps the document valid if less exact."""

import functools
import unicodedata
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
FILES = {(False, False): "LiberationSerif-Regular.ttf", (True, False): "LiberationSerif-Bold.ttf",
         (False, True): "LiberationSerif-Italic.ttf", (True, True): "LiberationSerif-BoldItalic.ttf"}
MM_PER_POINT = 25.4 / 72


@functools.cache
def _advances(bold: bool, italic: bool):
    from fontTools.ttLib import TTFont

    for folder in FONT_DIRS:
        path = Path(folder, FILES[bold, italic])
        if path.exists():
            font = TTFont(path, lazy=True)
            metrics, cmap = font["hmtx"].metrics, font.getBestCmap()
            return {code: metrics[name][0] for code, name in cmap.items()}, font["head"].unitsPerEm
    return None


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    text = unicodedata.normalize("NFC", text)
    found = _advances(bold, italic)
    if found is None:
        return len(text) * size_pt * 0.5 * MM_PER_POINT
    advances, units = found
    default = units // 2
    return sum(advances.get(ord(char), default) for char in text) / units * size_pt * MM_PER_POINT
