"""Row ids: anything no row can have is a NotFoundError with the caller's message, never a database error."""

from __future__ import annotations

import pytest

from studio.services.errors import MAX_ROW_ID, NotFoundError, row_id


@pytest.mark.parametrize("value", [7, "7", MAX_ROW_ID])
def test_a_possible_id_is_an_int(value: object) -> None:
    assert row_id(value, "none") == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", ["seven", None, "", 0, -3, MAX_ROW_ID + 1, "9" * 30])
def test_an_impossible_id_is_not_found(value: object) -> None:
    with pytest.raises(NotFoundError, match="^No team with id 1x.$"):
        row_id(value, "No team with id 1x.")
