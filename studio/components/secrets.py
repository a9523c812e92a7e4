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

from .envelope import MASK


def mask_config(config: dict[str, Any], masked: Collection[str] = ()) -> dict[str, Any]:
    """`config` (changed in place) with every secret that is set, and those named in `masked`, as the mask."""
    for name in SECRET_FIELDS:
        if config.get(name) or name in masked:
            config[name] = MASK
    headers = config.get("default_headers")
    if isinstance(headers, dict):
        for key in headers:
            if key.lower() in SECRET_HEADERS:
                headers[key] = MASK
        for entry in masked:
            if entry.startswith("default_headers."):
                headers[entry.partition(".")[2]] = MASK
    return config


def without_masks(config: ConfigModel) -> tuple[ConfigModel, tuple[str, ...]]:
    """A validated config without the secrets (and headers) a file gave as the mask, and their names for
    `mask_config` (a header as `default_headers.<name>`)."""
    update: dict[str, Any] = {}
    masked: list[str] = []
    for name in SECRET_FIELDS:
        value = getattr(config, name, None)
        if isinstance(value, SecretStr) and value.get_secret_value() == MASK:
            update[name] = None
            masked.append(name)
    headers = getattr(config, "default_headers", None)
    if isinstance(headers, dict) and MASK in headers.values():
        masked += [f"default_headers.{key}" for key, value in headers.items() if value == MASK]
        update["default_headers"] = {key: value for key, value in headers.items() if value != MASK}
    return (config.model_copy(update=update) if update else config), tuple(masked)


__all__ = ["SECRET_FIELDS", "SECRET_HEADERS", "mask_config", "without_masks"]
