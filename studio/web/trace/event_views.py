"""The displayable parts of single events: pretty JSON, tool calls and results, images, error hints.

Everything here reads AutoGen dumps defensively: a field of an unexpected shape raises `ValueError`,
`KeyError` or `TypeError`, and the trace then shows the event as plain JSON instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from studio.runtime.images import sniff_base64_image

from .markdown import render_markdown

# Text longer than this (characters or lines) starts collapsed in a <details>.
LONG_TEXT_CHARS = 1200
LONG_TEXT_LINES = 20
# JSON this short is already readable on one line (and indenting it costs time on long traces).
SHORT_JSON_CHARS = 80

_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_DATA_URI = re.compile(r"data:([\w.+-]+/[\w.+-]+);base64,", re.IGNORECASE)


def is_long(text: str) -> bool:
    """True when `text` is long enough to start collapsed."""
    return len(text) > LONG_TEXT_CHARS or text.count("\n") >= LONG_TEXT_LINES


def pretty_json(value: Any) -> str:
    """`value` as indented JSON (non-ASCII kept readable)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def pretty_json_text(text: str) -> str:
    """A JSON document given as text, indented unless it fits on a short line; other text unchanged."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{" or (len(stripped) <= SHORT_JSON_CHARS and "\n" not in stripped):
        return text
    try:
        return pretty_json(json.loads(stripped))
    except ValueError:
        return text


@dataclass
class ToolResultView:
    """One tool's result; `seq`/`source` are those of the ToolCallExecutionEvent that carried it."""

    call_id: str
    name: str
    content: str
    is_error: bool
    seq: int
    source: str
    elapsed_text: str = ""

    @property
    def long(self) -> bool:
        return is_long(self.content)


@dataclass
class ToolCallView:
    """One requested tool call, with its result once known."""

    id: str
    name: str
    arguments: str
    result: ToolResultView | None = None

    @property
    def long(self) -> bool:
        return is_long(self.arguments)


def tool_calls(data: dict[str, Any]) -> list[ToolCallView]:
    """The calls of a ToolCallRequestEvent, arguments pretty-printed."""
    return [
        ToolCallView(id=str(call["id"]), name=str(call["name"]), arguments=pretty_json_text(str(call["arguments"])))
        for call in _list(data["content"])
    ]


def tool_results(data: dict[str, Any], seq: int, source: str) -> list[ToolResultView]:
    """The results of a ToolCallExecutionEvent (JSON results pretty-printed)."""
    return [
        ToolResultView(
            call_id=str(result["call_id"]), name=str(result.get("name", "")),
            content=pretty_json_text(str(result["content"])), is_error=bool(result.get("is_error")),
            seq=seq, source=source,
        )
        for result in _list(data["content"])
    ]


@dataclass
class ContentPart:
    """A piece of a multimodal message: text (as safe HTML), an inline image, or a note why not."""

    kind: str  # "text" | "image" | "refused"
    html: Markup = Markup("")
    src: str = ""
    note: str = ""


def content_parts(data: dict[str, Any]) -> list[ContentPart]:
    """A MultiModalMessage's content: images only as data: URIs of a known image type."""
    parts = []
    for part in _list(data["content"]):
        if isinstance(part, str):
            parts.append(ContentPart("text", html=render_markdown(part)))
        elif isinstance(part, dict):
            parts.append(_image_part(part))
        else:
            raise TypeError("content part is neither text nor an image")
    return parts


def _image_part(part: dict[str, Any]) -> ContentPart:
    raw = part.get("data") or part.get("data_b64") or ""
    declared = part.get("mime") or part.get("mime_type")
    if not isinstance(raw, str):
        return ContentPart("refused", note="image without base64 data")
    uri = _DATA_URI.match(raw)
    if uri:
        declared, raw = uri.group(1), raw[uri.end():]
    data = "".join(raw.split())
    mime = image_type(data)
    if mime is None or (declared and str(declared).lower() != mime):
        shown = declared or "unknown type"
        return ContentPart("refused", note=f"attachment not shown (not a PNG, JPEG, GIF or WebP image: {shown})")
    return ContentPart("image", src=f"data:{mime};base64,{data}")


def image_type(data_b64: str) -> str | None:
    """The image type of base64 `data_b64` from its first bytes (PNG, JPEG, GIF or WebP: never SVG, which can
    carry script), or None if it is not one of those images or not base64."""
    return sniff_base64_image(data_b64) if _BASE64.fullmatch(data_b64) else None


def error_hint(text: str) -> str:
    """What to check after a failure, read from the error's text."""
    low = text.lower()
    if "reply" in low and ("timeout" in low or "timed out" in low):
        return "Nobody answered in time: the reply timeout is in Settings."
    if "401" in low or "api key" in low or "api_key" in low or "unauthorized" in low:
        return "Check the API key in Settings (or the model client's api_key)."
    if "429" in low or "rate limit" in low or "quota" in low:
        return "The provider is rate limiting: wait and run again, or check the account's quota."
    if "could not connect" in low or "timed out" in low or "connection" in low:
        return "Check the model client's base URL and that the server is reachable."
    if "404" in low or "model_not_found" in low or "does not exist" in low:
        return "Check the model name and deployment in the team's model client."
    return "See the message above; the team's JSON in the Builder shows the settings involved."


@dataclass
class MemoryView:
    """One memory a MemoryQueryEvent retrieved."""

    content: str
    mime_type: str = ""


def memory_results(data: dict[str, Any]) -> list[MemoryView]:
    """A MemoryQueryEvent's retrieved memories."""
    views = []
    for entry in _list(data["content"]):
        content = entry["content"]
        views.append(MemoryView(
            content=content if isinstance(content, str) else pretty_json(content),
            mime_type=str(entry.get("mime_type", "")),
        ))
    return views


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


__all__ = [
    "ContentPart",
    "MemoryView",
    "ToolCallView",
    "ToolResultView",
    "content_parts",
    "error_hint",
    "image_type",
    "is_long",
    "memory_results",
    "pretty_json",
    "tool_calls",
    "tool_results",
]
