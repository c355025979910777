"""The one place that turns the names a clerk types into records, and records into the names files show.

A form's drop-down, a template's list, an import's cell and a filled template all go through ``Lookups``.
Where names repeat (villages from township to township; streets, their CHSCs and projects from county to
county) a longer form finds the record: "乡镇/村", "县/乡镇/村", "县/机构名称", "建设单位/项目名称". The names
files show are the shortest form that is unique. A person is found by their ID number, whole or as exported
masked (110105********002X) where the masked form is unique.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Facility, KeyTask, Plan, Project, StaffMember
from desktop.division_tree import VILLAGE_KINDS, DivisionTree
from desktop.records.fields import normalise_text
from desktop.validators import InvalidValue, mask_id_number, shorten

# What a name is called after its place: a facility's kind, then a division's. What is left (桃源 of 桃源镇中心卫生院
# and of 桃源卫生院) is the place itself, which a name written shorter or longer keeps.
_FACILITY_ENDINGS = sorted(
    (
        "社区卫生服务中心 社区卫生服务站 卫生服务中心 卫生服务站 中心卫生院 卫生院 卫生室 卫生所 医务室 诊所 "
        "人民医院 中医医院 中医院 医院 妇幼保健院 妇幼保健计划生育服务中心 疾病预防控制中心 疾控中心 中心"
    ).split(),
    key=len,
    reverse=True,
)
_DIVISION_ENDINGS = sorted(
    "街道办事处 村民委员会 居民委员会 村委会 居委会 街道 社区 镇 乡 村 县 区 市".split(), key=len, reverse=True
)


_NameIndex = dict[str, dict[str, list[int]]]  # a place -> name -> ids
_StartBucket = tuple[dict[int, set[str]], dict[str, set[str]]]  # names by length, and by a character they hold


def _place_of(name: str) -> str:
    """A name without the words that say what kind of facility or division it is."""
    for endings in (_FACILITY_ENDINGS, _DIVISION_ENDINGS):
        for ending in endings:
            if name.endswith(ending) and len(name) - len(ending) >= 2:  # 新村村 is 新村's, 新村 stays 新村
                name = name[: -len(ending)]
                break
    return name


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _closeness(typed: str, name: str) -> tuple[int, int, int]:
    """How near a name is to the one typed, smaller nearer: one written inside the other first, then the longer
    common beginning, then the nearer length."""
    short, long = sorted((typed, name), key=len)
    prefix = next((i for i, (a, b) in enumerate(zip(typed, name, strict=False)) if a != b), min(len(typed), len(name)))
    return (0 if _is_subsequence(short, long) else 1, -prefix, abs(len(typed) - len(name)))


def _shortest_unique(forms: dict[int, list[str]], table: dict[str, list[int]]) -> dict[int, str]:
    return {i: next((f for f in fs if table[normalise_text(f)] == [i]), fs[-1]) for i, fs in forms.items()}


class Lookups:
    """Names resolved to records of one session, each kind read once and only when first needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._extra: dict[str, dict[str, list[int]]] = {"project": {}, "task": {}, "facility": {}}
        self._proposed: dict[tuple[str, str], list[str]] = {}

    @cached_property
    def tree(self) -> DivisionTree:
        return DivisionTree.read(self.session)

    @cached_property
    def _divisions(self) -> tuple[dict[str, list[int]], dict[int, str]]:
        tree = self.tree
        table: dict[str, list[int]] = {}
        forms: dict[int, list[str]] = {}
        for r in tree.rows.values():
            names_up = tree.names_up(r.id)
            fs = ["/".join(reversed(names_up[:k])) for k in range(1, len(names_up) + 1)]
            village = r.kind in VILLAGE_KINDS
            forms[r.id] = fs[1:] if village and len(fs) > 1 else fs  # a village is written with its township
            for form in fs:
                table.setdefault(normalise_text(form), []).append(r.id)
        # A name typed finds the division in force: one withdrawn (merged, or gone from the official list) only
        # where no division in force has that name.
        for key, ids in table.items():
            live = [i for i in ids if tree.rows[i].withdrawn_on is None]
            if live:
                table[key] = live
        return table, _shortest_unique(forms, table)

    @cached_property
    def _facilities(self) -> tuple[dict[str, list[int]], dict[int, str]]:
        table: dict[str, list[int]] = {}
        forms: dict[int, list[str]] = {}
        query = select(Facility.id, Facility.name, Facility.division_id, Facility.status)
        closed = set()
        for fid, name, division_id, status in self.session.connection().execute(query).all():
            forms[fid] = self.facility_forms(name, division_id)
            for form in forms[fid]:
                table.setdefault(normalise_text(form), []).append(fid)
            if status == "closed":
                closed.add(fid)
        # A name finds the facility in service: a closed one (kept, never deleted) only where none in service
        # bears it, so a clinic re-opened under its old name can be named.
        for key, ids in table.items():
            open_ = [i for i in ids if i not in closed]
            if open_:
                table[key] = open_
        return table, _shortest_unique(forms, table)

    def facility_forms(self, name: str, division_id: int | None) -> list[str]:
        """The names a facility may be written by: its own, then with its township, its county, or both."""
        township = self.tree.township_name(division_id)
        county = self.tree.county_name(division_id)
        out = [name] + [f"{a}/{name}" for a in (township, county) if a]
        if county and township:
            out.append(f"{county}/{township}/{name}")
        return out

    @cached_property
    def _projects(self) -> tuple[dict[str, list[int]], dict[int, str]]:
        table: dict[str, list[int]] = {}
        forms: dict[int, list[str]] = {}
        builder = self.facility_label
        for pid, name, facility_id in self.session.execute(select(Project.id, Project.name, Project.facility_id)):
            forms[pid] = [name, f"{builder.get(facility_id, '')}/{name}"]
            for form in forms[pid]:
                table.setdefault(normalise_text(form), []).append(pid)
        return table, _shortest_unique(forms, table)

    @cached_property
    def _tasks(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for tid, ledger, number in self.session.execute(select(KeyTask.id, KeyTask.ledger, KeyTask.number)):
            table.setdefault(normalise_text(f"{ledger}/{number}"), []).append(tid)
        return table

    @cached_property
    def _plans(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for pid, name in self.session.execute(select(Plan.id, Plan.name)):
            table.setdefault(normalise_text(name), []).append(pid)
        return table

    @property
    def plan_label(self) -> dict[int, str]:
        return {pid: name for pid, name in self.session.execute(select(Plan.id, Plan.name))}

    @cached_property
    def _staff(self) -> dict[str, list[int]]:
        # A masked number alone is not enough: a county's people share the first six digits, and the last four
        # repeat among a few thousand. With the name it is, nearly always.
        table: dict[str, list[int]] = {}
        rows = self.session.connection().execute(select(StaffMember.id, StaffMember.name, StaffMember.id_number))
        for sid, name, number in rows:
            name = normalise_text(name)
            for form in (number, name, f"{name}/{number}", f"{name}/{mask_id_number(number)}"):
                table.setdefault(form, []).append(sid)
        return table

    def staff_label(self, *, unmask: bool = False) -> dict[int, str]:
        """People as files show them: "姓名/身份证号码", the number masked unless asked."""
        rows = self.session.connection().execute(select(StaffMember.id, StaffMember.name, StaffMember.id_number))
        return {sid: f"{name}/{number if unmask else mask_id_number(number)}" for sid, name, number in rows}

    @property
    def task_label(self) -> dict[int, str]:
        rows = self.session.connection().execute(select(KeyTask.id, KeyTask.ledger, KeyTask.number))
        return {tid: f"{ledger}/{number}" for tid, ledger, number in rows}

    def labels(self, ref: str, *, unmask: bool = False) -> dict[int, str]:
        """Every record of a kind by the name files show it under."""
        if ref == "staff":
            return self.staff_label(unmask=unmask)
        return {
            "facility": lambda: self.facility_label,
            "division": lambda: self.division_label,
            "project": lambda: self.project_label,
            "task": lambda: self.task_label,
            "plan": lambda: self.plan_label,
        }[ref]()

    @property
    def division_label(self) -> dict[int, str]:
        return self._divisions[1]

    @property
    def facility_label(self) -> dict[int, str]:
        return self._facilities[1]

    @property
    def project_label(self) -> dict[int, str]:
        return self._projects[1]

    def add_placeholder(self, ref: str, values: dict[str, Any], placeholder: int) -> None:
        """A record that is new in the file being imported, so other rows (a clinic's managing centre) or its
        progress reports can name it."""
        if ref == "facility" and values.get("name"):  # by every form its place gives it, as a stored one
            for form in self.facility_forms(values["name"], values.get("division_id")):
                self._extra[ref].setdefault(normalise_text(form), []).append(placeholder)
        elif ref == "project" and values.get("name"):
            self._extra[ref].setdefault(normalise_text(values["name"]), []).append(placeholder)
        elif ref == "task" and values.get("ledger"):
            key = normalise_text(f"{values['ledger']}/{values['number']}")
            self._extra["task"].setdefault(key, []).append(placeholder)

    @cached_property
    def _names_by_place(self) -> dict[str, tuple[_NameIndex, dict[str, _StartBucket]]]:
        """For facilities in service and divisions in force, read once for every unknown name a file brings:
        place (``_place_of``) -> name -> ids; and by a name's first two characters, its names by length and the
        names holding each character."""
        out: dict[str, tuple[_NameIndex, dict[str, _StartBucket]]] = {}
        facilities = select(Facility.id, Facility.name).where(Facility.status != "closed")
        divisions = [(r.id, r.name) for r in self.tree.rows.values() if r.withdrawn_on is None]
        for ref, rows in (("facility", self.session.connection().execute(facilities).all()), ("division", divisions)):
            by_place: _NameIndex = {}
            by_start: dict[str, _StartBucket] = {}
            for rid, name in rows:
                name = normalise_text(name)
                by_place.setdefault(_place_of(name), {}).setdefault(name, []).append(rid)
                by_length, by_char = by_start.setdefault(name[:2], ({}, {}))
                by_length.setdefault(len(name), set()).add(name)
                for char in set(name[2:]):
                    by_char.setdefault(char, set()).add(name)
            out[ref] = by_place, by_start
        return out

    def proposals(self, ref: str, text: str) -> list[str]:
        """Up to 3 names, as files show them, of facilities or divisions whose name is plausibly the one typed
        written shorter or longer (桃源卫生院 for 桃源镇卫生院, 石坪 for 石坪村), nearest first; none when the text
        itself names a record. Never taken for the record: the clerk is asked."""
        if ref not in ("facility", "division"):
            return []
        key = (ref, normalise_text(text).replace("／", "/"))
        if key not in self._proposed:
            self._proposed[key] = self._propose(ref, key[1])
        return self._proposed[key]

    def _propose(self, ref: str, text: str) -> list[str]:
        try:
            if self(ref, text) is not None:
                return []
        except InvalidValue:  # several records bear it: the message says how to tell them apart
            return []
        typed = text.rpartition("/")[2]
        place = _place_of(typed)
        if len(typed) < 2 or len(place) < 2:
            return []
        by_place, by_start = self._names_by_place[ref]
        names = set(by_place.get(place, {})) - {typed}
        if not names and typed[:2] in by_start:  # no place in common: one name written inside the other
            by_length, by_char = by_start[typed[:2]]
            shorter = {n for k in range(max(3, -(-len(typed) // 3)), len(typed)) for n in by_length.get(k, ())}
            chars = sorted((by_char.get(c, set()) for c in set(typed[2:])), key=len)
            longer = set.intersection(*chars) if chars else set().union(*by_length.values())
            longer = {n for n in longer if len(typed) < len(n) <= 3 * len(typed)}
            names = {n for n in shorter if _is_subsequence(n, typed)} | {
                n for n in longer if len(typed) >= 3 and _is_subsequence(typed, n)
            }
        found = {name: by_place[_place_of(name)][name] for name in names}
        labels = self.labels(ref)
        ranked = sorted(found, key=lambda name: (_closeness(typed, name), name))
        out: list[str] = []
        for name in ranked:
            for rid in found[name]:
                if rid in labels and labels[rid] not in out:
                    out.append(labels[rid])
        return out[:3]

    def division_kind(self, division_id: int) -> tuple[str, str]:
        row = self.tree.rows[division_id]
        return row.kind, row.name

    def missing_reason(self, ref: str, text: str) -> str | None:
        """Why a name finds no record. A facility or division: the names it was plausibly meant for, asked about,
        never taken. A person written as "姓名/身份证号码": the number is someone else's, or no one's (the number
        masked in what is said)."""
        if ref in ("facility", "division"):
            meant = self.proposals(ref, text)
            if not meant:
                return None
            what = "机构" if ref == "facility" else "行政区划"
            quoted = [f"“{m}”" for m in meant]
            asked = f"是否指{quoted[0]}" if len(quoted) == 1 else f"是指{'、'.join(quoted[:-1])}还是{quoted[-1]}"
            return f"找不到名为“{shorten(normalise_text(text))}”的{what}：{asked}？请改为登记的名称"
        if ref != "staff":
            return None
        name, _slash, number = normalise_text(text).rpartition("/")
        number = number[:-1] + number[-1:].upper()
        if not re.fullmatch(r"\d{17}[\dX]", number):
            return None
        ids = self._staff.get(number, [])
        shown = mask_id_number(number)
        if not ids:
            return f"没有登记身份证号码为 {shown} 的人员：请核对号码，或先在人员中登记此人"
        person = self.session.get(StaffMember, ids[0])
        registered = person.name if person is not None else ""
        if name and normalise_text(registered) != name:
            return f"身份证号码 {shown} 登记的姓名是“{registered}”，与“{shorten(name)}”不符：请核对姓名或号码"
        return None

    def __call__(self, ref: str, text: str) -> int | None:
        table = {
            "facility": lambda: self._facilities[0],
            "division": lambda: self._divisions[0],
            "project": lambda: self._projects[0],
            "task": lambda: self._tasks,
            "staff": lambda: self._staff,
            "plan": lambda: self._plans,
        }[ref]()
        # Keys and text both in NFKC form: 全角 brackets in a ledger or facility name match either way.
        key = normalise_text(text).replace("／", "/")
        if ref == "staff":
            key = key[:-1] + key[-1:].upper()  # a check digit typed as a small x
        ids = table.get(key, []) + self._extra.get(ref, {}).get(key, [])
        if len(ids) > 1:
            how = {
                "facility": "“乡镇/机构名称”或“县/机构名称”",
                "division": "“乡镇/村”或“县/乡镇/村”",
                "project": "“建设单位/项目名称”",
                "task": "“台账名称/序号”",
                "staff": "“姓名/完整的18位身份证号码”",
                "plan": "规划名称",
            }[ref]
            raise InvalidValue(f"“{shorten(text)}”有 {len(ids)} 个同名记录，请写成{how}以区分")
        return ids[0] if ids else None
