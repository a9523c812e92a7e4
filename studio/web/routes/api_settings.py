"""Model credentials as JSON. Keys are only ever answered masked (`sk-…abcd`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from studio.services import credentials

from ..deps import DbSession

router = APIRouter(prefix="/api/settings", tags=["settings"])


class CredentialOut(BaseModel):
    label: str
    value: str | None = Field(description="The value; for a key, only its masked form.")
    source: str = Field(description="`saved`, `environment` or `unset`: saved values win over the environment.")
    secret: bool
    env: str | None = Field(description="The environment variable read when nothing is saved.")


class CredentialsUpdate(BaseModel):
    """Values to save. A field left out is unchanged; `null` or `""` removes the saved value."""

    model_config = ConfigDict(extra="forbid")

    openai_api_key: str | None = None
    openai_base_url: str | None = None
    azure_endpoint: str | None = None
    azure_api_key: str | None = None
    azure_api_version: str | None = None
    default_model: str | None = None


def _out(db: DbSession) -> dict[str, CredentialOut]:
    return {
        field.name: CredentialOut(label=field.label, value=cred.display or None, source=cred.source,
                                  secret=field.secret, env=field.env)
        for field, cred in credentials.load_credentials(db).items()
    }


@router.get("/credentials", response_model=dict[str, CredentialOut], summary="Model credentials (keys masked)")
def get_credentials(db: DbSession) -> dict[str, CredentialOut]:
    return _out(db)


@router.put("/credentials", response_model=dict[str, CredentialOut], summary="Save model credentials")
def put_credentials(db: DbSession, body: CredentialsUpdate) -> dict[str, CredentialOut]:
    given = {name: getattr(body, name) for name in body.model_fields_set}
    remove = tuple(name for name, value in given.items() if not (value or "").strip())
    credentials.save_credentials(db, {n: v for n, v in given.items() if n not in remove}, remove=remove)
    return _out(db)


__all__ = ["router"]
