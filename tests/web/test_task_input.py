"""The Playground's task box as a run's task (web/task_input.py): the text alone, or content parts when files
are attached: images as image parts, other files as named UTF-8 text parts."""

from __future__ import annotations

import base64

import pytest

from studio.web.task_input import Attachment, AttachmentError, build_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def test_text_alone_is_the_task() -> None:
    assert build_task("Write a haiku", []) == "Write a haiku"


def test_attachments_follow_the_text_in_order() -> None:
    task = build_task("What is this?", [Attachment("notes.txt", "text/plain; charset=utf-8", "café".encode()),
                                        Attachment("", "IMAGE/PNG", PNG)])
    assert task == [{"type": "text", "text": "What is this?"},
                    {"type": "text", "text": "café", "name": "notes.txt"},
                    {"type": "image", "mime": "image/png", "data_b64": base64.b64encode(PNG).decode(),
                     "name": "attachment"}]
    assert build_task("  ", [Attachment("a.txt", "text/plain", b"x")]) == [{"type": "text", "text": "x",
                                                                          "name": "a.txt"}]


def test_a_file_that_is_neither_text_nor_an_image_is_refused_naming_it() -> None:
    with pytest.raises(AttachmentError, match="attachments: data.bin is neither a text file"):
        build_task("", [Attachment("data.bin", "application/octet-stream", b"\xff\xfe\x00")])
