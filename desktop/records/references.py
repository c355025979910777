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

from db.models import Facility, KeyTask, Project, StaffMember
from desktop.division_tree import VILLAGE_KINDS, DivisionTree
from desktop.records.fields import normalise_text
from desktop.validators import InvalidValue, mask_id_number, shorten


def _shortest_unique(forms: dict[int, list[str]], table: dict[str, list[int]]) -> dict[int, str]:
    return {i: next((f for f in fs if table[normalise_text(f)] == [i]), fs[-1]) for i, fs in forms.items()}


class Lookups:
    """Names resolved to records of one session, each kind read once and only when first needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._extra: dict[str, dict[str, list[int]]] = {"project": {}, "task": {}, "facility": {}}

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

    def division_kind(self, division_id: int) -> tuple[str, str]:
        row = self.tree.rows[division_id]
        return row.kind, row.name

    def missing_reason(self, ref: str, text: str) -> str | None:
        """Why a person written as "姓名/身份证号码" is not found: the number is someone else's, or no one's (the
        number masked in what is said)."""
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
        registered = self.session.get(StaffMember, ids[0]).name
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
            }[ref]
            raise InvalidValue(f"“{shorten(text)}”有 {len(ids)} 个同名记录，请写成{how}以区分")
        return ids[0] if ids else None
