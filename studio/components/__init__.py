"""The declarative component format (AutoGen's): envelope, provider registry, validation with JSON
paths, secrets masked in files, the canonical form every export writes, and load/dump to and from
`studio.runtime` objects. Each provider's config model is the runtime's, beside the class it configures."""

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
from .secrets import SECRET_FIELDS, SECRET_HEADERS, mask_config

__all__ = [
    "MASK",
    "SECRET_FIELDS",
    "SECRET_HEADERS",
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
    "mask_config",
    "providers",
    "suggest",
    "validate_component",
]
