"""A bureau's first day: its county (or city) from the official codes, down to villages, in one step."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Division
from desktop.cli import main
from desktop.profile import load_profile


def _kinds(db) -> dict[str, int]:
    with db.session() as s:
        return dict(s.execute(select(Division.kind, func.count()).group_by(Division.kind)).all())


def test_a_county_is_set_up_with_its_townships_and_villages(db, capsys):
    assert main(["setup", "--division", "430922", "--db", db.target]) == 0
    assert "桃江县（430922）" in capsys.readouterr().out
    kinds = _kinds(db)
    assert kinds.pop("county") == 1
    assert kinds.get("township", 0) + kinds.pop("street", 0) == 15  # the 2023 list's 15 townships
    assert kinds.pop("village") + kinds.pop("community") == 247  # and its 247 villages and communities
    with db.session() as s:
        assert load_profile(s).area_name == "桃江县"
        county = s.scalar(select(Division).where(Division.kind == "county"))
        assert county.code == "430922000000" and county.parent_id is None
        township = s.scalar(select(Division).where(Division.parent_id == county.id).order_by(Division.code).limit(1))
        village = s.scalar(select(Division).where(Division.parent_id == township.id).order_by(Division.code).limit(1))
        assert village.code.startswith(township.code[:9]) and len(village.code) == 12
        assert not village.name.endswith(("村民委员会", "居民委员会"))  # the name the ledgers use


def test_a_city_gets_all_its_counties(db, capsys):
    assert main(["setup", "--division", "4309", "--db", db.target]) == 0
    kinds = _kinds(db)
    assert kinds["city"] == 1 and kinds["county"] == 8
    with db.session() as s:
        assert load_profile(s).area_name == "益阳市"


def test_a_city_without_counties_keeps_one_division_per_code(db, capsys):
    """东莞市's towns hang from a county-level row with the city's own code: stored once."""
    assert main(["setup", "--division", "4419", "--db", db.target]) == 0
    kinds = _kinds(db)
    assert kinds["city"] == 1 and "county" not in kinds and kinds["township"] + kinds["street"] > 30


def test_a_database_with_divisions_is_refused_and_left_alone(demo_db, capsys):
    before = _kinds(demo_db)
    assert main(["setup", "--division", "430922", "--db", demo_db.target]) == 2
    err = capsys.readouterr().err
    assert "本数据库已有" in err and "未作改动" in err
    assert _kinds(demo_db) == before


def test_an_unknown_code_is_one_sentence_and_makes_no_file(tmp_path, capsys):
    target = tmp_path / "新县.db"
    assert main(["setup", "--division", "999999", "--db", str(target)]) == 2
    assert "找不到区划代码“999999”" in capsys.readouterr().err
    assert not target.exists()
