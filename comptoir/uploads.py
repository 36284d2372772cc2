"""Photos members upload: checked by their content, bounded, and re-encoded before they are kept.

A file's name and declared type say nothing of what it holds, so the format is read by Pillow
from the bytes. Re-encoding keeps only the pixels: EXIF (the GPS position a phone writes into a
photo), comments and any payload appended to the file are dropped, and a huge picture is brought
down to a size a phone on a rural connection can load.
"""

from __future__ import annotations

import io
import uuid
from pathlib import PurePath

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Beyond this, decoding alone would take hundreds of megabytes (a "decompression bomb").
MAX_PHOTO_PIXELS = 40_000_000
# Longest side kept: enough for a page and a zoom on a phone.
MAX_PHOTO_SIDE = 2000
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class PhotoField(forms.ImageField):
    """An image field that accepts JPEG, PNG or WebP as read from the bytes, 5 MB at most."""

    default_error_messages = {
        "invalid_image": _("This file is not a photo we can read: send a JPEG, PNG or WebP."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("JPEG, PNG or WebP, 5 MB at most."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "size", 0) > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is too large: 5 MB at most."), code="size")
        photo = super().to_python(data)
        if photo is None:
            return None
        image = photo.image
        if image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Send the photo as JPEG, PNG or WebP."), code="format")
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise forms.ValidationError(
                _("The photo has too many pixels: 40 megapixels at most."), code="pixels"
            )
        return photo


def photo_reencode(
    upload: UploadedFile, *, max_side: int | None = MAX_PHOTO_SIDE, quality: int = 85
) -> ContentFile:
    """The photo's pixels in a new file of the same format, upright, without metadata; brought
    down to ``max_side`` pixels on its longest side (None keeps its size, for a poster to print).

    Raises ValueError when the bytes are not a photo in an accepted format (a form's PhotoField
    has normally refused it already).
    """
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        if image_format not in PHOTO_FORMATS:
            raise ValueError(f"unaccepted image format {image_format!r}")
        if original.width * original.height > MAX_PHOTO_PIXELS:
            raise ValueError("too many pixels")
        # Phones store the orientation apart from the pixels; apply it before EXIF is dropped.
        image = ImageOps.exif_transpose(original)
        if max_side:
            image.thumbnail((max_side, max_side))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        output = io.BytesIO()
        options = {"JPEG": {"quality": quality, "optimize": True}, "PNG": {"optimize": True}}
        image.save(output, format=image_format, **options.get(image_format, {"quality": quality}))
    stem = slugify(PurePath(upload.name or "").stem)[:40] or "photo"
    name = f"{stem}-{uuid.uuid4().hex[:8]}.{PHOTO_FORMATS[image_format]}"
    return ContentFile(output.getvalue(), name=name)


def photo_image_create(upload: UploadedFile, *, title: str):
    """The photo, re-encoded, as a new image of Wagtail's library: pages show renditions of it
    sized for them rather than the file itself."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    image = get_image_model()(title=title[:255], collection=Collection.get_first_root_node())
    image.file = photo_reencode(upload)
    image.save()
    return image


def photo_image_discard(image) -> None:
    """Delete a photo that was replaced or removed, with its files, unless staff have used it
    since in a page of the site (Wagtail's reference index knows where)."""
    from wagtail.models import ReferenceIndex

    if image is not None and not ReferenceIndex.get_references_to(image).exists():
        image.delete()
