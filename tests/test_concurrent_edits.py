"""Several clerks editing at once: a save based on a record someone else has saved since is refused, showing
the other's change, and nothing is lost. Runs on SQLite and, with ``make test-postgres``, on the server."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from db import open_database
from db.models import Change, Facility
from desktop.records.editing import ConflictError, update_record
from desktop.records.types import FACILITY
from tests.factories import World


def _opened(db, facility_id: int) -> tuple[int, dict]:
    """What a clerk's form holds: the version it was opened at and the values it showed."""
    with db.session() as s:
        record = s.get(Facility, facility_id)
        return record.version, {f.name: getattr(record, f.name) for f in FACILITY.fields}


def _centre(db, beds: int = 20) -> int:
    with db.session() as s:
        centre = World(s).add_centre(beds, 10000)
        s.commit()
        return centre.id


def test_the_second_clerk_to_save_is_refused_with_the_firsts_change_shown(db):
    centre = _centre(db)
    version_a, seen_a = _opened(db, centre)  # 老王 opens the form
    version_b, seen_b = _opened(db, centre)  # 小李 opens it too
    with db.session() as s:
        update_record(s, FACILITY, centre, {"open_beds": 35}, user="小李", expected_version=version_b, seen=seen_b)
        s.commit()
    with db.session() as s, pytest.raises(ConflictError) as refused:
        phone = {"phone": "0871-65123456"}
        update_record(s, FACILITY, centre, phone, user="老王", expected_version=version_a, seen=seen_a)
    conflict = refused.value
    assert "保存被拒绝" in conflict.errors["_conflict"] and "小李于" in conflict.errors["_conflict"]
    assert "已改为“35”（您打开时为“20”）" in conflict.errors["open_beds"]
    assert set(conflict.errors) == {"_conflict", "open_beds"}  # only the field the other clerk changed
    assert conflict.current["open_beds"] == 35 and conflict.version == version_a + 1
    with db.session() as s:  # nothing of 老王's written; 小李's change stands
        record = s.get(Facility, centre)
        assert (record.open_beds, record.phone, record.version) == (35, None, version_a + 1)
        assert s.scalars(select(Change.user).where(Change.table_name == "facilities")).all() == ["小李"]
    # 老王 has seen it: saving again on the record as it is now keeps both changes
    with db.session() as s:
        update_record(
            s, FACILITY, centre, {"phone": "0871-65123456"}, user="老王",
            expected_version=conflict.version, seen=conflict.current,
        )  # fmt: skip
        s.commit()
    with db.session() as s:
        record = s.get(Facility, centre)
        assert (record.open_beds, record.phone) == (35, "0871-65123456")


def test_a_save_that_loses_the_race_between_its_read_and_its_write_is_refused(db):
    """Two sessions read the same version; the one that writes second matches no row and writes nothing."""
    centre = _centre(db)
    slow = db.session()
    try:
        read = slow.get(Facility, centre)  # read (and held), in its own transaction, before the other's write
        assert (read.open_beds, read.version) == (20, 1)
        with db.session() as fast:
            update_record(fast, FACILITY, centre, {"open_beds": 30}, user="小李")
            fast.commit()
        with pytest.raises(ConflictError) as refused:
            update_record(slow, FACILITY, centre, {"open_beds": 25}, user="老王")
        assert refused.value.current["open_beds"] == 30
    finally:
        slow.close()
    with db.session() as s:
        assert s.get(Facility, centre).open_beds == 30
        assert s.scalars(select(Change.user).where(Change.table_name == "facilities")).all() == ["小李"]


CLERKS = 10
EDITS_EACH = 30
DEADLINE_SECONDS = 60


@pytest.mark.postgres_only  # several clerks at once is the server's case; a SQLite file has one writing app
def test_ten_clerks_editing_the_same_records_at_once_lose_no_update(db):
    """Each clerk opens a form, types, saves one more bed; a refused save is opened again and retried, as a
    clerk would. Every save that succeeded is in the record, in order, and in the history; none went missing."""
    with db.session() as s:
        w = World(s)
        ids = [w.add_centre(20, 10000, name=f"{n}号卫生院").id for n in range(4)]  # few records: many collisions
        s.commit()
    saved: Counter[int] = Counter()
    refusals = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + DEADLINE_SECONDS

    def clerk(n: int) -> None:
        rng = random.Random(n)
        done = 0
        own = open_database(db.target)  # each clerk's app, with its own connection to the server
        try:
            while done < EDITS_EACH and time.monotonic() < stop_at:
                facility_id = rng.choice(ids)
                version, seen = _opened(own, facility_id)
                time.sleep(rng.random() * 0.003)  # typing
                with own.session() as s:
                    try:
                        update_record(
                            s, FACILITY, facility_id, {"open_beds": seen["open_beds"] + 1}, user=f"科员{n}",
                            expected_version=version, seen=seen,
                        )  # fmt: skip
                        s.commit()
                    except ConflictError:
                        with lock:
                            refusals[n] += 1
                        continue
                with lock:
                    saved[facility_id] += 1
                done += 1
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(CLERKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_SECONDS + 30)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    assert sum(saved.values()) == CLERKS * EDITS_EACH  # every clerk finished within the deadline
    assert sum(refusals.values()) > 0  # the clerks did collide, and were refused rather than overwritten
    with db.session() as s:
        for facility_id in ids:
            record = s.get(Facility, facility_id)
            assert record.open_beds == 20 + saved[facility_id]  # every saved bed is there
            assert record.version == 1 + saved[facility_id]
            mine = (Change.table_name == "facilities") & (Change.row_id == facility_id)
            history = s.scalars(select(Change).where(mine).order_by(Change.id)).all()
            assert len(history) == saved[facility_id]
            chain = [(c.old_values["open_beds"], c.new_values["open_beds"]) for c in history]
            assert chain == [(20 + i, 21 + i) for i in range(len(chain))]  # each save built on the one before


def test_a_change_of_equipment_alone_moves_the_version_so_an_older_form_is_refused(db):
    """Clerk A sets DR to 2, clerk B (whose form was opened after) to 3; A's form, or A's undo, based on the
    version before both, is refused and names B's change, rather than putting DR back over B's."""
    from desktop.records.editing import ConflictError, update_record
    from desktop.records.types import FACILITY
    from tests.factories import World

    with db.session() as s:
        clinic = World(s).add_facility("甲卫生室", "village_clinic")
        s.commit()
        fid, v0 = clinic.id, clinic.version
    with db.session() as s:
        update_record(s, FACILITY, fid, {"equipment_dr": 2}, user="甲", expected_version=v0)
        s.commit()
        v1 = s.get(type(clinic), fid).version
    assert v1 == v0 + 1
    with db.session() as s:
        update_record(s, FACILITY, fid, {"equipment_dr": 3}, user="乙", expected_version=v1)
        s.commit()
    with db.session() as s:
        try:
            update_record(
                s, FACILITY, fid, {"equipment_dr": 0}, user="甲", expected_version=v1, seen={"equipment_dr": 2}
            )
        except ConflictError as exc:
            assert "DR" in str(exc.errors.get("equipment_dr", "")) or "equipment_dr" in exc.errors
        else:
            raise AssertionError("an older form overwrote a newer change")
    with db.session() as s:
        from db.models import FacilityEquipment

        assert s.query(FacilityEquipment.quantity).filter_by(facility_id=fid, item="dr").scalar() == 3
