"""Untrusted JSON (http/json_input.py): what would fail later is refused at its JSON path, and JSON paths are
written one way."""

from __future__ import annotations

import pytest

from studio.http.json_input import JSONInputError, join, join_path, loads

NESTED = "[" * 1500 + "]" * 1500


@pytest.mark.parametrize(("text", "path"), [
    ('{"a": [1, {"b c": NaN}]}', 'a[1]["b c"]'),
    ('{"a": [0, 1' + "0" * 4500 + "]}", "a[1]"),
    ('{"a": {"b": ' + NESTED + "}}", "a.b" + "[0]" * 198),  # the container opened at level 201
    ('{"a": ["x", "\\udfff"]}', "a[1]"),
])
def test_loads_names_the_path(text: str, path: str) -> None:
    with pytest.raises(JSONInputError) as raised:
        loads(text)
    assert raised.value.path == path


def test_bytes_may_carry_a_bom_but_must_be_utf8() -> None:
    assert loads('\ufeff{"a": 1}'.encode()) == {"a": 1}
    with pytest.raises(JSONInputError, match="not UTF-8"):
        loads(b'{"a": "\xff"}')


def test_json_paths_are_written_one_way() -> None:
    assert join(join(join("", "config"), "participants"), 0) == "config.participants[0]"
    assert join("config", "b c") == 'config["b c"]'
    assert join_path("config.participants[0]", "config.name") == "config.participants[0].config.name"
    assert join_path("config", "[2]") == "config[2]" and join_path("", "x") == "x" and join_path("x", "") == "x"
