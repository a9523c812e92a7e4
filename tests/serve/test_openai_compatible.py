"""The real `openai` Python client talking to a served team over loopback HTTP: a reply, a streamed
reply, the run's messages in the `studio` field, errors as openai exceptions, and 429 when busy."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import openai
import pytest

from studio.serve import RunLimits, TeamCatalog, create_serve_app
from tests.support.openai_server import OpenAIServer
from tests.support.waits import until

from .conftest import LiveServer, replay_team, write_team


@pytest.fixture
def served(teams_dir: Path):
    with LiveServer(create_serve_app(TeamCatalog.from_path(teams_dir), api_key="k")) as server:
        yield server


def client(server: LiveServer, key: str = "k") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0)


def test_models_list_the_teams(served: LiveServer) -> None:
    assert [m.id for m in client(served).models.list()] == ["echo", "two-step"]


def test_a_completion_is_the_final_answer_with_the_run_alongside(served: LiveServer) -> None:
    completion = client(served).chat.completions.create(
        model="two-step", messages=[{"role": "system", "content": "ignored"}, {"role": "user", "content": "Go"}])
    assert completion.choices[0].message.content == "Step two. TERMINATE"
    assert completion.choices[0].finish_reason == "stop"
    studio = completion.model_extra["studio"]
    assert studio["stop_reason"] == "Text 'TERMINATE' mentioned"
    assert [m["content"] for m in studio["messages"]] == ["Go", "Step one.", "Step two. TERMINATE"]
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_a_streamed_completion(served: LiveServer) -> None:
    stream = client(served).chat.completions.create(
        model="two-step", messages=[{"role": "user", "content": [{"type": "text", "text": "Go"}]}], stream=True)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "Step two. TERMINATE"
    events = [c.model_extra["studio"]["event"]["content"] for c in chunks if "event" in (c.model_extra.get("studio") or {})]
    assert events == ["Go", "Step one.", "Step two. TERMINATE"]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_errors_arrive_as_openai_exceptions(served: LiveServer) -> None:
    with pytest.raises(openai.AuthenticationError):
        client(served, key="wrong").models.list()
    with pytest.raises(openai.NotFoundError, match="must be a team's name"):
        client(served).chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])


def test_more_runs_than_slots_get_a_429(tmp_path: Path, openai_server: OpenAIServer) -> None:
    """One slot; the first run waits on a held model reply while the second is refused at once."""
    gate = threading.Event()
    openai_server.stream(["slow ", "reply TERMINATE"], gate=gate)
    team = replay_team("unused")
    team["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
        "config": {"model": "gpt-4o-mini", "api_key": "test", "base_url": openai_server.base_url}}
    team["config"]["participants"][0]["config"]["model_client_stream"] = True
    write_team(tmp_path, "held", team)
    app = create_serve_app(TeamCatalog.from_path(tmp_path), limits=RunLimits(max_concurrent=1))
    with LiveServer(app) as server:
        async def both() -> tuple[object, BaseException | None]:
            async with openai.AsyncOpenAI(base_url=server.url + "/v1", api_key="x", max_retries=0) as calls:
                first = asyncio.create_task(calls.chat.completions.create(
                    model="held", messages=[{"role": "user", "content": "go"}]))
                await until(lambda: openai_server.chat_requests)  # the first run holds the only slot
                try:
                    await calls.chat.completions.create(model="held", messages=[{"role": "user", "content": "again"}])
                    refused = None
                except openai.RateLimitError as e:
                    refused = e
                gate.set()
                return await first, refused

        completion, refused = asyncio.run(both())
    assert refused is not None and "run slots are busy" in str(refused)
    assert completion.choices[0].message.content == "slow reply TERMINATE"  # type: ignore[attr-defined]
