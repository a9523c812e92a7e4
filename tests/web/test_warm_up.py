"""The server's start-up warm-up: every template compiles, and the runtime (with the `openai` package it imports
when the first client is built) is imported before any run."""

from __future__ import annotations

import subprocess
import sys

import pytest
from jinja2 import TemplateSyntaxError

from studio.web.templating import make_environment
from studio.web.warm_up import warm_up

WARM_UP = """
import sys
from studio.settings import Settings
from studio.web.templating import make_environment
from studio.web.warm_up import warm_up
lazy = "openai"
before = lazy in sys.modules
env = make_environment(Settings(home=sys.argv[1]).frontend_dir / "templates")
compiled = warm_up(env)
print(before, lazy in sys.modules, compiled, len(env.list_templates(filter_func=lambda n: n.endswith(".html"))))
"""


def test_every_template_compiles_and_what_the_runtime_imports_on_first_use_is_imported(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-c", WARM_UP, str(tmp_path)], capture_output=True, text=True, check=True)
    before, after, compiled, templates = done.stdout.split()
    assert (before, after) == ("False", "True")
    assert int(compiled) == int(templates) > 50


def test_a_broken_template_fails_the_warm_up_with_its_name(tmp_path) -> None:
    (tmp_path / "broken.html").write_text("{% if %}")
    with pytest.raises(TemplateSyntaxError) as raised:
        warm_up(make_environment(tmp_path))
    assert raised.value.name == "broken.html"
