"""The model clients package (runtime/models/__init__.py): the OpenAI clients, and the heavy `openai` package,
are imported only when a team uses them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from studio.runtime import models
from studio.runtime.models import openai_client


def test_the_openai_clients_are_imported_on_first_use() -> None:
    probe = ("import sys, studio.runtime.models as m; m.AzureOpenAIChatCompletionClient; "
             "print('openai' in sys.modules)")  # the class is there; the SDK waits for the first client built
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["False"]
    assert models.OpenAIChatCompletionClient is openai_client.OpenAIChatCompletionClient
    with pytest.raises(AttributeError, match="has no attribute 'GeminiClient'"):
        models.GeminiClient  # noqa: B018
