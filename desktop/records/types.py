"""The record types a clerk edits, each described once by its fields."""

from __future__ import annotations

from dataclasses import dataclass

from db import codes
from db.models import (
    Division,
    DivisionPopulation,
    Facility,
    KeyTask,
    Project,
    ProjectUpdate,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskUpdate,
    Training,
)
from desktop.records.fields import Field
from desktop.records.parts import COOPERATING_UNITS_PART, EQUIPMENT_PART, FUNDING_PART, SERVICE_AREA_PART, Part


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str  # what one record is called: 机构, 人员, ...
    model: type
    fields: tuple[Field, ...]  # the record's own columns
    # The fields that identify a record in a file, strongest first: a row is the record it matches by the first
    # key whose fields it fills (a facility by its credit code, else by its name in its place).
    natural_keys: tuple[tuple[str, ...], ...]
    title_field: str = "name"
    parts: tuple[Part, ...] = ()  # rows of their own shown as fields of the record (equipment, funding ...)

    def __post_init__(self) -> None:
        # Each field learns nullability, default and length from its column: one source, not repeated here.
        columns = self.model.__table__.columns
        object.__setattr__(self, "fields", tuple(f.bound_to(columns[f.name]) for f in self.fields))

    def field(self, name: str) -> Field:
        for f in self.all_fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return self.fields + tuple(f for part in self.parts for f in part.fields)

    @property
    def editable(self) -> tuple[Field, ...]:
        """What a form, a template or an import may give: the record's own fields and its parts'."""
        return tuple(f for f in self.all_fields if not f.derived)

    @property
    def listed(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.listed)

    def part_of(self, name: str) -> Part | None:
        return next((p for p in self.parts if any(f.name == name for f in p.fields)), None)


FACILITY = RecordType(
    "facility",
    "机构",
    Facility,
    (
        Field("name", "机构名称", required=True, note="与执业许可证上的名称一致"),
        Field("kind", "机构类别", "code", codes=codes.FACILITY_KIND, required=True),
        Field("division_id", "所在乡镇（街道）或村（社区）", "ref", ref="division", required=True),
        Field("grade", "医院等级", note="如 二级甲等；基层机构可不填"),
        Field(
            "lead_facility_id",
            "牵头医院或管理卫生院",
            "ref",
            ref="facility",
            note="医共体牵头医院；村卫生室填管理它的乡镇卫生院",
        ),
        Field("group_name", "医共体（医疗集团）"),
        Field("credit_code", "统一社会信用代码", "credit_code", note="18位，末位为校验码；没有的可不填"),
        Field("licence_no", "执业许可证登记号"),
        Field("ownership", "经济类型", "code", codes=codes.OWNERSHIP, required=True),
        Field("building_ownership", "业务用房产权", "code", codes=codes.BUILDING_OWNERSHIP, note="村卫生室填写"),
        Field("status", "运营状态", "code", codes=codes.FACILITY_STATUS, required=True),
        Field("status_reason", "状态说明", max_length=200, note="撤销、停业须写明原因", multiline=True),
        Field("approved_beds", "编制床位", "int", unit="张", minimum=0),
        Field("open_beds", "实有床位", "int", unit="张", minimum=0, note="不含健康养老床位"),
        Field("elderly_care_beds", "健康养老床位", "int", unit="张", minimum=0),
        Field("tcm_beds", "中医床位", "int", unit="张", minimum=0, note="包含在实有床位中"),
        Field("building_area", "业务用房面积", "float", unit="平方米", minimum=0),
        Field("tcm_hall", "中医馆", "code", codes=codes.TCM_HALL),
        Field("provides_tcm", "能提供中医药服务", "bool"),
        Field("standardised", "达到规范化标准", "bool", note="村卫生室填写"),
        Field("accreditation", "优质服务基层行/社区医院", "code", codes=codes.ACCREDITATION),
        Field("phone", "联系电话", "phone"),
        Field("address", "地址"),
    ),
    # Name plus place: names like 城关社区卫生服务中心 repeat from county to county.
    natural_keys=(("credit_code",), ("name", "division_id")),
    parts=(SERVICE_AREA_PART, EQUIPMENT_PART),
)

STAFF = RecordType(
    "staff",
    "人员",
    StaffMember,
    (
        Field("name", "姓名", required=True),
        Field(
            "id_number",
            "身份证号码",
            "id_number",
            required=True,
            sensitive=True,
            note="18位，末位为校验码；出生日期和性别由此自动得出",
        ),
        Field("sex", "性别", "code", codes=codes.SEX, derived=True),
        Field("birth_date", "出生日期", "date", derived=True, sensitive=True),
        Field("facility_id", "工作单位", "ref", ref="facility", required=True),
        Field("category", "人员类别", "code", codes=codes.STAFF_CATEGORY, required=True),
        Field("practice_category", "执业类别", "code", codes=codes.PRACTICE_CATEGORY, note="执业（助理）医师填写"),
        Field("practice_certificate_no", "执业证书编码", listed=True, note="医师、护士、乡村医生执业证书上的编码"),
        Field("gp_registered", "全科医生注册", "bool"),
        Field("psychiatry_registered", "精神科注册", "bool"),
        Field("title", "专业技术职称", "code", codes=codes.TITLE, required=True),
        Field("education", "最高学历", "code", codes=codes.EDUCATION),
        Field("education_full_time", "全日制学历", "bool"),
        Field("education_medical", "医学类专业", "bool"),
        Field("employment_form", "用工形式", "code", codes=codes.EMPLOYMENT_FORM, required=True),
        Field("directed_graduate", "定向生", "bool"),
        Field("directed_service_until", "定向服务期至", "date"),
        Field("hire_date", "参加工作日期", "date"),
        Field("status", "在岗状态", "code", codes=codes.STAFF_STATUS, required=True),
        Field("status_reason", "离岗原因", max_length=200, note="离职、退休、调出须写明原因", multiline=True),
        Field("status_date", "离岗日期", "date"),
        Field("liability_insured", "医疗责任保险", "bool", note="乡村医生填写"),
        Field("phone", "联系电话", "phone", sensitive=True),
    ),
    natural_keys=(("id_number",),),
)

PROJECT = RecordType(
    "project",
    "建设项目",
    Project,
    (
        Field("name", "项目名称", required=True),
        Field("facility_id", "建设单位", "ref", ref="facility", required=True),
        Field("kind", "建设性质", "code", codes=codes.PROJECT_KIND, required=True),
        Field("planned_start", "计划开工日期", "date", required=True),
        Field("planned_completion", "计划完工日期", "date", required=True),
        Field("actual_completion", "实际完工日期", "date"),
        Field("stage", "建设阶段", "code", codes=codes.PROJECT_STAGE, required=True),
        Field("progress", "形象进度", "float", unit="%", minimum=0, maximum=100),
        Field("investment_completed", "完成投资", "float", unit="万元", minimum=0),
        Field("lead_unit", "责任单位", required=True),
        Field("contact", "联系人"),
        Field("phone", "联系电话", "phone", sensitive=True),
        Field("risks", "存在问题和风险", multiline=True),
    ),
    # With the facility building it: project names repeat across a city's counties.
    natural_keys=(("name", "facility_id"),),
    parts=(FUNDING_PART,),
)

TASK = RecordType(
    "task",
    "重点任务",
    KeyTask,
    (
        Field("ledger", "台账名称", required=True),
        Field("number", "序号", required=True),
        Field("title", "任务名称", required=True),
        Field("content", "任务内容", multiline=True),
        Field("source_document", "文件依据"),
        Field("lead_unit", "牵头单位", required=True),
        Field("deadline", "完成时限", "date"),
        Field("phase", "所属板块"),
        Field("status", "推进状态", "code", codes=codes.TASK_STATUS, required=True),
        Field("struck_off_note", "销号说明", note="销号必须写明完成情况或依据", multiline=True),
    ),
    natural_keys=(("ledger", "number"),),
    title_field="title",
    parts=(COOPERATING_UNITS_PART,),
)


def task_heading(number: str, title: str) -> str:
    """A task as lists and dialogs head it: "（一）推进…" as the ledger numbers it, "2．推进…" for a bare number."""
    number = (number or "").strip()
    if not number or number[-1] in "）)、.．:：":
        return f"{number}{title}"
    return f"{number}．{title}"


POPULATION = RecordType(
    "population",
    "人口",
    DivisionPopulation,
    (
        Field(
            "division_id", "行政村（社区）", "ref", ref="division", ref_kinds=("village", "community"), required=True
        ),
        Field("year", "年度", "int", minimum=1949, maximum=2100, required=True),
        Field("resident", "常住人口", "int", unit="人", minimum=0, required=True),
        Field("registered", "户籍人口", "int", unit="人", minimum=0),
        Field("rural", "乡村人口", "int", unit="人", minimum=0),
        Field("aged_65_plus", "65岁及以上人口", "int", unit="人", minimum=0),
        Field("aged_0_3", "0-3岁人口", "int", unit="人", minimum=0),
    ),
    natural_keys=(("division_id", "year"),),
    title_field="division_id",
)

PROJECT_UPDATE = RecordType(
    "project_update",
    "项目进度",
    ProjectUpdate,
    (
        Field("project_id", "项目名称", "ref", ref="project", required=True, note="与“建设项目”表中的项目名称一致"),
        Field("date", "填报日期", "date", required=True),
        Field("stage", "建设阶段", "code", codes=codes.PROJECT_STAGE, required=True),
        Field("progress", "形象进度", "float", unit="%", minimum=0, maximum=100, required=True),
        Field("investment_completed", "完成投资", "float", unit="万元", minimum=0, required=True),
        Field("note", "进展说明", multiline=True),
    ),
    natural_keys=(("project_id", "date"),),
    title_field="project_id",
)

TASK_UPDATE = RecordType(
    "task_update",
    "任务进展",
    TaskUpdate,
    (
        Field(
            "task_id",
            "任务",
            "ref",
            ref="task",
            required=True,
            note="写成“台账名称/序号”，如 深化医药卫生体制改革…/（一）",
        ),
        Field("date", "填报日期", "date", required=True),
        Field("status", "推进状态", "code", codes=codes.TASK_STATUS, required=True),
        Field("note", "进展情况", required=True, multiline=True),
        Field("evidence", "佐证材料", multiline=True),
    ),
    natural_keys=(("task_id", "date"),),
    title_field="task_id",
)

DIVISION = RecordType(
    "division",
    "行政区划",
    Division,
    (
        Field("name", "名称", required=True, max_length=60, note="简称，如 石坪村、桃源镇"),
        Field("kind", "类别", "code", codes=codes.DIVISION_KIND, required=True),
        Field("code", "区划代码", "division_code", required=True, note="12位统计用区划代码"),
        Field(
            "parent_id",
            "上级区划",
            "ref",
            ref="division",
            ref_kinds=("city", "county", "township", "street"),
            note="村、社区填所属乡镇（街道），乡镇填所属县",
        ),
        Field("remote", "边远地区", "bool"),
    ),
    natural_keys=(("code",),),
)

# A person a training or a loan belongs to: found by name and ID number, as a filled template writes them.
PERSON = Field(
    "staff_id",
    "人员",
    "ref",
    ref="staff",
    required=True,
    sensitive=True,
    note="写成“姓名/18位身份证号码”，如 李华/430922199001010012，也可只写身份证号码；"
    "导出的已有人员号码隐去了中间几位，原样保留即可",
)

TRAINING = RecordType(
    "training",
    "培训进修",
    Training,
    (
        PERSON,
        Field("kind", "培训类型", "code", codes=codes.TRAINING_KIND, required=True),
        Field("start_date", "开始日期", "date", required=True),
        Field("end_date", "结束日期", "date", required=True),
        Field("days", "培训天数", "int", unit="天", minimum=1, maximum=3660, required=True),
        Field("place", "培训地点（机构）"),
        Field("free_of_charge", "免费培训", "bool", note="由政府或上级机构免费组织的培训填“是”"),
    ),
    natural_keys=(("staff_id", "kind", "start_date"),),
    title_field="staff_id",
)

LOAN = RecordType(
    "loan",
    "借用记录",
    StaffLoan,
    (
        PERSON,
        Field(
            "from_facility_id",
            "借出单位",
            "ref",
            ref="facility",
            note="不填即为该人员现在的工作单位",
            filled_in_if_blank=True,
        ),
        Field("to_unit", "借用单位", required=True, note="借调到的单位全称，如 县卫生健康局"),
        Field(
            "to_facility_id",
            "借用的本县机构",
            "ref",
            ref="facility",
            note="借用单位是本县医疗卫生机构的，选择该机构",
        ),
        Field("start_date", "借用开始日期", "date", required=True),
        Field("end_date", "归还日期", "date", note="尚未归还的不填"),
        Field("reason", "借用事由", multiline=True),
    ),
    natural_keys=(("staff_id", "start_date"),),
    title_field="staff_id",
)

SPECIAL_FUND = RecordType(
    "special_fund",
    "专项资金",
    SpecialFund,
    (
        Field("facility_id", "机构名称", "ref", ref="facility", required=True, note="乡镇卫生院、社区卫生服务中心"),
        Field("year", "年度", "int", minimum=1949, maximum=2100, required=True),
        Field(
            "amount",
            "专项资金",
            "float",
            unit="万元",
            minimum=0,
            required=True,
            note="当年安排的基础设施和设备专项资金",
        ),
        Field("note", "说明", multiline=True),
    ),
    natural_keys=(("facility_id", "year"),),
    title_field="facility_id",
)

RECORD_TYPES = {
    t.key: t
    for t in (
        FACILITY,
        STAFF,
        PROJECT,
        TASK,
        POPULATION,
        PROJECT_UPDATE,
        TASK_UPDATE,
        DIVISION,
        TRAINING,
        LOAN,
        SPECIAL_FUND,
    )
}
