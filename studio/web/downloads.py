"""File downloads: a body sent as an attachment under a file name."""

from __future__ import annotations

from fastapi.responses import Response

from studio.services.team_scripts import ExportFile


def download(file: ExportFile) -> Response:
    """`file` as an attachment (the browser saves it as `file.filename`)."""
    return Response(file.body, media_type=file.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"'})
