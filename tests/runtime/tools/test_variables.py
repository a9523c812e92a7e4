"""Variables as tools use them (runtime/tools/variables.py): `${NAME}` references, their values filled in, and
their values masked in results."""

from __future__ import annotations

from studio.runtime.tools.variables import MASK, hide_values, missing_message, references, substitute


def test_references_are_found_in_order_once_each() -> None:
    assert references("Bearer ${TOKEN} ${OTHER_1} ${TOKEN} $PLAIN {X} ${1BAD}") == ["TOKEN", "OTHER_1"]


def test_substitution_fills_known_names_and_leaves_the_others() -> None:
    assert substitute("a=${A} b=${B}", {"A": "1"}) == "a=1 b=${B}"


def test_values_of_six_characters_or_more_are_masked() -> None:
    assert hide_values("key secret-value and abc", ["secret-value", "abc"]) == f"key {MASK} and abc"


def test_the_missing_message_names_each_variable() -> None:
    assert missing_message("t", ["A", "B"]) == "Tool 't' needs the variables A, B: add it under Variables for tools in Settings"
