"""The canonical form of a component document: what every export writes and what the builder keeps.

Model-driven and pure: each component's config is read with its provider's config model (the one for its
`component_version`) and written back with every default filled in, as the runtime would dump it
(`ConfigModel.canonical_json`), each nested component in turn; the envelope gets the canonical provider,
component type and versions, and the label AutoGen gives (the class name) when it has none. Nothing is
built: no runtime object, no tool code parsed, no work directory made, so it is cheap enough to run after
every builder action.

A component it cannot read (unknown or unsupported provider, an invalid envelope or config, a
`component_version` it cannot convert, or one newer than it knows) is kept verbatim, everything inside
it included: nothing it does not understand is dropped or rewritten.

For every document the runtime loads it equals `dump_component(load_component(document))` (the test is
tests/components/test_canonical.py), except that it keeps secrets as given: whoever writes a file masks
them (`studio.services.team_files.mask_secrets`).
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ValidationError

from studio.runtime.config import SECRET_FIELDS, slots_of

from .registry import get_spec


def canonical_form(document: Any) -> Any:
    """A new document: the component in canonical form (a copy of anything that is not a component)."""
    return _component(document) if isinstance(document, dict) else copy.deepcopy(document)


def _component(raw: dict[str, Any]) -> dict[str, Any]:
    written = _canonical(raw)
    return copy.deepcopy(raw) if written is None else written


def _canonical(raw: dict[str, Any]) -> dict[str, Any] | None:
    provider, config = raw.get("provider"), raw.get("config")
    label, description = raw.get("label"), raw.get("description")
    if not isinstance(provider, str) or not isinstance(config, dict):
        return None
    if not all(value is None or isinstance(value, str) for value in (label, description)):
        return None
    spec = get_spec(provider)
    if spec is None or spec.unsupported:
        return None
    version = raw.get("component_version")
    if version is not None and (type(version) is not int or not 0 < version <= spec.version):
        return None
    model = spec.config_for(version)
    if model is None:
        return None
    try:
        validated = model.model_validate(config)
    except ValidationError:
        return None
    data = validated.canonical_json()
    if data is None:
        return None
    for name in SECRET_FIELDS:  # the model masks them when it writes; the canonical form does not
        if isinstance(config.get(name), str) and name in data:
            data[name] = config[name]
    for slot in slots_of(spec.config):
        value = data.get(slot.field)
        if slot.many and isinstance(value, list):
            data[slot.field] = [_component(item) if isinstance(item, dict) else item for item in value]
        elif not slot.many and isinstance(value, dict):
            data[slot.field] = _component(value)
    envelope: dict[str, Any] = {
        "provider": spec.provider, "component_type": spec.component_type, "version": spec.version,
        "component_version": spec.version, "label": spec.name if label is None else label,
    }
    if description is not None:
        envelope["description"] = description
    envelope["config"] = data
    return envelope


def is_default(provider: str, field: str, value: Any) -> bool:
    """Whether `value` is what the canonical form writes for `field` of `provider` when it is left out."""
    spec = get_spec(provider)
    info = spec.config.model_fields.get(field) if spec else None
    if info is None or info.is_required():
        return False
    default = info.get_default(call_default_factory=True)
    if isinstance(default, BaseModel):
        default = default.model_dump(mode="json", exclude_none=True)
    return bool(value == canonical_form(default))


__all__ = ["canonical_form", "is_default"]
