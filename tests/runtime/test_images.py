"""Image types read from their first bytes, and what a multimodal message tells a model about its images."""

from __future__ import annotations

import base64

import pytest

from studio.runtime.images import sniff_base64_image, sniff_image
from studio.runtime.messages import Image, MultiModalMessage

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 8
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 8
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 8


@pytest.mark.parametrize(("head", "expected"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "image/png"),
    (JPEG, "image/jpeg"),
    (b"GIF89a" + b"\x00" * 10, "image/gif"),
    (WEBP, "image/webp"),
    (WAV, None),  # RIFF, but not an image
    (b"<svg xmlns='http://www.w3.org/2000/svg'>", None),
    (b"", None),
])
def test_the_type_comes_from_the_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_image(head) == expected
    assert sniff_base64_image(base64.b64encode(head).decode()) == expected


def test_text_that_is_not_base64_is_no_image() -> None:
    assert sniff_base64_image("not base64 at all!") is None


def test_a_model_is_told_each_image_type_and_png_when_the_bytes_name_none() -> None:
    jpeg, unknown = base64.b64encode(JPEG).decode(), base64.b64encode(b"\x00" * 12).decode()
    message = MultiModalMessage(source="user", content=["Look", Image(data=jpeg), Image(data=unknown)])
    assert message.to_model_message().content == [
        "Look", {"data": jpeg, "mime": "image/jpeg"}, {"data": unknown, "mime": "image/png"},
    ]
    assert message.dump()["content"][1] == {"data": jpeg}  # stored and exported as AutoGen has it
