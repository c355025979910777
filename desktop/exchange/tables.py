"""What an exchange file carries, table by table, and how a record is known across two databases.

Ids mean nothing in another database, so every reference is written as the referenced record's natural key:
a division by its 12-digit code, a facility by its division's code and its name, a person by ID number, a
project by its facility and name, a task by its ledger and number. Entities (divisions, populations,
facilities, people, projects, tasks) are matched by that key and changed in place, keeping the receiver's
ids and history; their detail rows (trainings, equipment, progress reports …) follow the file as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.models import (
    Division,
    DivisionPopulation,
    Facility,
    FacilityEquipment,
    KeyTask,
    Project,
    ProjectFunding,
    ProjectUpdate,
    ServiceArea,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskCooperatingUnit,
    TaskUpdate,
    Training,
)


@dataclass(frozen=True)
class Spec:
    table: str
    model: type
    label: str
    key: tuple[str, ...]  # columns (after references are resolved) that find the record in the receiver
    refs: dict[str, str] = field(default_factory=dict)  # column -> the table it refers to
    parent: str | None = None  # a detail row's owning column: its rows are replaced per owner, not matched
    # an entity's column that places it in an area: a division's code, or a reference to a division or to a
    # facility (whose key begins with its division's code); a detail row lies where its owner does
    area: str | None = None

    @property
    def entity(self) -> bool:
        return self.parent is None


SPECS: tuple[Spec, ...] = (
    Spec("divisions", Division, "行政区划", ("code",), {"parent_id": "divisions"}, area="code"),
    Spec(
        "division_populations",
        DivisionPopulation,
        "人口",
        ("division_id", "year"),
        {"division_id": "divisions"},
        area="division_id",
    ),
    Spec(
        "facilities",
        Facility,
        "机构",
        ("division_id", "name"),
        {"division_id": "divisions", "lead_facility_id": "facilities"},
        area="division_id",
    ),  # fmt: skip
    Spec("staff", StaffMember, "人员", ("id_number",), {"facility_id": "facilities"}, area="facility_id"),
    Spec("projects", Project, "建设项目", ("facility_id", "name"), {"facility_id": "facilities"}, area="facility_id"),
    Spec("key_tasks", KeyTask, "重点任务", ("ledger", "number"), {"division_id": "divisions"}, area="division_id"),
    Spec("facility_equipment", FacilityEquipment, "设备", (), {"facility_id": "facilities"}, parent="facility_id"),
    Spec(
        "service_areas",
        ServiceArea,
        "服务范围",
        (),
        {"facility_id": "facilities", "division_id": "divisions"},
        parent="facility_id",
    ),  # fmt: skip
    Spec("special_funds", SpecialFund, "专项资金", (), {"facility_id": "facilities"}, parent="facility_id"),
    Spec("trainings", Training, "培训", (), {"staff_id": "staff"}, parent="staff_id"),
    Spec(
        "staff_loans",
        StaffLoan,
        "人员借调",
        (),
        {"staff_id": "staff", "from_facility_id": "facilities", "to_facility_id": "facilities"},
        parent="staff_id",
    ),  # fmt: skip
    Spec("project_funding", ProjectFunding, "项目资金", (), {"project_id": "projects"}, parent="project_id"),
    Spec("project_updates", ProjectUpdate, "项目进度", (), {"project_id": "projects"}, parent="project_id"),
    Spec("task_cooperating_units", TaskCooperatingUnit, "任务配合单位", (), {"task_id": "key_tasks"}, parent="task_id"),
    Spec("task_updates", TaskUpdate, "任务进展", (), {"task_id": "key_tasks"}, parent="task_id"),
)

BY_TABLE = {s.table: s for s in SPECS}


def columns(spec: Spec) -> list[str]:
    """The columns a file carries: all but the receiver's own bookkeeping (id, version, and a lookup key, which is
    each database's own: the number itself, or its hash under that database's key)."""
    return [c.name for c in spec.model.__table__.columns if c.name not in ("id", "version") and "field" not in c.info]
