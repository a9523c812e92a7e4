"""A playground task, plain text or content parts with attachments, as the chat message that starts a run.

Parts: `{"type": "text", "text": ...}` (with a `name`, it is an attached text file), and
`{"type": "image", "mime": "image/png", "data_b64": ..., "name": ...}`. Text only makes a `TextMessage`;
any image makes a `MultiModalMessage`, which vision models receive as image parts. Problems are reported
with JSON paths (`task[2].data_b64`), never as exceptions from deep inside a run.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from studio.components import Problem
from studio.runtime.images import IMAGE_TYPES, sniff_image
from studio.runtime.messages import (
    BaseChatMessage,
    Image,
    MultiModalMessage,
    TextMessage,
)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
EMPTY_TASK = "Enter a task: it is empty."


class TaskError(ValueError):
    """The task cannot start a run; `problems` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class Task:
    """The message that starts the run, and a one-text summary of it for the run's `task` column."""

    message: BaseChatMessage
    summary: str


def build_task(task: str | list[dict[str, Any]], source: str = "user") -> Task:
    """Validate a task and build its message; raises `TaskError`."""
    if isinstance(task, str):
        if not task.strip():
            raise TaskError([Problem("task", EMPTY_TASK)])
        return Task(TextMessage(content=task, source=source), task)
    if not isinstance(task, list):
        raise TaskError([Problem("task", "must be text or a list of content parts")])
    parts: list[str | Image] = []
    summary: list[str] = []
    problems: list[Problem] = []
    for index, part in enumerate(task):
        path = f"task[{index}]"
        try:
            built, shown = _part(part, path)
        except TaskError as error:
            problems.extend(error.problems)
            continue
        if built is not None:
            parts.append(built)
            summary.append(shown)
    if problems:
        raise TaskError(problems)
    if not parts:
        raise TaskError([Problem("task", EMPTY_TASK)])
    text = "\n\n".join(summary)
    if all(isinstance(p, str) for p in parts):
        return Task(TextMessage(content="\n\n".join(p for p in parts if isinstance(p, str)), source=source), text)
    return Task(MultiModalMessage(content=parts, source=source), text)


def _part(part: Any, path: str) -> tuple[str | Image | None, str]:
    """One content part as message content (None: empty text, skipped) and how the summary shows it."""
    if not isinstance(part, dict):
        raise TaskError([Problem(path, "must be an object with a `type`")])
    kind = part.get("type")
    name = str(part.get("name") or "").strip()
    if kind == "text":
        text = part.get("text")
        if not isinstance(text, str):
            raise TaskError([Problem(f"{path}.text", "must be text")])
        if name:
            return f"Attached file {name}:\n\n{text}", f"[file: {name}]"
        return (text, text) if text.strip() else (None, "")
    if kind == "image":
        return Image(data=_image_data(part, path)), f"[image: {name or 'unnamed'}]"
    raise TaskError([Problem(f"{path}.type", f"must be 'text' or 'image', not {kind!r}")])


def _image_data(part: dict[str, Any], path: str) -> str:
    """The image's base64 text once it is known to be a supported image of at most 5 MB."""
    mime, data = part.get("mime"), part.get("data_b64")
    if mime not in IMAGE_TYPES:  # the bytes must say the same (below): a wrong or lying `mime` stops here
        kinds = ", ".join(IMAGE_TYPES)
        raise TaskError([Problem(f"{path}.mime", f"must be one of {kinds}, not {mime!r}")])
    if not isinstance(data, str) or not data:
        raise TaskError([Problem(f"{path}.data_b64", "must be the image as base64 text")])
    if len(data) * 3 // 4 > MAX_IMAGE_BYTES + 3:  # too big: say so before decoding it
        raise TaskError([Problem(f"{path}.data_b64", _too_big(len(data) * 3 // 4))])
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise TaskError([Problem(f"{path}.data_b64", "is not valid base64")]) from None
    if len(raw) > MAX_IMAGE_BYTES:
        raise TaskError([Problem(f"{path}.data_b64", _too_big(len(raw)))])
    if sniff_image(raw[:16]) != mime:
        raise TaskError([Problem(f"{path}.data_b64", f"is not a {mime} image")])
    return data


def _too_big(size: int) -> str:
    return f"the image is {size / 1024 / 1024:.1f} MB; images may be at most {MAX_IMAGE_BYTES // 1024 // 1024} MB"


__all__ = ["MAX_IMAGE_BYTES", "Task", "TaskError", "build_task"]
