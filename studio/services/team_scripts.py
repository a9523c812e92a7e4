"""Team JSON as runnable Python scripts: one that runs it with Studio's Python API, one with AutoGen.

Each script carries the JSON inside it (`teams.export_component`, as in every export: canonical, keys
masked), takes the task as its first argument and prints the trace; model keys come from the environment
(`OPENAI_API_KEY`, ...)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from studio.store.models import Team

from .team_files import components_in
from .teams import export_component, export_filename, pretty_json

ExportFormat = Literal["json", "python", "autogen"]

_HEADER = '''#!/usr/bin/env python3
"""Run the team "{label}" with {engine}.

    {install}
    OPENAI_API_KEY=... python {filename} "Your task"

Exported from Studio. The team JSON below is AutoGen's declarative format; API keys are not in it.
"""

import asyncio
import json
import sys

{imports}

TEAM = json.loads({literal})
'''

_STUDIO = '''

async def main(task: str) -> int:
    team = load_team(TEAM)
    result = None
    try:
        async for item in team.run_stream(task=task):
            if isinstance(item, TaskResult):
                result = item
            else:
                print(f"---------- {item.type} ({item.source}) ----------\\n{item.to_text()}", flush=True)
    finally:
        await team.close()
    print(f"Stop reason: {result.stop_reason}")
    return 1 if result.stop_reason.startswith("Error:") else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(" ".join(sys.argv[1:]) or input("Task: "))))
'''

_AUTOGEN = '''
MASK = "**********"  # what an export writes in place of a key


def unmasked(node):
    """The JSON without the masked values, so AutoGen's model clients read their keys from the
    environment (OPENAI_API_KEY, AZURE_OPENAI_API_KEY) instead of sending the mask."""
    if isinstance(node, dict):
        return {key: unmasked(value) for key, value in node.items() if value != MASK}
    if isinstance(node, list):
        return [unmasked(item) for item in node]
    return node


async def main(task: str) -> None:
    team = Team.load_component(unmasked(TEAM))
    await Console(team.run_stream(task=task))


if __name__ == "__main__":
    asyncio.run(main(" ".join(sys.argv[1:]) or input("Task: ")))
'''


@dataclass(frozen=True)
class ExportFile:
    body: str
    filename: str
    media_type: str


def export_file(component: dict[str, Any], *, label: str, stem: str, format: ExportFormat) -> ExportFile:
    """The team as a download named after `stem`: AutoGen's JSON (`stem.json`), or a script running it with
    Studio (`stem.py`) or AutoGen (`stem-autogen.py`); each holds `export_component(component)`."""
    component = export_component(component)
    if format == "json":
        return ExportFile(pretty_json(component), f"{stem}.json", "application/json")
    filename = f"{stem}-autogen.py" if format == "autogen" else f"{stem}.py"
    script = autogen_script if format == "autogen" else studio_script
    return ExportFile(script(component, label=label, filename=filename), filename, "text/x-python")


def export_team_file(team: Team, *, format: ExportFormat = "json", component: dict[str, Any] | None = None
                     ) -> ExportFile:
    """The download of a saved team (or of `component`, e.g. its builder draft), named after the team: what
    the Teams page, the Builder, `/api/teams/{id}/export` and `studio export` all send."""
    stem = export_filename(team).removesuffix(".json")
    return export_file(team.component if component is None else component, label=team.label, stem=stem,
                       format=format)


def studio_script(component: dict[str, Any], *, label: str, filename: str) -> str:
    """A script running the team on Studio's runtime (`from studio import load_team`)."""
    return _script(component, label=label, filename=filename, engine="Studio's runtime",
                   install="pip install <this studio checkout>",
                   imports="from studio import TaskResult, load_team") + _STUDIO


# The autogen-ext extra each of its provider modules needs (modules not named need none).
AUTOGEN_EXTRAS = {
    "autogen_ext.models.openai": "openai",
    "autogen_ext.models.anthropic": "anthropic",
    "autogen_ext.models.ollama": "ollama",
    "autogen_ext.models.azure": "azure",
    "autogen_ext.tools.mcp": "mcp",
    "autogen_ext.tools.http": "http-tool",
    "autogen_ext.cache_store.diskcache": "diskcache",
    "autogen_ext.cache_store.redis": "redis",
    "autogen_ext.memory.chromadb": "chromadb",
    "autogen_ext.memory.mem0": "mem0",
    "autogen_ext.memory.redis": "redisvl",
    "autogen_ext.code_executors.docker": "docker",
    "autogen_ext.code_executors.jupyter": "jupyter-executor",
    "autogen_ext.agents.web_surfer": "web-surfer",
    "autogen_ext.agents.file_surfer": "file-surfer",
    "autogen_ext.teams.magentic_one": "magentic-one",
}


def autogen_install(component: dict[str, Any]) -> str:
    """The pip line that installs what AutoGen needs to load the team: agentchat, and autogen-ext with the
    extras of the providers the team uses."""
    providers = {str(envelope.get("provider", "")) for _, envelope in components_in(component)}
    extras = sorted({extra for module, extra in AUTOGEN_EXTRAS.items()
                     if any(p == module or p.startswith(module + ".") for p in providers)})
    ext = f"autogen-ext[{','.join(extras)}]" if extras else "autogen-ext"
    return f'pip install "autogen-agentchat==0.7.5" "{ext}==0.7.5"'


def autogen_script(component: dict[str, Any], *, label: str, filename: str) -> str:
    """A script running the team in AutoGen 0.7 (`Team.load_component`, printed by AutoGen's Console)."""
    return _script(component, label=label, filename=filename, engine="AutoGen (autogen-agentchat 0.7)",
                   install=autogen_install(component),
                   imports="from autogen_agentchat.base import Team\nfrom autogen_agentchat.ui import Console") + _AUTOGEN


def _script(component: dict[str, Any], *, label: str, filename: str, engine: str, install: str, imports: str) -> str:
    component = export_component(component)  # a script is an export, whoever calls
    safe_label = label.replace('"', "'").replace("\\", "/")  # it goes inside the docstring
    return _HEADER.format(label=safe_label, engine=engine, install=install, filename=filename, imports=imports,
                          literal=_literal(json.dumps(component, indent=4, ensure_ascii=False)))


def _literal(text: str) -> str:
    """A Python string literal of `text`: a readable raw triple-quoted block when that is exact, else repr."""
    if "'''" not in text:
        return f"r'''\n{text}\n'''"
    return repr(text)
