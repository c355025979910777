"""A bureau's first day: its county (or city) from the official codes, down to villages, in one step."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Change, Division
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


# --- setup --update: the divisions brought to a newer edition ---------------------------------------------------


def _set_up_and_age(db):
    """桃江县 as set up, then changed as an older edition would differ from the list: one village under an older
    name, one the older edition lacked, and one the newer list no longer has (with a clinic pointing to it)."""
    from db.models import Facility
    from desktop.division_setup import set_up_area

    set_up_area(db, "430922", user="老王")
    with db.session() as s:
        township = s.scalar(select(Division).where(Division.kind == "township").order_by(Division.code).limit(1))
        first, second = s.scalars(
            select(Division).where(Division.parent_id == township.id).order_by(Division.code).limit(2)
        ).all()
        renamed = (first.code, first.name)
        first.name = "旧名村"
        missing = (second.code, second.name)
        s.delete(second)
        gone = Division(code=township.code[:9] + "999", name="已撤村", kind="village", parent_id=township.id)
        s.add(gone)
        s.flush()
        s.add(
            Facility(
                name="已撤村卫生室", kind="village_clinic", division_id=gone.id, ownership="public", status="operating"
            )
        )
        s.commit()
        return township.name, renamed, missing, gone.id


def test_an_update_adds_renames_and_withdraws_what_the_list_says(db, capsys):
    import datetime as dt

    township, (renamed_code, name), (missing_code, missing_name), gone_id = _set_up_and_age(db)
    before = _kinds(db)
    code = main(["setup", "--division", "430922", "--db", db.target, "--update"])
    out = capsys.readouterr().out
    assert code == 0
    assert "新增 1 个" in out and f"{township}/{missing_name}" in out
    assert f"更名 1 个（旧名村→{name}）" in out
    assert "撤销 1 个" in out and "已撤村" in out and "没有删除" in out
    with db.session() as s:
        assert s.scalar(select(Division).where(Division.code == renamed_code)).name == name
        assert s.scalar(select(Division).where(Division.code == missing_code)).name == missing_name
        gone = s.get(Division, gone_id)  # a clinic points to it: kept, marked
        assert gone.withdrawn_on == dt.date.today()
        assert s.scalar(select(func.count()).select_from(Division).where(Division.withdrawn_on.is_not(None))) == 1
        history = s.scalars(select(Change).where(Change.table_name == "divisions").order_by(Change.id)).all()
        assert len(history) == 3 and all(c.reason.startswith("按统计用区划代码更新") for c in history)
        assert [c.new_values["code"] for c in history if c.action == "insert"] == [missing_code]
        assert [c.old_values["name"] for c in history if c.old_values and "name" in c.old_values] == ["旧名村"]
        assert [(c.row_id, c.new_values) for c in history if "withdrawn_on" in c.new_values] == [
            (gone_id, {"withdrawn_on": dt.date.today().isoformat()})
        ]
    assert sum(_kinds(db).values()) == sum(before.values()) + 1  # one added, none deleted

    # the same edition again finds nothing to do
    assert main(["setup", "--division", "430922", "--db", db.target, "--update"]) == 0
    assert "没有变化，未作改动" in capsys.readouterr().out


def test_a_withdrawn_division_the_list_names_again_is_restored(db, monkeypatch):
    from desktop import divisions_catalogue as official
    from desktop.division_setup import set_up_area, update_area

    set_up_area(db, "430922", user="老王")
    real_children = official.children
    with db.session() as s:
        village = s.scalar(select(Division).where(Division.kind == "village").order_by(Division.code).limit(1))
        code, name = village.code, village.name
    # an edition without the village, then the list as shipped again
    monkeypatch.setattr(official, "children", lambda row: [c for c in real_children(row) if c.code != code])
    first = update_area(db, "430922", user="老王")
    assert first.withdrawn and not first.added and name in first.withdrawn[0]
    monkeypatch.setattr(official, "children", real_children)
    again = update_area(db, "430922", user="老王")
    assert len(again.restored) == 1 and "恢复 1 个" in again.describe()
    with db.session() as s:
        assert s.scalar(select(Division).where(Division.code == code)).withdrawn_on is None


def test_withdrawn_divisions_are_not_offered_to_new_records(db):
    from desktop.division_setup import set_up_area, update_area
    from desktop.lists import division_choices

    set_up_area(db, "430922", user="老王")
    with db.session() as s:
        township = s.scalar(select(Division).where(Division.kind == "township").order_by(Division.code).limit(1))
        gone = Division(code=township.code[:9] + "999", name="已撤村", kind="village", parent_id=township.id)
        s.add(gone)
        s.commit()
        gone_id = gone.id
    update_area(db, "430922", user="老王")
    with db.session() as s:
        assert gone_id not in dict(division_choices(s))
        kept = dict(division_choices(s, keep=[gone_id]))  # a record pointing to it still shows it
        assert kept[gone_id] == f"{township.name}/已撤村（已撤销）"


def test_without_update_a_set_up_database_is_refused_with_the_way_to_update(db, capsys):
    assert main(["setup", "--division", "430922", "--db", db.target]) == 0
    capsys.readouterr()
    assert main(["setup", "--division", "430922", "--db", db.target]) == 2
    err = capsys.readouterr().err
    assert "未作改动" in err and "--update" in err
