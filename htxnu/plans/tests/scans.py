"""Scanned copies of plans for the OCR tests: a plan typeset as a PDF, each page turned into
an image as an office scanner makes it (200 dpi, speckle noise, a slight skew, a little
blur), with a red round stamp and a blue scribbled signature over the signer's block of
the last page, overlapping its last lines, put back together as an image-only PDF."""
from __future__ import annotations

import io
import math
import random
import subprocess
import tempfile
from pathlib import Path

SCAN_DPI = 200


def scan_pages(pdf: bytes, seed: int = 17) -> list:
    """The pages of ``pdf`` as scanned images (Pillow), stamped and signed on the last page."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-png", str(source), str(Path(tmp) / "p")], check=True)
        images = [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p-*.png"))]
    out = []
    for number, page in enumerate(images, start=1):
        page = page.rotate(rng.uniform(-0.6, 0.6), resample=Image.BICUBIC, fillcolor=(250, 248, 240))
        draw = ImageDraw.Draw(page)
        width, height = page.size
        for _ in range(width * height // 400):  # speckles
            x, y = rng.randrange(width), rng.randrange(height)
            shade = rng.randrange(60, 200)
            draw.point((x, y), fill=(shade, shade, shade))
        if number == len(images):
            # The red round stamp and the blue signature go over the signer's block, under the last
            # line of text, on the right, overlapping that line as stamps do.
            gray = page.convert("L")
            rows = [y for y in range(height) if sum(gray.crop((0, y, width, y + 1)).histogram()[:100]) > 40]
            last = rows[-1] if rows else height // 2
            cx, r = int(width * 0.70), int(width * 0.11)
            cy = min(height - r - 10, last + r // 3)
            for k in range(3):
                draw.ellipse((cx - r + k * 6, cy - r + k * 6, cx + r - k * 6, cy + r - k * 6), outline=(200, 30, 40),
                             width=4 if k == 0 else 2)
            draw.regular_polygon((cx, cy, r // 4), 5, fill=(200, 30, 40))
            for i in range(36):
                a = 2 * math.pi * i / 36
                draw.text((cx + int(r * 0.8 * math.cos(a)), cy + int(r * 0.8 * math.sin(a))), "ỦBND"[i % 4],
                          fill=(200, 30, 40))
            points = [(cx - r, cy + r // 3)]
            for _ in range(14):
                px, py = points[-1]
                points.append((px + rng.randrange(8, 22), cy + r // 3 + rng.randrange(-30, 30)))
            draw.line(points, fill=(30, 40, 160), width=3)
        page = page.filter(ImageFilter.GaussianBlur(0.6))
        out.append(page)
    return out


def scan_pdf(pdf: bytes, seed: int = 17) -> bytes:
    """An image-only PDF of ``pdf``'s pages, scanned as ``scan_pages`` does."""
    pages = scan_pages(pdf, seed)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()
