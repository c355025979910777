"""Small, explicit records for tests: a county built row by row through the ORM."""

from __future__ import annotations

import datetime as dt
import itertools

from db.models import (
    Division,
    DivisionPopulation,
    Facility,
    FacilityEquipment,
    KeyTask,
    Project,
    ProjectUpdate,
    ServiceArea,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskUpdate,
    Training,
)
from desktop.identifiers import make_id_number


class World:
    """A county with helpers to add what a test needs; every helper flushes and returns the record."""

    def __init__(self, session, *, year: int = 2026) -> None:
        self.s = session
        self.year = year
        self._codes = itertools.count(1)
        self._people = itertools.count(1)
        self.county = self._add(Division(code="539921000000", name="清溪县", kind="county"))
        self.township = self.add_township("桃源镇")

    def _add(self, obj):
        self.s.add(obj)
        self.s.flush()
        return obj

    def add_township(self, name: str, *, remote: bool = False) -> Division:
        n = next(self._codes)
        return self._add(
            Division(
                code=f"539921{100 + n:03d}000", name=name, kind="township", parent_id=self.county.id, remote=remote
            )
        )

    def add_village(
        self,
        name: str,
        resident: int | None = 1000,
        rural: int | None = None,
        *,
        township=None,
        remote: bool = False,
        year: int | None = None,
    ) -> Division:
        township = township or self.township
        n = next(self._codes)
        v = self._add(
            Division(
                code=f"{township.code[:9]}{200 + n:03d}",
                name=name,
                kind="village",
                parent_id=township.id,
                remote=remote,
            )
        )
        if resident is not None:
            self.s.add(
                DivisionPopulation(
                    division_id=v.id,
                    year=year or self.year,
                    resident=resident,
                    rural=resident if rural is None else rural,
                )
            )
            self.s.flush()
        return v

    def add_facility(self, name: str, kind: str, *, division=None, serves=(), equipment=(), **values) -> Facility:
        f = self._add(Facility(name=name, kind=kind, division_id=(division or self.township).id, **values))
        for v in serves:
            self.s.add(ServiceArea(facility_id=f.id, division_id=v.id))
        for item in equipment:
            self.s.add(FacilityEquipment(facility_id=f.id, item=item, quantity=1))
        self.s.flush()
        return f

    def add_centre(self, beds: int, rural: int, *, kind: str = "thc", name: str = "桃源镇卫生院", **values) -> Facility:
        village = self.add_village(f"{name}服务村", resident=rural, rural=rural)
        return self.add_facility(name, kind, serves=[village], open_beds=beds, **values)

    def add_person(
        self, facility, *, category: str = "physician", birth: dt.date = dt.date(1980, 5, 1), sex: str = "M", **values
    ) -> StaffMember:
        number = make_id_number("539921", birth, sex, next(self._people))
        values.setdefault("employment_form", "establishment")
        return self._add(
            StaffMember(
                name=f"测试{number[-4:]}",
                sex=sex,
                id_number=number,
                birth_date=birth,
                facility_id=facility.id,
                category=category,
                **values,
            )
        )

    def add_training(self, person, start: dt.date, days: int, kind: str = "on_post") -> Training:
        return self._add(
            Training(
                staff_id=person.id, kind=kind, start_date=start, end_date=start + dt.timedelta(days=days - 1), days=days
            )
        )

    def add_loan(self, person, start: dt.date, end: dt.date | None) -> StaffLoan:
        return self._add(
            StaffLoan(
                staff_id=person.id,
                from_facility_id=person.facility_id,
                to_unit="清溪县人民医院",
                start_date=start,
                end_date=end,
            )
        )

    def add_project(self, facility, start: dt.date, end: dt.date, *, updates=(), **values) -> Project:
        values.setdefault("kind", "extension")
        values.setdefault("lead_unit", "清溪县卫生健康局")
        p = self._add(
            Project(
                name=f"{facility.name}改扩建项目",
                facility_id=facility.id,
                planned_start=start,
                planned_completion=end,
                **values,
            )
        )
        for day, stage, progress in updates:
            self.s.add(ProjectUpdate(project_id=p.id, date=day, stage=stage, progress=progress, investment_completed=0))
        self.s.flush()
        return p

    def add_task(self, deadline: dt.date | None, *, status: str = "in_progress", updates=(), **values) -> KeyTask:
        n = next(self._codes)
        values.setdefault("lead_unit", "县卫生健康局")
        t = self._add(
            KeyTask(ledger="测试台账", number=f"（{n}）", title=f"任务{n}", deadline=deadline, status=status, **values)
        )
        for day, st in updates:
            self.s.add(TaskUpdate(task_id=t.id, date=day, status=st, note="推进中"))
        self.s.flush()
        return t

    def add_fund(self, facility, amount: float, year: int | None = None) -> SpecialFund:
        return self._add(SpecialFund(facility_id=facility.id, year=year or self.year, amount=amount))


def fill_staff_rows(ws, n: int, facility: str) -> None:
    """Fill n valid new people into an opened staff template's data sheet."""
    from desktop.excel.templates import FIRST_DATA_ROW
    from desktop.identifiers import make_id_number

    headers = [c.value for c in ws[1]]

    def put(row, label, value):
        ws.cell(row=row, column=headers.index(label) + 1, value=value)

    for i in range(n):
        row = FIRST_DATA_ROW + i
        put(row, "姓名*", f"新员工{i}")
        put(row, "身份证号码*", make_id_number("530102", dt.date(1990, 1, 1) + dt.timedelta(days=i), "MF"[i % 2], i))
        put(row, "工作单位*", facility)
        put(row, "人员类别*", "注册护士")
        put(row, "专业技术职称*", "初级（师）")
        put(row, "用工形式*", "编外")
        put(row, "在岗状态*", "在岗")
        put(row, "参加工作日期", "2015/9/1" if i % 3 else "2015.09")
