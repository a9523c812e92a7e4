"""Model credentials (per endpoint), the default model and variables for tools, as JSON. Keys and variable
values are only ever answered masked (`sk-…abcd`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from studio.runtime.models.endpoints import KINDS
from studio.services import credentials

from ..deps import DbSession

router = APIRouter(prefix="/api/settings", tags=["settings"])
KindName = Literal[tuple(kind.name for kind in KINDS)]  # type: ignore[valid-type]


class CredentialOut(BaseModel):
    id: int | None = Field(description="Saved credentials only: the id to remove it by.")
    kind: str = Field(description="The kind of endpoint: " + ", ".join(f"`{k.name}` ({k.label})" for k in KINDS))
    endpoint: str = Field(description="The endpoint the key is for, normalised; empty: bound to none (unused).")
    key: str = Field(description="The key, masked.")
    source: str = Field(description="`saved`, or `environment` (then `env` names the variable).")
    env: str | None = None


class CredentialIn(BaseModel):
    """A key for one endpoint. `endpoint` may be left out for the OpenAI API (its URL is fixed)."""

    model_config = ConfigDict(extra="forbid")

    kind: KindName  # type: ignore[valid-type]
    endpoint: str | None = None
    api_key: str = Field(min_length=1)


class SettingsOut(BaseModel):
    credentials: list[CredentialOut]
    default_model: str | None
    variables: dict[str, str] = Field(description="Variable names and their values, masked.")


class DefaultModelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_model: str | None = Field(description="`null` or `\"\"` clears it (new teams use gpt-4o-mini).")


class VariableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1)


def _out(db: DbSession) -> SettingsOut:
    creds = credentials.load_credentials(db)
    return SettingsOut(
        credentials=[CredentialOut(id=k.id, kind=k.kind.name, endpoint=k.endpoint, key=k.display, source=k.source,
                                   env=k.env) for k in creds.keys],
        default_model=creds.default_model.value,
        variables={v.name: v.display for v in creds.variables},
    )


def _invalid(error: credentials.CredentialError) -> JSONResponse:
    """The same 422 shape as FastAPI's own validation errors, naming the field."""
    return JSONResponse({"detail": [{"loc": ["body", error.field], "msg": str(error), "type": "value_error"}]}, 422)


@router.get("", response_model=SettingsOut, summary="Credentials, default model and variables (all masked)")
def get_settings(db: DbSession) -> SettingsOut:
    return _out(db)


@router.post("/credentials", response_model=SettingsOut, status_code=201, summary="Save a key for an endpoint",
             responses={422: {"description": "Unknown kind, invalid endpoint URL or empty key"}})
def add_credential(db: DbSession, body: CredentialIn) -> SettingsOut | JSONResponse:
    try:
        credentials.save_credential(db, body.kind, body.endpoint, body.api_key)
    except credentials.CredentialError as error:
        db.rollback()
        return _invalid(error)
    return _out(db)


@router.delete("/credentials/{credential_id}", response_model=SettingsOut, summary="Remove a saved credential")
def remove_credential(db: DbSession, credential_id: int = Path(ge=1, lt=2**63)) -> SettingsOut:
    if credentials.remove_credential(db, credential_id) is None:
        raise HTTPException(404, f"There is no saved credential {credential_id}.")
    return _out(db)


@router.put("/default-model", response_model=SettingsOut, summary="Save the default model of new teams")
def put_default_model(db: DbSession, body: DefaultModelIn) -> SettingsOut:
    credentials.save_default_model(db, body.default_model)
    return _out(db)


@router.put("/variables/{name}", response_model=SettingsOut, summary="Save a variable for tools",
            responses={422: {"description": "Invalid or reserved name, empty value"}})
def put_variable(db: DbSession, name: str, body: VariableIn) -> SettingsOut | JSONResponse:
    try:
        credentials.save_variable(db, name, body.value)
    except credentials.CredentialError as error:
        db.rollback()
        return _invalid(error)
    return _out(db)


@router.delete("/variables/{name}", response_model=SettingsOut, summary="Remove a variable")
def remove_variable(db: DbSession, name: str) -> SettingsOut:
    if not credentials.remove_variable(db, name):
        raise HTTPException(404, f"There is no variable named {name!r}.")
    return _out(db)


__all__ = ["router"]
