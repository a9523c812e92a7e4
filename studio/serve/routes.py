"""The HTTP surface of a served team: runs (JSON or Server-Sent Events) and an OpenAI-compatible
`/v1/chat/completions`, over any source of teams (files for `studio serve`, saved teams in the studio)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from studio.components import ComponentValidationError, Problem, cannot_run
from studio.runtime.messages import TaskResult

from .catalog import ServedTeam, TeamRefused
from .errors import detail_error, openai_error
from .runner import Busy, TeamRunner, final_answer


class TeamSource(Protocol):
    """Where served teams come from: a `TeamCatalog` of files, or the studio's saved teams."""

    def get(self, name: str) -> ServedTeam | None:
        """The team to run, ready to (with its keys); None for an unknown name; `TeamRefused` if it may not run."""
        ...

    def __iter__(self) -> Iterator[ServedTeam]: ...


class RunRequest(BaseModel):
    task: str = Field(min_length=1, description="The task for the team.")
    stream: bool = Field(default=False, description="Answer with Server-Sent Events as the run goes.")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens...: the team's own models decide
    model: str = Field(description="The team's name (GET /v1/models lists them).")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def serve_router(source: Callable[..., TeamSource], runner: Callable[..., TeamRunner], **options: Any) -> APIRouter:
    """The endpoints over FastAPI dependencies giving the teams and the runner; `options` go to APIRouter."""
    router = APIRouter(**options)
    teams_dep, runner_dep = Depends(source), Depends(runner)

    @router.get("/health")
    def health(teams: TeamSource = teams_dep, runner: TeamRunner = runner_dep) -> dict[str, Any]:
        return {"status": "ok", "teams": sum(1 for _ in teams), "active_runs": runner.active}

    @router.get("/teams")
    def list_teams(teams: TeamSource = teams_dep) -> dict[str, Any]:
        return {"teams": [{"name": t.name, "label": t.label, "description": t.description} for t in teams]}

    @router.post("/teams/{name}/runs", response_model=None)
    async def run(name: str, body: RunRequest, stream: bool = False, teams: TeamSource = teams_dep,
                  runner: TeamRunner = runner_dep) -> Any:
        try:
            team = await run_in_threadpool(teams.get, name)  # the studio's teams come from its database
        except TeamRefused as e:
            return JSONResponse({"detail": {"message": str(e), "problems": _problems(e.problems)}}, 403)
        if team is None:
            return detail_error(404, f"No team called {name!r}; GET /teams lists them.")
        try:
            items = runner.start(team.component, body.task)
        except Busy as e:
            return detail_error(429, str(e))
        except ComponentValidationError as e:
            return JSONResponse({"detail": {"message": cannot_run(team.label, e.errors), "problems": _problems(e.errors)}}, 422)
        if stream or body.stream:
            return _sse(_run_events(items))
        return await _collect(items, lambda result: _run_result(name, result))

    @router.get("/v1/models")
    def models(teams: TeamSource = teams_dep) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": t.name, "object": "model", "created": 0, "owned_by": "studio"}
                                          for t in teams]}

    @router.post("/v1/chat/completions", response_model=None)
    async def chat_completions(body: ChatCompletionRequest, teams: TeamSource = teams_dep,
                               runner: TeamRunner = runner_dep) -> Any:
        try:
            team = await run_in_threadpool(teams.get, body.model)
        except TeamRefused as e:
            return openai_error(403, str(e), param="model", code="team_not_trusted")
        if team is None:
            return openai_error(404, f"The model {body.model!r} does not exist: it must be a team's name "
                                      "(GET /v1/models lists them).", param="model", code="model_not_found")
        task = _task_of(body.messages)
        if not task:
            return openai_error(400, "messages has no user message with text.", param="messages")
        try:
            items = runner.start(team.component, task)
        except Busy as e:
            return openai_error(429, str(e))
        except ComponentValidationError as e:
            return openai_error(422, cannot_run(team.label, e.errors), param="model", code="team_cannot_run")
        completion = _Completion(body.model)
        if body.stream:
            return _sse(completion.chunks(items), done=True)
        return await _collect(items, completion.whole)

    return router


# --- runs ---------------------------------------------------------------------------------------


def _problems(problems: list[Problem]) -> list[dict[str, str]]:
    return [{"path": p.path, "message": p.message, "severity": p.severity, "kind": p.kind} for p in problems]


def _run_result(name: str, result: TaskResult) -> dict[str, Any]:
    return {"team": name, "stop_reason": result.stop_reason, "answer": final_answer(result),
            "usage": _usage(result), "messages": [m.dump() for m in result.messages]}


async def _run_events(items: AsyncIterator[Any]) -> AsyncIterator[tuple[str, Any]]:
    async for item in items:
        if isinstance(item, TaskResult):
            yield "result", {"stop_reason": item.stop_reason, "answer": final_answer(item), "usage": _usage(item)}
        else:
            yield "message", item.dump()


def _usage(result: TaskResult) -> dict[str, int]:
    prompt = completion = 0
    for message in result.messages:
        usage = getattr(message, "models_usage", None)
        if usage is not None:
            prompt += usage.prompt_tokens
            completion += usage.completion_tokens
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


async def _collect(items: AsyncIterator[Any], shape: Callable[[TaskResult], dict[str, Any]]) -> JSONResponse:
    result = None
    async for item in items:
        if isinstance(item, TaskResult):
            result = item
    assert result is not None
    return JSONResponse(shape(result))


# --- OpenAI-compatible --------------------------------------------------------------------------


def _task_of(messages: list[ChatMessage]) -> str:
    """The last user message's text (a served team starts afresh on every request)."""
    for message in reversed(messages):
        if message.role == "user":
            if isinstance(message.content, list):
                return "\n".join(str(p.get("text") or "") for p in message.content if p.get("type") == "text").strip()
            return (message.content or "").strip()
    return ""


class _Completion:
    """A team run shaped as an OpenAI chat completion: the final answer as the reply, the run under `studio`."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())

    def whole(self, result: TaskResult) -> dict[str, Any]:
        return {
            "id": self.id, "object": "chat.completion", "created": self.created, "model": self.model,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": final_answer(result)}}],
            "usage": _usage(result),
            "studio": {"stop_reason": result.stop_reason, "messages": [m.dump() for m in result.messages]},
        }

    async def chunks(self, items: AsyncIterator[Any]) -> AsyncIterator[tuple[str, Any]]:
        """A role chunk, an empty-delta chunk per team message (the message under `studio.event`), the final
        answer as one content delta, then `finish_reason: stop` with the usage and stop reason."""
        yield "", self._chunk({"role": "assistant", "content": ""})
        async for item in items:
            if not isinstance(item, TaskResult):
                yield "", self._chunk({}, studio={"event": item.dump()})
                continue
            yield "", self._chunk({"content": final_answer(item)})
            yield "", self._chunk({}, finish="stop", usage=_usage(item), studio={"stop_reason": item.stop_reason})

    def _chunk(self, delta: dict[str, Any], *, finish: str | None = None, **extra: Any) -> dict[str, Any]:
        return {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}


# --- responses ----------------------------------------------------------------------------------


def _sse(events: AsyncIterator[tuple[str, Any]], *, done: bool = False) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        async for name, data in events:
            yield (f"event: {name}\n" if name else "") + f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
        if done:
            yield "data: [DONE]\n\n"

    return StreamingResponse(body(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
