"""Secrets in files: written as AutoGen's mask, never as themselves.

The one list of secret fields (and secret headers) is the runtime's (`studio.runtime.config`), whose config
models type those fields `SecretStr`. A file gives `"**********"` for a key it does not hold: such a value is
treated as absent (the runtime then falls back to its environment) and written back as the mask.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import SecretStr

from studio.runtime.config import SECRET_FIELDS, SECRET_HEADERS, ConfigModel
from studio.runtime.tools.variables import references

from .envelope import MASK

HEADER_FIELDS = ("default_headers", "headers")
"""The config fields holding HTTP headers (a model client's `default_headers`, an HttpTool's `headers`)."""


def mask_config(config: dict[str, Any], masked: Collection[str] = ()) -> dict[str, Any]:
    """`config` (changed in place) with every secret that is set, and those named in `masked`, as the mask.
    A secret header that only reads variables (`Bearer ${API_TOKEN}`) holds no secret and is kept."""
    for name in SECRET_FIELDS:
        if config.get(name) or name in masked:
            config[name] = MASK
    for field in HEADER_FIELDS:
        headers = config.get(field)
        if not isinstance(headers, dict):
            continue
        for key, value in headers.items():
            if key.lower() in SECRET_HEADERS and not (isinstance(value, str) and references(value)):
                headers[key] = MASK
        for entry in masked:
            if entry.startswith(f"{field}."):
                headers[entry.partition(".")[2]] = MASK
    return config


def without_masks(config: ConfigModel) -> tuple[ConfigModel, tuple[str, ...]]:
    """A validated config without the secrets (and headers) a file gave as the mask, and their names for
    `mask_config` (a header as `default_headers.<name>` or `headers.<name>`)."""
    update: dict[str, Any] = {}
    masked: list[str] = []
    for name in SECRET_FIELDS:
        value = getattr(config, name, None)
        if isinstance(value, SecretStr) and value.get_secret_value() == MASK:
            update[name] = None
            masked.append(name)
    for field in HEADER_FIELDS:
        headers = getattr(config, field, None)
        if isinstance(headers, dict) and MASK in headers.values():
            masked += [f"{field}.{key}" for key, value in headers.items() if value == MASK]
            update[field] = {key: value for key, value in headers.items() if value != MASK}
    return (config.model_copy(update=update) if update else config), tuple(masked)


__all__ = ["HEADER_FIELDS", "SECRET_FIELDS", "SECRET_HEADERS", "mask_config", "without_masks"]
