"""A playground task with attachments (playground/attachments.py): text files and images reach the model in one
multimodal message; too big, broken or mislabelled images are refused with their JSON path."""

from __future__ import annotations

import base64
import json

import pytest

from studio.playground import RunRefused
from studio.playground.attachments import MAX_IMAGE_BYTES
from tests.components.builders import replay
from tests.playground.replay_teams import openai_model
from tests.playground.runs_support import PNG, finished, new_session, run_count, run_row, solo, stored


async def test_an_image_goes_to_the_model_as_a_multimodal_message(engine, manager, openai_server) -> None:
    openai_server.reply("a tiny picture")
    conversation_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    image = base64.b64encode(PNG).decode()
    task = [{"type": "text", "text": "What is this?"},
            {"type": "text", "name": "notes.txt", "text": "file body"},
            {"type": "image", "mime": "image/png", "data_b64": image, "name": "dot.png"}]
    run_id = await manager.start(conversation_id, task)
    await finished(manager, run_id)
    first = stored(engine, run_id)[0]
    assert first.type == "MultiModalMessage"
    assert first.data["content"][0] == "What is this?"
    assert "file body" in first.data["content"][1]
    assert first.data["content"][2] == {"data": image}
    sent = json.dumps(openai_server.chat_requests[0].body["messages"])
    assert f"data:image/png;base64,{image}" in sent
    assert run_row(engine, run_id).task == "What is this?\n\n[file: notes.txt]\n\n[image: dot.png]"


async def test_a_jpeg_goes_to_the_model_as_a_jpeg(engine, manager, openai_server) -> None:
    openai_server.reply("a photo")
    conversation_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 32).decode()
    run_id = await manager.start(conversation_id, [{"type": "image", "mime": "image/jpeg", "data_b64": jpeg}])
    await finished(manager, run_id)
    assert f"data:image/jpeg;base64,{jpeg}" in json.dumps(openai_server.chat_requests[0].body["messages"])


async def test_too_big_or_broken_images_are_refused_with_their_path(engine, manager) -> None:
    conversation_id = new_session(engine, solo(replay("hello")))
    big = base64.b64encode(PNG + b"\x00" * MAX_IMAGE_BYTES).decode()
    task = [{"type": "text", "text": "Look"},
            {"type": "image", "mime": "image/png", "data_b64": big},
            {"type": "image", "mime": "image/png", "data_b64": "not base64!"},
            {"type": "image", "mime": "image/jpeg", "data_b64": base64.b64encode(PNG).decode()},
            {"type": "video"}]
    with pytest.raises(RunRefused) as refused:
        await manager.start(conversation_id, task)
    problems = {p.path: p.message for p in refused.value.problems}
    assert "at most 5 MB" in problems["task[1].data_b64"]
    assert problems["task[2].data_b64"] == "is not valid base64"
    assert problems["task[3].data_b64"] == "is not a image/jpeg image"
    assert "task[4].type" in problems
    assert run_count(engine, conversation_id) == 0
