"""Secrets in files: one list of secret fields, masked when written, a mask read treated as absent."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr

from studio.components import MASK, SECRET_FIELDS, SECRET_HEADERS, mask_config, providers
from studio.components.secrets import without_masks
from studio.runtime.models._openai_support import AzureOpenAIClientConfig, OpenAIClientConfig


def _secret(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_secret(a) for a in get_args(annotation))
    return annotation is SecretStr


def test_the_list_of_secret_fields_is_every_field_a_config_model_types_secret() -> None:
    models: list[type[BaseModel]] = [m for s in providers() for m in (s.config, *s.past_configs.values())]
    secret = {name for m in models for name, field in m.model_fields.items() if _secret(field.annotation)}
    named = {name for m in models for name in m.model_fields if name in SECRET_FIELDS}
    assert secret == named == set(SECRET_FIELDS)
    assert all(header == header.lower() for header in SECRET_HEADERS)


def test_mask_config_masks_what_is_set_and_what_was_masked() -> None:
    config = {"api_key": "sk-1", "azure_ad_token": "", "model": "m",
              "default_headers": {"Authorization": "Bearer x", "X-Team": "a"}}
    assert mask_config(config, masked=("azure_ad_token", "default_headers.X-Api-Key")) is config
    assert config == {"api_key": MASK, "azure_ad_token": MASK, "model": "m",
                      "default_headers": {"Authorization": MASK, "X-Team": "a", "X-Api-Key": MASK}}
    assert mask_config({"model": "m"}) == {"model": "m"}


def test_without_masks_leaves_out_what_a_file_gave_as_the_mask() -> None:
    config = AzureOpenAIClientConfig.model_validate({
        "model": "m", "azure_endpoint": "https://x", "api_version": "v", "api_key": MASK, "azure_ad_token": "t",
        "default_headers": {"Authorization": MASK, "X-Team": "a"}})
    unmasked, masked = without_masks(config)
    assert masked == ("api_key", "default_headers.Authorization")
    assert unmasked.api_key is None and unmasked.azure_ad_token.get_secret_value() == "t"
    assert unmasked.default_headers == {"X-Team": "a"}
    assert config.api_key.get_secret_value() == MASK  # the validated config is left as it was
    plain = OpenAIClientConfig.model_validate({"model": "m", "api_key": "sk-1"})
    assert without_masks(plain) == (plain, ())


def test_an_http_tools_secret_headers_are_masked_unless_they_only_read_variables() -> None:
    from studio.components import dump_component, load_component

    config = {"name": "get", "host": "h", "port": 443, "json_schema": {"type": "object"}, "variables": ["TOKEN"],
              "headers": {"Authorization": "Bearer sk-literal", "X-Api-Key": "${TOKEN}", "Accept": "text/plain"}}
    dumped = dump_component(load_component({"provider": "autogen_ext.tools.http.HttpTool", "config": config}))
    assert dumped["config"]["headers"] == {"Authorization": MASK, "X-Api-Key": "${TOKEN}", "Accept": "text/plain"}
    again = load_component(dumped)  # the mask is read as no header, and written back as the mask
    assert again.headers == {"X-Api-Key": "${TOKEN}", "Accept": "text/plain"}
    assert dump_component(again) == dumped
