"""The declarative component format (AutoGen's): envelope, provider registry, config schemas,
validation with JSON paths, the canonical form every export writes, and load/dump to and from
`studio.runtime` objects."""

from __future__ import annotations

from .canonical import canonical_form
from .envelope import MASK, ComponentModel
from .errors import (
    UNSUPPORTED,
    UNTRUSTED,
    ComponentError,
    ComponentValidationError,
    Problem,
    UnsupportedComponentError,
    blocking,
    cannot_run,
    opaque_paths,
)
from .loader import dump_component, load_component, validate_component
from .registry import ProviderSpec, get_spec, providers, suggest

__all__ = [
    "MASK",
    "UNSUPPORTED",
    "UNTRUSTED",
    "blocking",
    "cannot_run",
    "opaque_paths",
    "ComponentError",
    "ComponentModel",
    "ComponentValidationError",
    "Problem",
    "ProviderSpec",
    "UnsupportedComponentError",
    "canonical_form",
    "dump_component",
    "get_spec",
    "load_component",
    "providers",
    "suggest",
    "validate_component",
]
