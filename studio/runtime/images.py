"""What type an image is, read from its first bytes: never from what a sender or a file name says."""

from __future__ import annotations

import base64
import binascii

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def sniff_image(head: bytes) -> str | None:
    """The type of the image whose first (at least 12) bytes are `head`, None when it is none of `IMAGE_TYPES`."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def sniff_base64_image(data_b64: str) -> str | None:
    """`sniff_image` for base64 text, decoding only its first 16 characters."""
    try:
        return sniff_image(base64.b64decode(data_b64[:16], validate=True))
    except (binascii.Error, ValueError):
        return None


__all__ = ["IMAGE_TYPES", "sniff_base64_image", "sniff_image"]
