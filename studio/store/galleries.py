"""Galleries of team templates. Seeding policy (once, never re-adding deleted templates) is the
caller's: these functions only add, replace, list and delete."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from .db import forget_cascaded
from .models import Gallery, GalleryTemplate


def upsert_gallery(session: Session, *, name: str, description: str = "", source: str = "",
                   kind: str | None = None, url: str | None = None, meta: dict[str, Any] | None = None) -> Gallery:
    """The gallery called `name`, created or updated with this description and source (and kind, url, meta
    when given)."""
    gallery = get_gallery(session, name)
    if gallery is None:
        gallery = Gallery(name=name, description=description, source=source)
    else:
        gallery.description = description
        gallery.source = source
    if kind is not None:
        gallery.kind = kind
    if url is not None:
        gallery.url = url
    if meta is not None:
        gallery.meta = copy.deepcopy(meta)
    session.add(gallery)
    session.flush()
    return gallery


def get_gallery(session: Session, name: str) -> Gallery | None:
    return session.exec(select(Gallery).where(Gallery.name == name)).first()


def get_gallery_by_id(session: Session, gallery_id: int) -> Gallery | None:
    return session.get(Gallery, gallery_id)


def list_galleries(session: Session) -> list[Gallery]:
    return list(session.exec(select(Gallery).order_by(col(Gallery.name))))


def delete_gallery(session: Session, gallery: Gallery) -> None:
    """Delete a gallery and its templates."""
    session.delete(gallery)
    session.flush()
    forget_cascaded(session)


def add_template(
    session: Session,
    *,
    gallery_id: int,
    key: str,
    component: dict[str, Any],
    label: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
    component_type: str = "team",
    unsupported: str = "",
    trusted: bool = False,
    demo: dict[str, Any] | None = None,
) -> GalleryTemplate:
    """Add a template (or single component), or replace the one with the same `key` in that gallery.

    Label and description default to the component's own.
    """
    template = session.exec(
        select(GalleryTemplate).where(
            GalleryTemplate.gallery_id == gallery_id, GalleryTemplate.key == key
        )
    ).first()
    if template is None:
        template = GalleryTemplate(gallery_id=gallery_id, key=key, label="", component={})
    template.label = label if label is not None else str(component.get("label") or key)
    template.description = (
        description if description is not None else str(component.get("description") or "")
    )
    template.tags = list(tags or [])
    template.component = copy.deepcopy(component)
    template.component_type = component_type
    template.unsupported = unsupported
    template.trusted = trusted
    template.demo = copy.deepcopy(demo)
    session.add(template)
    session.flush()
    return template


def get_template(session: Session, template_id: int) -> GalleryTemplate | None:
    return session.get(GalleryTemplate, template_id)


def list_templates(
    session: Session,
    *,
    gallery_id: int | None = None,
    search: str | None = None,
    tag: str | None = None,
    component_type: str | None = None,
) -> list[GalleryTemplate]:
    """Templates by label; `search` matches label or description (any case), `tag` one tag,
    `component_type` one kind of item (team, agent, ...)."""
    query = select(GalleryTemplate)
    if gallery_id is not None:
        query = query.where(GalleryTemplate.gallery_id == gallery_id)
    if component_type is not None:
        query = query.where(GalleryTemplate.component_type == component_type)
    if search and search.strip():
        needle = search.strip()
        query = query.where(
            or_(
                col(GalleryTemplate.label).icontains(needle, autoescape=True),
                col(GalleryTemplate.description).icontains(needle, autoescape=True),
            )
        )
    query = query.order_by(func.lower(GalleryTemplate.label), col(GalleryTemplate.id))
    templates = list(session.exec(query))
    if tag is not None:  # JSON containment differs per database; lists are short
        templates = [t for t in templates if tag in t.tags]
    return templates


def delete_template(session: Session, template: GalleryTemplate) -> None:
    session.delete(template)
    session.flush()


__all__ = [
    "add_template",
    "delete_gallery",
    "delete_template",
    "get_gallery",
    "get_gallery_by_id",
    "get_template",
    "list_galleries",
    "list_templates",
    "upsert_gallery",
]
