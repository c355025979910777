"""The change history names what changed in the fields' own words: a facility's equipment and service area, a
project's planned investment, a person's training (deleted or not), never a program's key or a bare number."""

from __future__ import annotations

import datetime as dt

from desktop.history import changes_between, record_history
from desktop.records.editing import create_record, delete_record, update_record
from desktop.records.types import FACILITY, TRAINING
from tests.factories import World


def test_parts_and_a_persons_training_are_named_in_the_history(db):
    with db.session() as s:
        w = World(s)
        clinic = w.add_facility("新村卫生室", "village_clinic")
        person = w.add_person(clinic, category="village_doctor")
        village = w.add_village("新村村").id
        s.commit()
        changes = {"equipment_dr": 2, "service_area": [village]}
        update_record(s, FACILITY, clinic.id, changes, user="测试")
        training = create_record(
            s,
            TRAINING,
            {"staff_id": person.id, "kind": "on_post", "start_date": "2026-03-02", "end_date": "2026-03-06", "days": 5},
            user="测试",
        )
        s.commit()
        update_record(s, TRAINING, training.id, {"days": 4, "end_date": "2026-03-05"}, user="测试")
        s.commit()
        delete_record(s, TRAINING, training.id, user="测试")
        s.commit()
        facility_entries = record_history(s, "facilities", clinic.id)
        everything = changes_between(s, dt.datetime(2000, 1, 1))
        name = person.name
    labels = {label for e in facility_entries for label, _old, _new in e.changes}
    assert "DR" in labels and "equipment_dr" not in labels
    dr = next(e for e in facility_entries for label, *_ in e.changes if label == "DR")
    assert ("DR", "0", "2") in dr.changes
    area = next(c for e in facility_entries for c in e.changes if c[0] == "服务范围")
    assert area[2] == "新村村"  # the village's name, not its number
    trainings = [e for e in everything if e.table_name == "trainings"]
    assert {e.action for e in trainings} == {"新增", "修改", "删除"}
    assert all(e.record == f"{name}（2026-03-02）" for e in trainings)
    shown = {label for e in trainings for label, *_ in e.changes}
    assert "人员" in shown and "staff_id" not in shown


def test_the_county_profile_and_a_sheets_form_block_are_named_in_the_history(db):
    from desktop.profile import save_form_block, save_profile

    with db.session() as s:
        given = {"bureau_name": "桃江县卫生健康局", "head_of_unit": "张三", "preparer": None, "phone": None}
        assert save_profile(s, **given, user="测试") == {}
        assert save_form_block(s, "beds", {"form_number": "卫健统3表", "valid_until": "2027年12月"}, user="测试") == {}
        s.commit()
        entries = {e.table_name: e for e in changes_between(s, None)}
    profile, block = entries["county_profile"], entries["form_blocks"]
    assert profile.record == "县域信息" and "填报单位：（空） → 桃江县卫生健康局" in profile.summary
    assert block.record == "床位配置核查表"
    assert block.summary.startswith("报表：（空） → 床位配置核查表；表号：（空） → 卫健统3表")
    assert "_" not in profile.summary + block.summary  # no program key
