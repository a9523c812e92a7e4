"""The service layer: what the HTML pages and the JSON API both do, so they behave the same.

- `teams`: import (AutoGen, AutoGen Studio and gallery files), export, create, rename, duplicate,
  delete, save with versions, diff and restore.
- `galleries`: AutoGen Studio gallery files imported (file, JSON, URL) and exported, the user's gallery,
  templates copied into teams, trust in what they execute (`trust`); `admission` is the gate every run passes; `gallery` seeds the built-in one.
- `credentials`: model keys and endpoints kept server-side, injected into teams at run time.
"""

from __future__ import annotations

from .errors import (
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceError,
    TeamImportError,
)

__all__ = ["InvalidTeamError", "NotFoundError", "PayloadTooLargeError", "ServiceError", "TeamImportError"]
