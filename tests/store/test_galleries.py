"""Galleries and their templates."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from studio.store import (
    Gallery,
    add_template,
    delete_gallery,
    delete_template,
    get_gallery,
    get_template,
    list_galleries,
    list_templates,
    upsert_gallery,
)


def test_upsert_gallery_creates_then_updates(db: Session) -> None:
    gallery = upsert_gallery(db, name="default", description="Built in", source="/gallery")
    again = upsert_gallery(db, name="default", description="Shipped", source="/x")
    assert again.id == gallery.id and again.description == "Shipped"
    assert [g.name for g in list_galleries(db)] == ["default"]
    assert get_gallery(db, "missing") is None


def test_gallery_names_are_unique(db: Session) -> None:
    db.add(Gallery(name="dup"))
    db.add(Gallery(name="dup"))
    with pytest.raises(IntegrityError):
        db.flush()


def test_templates_add_replace_list_search_and_delete(db: Session, writer_critic: dict) -> None:
    gallery = upsert_gallery(db, name="default")
    first = add_template(db, gallery_id=gallery.id, key="writer-critic", component=writer_critic,
                         tags=["writing", "offline"])
    add_template(db, gallery_id=gallery.id, key="other", component={}, label="Another", tags=["x"])
    assert (first.label, first.tags) == ("Writer and critic", ["writing", "offline"])
    replaced = add_template(db, gallery_id=gallery.id, key="writer-critic", component=writer_critic,
                            label="Writer & critic")
    assert replaced.id == first.id and replaced.tags == []
    db.commit()
    db.expire_all()
    assert [t.label for t in list_templates(db, gallery_id=gallery.id)] == ["Another", "Writer & critic"]
    assert [t.key for t in list_templates(db, search="DRAFTS")] == ["writer-critic"]
    assert [t.key for t in list_templates(db, tag="x")] == ["other"]
    assert get_template(db, first.id).component == writer_critic
    delete_template(db, get_template(db, first.id))
    db.commit()
    assert get_template(db, first.id) is None
    assert [t.key for t in list_templates(db)] == ["other"]


def test_deleting_a_gallery_deletes_its_templates(db: Session) -> None:
    gallery = upsert_gallery(db, name="g")
    template = add_template(db, gallery_id=gallery.id, key="k", component={})
    db.commit()
    delete_gallery(db, gallery)
    db.commit()
    assert get_template(db, template.id) is None
    assert list_templates(db) == []
