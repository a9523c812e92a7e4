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


def test_gallery_kind_meta_and_item_columns(db: Session, writer_critic: dict) -> None:
    gallery = upsert_gallery(db, name="mine", kind="user", url="https://x/g.json", meta={"author": "me"})
    assert (gallery.kind, gallery.url, gallery.meta) == ("user", "https://x/g.json", {"author": "me"})
    assert upsert_gallery(db, name="plain").kind == "imported" and get_gallery(db, "plain").url == ""
    team = add_template(db, gallery_id=gallery.id, key="t", component=writer_critic, trusted=True,
                        demo={"demo": True, "models": {"writer": []}})
    tool = add_template(db, gallery_id=gallery.id, key="tool", component={"provider": "x"}, label="Calc",
                        component_type="tool", unsupported="provider: unknown provider 'x'")
    db.commit()
    db.expire_all()
    team, tool = get_template(db, team.id), get_template(db, tool.id)
    assert (team.component_type, team.unsupported, team.trusted) == ("team", "", True)
    assert team.demo == {"demo": True, "models": {"writer": []}}
    assert (tool.component_type, tool.trusted, tool.demo) == ("tool", False, None)
    assert tool.unsupported.startswith("provider:")
    assert [t.key for t in list_templates(db, component_type="tool")] == ["tool"]
    assert [t.key for t in list_templates(db, gallery_id=gallery.id, component_type="team")] == ["t"]
