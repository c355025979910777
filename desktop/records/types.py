"""The record types a clerk edits, each described once by its fields."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from db import codes
from db.models import (
    Base,
    Division,
    DivisionPopulation,
    Facility,
    Indicator,
    KeyTask,
    Plan,
    Project,
    ProjectUpdate,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskUpdate,
    Training,
)
from desktop.records import words
from desktop.records.fields import Field
from desktop.records.parts import COOPERATING_UNITS_PART, EQUIPMENT_PART, FUNDING_PART, SERVICE_AREA_PART, Part
from desktop.validators import InvalidValue


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str  # what one record is called: 机构, 人员, ...
    model: type[Base]
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

    @cached_property
    def all_fields(self) -> tuple[Field, ...]:
        return self.fields + tuple(f for part in self.parts for f in part.fields)

    @cached_property
    def editable(self) -> tuple[Field, ...]:
        """What a form, a template or an import may give: the record's own fields and its parts'."""
        return tuple(f for f in self.all_fields if not f.derived)

    @cached_property
    def editable_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.editable)

    @cached_property
    def editable_set(self) -> frozenset[str]:
        return frozenset(self.editable_names)

    @cached_property
    def required_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.editable if f.required)

    @cached_property
    def sensitive_names(self) -> tuple[str, ...]:
        """The fields that may hold a masked number (an ID number, a phone)."""
        return tuple(f.name for f in self.editable if f.sensitive)

    @cached_property
    def date_names(self) -> frozenset[str]:
        """The record's own date fields (a birth date, derived, among them): a history writes them as text."""
        return frozenset(f.name for f in self.fields if f.kind == "date")

    @cached_property
    def blanks(self) -> dict[str, Any]:
        """What a blank stands for in each editable field that may be left blank (its default, or None)."""
        out = {}
        for f in self.editable:
            try:
                out[f.name] = f.parse(None)
            except InvalidValue:
                continue  # a value is needed
        return out

    @cached_property
    def references(self) -> tuple[Field, ...]:
        """The record's own fields that name another record (its facility, its division)."""
        return tuple(f for f in self.fields if f.kind == "ref")

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
        Field(
            "name",
            "机构名称",
            required=True,
            note="与执业许可证上的名称一致",
            aliases=("单位名称", "机构名", "医疗机构名称", "名称", "医疗卫生机构名称"),
        ),
        Field(
            "kind",
            "机构类别",
            "code",
            codes=codes.FACILITY_KIND,
            required=True,
            aliases=("机构类型", "机构分类", "类别", "医疗机构类别", "卫生机构类别"),
            words=words.FACILITY_KIND,
        ),
        Field(
            "division_id",
            "所在乡镇（街道）或村（社区）",
            "ref",
            ref="division",
            required=True,
            aliases=(
                "所在乡镇",
                "所在乡镇（街道）",
                "所属乡镇",
                "乡镇（街道）",
                "所在村",
                "所在村（社区）",
                "所在地",
                "乡镇",
            ),
        ),
        Field(
            "grade", "医院等级", note="如 二级甲等；基层机构可不填", aliases=("等级", "医院级别", "级别", "评审等级")
        ),
        Field(
            "lead_facility_id",
            "牵头医院或管理卫生院",
            "ref",
            ref="facility",
            note="医共体牵头医院；村卫生室填管理它的乡镇卫生院",
            aliases=("牵头医院", "管理卫生院", "所属卫生院", "隶属卫生院", "主管卫生院", "医共体牵头医院", "上级机构"),
        ),
        Field(
            "group_name",
            "医共体（医疗集团）",
            aliases=("医共体", "医疗集团", "所属医共体", "医共体名称", "所属医疗集团"),
        ),
        Field(
            "credit_code",
            "统一社会信用代码",
            "credit_code",
            note="18位，末位为校验码；没有的可不填",
            aliases=("信用代码", "社会信用代码", "统一社会信用代码证号"),
        ),
        Field(
            "licence_no",
            "执业许可证登记号",
            aliases=(
                "执业许可证号",
                "医疗机构执业许可证登记号",
                "许可证号",
                "登记号",
                "执业许可证编号",
                "许可证登记号",
            ),
        ),
        Field(
            "ownership",
            "经济类型",
            "code",
            codes=codes.OWNERSHIP,
            required=True,
            aliases=("所有制形式", "经济类型代码", "所有制", "经济性质", "公立/民营"),
            words=words.OWNERSHIP,
        ),
        Field(
            "building_ownership",
            "业务用房产权",
            "code",
            codes=codes.BUILDING_OWNERSHIP,
            note="村卫生室填写",
            aliases=("房屋产权", "用房产权", "产权性质", "房屋产权性质", "业务用房产权性质"),
            words=words.BUILDING_OWNERSHIP,
        ),
        Field(
            "status",
            "运营状态",
            "code",
            codes=codes.FACILITY_STATUS,
            required=True,
            aliases=("状态", "运营情况", "机构状态", "营业状态"),
            words=words.FACILITY_STATUS,
        ),
        Field(
            "status_reason",
            "状态说明",
            max_length=200,
            note="撤销、停业须写明原因",
            multiline=True,
            aliases=("停业撤销原因", "状态原因"),
        ),
        Field(
            "status_date",
            "停业或撤销日期",
            "date",
            note="不填则为本次修改生效之日",
            aliases=("撤销日期", "停业日期", "状态变更日期"),
        ),
        Field(
            "approved_beds", "编制床位", "int", unit="张", minimum=0, aliases=("编制床位数", "核定床位", "核定床位数")
        ),
        Field(
            "open_beds",
            "实有床位",
            "int",
            unit="张",
            minimum=0,
            note="不含健康养老床位",
            aliases=("实有床位数", "实际开放床位", "实际开放床位数", "开放床位数", "开放床位"),
        ),
        Field(
            "elderly_care_beds",
            "健康养老床位",
            "int",
            unit="张",
            minimum=0,
            aliases=("养老床位", "健康养老床位数", "医养结合床位", "养老床位数"),
        ),
        Field(
            "tcm_beds",
            "中医床位",
            "int",
            unit="张",
            minimum=0,
            note="包含在实有床位中",
            aliases=("中医床位数", "中医科床位", "中医类床位"),
        ),
        Field(
            "building_area",
            "业务用房面积",
            "float",
            unit="平方米",
            minimum=0,
            aliases=("业务用房建筑面积", "房屋建筑面积", "建筑面积", "用房面积"),
        ),
        Field(
            "tcm_hall",
            "中医馆",
            "code",
            codes=codes.TCM_HALL,
            aliases=("中医馆建设", "中医馆建设情况", "中医综合服务区", "中医综合服务区（中医馆）", "国医堂"),
            words=words.TCM_HALL,
        ),
        Field(
            "provides_tcm",
            "能提供中医药服务",
            "bool",
            aliases=("提供中医药服务", "能否提供中医药服务", "是否提供中医药服务", "中医药服务"),
        ),
        Field(
            "standardised",
            "达到规范化标准",
            "bool",
            note="村卫生室填写",
            aliases=("规范化建设", "是否规范化", "规范化村卫生室", "是否规范化村卫生室", "标准化建设"),
        ),
        Field(
            "accreditation",
            "优质服务基层行/社区医院",
            "code",
            codes=codes.ACCREDITATION,
            aliases=("优质服务基层行", "社区医院建设", "优质服务基层行达标情况"),
            words=words.ACCREDITATION,
        ),
        Field("phone", "联系电话", "phone", aliases=("电话", "联系方式", "办公电话", "电话号码")),
        Field("address", "地址", aliases=("详细地址", "机构地址", "单位地址", "地点")),
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
        Field("name", "姓名", required=True, aliases=("人员姓名", "职工姓名", "名字")),
        Field(
            "id_number",
            "身份证号码",
            "id_number",
            required=True,
            sensitive=True,
            note="18位，末位为校验码；出生日期和性别由此自动得出",
            aliases=("公民身份号码", "身份证件号码", "证件号码", "身份证号", "身份证", "居民身份证号码"),
        ),
        Field("sex", "性别", "code", codes=codes.SEX, derived=True, words=words.SEX),
        Field("birth_date", "出生日期", "date", derived=True, sensitive=True),
        Field(
            "facility_id",
            "工作单位",
            "ref",
            ref="facility",
            required=True,
            aliases=("单位名称", "所在单位", "单位", "所在机构", "机构名称", "执业机构", "执业单位"),
        ),
        Field(
            "category",
            "人员类别",
            "code",
            codes=codes.STAFF_CATEGORY,
            required=True,
            aliases=("人员类型", "人员分类", "从事专业类别", "从事专业"),
            words=words.STAFF_CATEGORY,
        ),
        Field(
            "practice_category",
            "执业类别",
            "code",
            codes=codes.PRACTICE_CATEGORY,
            note="执业（助理）医师填写；中药师填“中医”",
            aliases=("医师执业类别", "执业类型"),
            words=words.PRACTICE_CATEGORY,
        ),
        Field(
            "practice_certificate_no",
            "执业证书编码",
            listed=True,
            note="医师、护士、乡村医生执业证书上的编码",
            aliases=(
                "执业证书编号",
                "执业证号",
                "执业证书号",
                "执业证编码",
                "医师执业证书编码",
                "乡村医生执业证书编号",
            ),
        ),
        Field(
            "gp_registered",
            "全科医生注册",
            "bool",
            aliases=("全科医生", "是否全科医生", "全科注册", "注册为全科医学专业"),
        ),
        Field(
            "psychiatry_registered",
            "精神科注册",
            "bool",
            aliases=("精神科", "是否精神科注册", "精神卫生专业", "精神科医师"),
        ),
        Field(
            "title",
            "专业技术职称",
            "code",
            codes=codes.TITLE,
            required=True,
            aliases=(
                "职称",
                "专业技术资格",
                "专业技术职务",
                "职称（职务）",
                "技术职称",
                "专业技术资格（评）",
                "专业技术职务（聘）",
            ),
            words=words.TITLE,
        ),
        Field(
            "education", "最高学历", "code", codes=codes.EDUCATION, aliases=("学历", "文化程度"), words=words.EDUCATION
        ),
        Field("education_full_time", "全日制学历", "bool", aliases=("是否全日制", "全日制")),
        Field("education_medical", "医学类专业", "bool", aliases=("医学专业", "是否医学专业", "所学专业是否医学类")),
        Field(
            "employment_form",
            "用工形式",
            "code",
            codes=codes.EMPLOYMENT_FORM,
            required=True,
            aliases=("编制情况", "用工性质", "人员性质", "编制性质", "用人方式", "聘用形式"),
            words=words.EMPLOYMENT_FORM,
        ),
        Field(
            "directed_graduate",
            "定向生",
            "bool",
            aliases=("是否定向生", "定向医学生", "农村订单定向医学生", "订单定向"),
        ),
        Field(
            "directed_service_until",
            "定向服务期至",
            "date",
            aliases=("服务期满时间", "定向服务期满", "服务期至", "服务期限至"),
        ),
        Field("hire_date", "参加工作日期", "date", aliases=("参加工作时间", "参加工作年月", "开始工作时间")),
        Field(
            "status",
            "在岗状态",
            "code",
            codes=codes.STAFF_STATUS,
            required=True,
            aliases=("人员状态", "状态", "在职状态", "在岗情况"),
            words=words.STAFF_STATUS,
        ),
        Field(
            "status_reason",
            "离岗原因",
            max_length=200,
            note="离职、退休、调出须写明原因",
            multiline=True,
            aliases=("变动原因", "离开原因", "减员原因"),
        ),
        Field("status_date", "离岗日期", "date", aliases=("离岗时间", "变动日期", "变动时间", "离开日期", "减员时间")),
        Field(
            "liability_insured",
            "医疗责任保险",
            "bool",
            note="乡村医生填写",
            aliases=("医疗责任险", "责任保险", "参加医疗责任保险", "是否参加医疗责任险"),
        ),
        Field("phone", "联系电话", "phone", sensitive=True, aliases=("手机号码", "手机", "手机号", "联系方式", "电话")),
    ),
    natural_keys=(("id_number",),),
)

# A project's stage, progress and investment as its record and its progress reports both hold them.
PROJECT_STAGE_FIELD = Field(
    "stage",
    "建设阶段",
    "code",
    codes=codes.PROJECT_STAGE,
    required=True,
    aliases=("项目阶段", "进展阶段", "当前阶段"),
    words=words.PROJECT_STAGE,
)
PROGRESS = Field(
    "progress", "形象进度", "float", unit="%", minimum=0, maximum=100, aliases=("工程进度", "完成进度", "工程形象进度")
)
INVESTMENT_COMPLETED = Field(
    "investment_completed",
    "完成投资",
    "float",
    unit="万元",
    minimum=0,
    aliases=("已完成投资", "累计完成投资", "完成投资额", "累计完成投资额", "已完成投资额"),
)

PROJECT = RecordType(
    "project",
    "建设项目",
    Project,
    (
        Field("name", "项目名称", required=True, aliases=("项目", "建设项目名称", "工程名称", "项目名")),
        Field(
            "facility_id",
            "建设单位",
            "ref",
            ref="facility",
            required=True,
            aliases=("项目单位", "项目建设单位", "业主单位"),
        ),
        Field(
            "kind",
            "建设性质",
            "code",
            codes=codes.PROJECT_KIND,
            required=True,
            aliases=("建设类型", "项目类型", "项目性质"),
            words=words.PROJECT_KIND,
        ),
        Field(
            "planned_start",
            "计划开工日期",
            "date",
            required=True,
            aliases=("计划开工时间", "开工时间", "开工日期", "计划开工"),
        ),
        Field(
            "planned_completion",
            "计划完工日期",
            "date",
            required=True,
            aliases=("计划竣工日期", "计划竣工时间", "计划完工时间", "计划完成时间"),
            by_month_end=True,
        ),
        Field("actual_completion", "实际完工日期", "date", aliases=("实际竣工日期", "实际竣工时间", "实际完工时间")),
        PROJECT_STAGE_FIELD,
        PROGRESS,
        INVESTMENT_COMPLETED,
        Field("lead_unit", "责任单位", required=True, aliases=("牵头单位", "主管单位", "责任部门", "牵头部门")),
        Field("contact", "联系人", aliases=("项目联系人", "负责人", "项目负责人", "联系人姓名")),
        Field("phone", "联系电话", "phone", sensitive=True, aliases=("电话", "联系方式", "手机")),
        Field(
            "risks",
            "存在问题和风险",
            multiline=True,
            aliases=("存在问题", "存在的问题", "问题和困难", "存在困难和问题", "风险"),
        ),
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
        Field("ledger", "台账名称", required=True, aliases=("台账", "台账名"), titled=True),
        Field("number", "序号", required=True, aliases=("编号",)),
        Field("title", "任务名称", required=True, aliases=("重点任务", "任务", "工作任务", "任务事项", "工作事项")),
        Field(
            "content", "任务内容", multiline=True, aliases=("具体内容", "工作内容", "主要内容", "具体措施", "工作措施")
        ),
        Field("source_document", "文件依据", aliases=("依据", "政策依据", "任务来源", "文件名称")),
        Field(
            "lead_unit", "牵头单位", required=True, aliases=("牵头部门", "责任单位", "牵头科室", "责任科室", "责任部门")
        ),
        Field(
            "responsible_person",
            "责任人",
            note="牵头单位中对本任务负责的人，可写姓名和职务，如 王敏（医政股股长）",
            aliases=("具体责任人", "责任人姓名", "具体负责人", "经办人"),
        ),
        Field(
            "deadline", "完成时限", "date", aliases=("时间节点", "完成时间", "完成期限", "时限要求"), by_month_end=True
        ),
        Field("phase", "所属板块", aliases=("板块", "所属领域", "领域")),
        Field(
            "status",
            "推进状态",
            "code",
            codes=codes.TASK_STATUS,
            required=True,
            aliases=("进展状态", "状态", "完成状态"),
            words=words.TASK_STATUS,
        ),
        Field(
            "struck_off_note",
            "销号说明",
            note="销号必须写明完成情况或依据",
            multiline=True,
            aliases=("销号情况", "销号依据"),
        ),
        Field("note", "备注", multiline=True, aliases=("备注说明", "其他说明")),
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
            "division_id",
            "行政村（社区）",
            "ref",
            ref="division",
            ref_kinds=("village", "community"),
            required=True,
            aliases=("村（社区）", "行政村", "村名", "村（居）", "村居"),
        ),
        Field("year", "年度", "int", minimum=1949, maximum=2100, required=True, aliases=("年份", "统计年度")),
        Field("resident", "常住人口", "int", unit="人", minimum=0, required=True, aliases=("常住人口数",)),
        Field("registered", "户籍人口", "int", unit="人", minimum=0, aliases=("户籍人口数",)),
        Field("rural", "乡村人口", "int", unit="人", minimum=0, aliases=("乡村人口数", "农村常住人口", "农村人口")),
        Field(
            "aged_65_plus",
            "65岁及以上人口",
            "int",
            unit="人",
            minimum=0,
            aliases=("65岁以上人口", "65岁及以上老年人口", "65岁以上老年人"),
        ),
        Field("aged_0_3", "0-3岁人口", "int", unit="人", minimum=0, aliases=("0～3岁人口", "0至3岁人口", "0-3岁儿童")),
    ),
    natural_keys=(("division_id", "year"),),
    title_field="division_id",
)

PROJECT_UPDATE = RecordType(
    "project_update",
    "项目进度",
    ProjectUpdate,
    (
        Field(
            "project_id",
            "项目名称",
            "ref",
            ref="project",
            required=True,
            note="与“建设项目”表中的项目名称一致",
            aliases=("项目", "建设项目", "项目名"),
        ),
        Field(
            "date",
            "填报日期",
            "date",
            required=True,
            aliases=("日期", "报告日期", "截止日期", "填报时间", "统计截止日期"),
        ),
        PROJECT_STAGE_FIELD,
        replace(PROGRESS, required=True),
        replace(INVESTMENT_COMPLETED, required=True),
        Field("note", "进展说明", multiline=True, aliases=("进展情况", "进度说明", "工作进展", "项目进展")),
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
            aliases=("重点任务",),
        ),
        Field("date", "填报日期", "date", required=True, aliases=("日期", "报告日期", "填报时间")),
        Field(
            "status",
            "推进状态",
            "code",
            codes=codes.TASK_STATUS,
            required=True,
            aliases=("进展状态", "状态", "完成状态"),
            words=words.TASK_STATUS,
        ),
        Field("note", "进展情况", required=True, multiline=True, aliases=("推进情况", "工作进展", "完成情况", "进展")),
        Field("evidence", "佐证材料", multiline=True, aliases=("佐证", "佐证资料", "证明材料", "附件")),
    ),
    natural_keys=(("task_id", "date"),),
    title_field="task_id",
)

DIVISION = RecordType(
    "division",
    "行政区划",
    Division,
    (
        Field(
            "name",
            "名称",
            required=True,
            max_length=60,
            note="简称，如 石坪村、桃源镇",
            aliases=("区划名称", "行政区划名称"),
        ),
        Field(
            "kind",
            "类别",
            "code",
            codes=codes.DIVISION_KIND,
            required=True,
            aliases=("区划类别", "类型", "级别"),
            words=words.DIVISION_KIND,
        ),
        Field(
            "code",
            "区划代码",
            "division_code",
            required=True,
            note="12位统计用区划代码",
            aliases=("统计用区划代码", "行政区划代码", "区划编码", "代码"),
        ),
        Field(
            "parent_id",
            "上级区划",
            "ref",
            ref="division",
            ref_kinds=("city", "county", "township", "street"),
            note="村、社区填所属乡镇（街道），乡镇填所属县",
            aliases=("上级", "所属区划", "所属乡镇", "所属乡镇（街道）", "上级区划名称"),
        ),
        Field("remote", "边远地区", "bool", aliases=("是否边远", "边远山区", "偏远地区", "是否边远地区")),
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
    aliases=("身份证号码", "公民身份号码", "身份证件号码", "身份证号", "证件号码", "姓名/身份证号码"),
)

TRAINING = RecordType(
    "training",
    "培训进修",
    Training,
    (
        PERSON,
        Field(
            "kind",
            "培训类型",
            "code",
            codes=codes.TRAINING_KIND,
            required=True,
            aliases=("培训形式", "培训方式", "培训类别"),
            words=words.TRAINING_KIND,
        ),
        Field(
            "start_date",
            "开始日期",
            "date",
            required=True,
            aliases=("培训开始时间", "开始时间", "起始日期", "培训开始日期"),
        ),
        Field("end_date", "结束日期", "date", required=True, aliases=("培训结束时间", "结束时间", "培训结束日期")),
        Field(
            "days",
            "培训天数",
            "int",
            unit="天",
            minimum=1,
            maximum=3660,
            required=True,
            aliases=("天数", "培训时长", "培训时间（天）"),
        ),
        Field("place", "培训地点（机构）", aliases=("培训地点", "培训机构", "进修单位", "进修医院", "培训单位")),
        Field(
            "free_of_charge",
            "免费培训",
            "bool",
            note="由政府或上级机构免费组织的培训填“是”",
            aliases=("是否免费", "免费"),
        ),
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
            aliases=("原单位", "派出单位", "原工作单位", "借出机构", "工作单位"),
        ),
        Field(
            "to_unit",
            "借用单位",
            required=True,
            note="借调到的单位全称，如 县卫生健康局",
            aliases=("借调单位", "借入单位", "借调去向"),
        ),
        Field(
            "to_facility_id", "借用的本县机构", "ref", ref="facility", note="借用单位是本县医疗卫生机构的，选择该机构"
        ),
        Field(
            "start_date",
            "借用开始日期",
            "date",
            required=True,
            aliases=("借用时间", "借调时间", "借调开始时间", "开始日期", "借调日期"),
        ),
        Field(
            "end_date",
            "归还日期",
            "date",
            note="尚未归还的不填",
            aliases=("归还时间", "结束日期", "借调结束时间", "返回日期"),
        ),
        Field("reason", "借用事由", multiline=True, aliases=("借调事由", "借用原因", "借调原因", "事由")),
        Field(
            "approval",
            "书面商借文件",
            note="区级及以上组织、人事部门书面商借的文号或文件名；借用在编人员须填写",
            aliases=("书面商借", "商借函", "商借文号", "商借文件", "借调批准文件", "批准文号", "审批文件"),
        ),
    ),
    natural_keys=(("staff_id", "start_date"),),
    title_field="staff_id",
)

SPECIAL_FUND = RecordType(
    "special_fund",
    "专项资金",
    SpecialFund,
    (
        Field(
            "facility_id",
            "机构名称",
            "ref",
            ref="facility",
            required=True,
            note="乡镇卫生院、社区卫生服务中心",
            aliases=("单位名称", "单位", "机构", "卫生院名称"),
        ),
        Field("year", "年度", "int", minimum=1949, maximum=2100, required=True, aliases=("年份", "资金年度")),
        Field(
            "amount",
            "专项资金",
            "float",
            unit="万元",
            minimum=0,
            required=True,
            note="当年安排的基础设施和设备专项资金",
            aliases=("资金金额", "金额", "安排资金", "补助资金", "专项资金额"),
        ),
        Field("note", "说明", multiline=True, aliases=("备注",)),
    ),
    natural_keys=(("facility_id", "year"),),
    title_field="facility_id",
)

PLAN = RecordType(
    "plan",
    "规划",
    Plan,
    (
        Field("name", "规划名称", required=True, note="如 十五五", aliases=("规划", "规划简称")),
        Field(
            "start_year", "起始年度", "int", minimum=2000, maximum=2100, required=True, aliases=("开始年度", "起始年份")
        ),
        Field(
            "end_year", "终止年度", "int", minimum=2000, maximum=2100, required=True, aliases=("结束年度", "终止年份")
        ),
        Field("source", "规划文件", note="如《××县“十五五”卫生健康事业发展规划》", aliases=("文件名称", "依据")),
    ),
    natural_keys=(("name",),),
)

INDICATOR = RecordType(
    "indicator",
    "规划指标",
    Indicator,
    (
        Field("plan_id", "所属规划", "ref", ref="plan", required=True, note="如 十五五", aliases=("规划", "规划名称")),
        Field("domain", "领域", required=True, aliases=("类别", "指标类别", "领域类别")),
        Field("name", "指标名称", required=True, aliases=("指标", "主要指标", "指标项目")),
        Field("unit", "单位", required=True, aliases=("计量单位", "指标单位")),
        Field("baseline_year", "基期年度", "int", minimum=2000, maximum=2100, aliases=("基期年份", "基年")),
        Field("baseline_value", "基期值", "float", aliases=("基期数值", "现状值")),
        Field("target_year", "目标年度", "int", minimum=2000, maximum=2100, aliases=("目标年份",)),
        Field("target_value", "目标值", "float", aliases=("目标数值", "规划目标")),
        Field(
            "direction",
            "方向",
            "code",
            codes=codes.INDICATOR_DIRECTION,
            required=True,
            note="达到目标值的方向",
            aliases=("目标方向",),
            words={"≥": "at_least", "≤": "at_most", "以上": "at_least", "以下": "at_most", "低于": "at_most"},
        ),
        Field("attribute", "属性", "code", codes=codes.INDICATOR_ATTRIBUTE, required=True, aliases=("指标属性",)),
        Field(
            "computed_by",
            "由台账计算",
            "code",
            codes=codes.INDICATOR_COMPUTATION,
            note="由本地记录计算的指标选其算法；留空为每年填报的指标",
            aliases=("计算方法", "计算口径"),
        ),
        Field("source", "依据", multiline=True, aliases=("指标来源", "文件依据")),
    ),
    natural_keys=(("plan_id", "name"),),
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
        PLAN,
        INDICATOR,
    )
}
