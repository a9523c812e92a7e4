import json
import shutil
from pathlib import Path

from studio.services.gallery import BUILT_IN, seed_gallery_once
from studio.settings import Settings
from studio.store import galleries, make_engine, migrate, session

GALLERY = Path(__file__).resolve().parents[2] / "gallery"


def setup(tmp_path: Path) -> tuple[Settings, object]:
    gallery_dir = tmp_path / "gallery"
    shutil.copytree(GALLERY, gallery_dir)
    settings = Settings(home=tmp_path / "home", gallery_dir=gallery_dir)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return settings, engine


def keys(engine) -> list[str]:
    with session(engine) as db:
        return [t.key for t in galleries.list_templates(db)]


def test_seeds_the_shipped_templates_once(tmp_path):
    settings, engine = setup(tmp_path)
    shipped = sorted(p.stem for p in GALLERY.glob("*.json"))
    assert seed_gallery_once(engine, settings) == len(shipped)
    assert sorted(keys(engine)) == shipped
    assert seed_gallery_once(engine, settings) == 0
    with session(engine) as db:
        assert galleries.get_gallery(db, BUILT_IN) is not None


def test_a_deleted_template_does_not_come_back_but_new_ones_arrive(tmp_path):
    settings, engine = setup(tmp_path)
    seed_gallery_once(engine, settings)
    with session(engine) as db:
        first = galleries.list_templates(db)[0]
        deleted = first.key
        galleries.delete_template(db, first)
    (settings.gallery_dir / "zz-new.json").write_text((GALLERY / "writer-critic.json").read_text())
    assert seed_gallery_once(engine, settings) == 1
    assert deleted not in keys(engine) and "zz-new" in keys(engine)


def test_invalid_files_are_skipped_and_logged(tmp_path, caplog):
    settings, engine = setup(tmp_path)
    (settings.gallery_dir / "broken.json").write_text("{not json")
    (settings.gallery_dir / "agent.json").write_text(json.dumps({"provider": "UserProxyAgent", "config": {"name": "u"}}))
    seed_gallery_once(engine, settings)
    assert "broken" not in keys(engine) and "agent" not in keys(engine)
    assert "broken.json skipped" in caplog.text and "agent.json skipped" in caplog.text
