"""Coded values stored in the database, with their official Chinese terms.

The codes are part of the schema: CHECK constraints allow exactly these, so a
value outside the list is refused by the database itself. The Chinese labels
live beside the codes so that the record descriptions, the forms, the templates
and the exports all read the one list.
"""

from __future__ import annotations

DIVISION_KIND = {
    "city": "市",
    "county": "县",
    "township": "乡镇",
    "street": "街道",
    "village": "行政村",
    "community": "社区",
}

FACILITY_KIND = {
    "county_hospital": "县级综合医院",
    "county_tcm_hospital": "县中医医院",
    "mch_hospital": "妇幼保健院",
    "cdc": "疾病预防控制中心",
    "psychiatric_hospital": "精神病专科医院",
    "private_hospital": "民营医院",
    "central_thc": "中心卫生院",
    "thc": "乡镇卫生院",
    "chsc": "社区卫生服务中心",
    "chs_station": "社区卫生服务站",
    "village_clinic": "村卫生室",
}

# Kinds the THC bed norm and most grassroots checks apply to.
GRASSROOTS_CENTRE_KINDS = ("central_thc", "thc", "chsc")
PUBLIC_HEALTH_INSTITUTION_KINDS = ("mch_hospital", "cdc")
HOSPITAL_KINDS = ("county_hospital", "county_tcm_hospital", "mch_hospital", "psychiatric_hospital", "private_hospital")

OWNERSHIP = {"public": "公立", "private": "民营"}

BUILDING_OWNERSHIP = {
    "public": "公有产权",
    "village": "村集体产权",
    "rented_private": "租用村民房屋",
}

FACILITY_STATUS = {
    "operating": "运营",
    "suspended": "停业",
    "closed": "撤销",
    "building": "在建",
}

TCM_HALL = {"none": "无", "hall": "中医馆", "model_hall": "示范中医馆"}

ACCREDITATION = {
    "none": "未达标",
    "basic": "优质服务基层行基本标准",
    "recommended": "优质服务基层行推荐标准",
    "community_hospital": "社区医院",
}

EQUIPMENT = {
    "ambulance": "救护车",
    "dr": "DR",
    "colour_ultrasound": "彩色B超",
    "biochem_analyser": "全自动生化分析仪",
    "checkup_machine": "健康一体机",
    "simple_resuscitator": "简易呼吸器",
}

SEX = {"M": "男", "F": "女"}

STAFF_CATEGORY = {
    "physician": "执业医师",
    "assistant_physician": "执业助理医师",
    "nurse": "注册护士",
    "pharmacist": "药师",
    "technician": "技师",
    "village_doctor": "乡村医生",
    "public_health": "公共卫生人员",
    "other_technical": "其他技术人员",
    "admin": "管理人员",
    "logistics": "工勤技能人员",
}

PRACTICE_CATEGORY = {
    "clinical": "临床",
    "tcm": "中医",
    "dental": "口腔",
    "public_health": "公共卫生",
}

TITLE = {
    "none": "无职称",
    "junior_assistant": "初级（士）",
    "junior": "初级（师）",
    "intermediate": "中级",
    "associate_senior": "副高级",
    "senior": "正高级",
}

EDUCATION = {
    "doctorate": "博士研究生",
    "master": "硕士研究生",
    "bachelor": "大学本科",
    "college": "大专",
    "secondary": "中专",
    "high_school": "高中及以下",
}

EMPLOYMENT_FORM = {
    "establishment": "在编",
    "contract": "编外",
    "township_for_village": "镇聘村用",
    "rehired": "返聘",
    "on_loan": "借用",
}

STAFF_STATUS = {
    "on_post": "在岗",
    "left": "离职",
    "retired": "退休",
    "transferred": "调出",
}

TRAINING_KIND = {"on_post": "在岗培训", "full_time_study": "脱产进修"}

PROJECT_KIND = {
    "new_build": "新建",
    "relocation": "迁建",
    "extension": "改扩建",
    "equipment": "设备购置",
    "information": "信息化建设",
}

PROJECT_STAGE = {
    "preparation": "前期准备",
    "approval": "立项审批",
    "design": "设计",
    "tender": "招标",
    "construction": "在建",
    "completed": "竣工",
    "in_use": "投入使用",
}

FUNDING_SOURCE = {
    "central": "中央资金",
    "provincial": "省级资金",
    "city": "市级资金",
    "county": "县级资金",
    "self_raised": "单位自筹",
    "special_bonds": "专项债券",
}

TASK_STATUS = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "done": "已完成",
    "struck_off": "已销号",
}

INDICATOR_ATTRIBUTE = {"expected": "预期性", "binding": "约束性", "controlled": "控制性"}

INDICATOR_DIRECTION = {"at_least": "不低于", "at_most": "不高于"}

# What computes an indicator from the records (desktop/indicators.py), by the name a plan gives it.
INDICATOR_COMPUTATION = {
    "beds_per_1000": "每千人口医疗卫生机构床位数",
    "physicians_per_1000": "每千人口执业（助理）医师数",
    "nurses_per_1000": "每千人口注册护士数",
    "gps_per_10000": "每万人口全科医生数",
    "public_health_staff_per_1000": "每千人口专业公共卫生机构卫生技术人员数",
    "tcm_beds_per_10000": "每万人口中医床位数",
    "tcm_physicians_per_10000": "每万人口中医执业（助理）医师数",
    "psychiatrists_per_100000": "每十万人口精神科医师数",
    "private_bed_share": "社会办医院床位占比",
}

SEVERITY = {"high": "严重", "medium": "一般", "low": "提示"}

# An exchange file received from the level below: waiting for approval, approved (and locked), replaced by a
# newer file for the same period before approval, or reopened for a correction.
RECEIPT_STATUS = {"received": "待审核", "approved": "已审核", "superseded": "已被新文件取代", "reopened": "已重新打开"}

CHANGE_ACTION = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "strike": "注销",
    "unmask": "查看完整号码",
}

# Accounts, when the county turns sign-in on (administrator: everything; editor: records; viewer: read only).
ROLE = {"admin": "管理员", "editor": "录入员", "viewer": "查看员"}


def sql_in(column: str, codes: dict[str, str] | tuple[str, ...]) -> str:
    """A CHECK expression allowing exactly the given codes."""
    values = ", ".join(f"'{code}'" for code in codes)
    return f"{column} IN ({values})"
