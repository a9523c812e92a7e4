"""The built-in gallery (services/gallery.py): seeding the shipped templates once, and their demo recordings."""

import json
import shutil
from pathlib import Path

from studio.services.gallery import BUILT_IN, read_demo, seed_gallery_once
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
    """The keys of the seeded team templates."""
    with session(engine) as db:
        return [t.key for t in galleries.list_templates(db, component_type="team")]


def shipped_components() -> list[str]:
    return sorted(f"{p.parent.name}/{p.stem}" for p in (GALLERY / "components").glob("*/*.json"))


def test_seeds_the_shipped_templates_once(tmp_path):
    settings, engine = setup(tmp_path)
    shipped = sorted(p.stem for p in (GALLERY / "teams").glob("*.json"))
    assert len(shipped) >= 12
    assert seed_gallery_once(engine, settings) == len(shipped) + len(shipped_components())
    assert sorted(keys(engine)) == shipped
    assert seed_gallery_once(engine, settings) == 0
    with session(engine) as db:
        built_in = galleries.get_gallery(db, BUILT_IN)
        assert built_in is not None and built_in.kind == "built-in" and built_in.meta["author"] == "Studio"
        template = next(t for t in galleries.list_templates(db) if t.key == "travel-swarm")
        assert "swarm" in template.tags and "tags" not in template.component
        assert template.trusted and template.demo is not None and "triage_agent" in template.demo["models"]
        components = [t for t in galleries.list_templates(db) if t.component_type != "team"]
        assert sorted(t.key for t in components) == shipped_components()
        assert all(t.key.split("/")[0] == t.component_type + "s" and t.trusted for t in components)
        assert sorted(t.key for t in galleries.list_templates(db, tag="graph")) == [
            "content-pipeline", "parallel-review", "review-loop"]


def test_a_deleted_template_does_not_come_back_but_new_ones_arrive(tmp_path):
    settings, engine = setup(tmp_path)
    seed_gallery_once(engine, settings)
    with session(engine) as db:
        first = galleries.list_templates(db, component_type="team")[0]
        deleted = first.key
        galleries.delete_template(db, first)
    (settings.gallery_dir / "teams" / "zz-new.json").write_text((GALLERY / "teams" / "writer-critic.json").read_text())
    assert seed_gallery_once(engine, settings) == 1
    assert deleted not in keys(engine) and "zz-new" in keys(engine)


def test_invalid_files_are_skipped_and_logged(tmp_path, caplog):
    settings, engine = setup(tmp_path)
    (settings.gallery_dir / "teams" / "broken.json").write_text("{not json")
    (settings.gallery_dir / "teams" / "agent.json").write_text(json.dumps({"provider": "UserProxyAgent", "config": {"name": "u"}}))
    seed_gallery_once(engine, settings)
    assert "broken" not in keys(engine) and "agent" not in keys(engine)
    assert "broken.json skipped" in caplog.text and "agent.json skipped" in caplog.text


def test_read_demo_returns_the_shipped_recording_or_none(tmp_path):
    settings, _ = setup(tmp_path)
    demo = read_demo(settings, "travel-swarm")
    assert demo is not None and demo["demo"] is True and "triage_agent" in demo["models"]
    assert read_demo(settings, "no-such-template") is None
    assert read_demo(settings, "../teams/travel-swarm") is None
    (settings.gallery_dir / "demos" / "bad.json").write_text("[1, 2")
    assert read_demo(settings, "bad") is None


def test_the_mcp_template_finds_its_server_wherever_the_gallery_is(tmp_path):
    """A relative `cwd` (`gallery/mcp`) becomes the shipped server's directory beside the gallery it was seeded
    from, and is trusted as seeded: its demo runs from the database."""
    from studio.services import trust

    settings, engine = setup(tmp_path)
    seed_gallery_once(engine, settings)
    with session(engine) as db:
        template = next(t for t in galleries.list_templates(db) if t.key == "mcp-unit-converter")
        bench = template.component["config"]["participants"][0]["config"]["workbench"][0]
        cwd = Path(bench["config"]["server_params"]["cwd"])
        assert cwd == (tmp_path / "gallery" / "mcp").resolve() and (cwd / "unit_converter.py").is_file()
        assert template.trusted and trust.trust_problems(db, template.component) == []
