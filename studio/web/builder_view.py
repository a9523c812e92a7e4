"""The Builder canvas as data: what `builder/_canvas.html` draws for a team component (the team node,
its participants with model and tools, and for GraphFlow teams each node's place and each edge as an
SVG path), which component a node id names, what a library drop means, and everything the page shows for
a draft editor (`page_context`). No request handling here, so the router stays thin."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from markupsafe import Markup, escape

from studio.builder import (
    TEAM,
    TEAM_MODEL,
    TERMINATION,
    Action,
    ActionRefused,
    AddParticipant,
    AddTool,
    DraftEditor,
    NodeId,
    SetModel,
    SetTermination,
    SwitchTeamType,
    edge_form,
    form_for,
    node_for_path,
    termination_parts,
)
from studio.builder.draft import (
    GRAPH_FLOW,
    SELECTOR,
    agent_names,
    component_at,
    edges,
    graph_of,
    name_of,
    node_at_path,
    participants,
    team_provider,
    tools_of,
    value_at,
)
from studio.builder.layout import auto_layout
from studio.builder.opaque import opaque_problems
from studio.components import Problem
from studio.components.describe import describe_termination
from studio.components.validation import unsupported_reason
from studio.services import teams as team_service
from studio.services import trust
from studio.store.types import id_of

NODE_W, NODE_H = 220, 120
"""A graph participant's box on the canvas (builder.css uses the same size)."""


def canvas(component: dict[str, Any], layout: dict[str, Any],
           opaque: Mapping[str, Problem] | None = None) -> dict[str, Any]:
    """What the canvas draws: the team node, participants (placed, for graphs) and edges as paths. `opaque`
    (JSON path -> problem) marks the opaque nodes where they sit, each with its reason; one without a place of
    its own (a workbench, a memory...) is listed on its agent, or on the team, as an unsupported part."""
    marks = {node_at_path(component, path): unsupported_reason(problem) for path, problem in (opaque or {}).items()}
    if TEAM in marks:  # the whole team is kept as written: nothing inside it is drawn apart
        return {"provider": team_provider(component), "kind": _short(component.get("provider")),
                "label": component.get("label") or _short(component.get("provider")), "opaque": marks[TEAM],
                "node": str(TEAM), "termination": "", "termination_parts": [], "termination_join": "",
                "selector_model": "",
                "agents": [], "graph": False, "edges": [], "width": 0, "height": 0, "start": None, "parts": []}
    config = component.get("config") or {}
    provider = team_provider(component)
    termination = config.get("termination_condition")
    selector_model = config.get("model_client") if provider == SELECTOR else None
    agents = []
    members = config.get("participants") or []
    for index, agent in enumerate(members):
        if not isinstance(agent, dict):
            continue
        agent_config = agent.get("config") or {}
        model = agent_config.get("model_client")
        name = agent_config.get("name", "?")
        tools = [{"title": _title(t), "name": tool_name, "node": str(NodeId.tool(name, tool_name)) if tool_name else "",
                  "opaque": marks.get(NodeId.tool(name, tool_name), "") if tool_name else ""}
                 for t in tools_of(agent) for tool_name in [str((t.get("config") or {}).get("name") or "")]]
        agents.append({"name": name, "node": str(NodeId.agent(name)), "provider": str(agent.get("provider", "")),
                       "model_node": str(NodeId.model(name)),
                       "index": index, "last": index == len(members) - 1,
                       "kind": _short(agent.get("provider")), "model": _model_title(model) if model else "",
                       "tools": tools, "description": agent_config.get("description", ""), "targets": [],
                       "opaque": marks.get(NodeId.agent(name), ""), "model_opaque": marks.get(NodeId.model(name), ""),
                       "parts": _parts(component, opaque, f"config.participants[{index}]") if name_of(agent) else []})
    graph = graph_of(component) if provider == GRAPH_FLOW else None
    result: dict[str, Any] = {
        "provider": provider, "kind": _short(provider), "label": component.get("label") or _short(provider),
        "node": str(TEAM), "termination_node": str(TERMINATION), "selector_model_node": str(TEAM_MODEL),
        "termination": describe_termination(termination) if isinstance(termination, dict) else "",
        "termination_parts": [describe_termination(p) if isinstance(p, dict) else str(p)
                              for p in termination_parts(termination) or []],
        "termination_join": _short(termination.get("provider")).removesuffix("TerminationCondition").upper()
        if isinstance(termination, dict) and termination_parts(termination) is not None else "",
        "selector_model": _model_title(selector_model) if isinstance(selector_model, dict) else "",
        "agents": agents, "graph": graph is not None, "edges": [], "width": 0, "height": 0, "start": None,
        "opaque": "", "termination_opaque": marks.get(TERMINATION, ""),
        "selector_model_opaque": marks.get(TEAM_MODEL, ""),
        "parts": [part for part in _parts(component, opaque, "")
                  if not any(part in agent["parts"] for agent in agents)],
    }
    if graph is None:
        return result
    fallback = auto_layout(component)["nodes"]
    placed = {}
    for agent in agents:
        node = str(NodeId.agent(agent["name"]))
        pos = (layout.get("nodes") or {}).get(node) or fallback.get(node) or {"x": 80, "y": 200}
        placed[agent["name"]] = (float(pos["x"]), float(pos["y"]))
    min_x = min((x for x, _ in placed.values()), default=0) - 110  # room for edges that go back up on the left
    min_y = min((y for _, y in placed.values()), default=0) - 40
    result["ox"], result["oy"] = round(min_x), round(min_y)
    for agent in agents:
        x, y = placed[agent["name"]]
        agent["x"], agent["y"] = round(x - min_x), round(y - min_y)
    result["width"] = max((a["x"] for a in agents), default=0) + NODE_W + 80
    result["height"] = max((a["y"] for a in agents), default=0) + NODE_H + 80
    where = {a["name"]: (a["x"], a["y"]) for a in agents}
    by_name = {a["name"]: a for a in agents}
    for source, target, edge in edges(component):
        if source not in where or target not in where:
            continue
        by_name[source]["targets"].append(target)
        edge_id = NodeId.edge(source, target)
        result["edges"].append({"source": source, "target": target, "node": str(edge_id),
                                "node_attr": _edge_attr(edge_id), "condition": _condition(edge.get("condition")),
                                **_edge_path(where[source], where[target], source == target)})
    result["start"] = graph.get("default_start_node") or (agents[0]["name"] if agents else None)
    return result


def _edge_attr(edge: NodeId) -> Markup:
    """An edge's id for its `data-node`, as the canvas writes it: the agents' names escaped, its `->` as is."""
    return Markup(str(escape(str(edge))).replace("-&gt;", "->"))


def _parts(component: dict[str, Any], opaque: Mapping[str, Problem] | None, under: str) -> list[dict[str, Any]]:
    """The opaque nodes under JSON path `under` that have no place of their own on the canvas (`at:` ids)."""
    found = []
    for path, problem in (opaque or {}).items():
        node = node_at_path(component, path)
        if node.kind == "at" and (not under or path.startswith((under + ".", under + "["))):
            value = value_at(component, path)
            found.append({"node": str(node), "path": path, "reason": unsupported_reason(problem),
                          "title": _title(value) if isinstance(value, dict) else path.rsplit(".", 1)[-1]})
    return found


def _edge_path(src: tuple[float, float], tgt: tuple[float, float], loop: bool) -> dict[str, Any]:
    """An SVG path between two boxes and where its label goes. Down to a later layer: bottom to top; back up
    (a loop's return): around the left side, so it never hides under the edge going down; within a row:
    side to side, or an arc below when it runs right to left; an edge to itself: a small loop."""
    sx, sy = src
    tx, ty = tgt
    if loop:
        x, y = sx + NODE_W - 30, sy + NODE_H
        return {"d": f"M {x} {y} C {x} {y + 60}, {x + 70} {y + 20}, {sx + NODE_W} {sy + NODE_H - 30}",
                "lx": x + 30, "ly": y + 50, "anchor": "middle"}
    if ty >= sy + NODE_H:  # down
        x1, y1, x2, y2 = sx + NODE_W / 2 + 16, sy + NODE_H, tx + NODE_W / 2 + 16, ty
        mid = (y1 + y2) / 2
        return {"d": f"M {x1} {y1} C {x1} {mid}, {x2} {mid}, {x2} {y2 - 4}", "lx": (x1 + x2) / 2 + 6, "ly": mid + 4,
                "anchor": "start"}
    if ty + NODE_H <= sy:  # up
        x1, y1, x2, y2 = sx, sy + NODE_H / 2, tx, ty + NODE_H / 2
        bend = min(x1, x2) - 90
        return {"d": f"M {x1} {y1} C {bend} {y1}, {bend} {y2}, {x2 - 4} {y2}", "lx": bend + 24, "ly": (y1 + y2) / 2,
                "anchor": "middle"}
    if tx >= sx + NODE_W:  # right, within a row
        x1, y1, x2, y2 = sx + NODE_W, sy + NODE_H / 2, tx, ty + NODE_H / 2
        mid = (x1 + x2) / 2
        return {"d": f"M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2 - 4} {y2}", "lx": mid, "ly": (y1 + y2) / 2 - 8,
                "anchor": "middle"}
    x1, x2 = sx + NODE_W / 2, tx + NODE_W / 2  # left (or overlapping), within a row: an arc below both
    low = max(sy, ty) + NODE_H + 60
    return {"d": f"M {x1} {sy + NODE_H} C {x1} {low}, {x2} {low}, {x2} {ty + NODE_H + 4}",
            "lx": (x1 + x2) / 2, "ly": low - 12, "anchor": "middle"}


def _condition(condition: Any) -> str:
    if condition is None:
        return ""
    if isinstance(condition, str):
        return condition
    return "condition"


def _short(provider: Any) -> str:
    return str(provider or "").rsplit(".", 1)[-1]


def _title(component: dict[str, Any]) -> str:
    config = component.get("config") or {}
    return str(config.get("name") or component.get("label") or _short(component.get("provider")))


def _model_title(model: dict[str, Any]) -> str:
    config = model.get("config") or {}
    return str(config.get("model") or _title(model))


def node_ids(component: dict[str, Any]) -> list[NodeId]:
    """Every node the canvas shows, in its order: the team, its termination and model, each agent with its
    model and tools, then the graph's edges."""
    config = component.get("config") or {}
    found = [TEAM] + ([TERMINATION] if isinstance(config.get("termination_condition"), dict) else [])
    found += [TEAM_MODEL] if team_provider(component) == SELECTOR and config.get("model_client") else []
    for agent in participants(component):
        name = (agent.get("config") or {}).get("name")
        if not isinstance(name, str):
            continue
        found.append(NodeId.agent(name))
        found += [NodeId.model(name)] if (agent.get("config") or {}).get("model_client") else []
        found += [NodeId.tool(name, t) for tool in tools_of(agent) if (t := (tool.get("config") or {}).get("name"))]
    return found + [NodeId.edge(source, target) for source, target, _ in edges(component)]


def focus_after(before: list[NodeId], after: list[NodeId], acted_on: NodeId) -> NodeId | None:
    """The node keyboard focus goes to after an edit, so it never drops to the page: the node it added
    (the first, if several: an agent before its model and tools); else, if it removed nodes, the removed
    one's neighbour of the same kind (the next, else the previous), else the node that held it, else None
    (the canvas itself); else the node it acted on."""
    added = [n for n in after if n not in before]
    if added:
        return added[0]
    removed = [n for n in before if n not in after]
    if not removed:
        return acted_on if acted_on in after else None
    gone = acted_on if acted_on in removed else removed[0]
    index = before.index(gone)
    kept = [n for n in before[index + 1:] + before[:index][::-1] if n in after and n.kind == gone.kind]
    holder = gone.owner
    return kept[0] if kept else holder if holder != gone and holder in after else None


def drop_action(kind: str, component: dict[str, Any], target: NodeId, combine: str) -> Action:
    """The action a library item of `kind` dropped on node `target` means; refused if it fits nowhere."""
    on_agent = target.owner.kind == "agent"
    if kind == "agent":
        return AddParticipant(component=component)
    if kind == "termination":
        return SetTermination(component=component, combine="or" if combine == "or" else "and" if combine == "and"
                              else "replace")
    if kind == "team":
        return SwitchTeamType(provider=component["provider"])
    if kind == "model":
        if on_agent or target in (TEAM, TEAM_MODEL):
            return SetModel(target=target, component=component)
        raise ActionRefused("Drop a model on an agent or on a selector team.")
    if kind == "tool":
        if on_agent:
            return AddTool(target=target, component=component)
        raise ActionRefused("Drop a tool on an agent: select an agent first, or drag the tool onto it.")
    raise ActionRefused(f"The builder can't add {kind} components yet.")


def page_context(builder: DraftEditor, selected: NodeId, *, form_problems: list[Problem] | None = None,
                 submitted: Mapping[str, Any] | None = None, json_problems: list[Problem] | None = None,
                 json_text: str | None = None, opaque_problems_shown: list[Problem] | None = None,
                 opaque_text: str | None = None) -> dict[str, Any]:
    """What the builder page and its partials show for the selected node: canvas, form (with the submitted
    values of fields that failed to parse, and their errors), or for an opaque node its JSON editor (with the
    text refused and its errors), problems, JSON view and toolbar state."""
    draft = builder.draft
    component = draft.component
    problems = builder.problems()
    opaque = opaque_problems(problems)
    opaque_at = {node_at_path(component, path): path for path in opaque}
    selected_component = component_at(component, selected) or component
    kind = selected.kind
    form = edge_form(selected_component, agent_names(component)) if kind == "edge" else form_for(selected_component)
    errors_by_path: dict[str, list[str]] = {}
    for p in form_problems or []:
        target = form.field_at(p.path)
        errors_by_path.setdefault(target.path if target else "", []).append(p.message)
    if submitted:
        form = replace(form, fields=tuple(
            replace(f, value=submitted.get(f.path, f.value)) if f.path in errors_by_path and f.kind not in (
                "group", "rows", "checkbox", "component") else f for f in form.fields))
    return {
        "team": builder.team,
        "team_id": builder.team.id,
        "component": component,
        "canvas": canvas(component, draft.layout, opaque),
        "opaque": _opaque_editor(component, opaque, opaque_at.get(selected), opaque_problems_shown, opaque_text),
        "selected": str(selected),
        "selected_kind": kind,
        "selected_agent": selected.agent_name or "",
        "form": form,
        "form_errors": errors_by_path,
        "problems": [(p, str(node_at_path(component, p.path) if p.unsupported else node_for_path(component, p.path)))
                     for p in problems],
        "trust_url": trust.review_url(id_of(builder.team)) + f"?next=/builder/{builder.team.id}",
        "error_count": sum(p.severity == "error" for p in problems),
        "json_text": json_text if json_text is not None else team_service.pretty_json(component),
        "json_problems": json_problems or [],
        "json_version": hashlib.blake2b(json.dumps(component, sort_keys=True).encode(), digest_size=6).hexdigest(),
        "changed_elsewhere": builder.changed_elsewhere,
        "can_undo": builder.can_undo,
        "can_redo": builder.can_redo,
        "unsaved": builder.has_unsaved_changes,
    }


def _opaque_editor(component: dict[str, Any], opaque: Mapping[str, Problem], path: str | None,
                   problems: list[Problem] | None, text: str | None) -> dict[str, Any] | None:
    """The properties of the selected opaque node: its reason, its JSON (or the text refused), the errors."""
    if path is None:
        return None
    value = value_at(component, path) if path else component
    return {"path": path, "reason": opaque[path].message if path in opaque else "",
            "text": text if text is not None else team_service.pretty_json(value), "problems": problems or []}


__all__ = ["NODE_H", "NODE_W", "canvas", "drop_action", "page_context"]
