"""Structural validation: every problem at once, each at its JSON path.

`validate_tree` checks the envelope, resolves the provider, checks the config against that
provider's config model (the one for the file's `component_version`), then recurses into nested
components, each checked against its own model. It returns a `Node` tree that the semantic
checks (`checks.py`) and the loader reuse, so a file is validated once per load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from studio.runtime.config import TAG_PREFIX, ConfigModel, autogen_required_fields, slots_of

from .envelope import ComponentModel
from .errors import UNSUPPORTED, Kind, Problem, Severity
from .registry import (
    UNSUPPORTED_HINTS,
    ProviderSpec,
    canonical_provider,
    get_spec,
    suggest,
)


@dataclass(eq=False)
class Node:
    """One component of a file: where it is, what it is, and its validated config (None if invalid)."""

    path: str
    raw: dict[str, Any]
    spec: ProviderSpec | None = None
    config: ConfigModel | None = None
    label: str | None = None
    description: str | None = None
    children: dict[str, Any] = field(default_factory=dict)
    opaque: Problem | None = None
    """Set for an opaque node (see `errors.UNSUPPORTED`): why it cannot run here. Such a node is validated
    only as an envelope; nothing inside it is read, checked or rewritten."""

    @property
    def provider(self) -> str | None:
        return self.spec.provider if self.spec else None

    @property
    def raw_config(self) -> dict[str, Any]:
        config = self.raw.get("config")
        return config if isinstance(config, dict) else {}

    def at(self, *parts: str | int) -> str:
        """The path of something inside this component's config."""
        return join(self.path, "config", *parts)

    def child(self, name: str) -> Node | None:
        value = self.children.get(name)
        return value if isinstance(value, Node) else None

    def child_list(self, name: str) -> list[Node | None]:
        value = self.children.get(name)
        return value if isinstance(value, list) else []

    def walk(self) -> Iterator[Node]:
        """This node and every nested component, depth first, in document order."""
        yield self
        for value in self.children.values():
            for child in value if isinstance(value, list) else [value]:
                if child is not None:
                    yield from child.walk()


def join(path: str, *parts: str | int) -> str:
    """`join("config", "participants", 1)` -> `config.participants[1]`."""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.isidentifier():
            path = f"{path}.{part}" if path else part
        else:
            path += f"[{json.dumps(part)}]"
    return path


def article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def unsupported(path: str, provider: str, reason: str) -> Problem:
    """The problem of an opaque node at `path`: `<provider> cannot run here: <reason>`, kept as written."""
    return Problem(path, f"{provider} cannot run here: {reason}; it is kept as written", "error", UNSUPPORTED)


def unsupported_reason(problem: Problem) -> str:
    """The reason alone of an opaque node's problem (what `unsupported` wrote after the provider)."""
    return problem.message.partition(" cannot run here: ")[2].removesuffix("; it is kept as written") or problem.message


def _message(error: Any, loc: list[str | int], slot_fields: frozenset[str]) -> str:
    """A short, lower-case message; never the offending value (it may be a secret)."""
    kind = error["type"]
    if kind == "missing":
        return "field required"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        in_slot = bool(loc) and loc[0] in slot_fields and all(isinstance(p, int) for p in loc[1:])
        return "expected a component object ({provider, config, ...})" if in_slot else "expected an object"
    if kind == "list_type":
        return "expected a list"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = ", ".join(repr(t.strip("'")[len(TAG_PREFIX):]) for t in error["ctx"]["expected_tags"].split(", "))
        tag = str(error.get("ctx", {}).get("tag", "missing"))[len(TAG_PREFIX):]
        found = "missing 'type'" if tag == "missing" else f"unknown type {tag!r}"
        return f"{found}; expected one of {tags}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def pydantic_problems(exc: ValidationError, base: str, model: type[BaseModel] | None = None) -> list[Problem]:
    """Pydantic errors as problems under `base`; union branch tags are left out of the paths."""
    slot_fields = frozenset(s.field for s in slots_of(model)) if model is not None else frozenset()
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith(TAG_PREFIX))]
        problems.append(Problem(join(base, *loc), _message(error, loc, slot_fields)))
    return problems


class _Validator:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, path: str, message: str, severity: Severity = "error", kind: Kind = "") -> None:
        self.problems.append(Problem(path, message, severity, kind))

    def node(self, data: Any, path: str, kinds: tuple[str, ...] = ()) -> Node | None:
        if not isinstance(data, dict):
            self.report(path, "expected a component object ({provider, config, ...})")
            return None
        node = Node(path, data)
        try:
            envelope = ComponentModel.model_validate(data)
            node.label, node.description = envelope.label, envelope.description
        except ValidationError as exc:
            self.problems.extend(pydantic_problems(exc, path))
        provider = data.get("provider")
        if not isinstance(provider, str):
            return node
        node.spec = spec = get_spec(provider)
        if spec is None:
            return self._opaque(node, canonical_provider(provider), _unknown(provider))
        if kinds and spec.component_type not in kinds:
            wanted = " or ".join(kinds)
            self.report(path, f"expected {article(wanted)} here, got {article(spec.component_type)} ({spec.name})")
        declared = data.get("component_type")
        if isinstance(declared, str) and declared != spec.component_type and declared not in spec.type_aliases:
            self.report(join(path, "component_type"),
                        f"{declared!r} does not match {spec.name}, which is {article(spec.component_type)}; "
                        "the provider wins", "warning")
        if spec.unsupported:
            return self._opaque(node, spec.provider, spec.unsupported.removeprefix("is "))
        model = self._schema(node, spec)
        if model is not None and isinstance(data.get("config"), dict):
            self._config(node, model)
        return node

    def _opaque(self, node: Node, provider: str, reason: str) -> Node:
        node.opaque = unsupported(node.path, provider, reason)
        self.problems.append(node.opaque)
        return node

    def _schema(self, node: Node, spec: ProviderSpec) -> type[ConfigModel] | None:
        version = node.raw.get("component_version")
        version = version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else None
        model = spec.config_for(version)
        where = join(node.path, "component_version")
        if model is None:
            known = ", ".join(str(v) for v in sorted({*spec.past_configs, spec.version}))
            self.report(where, f"{spec.name} config version {version} is not supported (known: {known})")
        elif version is not None and version > spec.version:
            self.report(where, f"written by a newer AutoGen (version {version}); read as version {spec.version}",
                        "warning")
        return model

    def _config(self, node: Node, model: type[ConfigModel]) -> None:
        raw = node.raw_config
        try:
            node.config = model.model_validate(raw)
        except ValidationError as exc:
            self.problems.extend(pydantic_problems(exc, node.at(), model))
        for key in raw.keys() - model.model_fields.keys():
            self.report(node.at(key), "unknown field (ignored)", "warning")
        for name in autogen_required_fields(model):
            default = model.model_fields[name].default
            if raw.get(name) is None and (name not in raw or default is not None):
                self.report(node.at(name), _missing_for_autogen(node, name, default), "warning")
        for slot in slots_of(model):
            value = raw.get(slot.field)
            if slot.many and isinstance(value, list):
                node.children[slot.field] = [
                    self.node(item, node.at(slot.field, i), slot.kinds) if isinstance(item, dict) else None
                    for i, item in enumerate(value)
                ]
            elif not slot.many and isinstance(value, dict):
                node.children[slot.field] = self.node(value, node.at(slot.field), slot.kinds)
            else:
                node.children[slot.field] = [] if slot.many else None


def _missing_for_autogen(node: Node, name: str, default: Any) -> str:
    """Why a field AutoGen requires but the studio defaults is worth a warning, and what happens to it."""
    missing = "missing" if name not in node.raw_config else "null"
    version = node.raw.get("component_version")
    newer = isinstance(version, int) and node.spec is not None and version > node.spec.version
    if node.spec is not None and node.spec.unsupported or newer:  # `canonical_form` keeps these as written
        return f"{missing}: AutoGen 0.7.5 requires it, and this component is exported as written: set it"
    shown = json.dumps(default.model_dump(mode="json") if isinstance(default, BaseModel) else default,
                       ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:37] + '..."'
    return f"{missing}: AutoGen 0.7.5 requires it; Studio fills in the default {shown} on import and in every export"


def _unknown(provider: str) -> str:
    canonical = canonical_provider(provider)
    if canonical in UNSUPPORTED_HINTS:
        return f"not supported by the studio ({UNSUPPORTED_HINTS[canonical]})"
    guess = suggest(provider)
    return "unknown provider" + (f" (did you mean {guess!r}?)" if guess else "")


def validate_tree(data: Any, kind: str | None = None) -> tuple[Node | None, list[Problem]]:
    """Check a parsed document (structure, then semantics); the tree is None if the top is not an object."""
    from .checks import run_checks

    validator = _Validator()
    if not isinstance(data, dict):
        validator.report("", f"the top level must be a JSON object, not {_json_type(data)}")
        return None, validator.problems
    root = validator.node(data, "", (kind,) if kind else ())
    if root is not None:
        run_checks(root, validator.report)
    return root, validator.problems


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
