"""Uploaded photos: checked, turned upright, resized and re-encoded.

Only JPEG, PNG and WebP are accepted, decided by what Pillow reads in the file, not by
its name. Re-encoding writes pixels only, so EXIF (GPS position, camera, owner), XMP and
ICC data are gone: a phone photo taken at home does not publish the home's position.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 1600
THUMB_SIZE = 480
# Pillow refuses decompression bombs above this many pixels.
MAX_PIXELS = 40_000_000


@dataclass
class Processed:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _encode(img: Image.Image, size: int) -> tuple[bytes, int, int]:
    copy = img.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue(), copy.width, copy.height


def process(data: bytes) -> Processed:
    """The stored image and thumbnail (JPEG) of an upload, or ValidationError saying why not."""
    limit = settings.PORTAL_PHOTO_MAX_BYTES
    if len(data) > limit:
        raise ValidationError({"image": _("The photo is larger than %(mb)s MB: choose a smaller one.")
                               % {"mb": limit // (1024 * 1024)}})
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError({"image": _("This file is not a photo we can read: use JPEG, PNG or WebP.")}) from None
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError({"image": _("Only JPEG, PNG and WebP photos are accepted (this one is %(kind)s).")
                               % {"kind": kind}})
    img = ImageOps.exif_transpose(img)
    if img.mode not in ("RGB", "L"):
        background = Image.new("RGB", img.size, "white")
        rgba = img.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        img = background
    elif img.mode == "L":
        img = img.convert("RGB")
    full, width, height = _encode(img, FULL_SIZE)
    thumb, _w, _h = _encode(img, THUMB_SIZE)
    return Processed(full, thumb, width, height)
