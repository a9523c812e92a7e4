"""The properties panel's forms: one `FormField` per config field of a component's config model,
and `parse_form` to turn what a browser submits back into a typed component.

Pure domain code: the web layer renders a `Form` with Jinja and posts it back. Every input is named by
its JSON path relative to the component (`config.system_message`), so problems point at inputs.
Fields the user did not change keep their exact stored value (or stay absent, if they were).
GraphFlow edges, which live inside the team's `graph`, have their own `edge_form` / `parse_edge_form`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import types
from collections.abc import Collection, Sequence
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from studio.components import MASK, ComponentModel, Problem, get_spec, validate_component
from studio.components.validation import pydantic_problems
from studio.runtime.agents.handoff import Handoff
from studio.runtime.config import slots_of
from studio.runtime.models.types import ModelInfoConfig
from studio.runtime.teams.graph_flow import DiGraphEdge

from ._form_input import CHECKED, CLEAR, TRI_STATE, Submitted, inputs, read_fields
from .draft import read_config

__all__ = ["CHECKED", "CLEAR", "ComponentRef", "Form", "FormField", "Kind", "edge_form", "form_for",
           "parse_edge_form", "parse_form"]

Kind = Literal["text", "textarea", "code", "number", "integer", "checkbox", "select", "list_text", "json",
               "secret", "component", "group", "rows"]
TEXTAREAS = frozenset({"system_message", "selector_prompt", "description", "final_answer_prompt",
                       "tool_call_summary_format", "message"})
CODE = frozenset({"source_code"})
FIRST = ("name", "model", "base_url", "api_key", "azure_endpoint", "azure_deployment", "api_version",
         "model_info", "temperature", "max_tokens", "description", "system_message", "model_client", "workbench",
         "tools", "handoffs", "participants", "termination_condition", "max_turns", "graph", "text", "source_code",
         "target", "condition")
"""Fields shown first, in this order; then the other required fields, then the rest in model order."""
LABELS: dict[str, str] = {
    "api_key": "API key",
    "base_url": "Base URL",
    "azure_ad_token": "Azure AD token",
    "azure_ad_token_provider": "Azure AD token provider",
    "json_output": "JSON output",
    "top_p": "Top p",
    "n": "Number of replies (n)",
    "max_total_token": "Max total tokens",
    "max_prompt_token": "Max prompt tokens",
    "max_completion_token": "Max completion tokens",
    "workbench": "Workbenches",
    "input_func": "Input function",
}
"""Labels that `name.replace("_", " ").capitalize()` gets wrong. The help texts are the config models'
field descriptions."""


@dataclasses.dataclass(frozen=True, slots=True)
class ComponentRef:
    """A nested component shown as a link: its path (to select its node), a name and its provider."""

    path: str
    title: str
    provider: str


SHORT_FORM = 12
"""Forms with more fields than this fold their unused optional ones (see `Form.split`)."""
ESSENTIAL = frozenset({
    "label", "description", "name", "system_message", "model", "model_client", "tools", "workbench", "handoffs",
    "participants", "termination_condition", "base_url", "api_key", "azure_endpoint", "azure_deployment",
    "api_version", "model_info", "source_code", "text", "max_messages",
})
"""Fields a long form always shows, set or not."""


@dataclasses.dataclass(frozen=True, slots=True)
class FormField:
    """One input (or group of inputs) of the properties panel.

    `value` is what the widget shows: a string for text-like kinds and selects, a bool for checkboxes,
    None for secrets (see `is_set`) and components (see `refs`). `group` holds `fields` (model info);
    `rows` holds `rows` of fields (handoffs, with a blank row at the end for adding one).
    """

    name: str
    path: str
    label: str
    kind: Kind
    help: str
    required: bool = False
    value: Any = None
    is_default: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    is_set: bool = False
    accepts: tuple[str, ...] = ()
    many: bool = False
    refs: tuple[ComponentRef, ...] = ()
    fields: tuple[FormField, ...] = ()
    rows: tuple[tuple[FormField, ...], ...] = ()

    @property
    def clear_name(self) -> str:
        """The name of a secret's "remove the stored value" checkbox."""
        return self.path + CLEAR

    def leaves(self) -> list[FormField]:
        """The inputs this field is made of (itself, or its sub-fields)."""
        if self.kind == "group":
            return list(self.fields)
        if self.kind == "rows":
            return [f for row in self.rows for f in row]
        return [self]


@dataclasses.dataclass(frozen=True, slots=True)
class Form:
    """The form of one component: envelope fields (`label`, `description`), then its config fields."""

    provider: str
    component_type: str | None
    title: str
    fields: tuple[FormField, ...]

    def field(self, path: str) -> FormField:
        """The field at a path such as `config.max_turns`."""
        for f in self.fields:
            if f.path == path:
                return f
        raise KeyError(path)

    def field_at(self, path: str) -> FormField | None:
        """The input a problem at `path` belongs to, for inline errors: the field (or sub-field) whose
        path is `path` or encloses it (`config.graph.nodes.a` -> `config.graph`)."""
        candidates = [f for top in self.fields for f in (top, *top.leaves())
                      if path == f.path or path.startswith((f.path + ".", f.path + "["))]
        return max(candidates, key=lambda f: len(f.path), default=None)

    def split(self, errors: Collection[str] = ()) -> tuple[tuple[FormField, ...], tuple[FormField, ...]]:
        """(shown, folded): a long form keeps in view what is required, essential or filled in, and folds the
        optional fields left at their defaults under "More settings"; a field with an error stays in view."""
        if len(self.fields) <= SHORT_FORM:
            return self.fields, ()
        shown: list[FormField] = []
        folded: list[FormField] = []
        for f in self.fields:
            quiet = f.is_default or f.value in ("", None, False)
            errored = any(leaf.path in errors for leaf in (f, *f.leaves()))
            keep = f.required or f.name in ESSENTIAL or f.kind in ("component", "rows") or errored or not quiet
            (shown if keep else folded).append(f)
        return tuple(shown), tuple(folded)

    def submission(self) -> dict[str, str]:
        """What a browser submits when nothing is edited: unticked checkboxes left out, secrets empty."""
        out: dict[str, str] = {}
        for f in self.fields:
            out.update(inputs(f))
        return out


def form_for(component: dict[str, Any]) -> Form:
    """The form for a component envelope; an unknown provider gets its whole config as JSON."""
    provider = str(component.get("provider", ""))
    config = _config(component)
    envelope = [_text("label", "label", "Label", _help(ComponentModel, "label"), component.get("label")),
                _text("description", "description", "Component description", _help(ComponentModel, "description"),
                      component.get("description"), kind="textarea")]
    spec = get_spec(provider)
    model = _model_of(component)
    if spec is None or model is None:
        raw = FormField("config", "config", "Config", "json", "The component's configuration, as JSON.",
                        required=True, value=_json_text(config))
        return Form(provider, component.get("component_type"), _title(component, provider), (*envelope, raw))
    fields = _fields(model, config, "config.", spec.name)
    return Form(spec.provider, spec.component_type, _title(component, spec.name), (*envelope, *fields))


def parse_form(component: dict[str, Any], submitted: Submitted) -> tuple[dict[str, Any], list[Problem]]:
    """A new component with the submitted values applied, and the problems found.

    Values that do not parse are reported at their path and then nothing is applied; otherwise the
    result's own validation problems (not those inside nested components) follow. Non-checkbox inputs
    missing from `submitted` leave their field unchanged; a missing checkbox means unticked.
    """
    result = copy.deepcopy(component)
    config = _config(component)
    originals = {"config": config, **{f"config.{k}": v for k, v in config.items()}}
    changes, problems = read_fields(form_for(component).fields, submitted, originals)
    if problems:
        return result, problems
    for path, value in changes.items():
        if path == "config":
            result["config"] = value
            continue
        holder = result if path in ("label", "description") else result.setdefault("config", {})
        key = path.removeprefix("config.")
        if value is None:
            holder.pop(key, None)
        else:
            holder[key] = value
    return result, _own_problems(result)


def edge_form(edge: dict[str, Any], participants: Sequence[str] = ()) -> Form:
    """The form of a GraphFlow edge (`graph.nodes[source].edges[i]`); paths are the edge's own keys, as
    the `set_field` action on an edge node expects them. With `participants`, the target is a select."""
    fields = _fields(DiGraphEdge, edge, "", "DiGraphEdge")
    if participants:
        choices = tuple((name, name) for name in dict.fromkeys([*participants, str(edge.get("target", ""))]))
        fields = [dataclasses.replace(f, kind="select", choices=choices) if f.name == "target" else f
                  for f in fields]
    return Form("DiGraphEdge", "edge", f"Edge to {edge.get('target', '?')}", tuple(fields))


def parse_edge_form(edge: dict[str, Any], submitted: Submitted,
                    participants: Sequence[str] = ()) -> tuple[dict[str, Any], list[Problem]]:
    """A new edge with the submitted values applied (an empty condition is null: always follow), and the
    problems found; nothing is applied when a value does not parse."""
    result = copy.deepcopy(edge)
    changes, problems = read_fields(edge_form(edge, participants).fields, submitted, edge)
    if problems:
        return result, problems
    for key, value in changes.items():
        if value is None and DiGraphEdge.model_fields[key].default is not None:
            result.pop(key, None)  # e.g. an empty activation group falls back to the target
        else:
            result[key] = value
    try:
        DiGraphEdge.model_validate(result)
    except ValidationError as exc:
        problems = pydantic_problems(exc, "")
    return result, problems


def _fields(model: type[BaseModel], config: dict[str, Any], prefix: str, owner: str) -> list[FormField]:
    """The fields of a config model, the most used first, filled from `config` (or the defaults); each field's
    help is its description."""
    slots = {s.field: s for s in slots_of(model)}
    fields = []
    for name, info in model.model_fields.items():
        if info.exclude:  # filled in at run time only, never written (a tool's variable values)
            continue
        present = name in config
        default = _default(info)
        value = config.get(name) if present else default
        path = prefix + name
        text = info.description or f"The {_label(name).lower()} setting of {owner}."
        base: dict[str, Any] = {"name": name, "path": path, "label": _label(name), "help": text,
                "required": info.is_required(),
                "is_default": not present or (not info.is_required() and value == default)}
        if name in slots:
            fields.append(FormField(**base, kind="component", accepts=slots[name].kinds, many=slots[name].many,
                                    refs=_refs(path, config.get(name))))
        else:
            fields.append(_field(base, info, value))
    rank = {name: i for i, name in enumerate(FIRST)}
    return sorted(fields, key=lambda f: rank.get(f.name, len(FIRST) + (not f.required)))


def _config(component: dict[str, Any]) -> dict[str, Any]:
    config = component.get("config")
    return config if isinstance(config, dict) else {}


# ---- building fields -------------------------------------------------------------------------------

def _model_of(component: dict[str, Any]) -> type[BaseModel] | None:
    spec = get_spec(str(component.get("provider", "")))
    version = component.get("component_version")
    version = version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else None
    return spec.config_for(version) if spec else None


def _field(base: dict[str, Any], info: FieldInfo, value: Any) -> FormField:
    name, annotation = base["name"], _strip_none(info.annotation)
    optional = annotation is not info.annotation
    low, high = _bounds(info)
    if annotation is SecretStr:
        return FormField(**base, kind="secret", is_set=bool(value))
    if annotation is ModelInfoConfig:
        return _model_info(base, value)
    if _is_list_of(annotation, Handoff):
        return _handoffs(base, value)
    if annotation is bool:
        if optional:
            shown = "" if value is None else "true" if value else "false"
            return FormField(**base, kind="select", choices=TRI_STATE, value=shown)
        return FormField(**base, kind="checkbox", value=bool(value))
    if annotation in (int, float):
        shown = "" if value is None or isinstance(value, bool) else str(value)
        return FormField(**base, kind="integer" if annotation is int else "number", value=shown,
                         minimum=low, maximum=high)
    if get_origin(annotation) is Literal:
        choices = tuple((str(c), str(c)) for c in get_args(annotation))
        return FormField(**base, kind="select", value="" if value is None else str(value),
                         choices=((("", "Default"),) if optional else ()) + choices)
    if annotation is str:
        kind: Kind = "code" if name in CODE else "textarea" if name in TEXTAREAS else "text"
        return FormField(**base, kind=kind, value="" if value is None else str(value))
    if annotation == list[str]:
        lines = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
        return FormField(**base, kind="list_text", value=lines)
    return FormField(**base, kind="json", value=_json_text(value))


def _model_info(base: dict[str, Any], value: Any) -> FormField:
    info = value if isinstance(value, dict) else {}
    path = base["path"]
    sub = []
    for name in ("vision", "function_calling", "json_output", "structured_output"):
        sub.append(FormField(name, f"{path}.{name}", _label(name), "checkbox", _help(ModelInfoConfig, name),
                             value=bool(info.get(name, False))))
    sub.append(_text("family", f"{path}.family", "Family", _help(ModelInfoConfig, "family"), info.get("family")))
    return FormField(**base, kind="group", fields=tuple(sub))


def _handoffs(base: dict[str, Any], value: Any) -> FormField:
    items = value if isinstance(value, list) else []
    rows = []
    for i, item in enumerate([*items, {}]):
        data = {"target": item} if isinstance(item, str) else item if isinstance(item, dict) else {}
        rows.append(tuple(
            _text(key, f"{base['path']}[{i}].{key}", _label(key), _help(Handoff, key), data.get(key),
                  kind="textarea" if key == "message" else "text")
            for key in ("target", "name", "description", "message")))
    return FormField(**base, kind="rows", rows=tuple(rows))


def _text(name: str, path: str, label: str, help: str, value: Any, kind: Kind = "text") -> FormField:
    return FormField(name, path, label, kind, help, value="" if value is None else str(value))


def _refs(path: str, value: Any) -> tuple[ComponentRef, ...]:
    if isinstance(value, dict):
        return (_ref(path, value),)
    if isinstance(value, list):
        return tuple(_ref(f"{path}[{i}]", v) for i, v in enumerate(value) if isinstance(v, dict))
    return ()


def _ref(path: str, component: dict[str, Any]) -> ComponentRef:
    provider = str(component.get("provider", ""))
    config = read_config(component)
    name = config.get("name") if isinstance(config.get("name"), str) else None
    return ComponentRef(path, name or _title(component, provider.rsplit(".", 1)[-1]), provider)


def _title(component: dict[str, Any], fallback: str) -> str:
    label = component.get("label")
    return label if isinstance(label, str) and label else fallback


def _label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def _help(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or ""


def _default(info: FieldInfo) -> Any:
    default = info.get_default(call_default_factory=True)
    if default is PydanticUndefined:
        return None
    return default.model_dump(mode="json") if isinstance(default, BaseModel) else default


def _strip_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def _is_list_of(annotation: Any, item: type) -> bool:
    return get_origin(annotation) is list and get_args(annotation) == (item,)


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for meta in info.metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    return low, high


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, SecretStr):
        return MASK
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _own_problems(component: dict[str, Any]) -> list[Problem]:
    """The component's validation problems, leaving out those inside its nested components."""
    model = _model_of(component)
    slots = slots_of(model) if model else ()
    config = read_config(component)
    nested = []
    for slot in slots:
        base = f"config.{slot.field}"
        value = config.get(slot.field)
        if slot.many and isinstance(value, list):
            nested += [f"{base}[{i}]" for i, v in enumerate(value) if isinstance(v, dict)]
        elif isinstance(value, dict):
            nested.append(base)
    return [p for p in validate_component(component)
            if not any(p.path == n and p.severity == "warning" or p.path.startswith((n + ".", n + "["))
                       for n in nested)]
