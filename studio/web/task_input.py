"""The Playground's task box as a run's task: the text alone, or content parts when files are attached.

Images become image parts (the run manager checks type and size); other files must be UTF-8 text and
become named text parts. `studio.playground.attachments` turns the parts into the run's first message.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


class AttachmentError(ValueError):
    """An attached file that is neither UTF-8 text nor an image."""


def build_task(text: str, attachments: list[Attachment]) -> str | list[dict[str, Any]]:
    """`text` when nothing is attached, else the content parts: the text first, then each file in order."""
    if not attachments:
        return text
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text.strip() else []
    return parts + [_part(a) for a in attachments]


def _part(attachment: Attachment) -> dict[str, Any]:
    name = attachment.filename or "attachment"
    mime = attachment.content_type.split(";")[0].strip().lower()
    if mime.startswith("image/"):
        return {"type": "image", "mime": mime, "data_b64": base64.b64encode(attachment.data).decode("ascii"),
                "name": name}
    try:
        content = attachment.data.decode("utf-8")
    except UnicodeDecodeError:
        raise AttachmentError(f"attachments: {name} is neither a text file (UTF-8) nor an image") from None
    return {"type": "text", "text": content, "name": name}


__all__ = ["Attachment", "AttachmentError", "build_task"]
