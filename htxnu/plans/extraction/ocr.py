"""Scanned PDFs: each page read by Tesseract with its Vietnamese model (Debian's
tesseract-ocr, tesseract-ocr-vie).  A scanner puts one picture on each page, which is
read as it is (pypdf takes it out of the PDF, no rendering); any other page is rendered
by poppler's ``pdftoppm`` (Debian's poppler-utils).

A signed and stamped copy is the usual way a plan reaches a lower level, and such a
copy has no text layer.  Every page is read in grey at about 180 dpi (``OCR_WIDTH``
pixels across an A4 page; pages are rendered at ``OCR_DPI``): enough for the tone
marks, and fewer pixels than the 200–300 dpi of office scanners (measured in
docs/plans.md).  The red stamp and the blue signature turn into grey that
Tesseract's binarisation mostly drops, and what it reads of them is a line or two of
noise the extractor ignores.  Tesseract's LSTM engine (``--oem 1``) reads each page
with page segmentation 3 (columns found automatically: the two-column header
"Số: …    Lào Cai, ngày …" stays two lines).
Pages are read two at a time (the machine has two cores; Tesseract is told to use
one thread each); ``progress(done, total)`` is called as each page is finished.
A small grey JPEG of each page (``PREVIEW_WIDTH`` pixels wide, Pillow) is kept so
the review screen can show it beside the sentences read from it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

OCR_DPI = 180
# An A4 page at about 180 dpi: what each page is read at (see _prepared and docs/plans.md).
OCR_WIDTH = 1500
SMALL_WIDTH = 1200
PREVIEW_WIDTH = 900
WORKERS = 2
PAGE_TIMEOUT = 120
LANGUAGE = "vie"


def missing_tool() -> str | None:
    """The name of the Debian package this server lacks for OCR, or None."""
    if shutil.which("pdftoppm") is None:
        return "poppler-utils"
    if shutil.which("tesseract") is None:
        return "tesseract-ocr"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    if LANGUAGE not in langs.stdout.split():
        return "tesseract-ocr-vie"
    return None


def _scanned_image(page) -> tuple[bytes, str] | None:
    """The one picture a scanner puts on a page (bytes, extension), or None for any other page."""
    try:
        images = list(page.images)
    except Exception:  # pypdf raises many kinds on unusual image streams
        return None
    if len(images) != 1:
        return None
    name = images[0].name or "image.png"
    return images[0].data, (name.rsplit(".", 1)[-1].lower() if "." in name else "png")


def _prepared(image: Path, folder: Path, number: int) -> tuple[Path, bytes]:
    """The page in grey at ``OCR_WIDTH`` pixels wide, saved uncompressed for Tesseract, and its preview.

    A 300-dpi scan is brought down to it (Tesseract's time grows with the pixels; the
    letters stay well above the size it needs), a scan under ``SMALL_WIDTH`` is brought up
    to it (below about 20 pixels of x-height Tesseract misreads "2023" as "2028"); a scan
    in between is read as it is."""
    from PIL import Image

    with Image.open(image) as picture:
        grey = picture.convert("L")
    width, height = grey.size
    if width > OCR_WIDTH * 1.05 or width < SMALL_WIDTH:
        scale = OCR_WIDTH / width
        grey = grey.resize((OCR_WIDTH, round(height * scale)), Image.LANCZOS if scale > 1 else Image.BILINEAR)
    out = folder / f"p{number}-ocr.pgm"
    grey.save(out)
    grey.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
    preview = folder / f"v{number}.jpg"
    grey.save(preview, "JPEG", quality=70)
    return out, preview.read_bytes()


def _page(source: Path, folder: Path, number: int, picture: tuple[bytes, str] | None) -> tuple[str, bytes]:
    if picture is not None and picture[1] in ("jpg", "jpeg", "png", "tif", "tiff"):
        # A scanner's page is one picture: read it as it is, without rendering the page.
        image = folder / f"p{number}.{picture[1]}"
        image.write_bytes(picture[0])
    else:
        stem = folder / f"p{number}"
        subprocess.run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-f", str(number), "-l", str(number),
                        "-singlefile", str(source), str(stem)], check=True, timeout=PAGE_TIMEOUT,
                       capture_output=True)
        image = folder / f"p{number}.pgm"
    image, preview = _prepared(image, folder, number)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    read = subprocess.run(["tesseract", str(image), "stdout", "-l", LANGUAGE, "--oem", "1", "--psm", "3",
                           "-c", "tessedit_do_invert=0"],
                          check=True, timeout=PAGE_TIMEOUT, capture_output=True, env=env)
    return read.stdout.decode("utf-8", errors="replace"), preview


def read_scan(data: bytes, pages: int, progress: Callable[[int, int], None] | None = None
              ) -> list[tuple[str, bytes]]:
    """(text, JPEG preview) of each page of a scanned PDF, in order.

    Raises ``subprocess.SubprocessError`` or ``OSError`` when a tool fails."""
    import io

    from pypdf import PdfReader

    pictures = [_scanned_image(page) for page in PdfReader(io.BytesIO(data), strict=False).pages]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "scan.pdf"
        source.write_bytes(data)
        results: dict[int, tuple[str, bytes]] = {}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {pool.submit(_page, source, folder, n, pictures[n - 1] if n <= len(pictures) else None): n
                       for n in range(1, pages + 1)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress:
                    progress(len(results), pages)
        return [results[n] for n in range(1, pages + 1)]
