"""A file sent to a JSON API either as the request body or as a multipart upload in the field `file`."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from starlette.requests import Request

# The routes' `openapi_extra`: the two ways the API documentation offers to send the file.
FILE_OR_JSON_BODY: dict[str, Any] = {"requestBody": {"content": {
    "application/json": {"schema": {"type": "object"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
}}}


async def file_or_body(request: Request, limit: int, what: str) -> bytes:
    """The multipart field `file` (at most `limit` + 1 bytes read, so a caller can tell it is too big), or
    the raw body; a 422 naming `what` ("team file") when a multipart request has no file."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HTTPException(422, {"message": f"Send the {what} in the multipart field `file`.", "problems": []})
            return await upload.read(limit + 1)
    return await request.body()


__all__ = ["FILE_OR_JSON_BODY", "file_or_body"]
