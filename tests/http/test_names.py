"""The one rule for URL- and file-safe names (http/names.py)."""

from __future__ import annotations

import pytest

from studio.http.names import slug


@pytest.mark.parametrize(("text", "expected"), [("Writer and critic", "writer-and-critic"), ("--", "team"),
                                                 ("v2_final", "v2-final")])
def test_slug(text: str, expected: str) -> None:
    assert slug(text, "team") == expected
