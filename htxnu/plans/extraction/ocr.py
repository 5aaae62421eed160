"""Scanned PDFs: each page read by Tesseract with its Vietnamese model (Debian's
tesseract-ocr, tesseract-ocr-vie).  A scanner puts one picture on each page, which is
read as it is (pypdf takes it out of the PDF, no rendering); any other page is rendered
by poppler's ``pdftoppm`` (Debian's poppler-utils).

A signed and stamped copy is the usual way a plan reaches a lower level, and such a
copy has no text layer.  A rendered page is grey at ``OCR_DPI`` (enough for
the tone marks; the red stamp and the blue signature turn into grey that Tesseract's
binarisation mostly drops, and what it reads of them is a line or two of noise the
extractor ignores), then read with page segmentation 3 (columns found
automatically: the two-column header "Số: …    Lào Cai, ngày …" stays two lines).
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

OCR_DPI = 250
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


def _enlarged(image: Path) -> Path:
    """A page scanned at less than ``OCR_DPI`` (an A4 page under 1,600 pixels wide), enlarged to it in grey:
    Tesseract misreads small letters ("2023" as "2028") below about 20 pixels of x-height."""
    from PIL import Image

    with Image.open(image) as picture:
        width, height = picture.size
        if width >= 1600:
            return image
        scale = OCR_DPI * 8.27 / width  # an A4 page is 8.27 inches wide
        larger = picture.convert("L").resize((round(width * scale), round(height * scale)), Image.LANCZOS)
        out = image.with_name(image.stem + "-l.png")
        larger.save(out)
    return out


def _preview(image: Path, folder: Path, number: int) -> bytes:
    from PIL import Image

    with Image.open(image) as picture:
        picture = picture.convert("L")
        picture.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
        out = folder / f"v{number}.jpg"
        picture.save(out, "JPEG", quality=70)
    return out.read_bytes()


def _page(source: Path, folder: Path, number: int, picture: tuple[bytes, str] | None) -> tuple[str, bytes]:
    if picture is not None and picture[1] in ("jpg", "jpeg", "png", "tif", "tiff"):
        # A scanner's page is one picture: read it as it is, without rendering the page.
        image = folder / f"p{number}.{picture[1]}"
        image.write_bytes(picture[0])
        image = _enlarged(image)
    else:
        stem = folder / f"p{number}"
        subprocess.run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-f", str(number), "-l", str(number),
                        "-singlefile", str(source), str(stem)], check=True, timeout=PAGE_TIMEOUT,
                       capture_output=True)
        image = folder / f"p{number}.png"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    read = subprocess.run(["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", "3",
                           "-c", "tessedit_do_invert=0"],
                          check=True, timeout=PAGE_TIMEOUT, capture_output=True, env=env)
    return read.stdout.decode("utf-8", errors="replace"), _preview(image, folder, number)


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
