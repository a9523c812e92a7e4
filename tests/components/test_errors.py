"""Problems and the errors that carry them (components/errors.py): how a problem reads, which ones block an
import, and the one line a refused run gives."""

from __future__ import annotations

from studio.components import ComponentValidationError, Problem, blocking, cannot_run, opaque_paths
from studio.components.errors import UNSUPPORTED, UnsupportedComponentError

TYPO = Problem("config.participants[0].config.name", "field required")
SURFER = Problem("config.participants[1]", "MultimodalWebSurfer cannot run here: unknown provider", kind=UNSUPPORTED)
NOTE = Problem("config", "may never stop", severity="warning")


def test_a_problem_reads_path_then_message_and_moves_to_an_enclosing_path() -> None:
    assert str(TYPO) == "config.participants[0].config.name: field required"
    assert str(Problem("", "not JSON")) == "not JSON"
    moved = SURFER.at("component.config.participants[1]")
    assert (moved.path, moved.message, moved.unsupported) == ("component.config.participants[1]", SURFER.message, True)


def test_opaque_nodes_do_not_block_an_import_and_warnings_never_do() -> None:
    problems = [NOTE, SURFER, TYPO]
    assert blocking(problems) == [TYPO]
    assert opaque_paths(problems) == ["config.participants[1]"]


def test_a_refused_run_names_its_first_error_and_counts_the_rest() -> None:
    assert cannot_run("Writers", [SURFER, TYPO]) == (
        "The team 'Writers' cannot run: config.participants[1]: MultimodalWebSurfer cannot run here: unknown "
        "provider (and 1 more)")
    assert cannot_run("Writers", [TYPO]) == f"The team 'Writers' cannot run: {TYPO}"
    assert cannot_run("Writers", []) == "The team 'Writers' cannot run."


def test_the_errors_carry_every_problem_and_say_them_all() -> None:
    error = ComponentValidationError([NOTE, TYPO])
    assert error.errors == [TYPO] and error.problems == [NOTE, TYPO]
    assert str(error) == f"{NOTE}\n{TYPO}"
    assert isinstance(error, ValueError)
    unsupported = UnsupportedComponentError("config.participants[1]", "MultimodalWebSurfer", "cannot run here")
    assert str(unsupported) == "config.participants[1]: MultimodalWebSurfer cannot run here"
    assert isinstance(unsupported, NotImplementedError)
