"""URL- and file-safe names, the one rule for served team names, export file names and gallery keys."""

from __future__ import annotations

import re


def slug(text: str, fallback: str) -> str:
    """`Writer and critic` -> `writer-and-critic` (at most 80 characters); `fallback` when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or fallback


__all__ = ["slug"]
