"""Differential tests: the same team JSON and the same scripted model replies give the same run in AutoGen
0.7.5 and in Studio's runtime.

Each scenario in tests/fixtures/teams/*.json is loaded by both (`Team.load_component` / `studio.load_component`)
and run through `run_stream` with the tasks its `x-studio-test` sidecar names. Each yielded item is
normalised to (type, source, content, models_usage[, extra]) by tests/compat/harness.py, and the two
sequences, the TaskResult messages and the stop reasons must be equal.

- test_first_run: the first run of every scenario;
- test_continuation: the later runs on the same team object (`continue_with`);
- test_reset: a run after `team.reset()` (`after_reset`);
- test_model_inputs: every model client (agents' and selector's) was asked the same messages and tool schemas;
- test_to_text / test_message_dumps: each item's to_text() and dump() (ids and timestamps aside) are equal;
- test_studio_shuts_down_cleanly: Studio's event loop can shut down after the runs;
- test_autogen_runs_as_intended: guards the scenarios themselves (AutoGen stops each run the intended way).

Where AutoGen raises (sidecar `autogen_error`), Studio must yield the same items and then an ErrorEvent with an
"Error: ..." stop reason (Studio reports failures in the stream instead of raising).

Regenerate the scenarios with tests/fixtures/teams/make_teams.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip(
    "autogen_agentchat",
    reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'",
)

from tests.compat.harness import (
    SIDECAR,
    Outcome,
    Run,
    StudioOutcome,
    first_difference,
    format_items,
    load_scenario,
    planned_runs,
    run_autogen_full,
    run_studio_isolated,
    scenario_files,
)

pytestmark = [
    pytest.mark.compat,
    # AutoGen's own deprecation chatter (pyproject ignores autogen_* modules; these come from its deps' paths).
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_core.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_agentchat.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_ext.*"),
]

STUDIO_TIMEOUT = 30.0
SCENARIOS = {path.stem: path for path in scenario_files()}
WITH_CONTINUATION = [n for n, p in SCENARIOS.items() if load_scenario(p)[SIDECAR].get("continue_with")]
WITH_RESET = [n for n, p in SCENARIOS.items() if "after_reset" in load_scenario(p)[SIDECAR]]

# Both sides are run once per scenario and session; the runs are plain data. AutoGen runs on the test's
# event loop; Studio on a private loop in a helper thread, so that a hang fails a test, not the session.
_AUTOGEN: dict[str, Outcome | BaseException] = {}
_STUDIO: dict[str, StudioOutcome] = {}


async def _outcome(side: str, name: str, primary: bool = False) -> Outcome:
    """One side's outcome of a scenario. When Studio cannot load or run it, the primary test (test_first_run)
    fails and the others skip, so one failure is reported once."""
    data = load_scenario(SCENARIOS[name])
    if side == "autogen":
        if name not in _AUTOGEN:
            try:
                _AUTOGEN[name] = await run_autogen_full(data)
            except Exception as e:  # noqa: BLE001 - reported by the test that asks
                _AUTOGEN[name] = e
        result = _AUTOGEN[name]
        if isinstance(result, BaseException):
            pytest.fail(f"AutoGen failed to run scenario {name}: {type(result).__name__}: {result}")
        return result
    if name not in _STUDIO:
        _STUDIO[name] = await asyncio.to_thread(run_studio_isolated, data, STUDIO_TIMEOUT)
    outcome = _STUDIO[name]
    if outcome.timed_out:
        if not primary:
            pytest.skip(f"Studio did not finish {name} (reported by test_first_run)")
        pytest.fail(f"Studio did not finish scenario {name} within {STUDIO_TIMEOUT} s", pytrace=False)
    if outcome.error is not None:
        e = outcome.error
        if type(e).__name__ == "ComponentValidationError" and "autogen_error" in data[SIDECAR]:
            # A team that fails at run time in AutoGen may be refused at load time by Studio.
            pytest.skip(f"Studio refuses this team at load time (AutoGen fails at run time): {e}")
        if not primary:
            pytest.skip(f"Studio could not load/run {name} (reported by test_first_run)")
        pytest.fail(f"Studio failed to load/run scenario {name}: {type(e).__name__}: {e}", pytrace=False)
    assert outcome.runs is not None and outcome.model_calls is not None
    return Outcome(runs=outcome.runs, model_calls=outcome.model_calls)


async def _runs(side: str, name: str, primary: bool = False) -> list[Run]:
    return (await _outcome(side, name, primary)).runs


def _diff(name: str, what: str, expected: list[Any], actual: list[Any]) -> str:
    index = first_difference(expected, actual)
    lines = [f"{name}: {what} differ at index {index}"]
    if index is not None:
        lines.append(f"  AutoGen: {expected[index] if index < len(expected) else '<end>'}")
        lines.append(f"  Studio:  {actual[index] if index < len(actual) else '<end>'}")
    lines += ["AutoGen sequence:", format_items(expected), "Studio sequence:", format_items(actual)]
    return "\n".join(lines)


def _compare(name: str, ag: Run, st: Run) -> None:
    label = f"{name} [{ag.label}]"
    if ag.error is not None:
        # AutoGen raised; Studio must yield the same items, then an ErrorEvent, and stop with "Error: ...".
        if not st.items or st.items[-1][0] != "ErrorEvent" or not (st.stop_reason or "").startswith("Error:"):
            pytest.fail(f"{label}: AutoGen raised {ag.error!r}; Studio did not end with an ErrorEvent and an "
                        f"'Error: ...' stop reason (stop reason {st.stop_reason!r})\n" + format_items(st.items),
                        pytrace=False)
        if st.items[:-1] != ag.items:
            pytest.fail(_diff(label, "items before the error", ag.items, st.items[:-1]), pytrace=False)
        return
    if st.items != ag.items:
        pytest.fail(_diff(label, "streamed items", ag.items, st.items), pytrace=False)
    if st.result_messages != ag.result_messages:
        pytest.fail(_diff(label, "TaskResult.messages", ag.result_messages, st.result_messages), pytrace=False)
    if st.stop_reason != ag.stop_reason:
        pytest.fail(f"{label}: stop reason AutoGen={ag.stop_reason!r} Studio={st.stop_reason!r}", pytrace=False)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_autogen_runs_as_intended(name: str) -> None:
    data = load_scenario(SCENARIOS[name])
    runs = await _runs("autogen", name)
    assert [r.stop_reason for r in runs] == data[SIDECAR]["stop_reasons"], [r.error for r in runs]
    assert len(runs) == len(planned_runs(data))
    expected_error = data[SIDECAR].get("autogen_error")
    assert [r.error is not None for r in runs] == [False] * (len(runs) - 1) + [expected_error is not None]
    if expected_error is not None:
        assert expected_error in (runs[-1].error or "")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_first_run(name: str) -> None:
    ag = await _runs("autogen", name)
    st = await _runs("studio", name, primary=True)
    assert len(st) == len(ag)
    _compare(name, ag[0], st[0])


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_studio_shuts_down_cleanly(name: str) -> None:
    """After the runs (and team.close()), Studio's event loop shuts down: no task is left that cannot be
    cancelled."""
    await _runs("studio", name)
    assert not _STUDIO[name].shutdown_hung, (
        f"{name}: Studio's runs finished but asyncio.run() could not shut the event loop down within 5 s "
        "(a task left running that does not end when cancelled)"
    )


@pytest.mark.parametrize("name", sorted(WITH_CONTINUATION))
async def test_continuation(name: str) -> None:
    """A second run_stream on the same team object continues the conversation."""
    data = load_scenario(SCENARIOS[name])
    ag = await _runs("autogen", name)
    st = await _runs("studio", name)
    for i in range(1, 1 + len(data[SIDECAR]["continue_with"])):
        _compare(name, ag[i], st[i])


@pytest.mark.parametrize("name", sorted(WITH_RESET))
async def test_reset(name: str) -> None:
    """After team.reset() the team starts afresh (the replay clients keep their position, as in AutoGen)."""
    ag = await _runs("autogen", name)
    st = await _runs("studio", name)
    _compare(name, ag[-1], st[-1])


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_model_inputs(name: str) -> None:
    """Each model (every agent's and the selector's) was asked the same: the same LLM messages (type, source,
    content, thought) and the same tool schemas, call after call (create() calls; streamed calls are not
    recorded by either replay client)."""
    ag = (await _outcome("autogen", name)).model_calls
    st = (await _outcome("studio", name)).model_calls
    assert sorted(st) == sorted(ag), f"{name}: model clients AutoGen={sorted(ag)} Studio={sorted(st)}"
    for path in ag:
        if len(st[path]) != len(ag[path]):
            pytest.fail(f"{name}: model {path!r} was called {len(ag[path])} times in AutoGen, "
                        f"{len(st[path])} in Studio", pytrace=False)
        for i, (a, b) in enumerate(zip(ag[path], st[path], strict=True)):
            for key in ("messages", "tools", "json_output"):
                if a[key] != b[key]:
                    lines = [f"{name}: call #{i + 1} to model {path!r} differs in {key}"]
                    if key == "messages":
                        lines += ["AutoGen:", format_items(a[key]), "Studio:", format_items(b[key])]
                    else:
                        lines += [f"AutoGen: {a[key]!r}", f"Studio:  {b[key]!r}"]
                    pytest.fail("\n".join(lines), pytrace=False)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_to_text(name: str) -> None:
    """Every yielded item's to_text() (what text terminations and displays read) is the same."""
    ag = await _runs("autogen", name)
    st = await _runs("studio", name)
    for a, b in zip(ag, st, strict=True):
        if a.error is not None:
            continue  # compared by the run tests
        if a.texts != b.texts:
            pytest.fail(_diff(f"{name} [{a.label}]", "to_text() of the items", a.texts, b.texts), pytrace=False)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_message_dumps(name: str) -> None:
    """Every yielded item's dump() (the JSON the UI, traces and the database keep) has AutoGen's shape and
    values, ids and timestamps aside."""
    ag = await _runs("autogen", name)
    st = await _runs("studio", name)
    for a, b in zip(ag, st, strict=True):
        if a.error is not None:
            continue  # compared by the run tests
        if a.dumps != b.dumps:
            pytest.fail(_diff(f"{name} [{a.label}]", "dump() of the items", a.dumps, b.dumps), pytrace=False)
