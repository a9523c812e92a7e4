"""The galleries JSON API: list, one gallery as an AutoGen Studio gallery file, import, delete.

Errors are `{"detail": ...}`; an import with problems answers 422 with
`{"detail": {"message": ..., "problems": [{"path", "message", "severity"}, ...]}}` and saves nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from studio.services import galleries as service
from studio.services.errors import (
    GalleryFetchError,
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceError,
)
from studio.store.models import Gallery, GalleryTemplate
from studio.store.types import id_of

from ..deps import DbSession, EngineDep
from ..file_upload import FILE_OR_JSON_BODY, file_or_body
from ..threads import in_db
from .api_teams import ProblemOut

router = APIRouter(prefix="/api", tags=["galleries"])


class GallerySummary(BaseModel):
    """A gallery in a list: its header and how many items it holds, no components."""

    id: int
    name: str
    kind: str
    description: str
    source: str
    url: str
    meta: dict[str, Any]
    items: int
    created_at: datetime

    @classmethod
    def of(cls, gallery: Gallery, items: int) -> GallerySummary:
        return cls(id=id_of(gallery), name=gallery.name, kind=gallery.kind, description=gallery.description,
                   source=gallery.source, url=gallery.url, meta=gallery.meta, items=items,
                   created_at=gallery.created_at)


class ItemSummary(BaseModel):
    """An imported item: what it is and whether the engine can run it."""

    id: int
    key: str
    label: str
    component_type: str
    unsupported: str
    trusted: bool

    @classmethod
    def of(cls, item: GalleryTemplate) -> ItemSummary:
        return cls(id=id_of(item), key=item.key, label=item.label, component_type=item.component_type,
                   unsupported=item.unsupported, trusted=item.trusted)


class ImportOut(BaseModel):
    gallery: GallerySummary
    items: list[ItemSummary]
    notices: list[ProblemOut]


@router.get("/galleries", response_model=list[GallerySummary], summary="List galleries")
def list_galleries(db: DbSession) -> list[GallerySummary]:
    return [GallerySummary.of(g, len(service.gallery_items(db, gallery_id=g.id)))
            for g in service.list_galleries(db)]


@router.get("/galleries/{gallery_id}", summary="Get a gallery as an AutoGen Studio gallery file")
def get_gallery(db: DbSession, gallery_id: int) -> dict[str, Any]:
    """Every item as stored (unsupported ones intact), keys masked: a file AutoGen Studio imports."""
    try:
        return service.export_gallery(db, gallery_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/galleries/import", response_model=ImportOut, status_code=201, summary="Import a gallery file",
             openapi_extra=FILE_OR_JSON_BODY)
async def import_gallery(request: Request, engine: EngineDep) -> ImportOut:
    """An AutoGen Studio gallery file as the JSON body or a multipart upload in the field `file`, or
    `{"url": "https://..."}` for the server to fetch. All or nothing; 422 lists every problem."""
    limit = request.app.state.settings.max_body_bytes
    source = ""
    try:
        raw = await file_or_body(request, limit, "gallery file")
        url = _fetch_request(raw)
        if url:
            source = url
            raw = await run_in_threadpool(
                service.fetch_gallery, url, max_bytes=limit,
                allow_private=request.app.state.settings.gallery_allow_private_urls)
        imported = await in_db(engine, lambda db: service.import_gallery(db, raw, source=source))
    except PayloadTooLargeError as exc:
        raise HTTPException(413, str(exc)) from None
    except InvalidTeamError as exc:
        problems = [ProblemOut.of(p).model_dump() for p in exc.problems]
        raise HTTPException(422, {"message": exc.message, "problems": problems}) from None
    except GalleryFetchError as exc:
        raise HTTPException(exc.status_code, str(exc)) from None
    return ImportOut(gallery=GallerySummary.of(imported.gallery, len(imported.items)),
                     items=[ItemSummary.of(i) for i in imported.items],
                     notices=[ProblemOut.of(p) for p in imported.notices])


def _fetch_request(raw: bytes) -> str:
    """The URL of a `{"url": ...}` body (a request to fetch), "" for anything else (a gallery file)."""
    if len(raw) > 10_000:
        return ""
    try:
        body = json.loads(raw)
    except ValueError:
        return ""
    if isinstance(body, dict) and set(body) == {"url"} and isinstance(body["url"], str):
        return body["url"]
    return ""


@router.delete("/galleries/{gallery_id}", status_code=204, summary="Delete a gallery")
def delete_gallery(db: DbSession, gallery_id: int) -> Response:
    """Delete an imported or user gallery and its items; the built-in one answers 409."""
    try:
        service.delete_gallery(db, gallery_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except ServiceError as exc:
        raise HTTPException(409, str(exc)) from None
    return Response(status_code=204)
