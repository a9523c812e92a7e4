"""Messages and events (runtime/messages.py): every one dumps to AutoGen's JSON and loads back from it, reads
as text, and a multimodal message reaches a model with its images typed by their bytes.
(tests/compat compares to_text() and dump() of every item of 81 scenario runs with AutoGen's.)"""

from __future__ import annotations

import base64

from studio.runtime.messages import (
    HandoffMessage,
    Image,
    MultiModalMessage,
    TaskResult,
    TextMessage,
    ThoughtEvent,
    ToolCallRequestEvent,
    load_message,
)
from studio.runtime.models.types import FunctionCall, RequestUsage

JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 16).decode()


def test_a_dump_is_autogens_json_and_loads_back_as_the_same_message() -> None:
    messages = [
        TextMessage(content="hi", source="writer", models_usage=RequestUsage(prompt_tokens=3, completion_tokens=1)),
        HandoffMessage(content="over to you", target="critic", source="writer"),
        ToolCallRequestEvent(content=[FunctionCall(id="c1", name="add", arguments="{}")], source="calc"),
        MultiModalMessage(content=["look", Image(data=JPEG)], source="user"),
    ]
    for message in messages:
        dumped = message.dump()
        assert dumped["type"] == type(message).__name__ and dumped["source"] == message.source
        assert load_message(dumped) == message
    assert messages[3].dump()["content"] == ["look", {"data": JPEG}]
    result = TaskResult(messages=messages[:1], stop_reason="done").dump()
    assert result == {"type": "TaskResult", "messages": [messages[0].dump()], "stop_reason": "done"}


def test_messages_read_as_text() -> None:
    assert TextMessage(content="hi", source="a").to_text() == "hi"
    assert ThoughtEvent(content="thinking", source="a").to_text() == "thinking"
    picture = MultiModalMessage(content=["look", Image(data=JPEG), "there"], source="user")
    assert picture.to_text() == "look\n<image>\nthere"
    assert picture.to_model_text() == "look [image]there"


def test_a_model_gets_each_image_with_the_type_its_bytes_name() -> None:
    message = MultiModalMessage(content=["look", Image(data=JPEG)], source="user").to_model_message()
    assert (message.source, message.content) == ("user", ["look", {"data": JPEG, "mime": "image/jpeg"}])
