"""The everyday words real rosters and ledgers write for a coded value, each mapped to its code.

A field's ``words`` are read after its codes and labels, once full-width forms, spaces and brackets are
normalised (``word_key``). A word that could mean more than one code maps to those codes joined by "|": it is
refused with a sentence naming the choices rather than guessed (初级 is 初级（士） or 初级（师）).

Sources: the 卫生健康统计调查制度 forms (卫生人员基本情况表: 专业技术资格/职务, 学历, 编制情况 编制内/合同制/
返聘/临聘, 医师执业类别 临床/中医/口腔/公共卫生), GB/T 2261.1 (sex 1 男, 2 女), the 卫生系列 title names by
post (主任医师 … 医士), and the words county ledgers write for stages and task status.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_BRACKETS_AND_SPACES = re.compile(r"[\s()\[\]{}<>【】〔〕〈〉《》「」『』]+")


def word_key(raw: Any) -> str:
    """A word as matched: full-width forms half-width, letters lower case, spaces and brackets dropped."""
    text = unicodedata.normalize("NFKC", str(raw))
    return _BRACKETS_AND_SPACES.sub("", text).lower()


def _by_post(words: str, code: str) -> dict[str, str]:
    return dict.fromkeys(words.split(), code)


TITLE = {
    **_by_post("主任医师 主任护师 主任药师 主任技师 主任中医师 正高 正高级职称 正高职称", "senior"),
    **_by_post("副主任医师 副主任护师 副主任药师 副主任技师 副主任中医师 副高 副高级职称 副高职称", "associate_senior"),
    **_by_post("主治医师 主治中医师 主管护师 主管药师 主管技师 主管中药师 中级职称 中职", "intermediate"),
    **_by_post("医师 中医师 护师 药师 中药师 技师 师级", "junior"),
    **_by_post("医士 中医士 护士 药士 中药士 技士 士级 员级", "junior_assistant"),
    **_by_post("无 未评 未评定 暂无", "none"),
    "高级": "associate_senior|senior",
    "高级职称": "associate_senior|senior",
    "初级": "junior_assistant|junior",
    "初级职称": "junior_assistant|junior",
}

EMPLOYMENT_FORM = {
    **_by_post("合同制 合同 合同工 聘用 劳务派遣 派遣 临聘 临时聘用 编制外 编外人员 非编", "contract"),
    "聘用制": "establishment|contract",  # in a 事业单位, the appointment of staff in the establishment too
    **_by_post("正式 正式工 事业编制 编制内 在编人员 有编制 编内", "establishment"),
    **_by_post("退休返聘 返聘人员", "rehired"),
    **_by_post("借调 借用人员", "on_loan"),
    **_by_post("乡聘村用 镇聘村用人员", "township_for_village"),
}

STAFF_STATUS = {
    **_by_post("在职 正常 在岗人员", "on_post"),
    **_by_post("辞职 解聘 辞退 自动离职", "left"),
    **_by_post("调离 调走 调出本单位", "transferred"),
    **_by_post("离退休 已退休 退休人员", "retired"),
}

PRACTICE_CATEGORY = {
    **_by_post("西医 临床医学 临床类别 临床类 临床医师", "clinical"),
    **_by_post("中医类别 中医类 中医学 中西医结合 中西医 民族医 民族医学 中医医师", "tcm"),
    **_by_post("口腔类别 口腔类 口腔医学 口腔医师", "dental"),
    **_by_post("公共卫生类别 公共卫生类 公卫 预防医学", "public_health"),
}

SEX = {"男性": "M", "女性": "F", "1": "M", "2": "F"}

EDUCATION = {
    **_by_post("博士 博士研究生学历 博士学位", "doctorate"),
    **_by_post("研究生 硕士 硕士学位 研究生学历", "master"),
    **_by_post("本科 大学本科学历 大学 本科学历", "bachelor"),
    **_by_post("专科 大学专科 大专学历 高职 高等专科", "college"),
    **_by_post("中等专业 中专学历 中等专科 中技 职高 中职", "secondary"),
    **_by_post("高中 初中 小学 初中及以下 高中以下 文盲", "high_school"),
}

STAFF_CATEGORY = {
    **_by_post("执业医生", "physician"),
    **_by_post("助理医师 执业助理 助理医生", "assistant_physician"),
    **_by_post("护士 护师 护理人员 护理", "nurse"),
    **_by_post("药剂师 药剂人员 药学人员 药士 中药师", "pharmacist"),
    **_by_post("检验师 检验人员 技士 医技人员 影像技师", "technician"),
    **_by_post("村医 乡医", "village_doctor"),
    **_by_post("公卫人员 公共卫生", "public_health"),
    **_by_post("行政人员 行政管理人员 管理", "admin"),
    **_by_post("工勤人员 工勤 后勤人员 工勤技能", "logistics"),
    "医师": "physician|assistant_physician",
    "医生": "physician|assistant_physician|village_doctor",
}

FACILITY_KIND = {
    **_by_post("县医院 县人民医院 县级医院 县综合医院 人民医院", "county_hospital"),
    **_by_post("中医院 县中医院 中医医院", "county_tcm_hospital"),
    **_by_post("妇幼保健计划生育服务中心 妇幼保健所 妇幼保健站 妇幼保健机构", "mch_hospital"),
    **_by_post("疾控中心 疾病预防控制机构", "cdc"),
    **_by_post("精神病医院 精神专科医院 精神卫生中心", "psychiatric_hospital"),
    **_by_post("私立医院 民营医疗机构 社会办医院", "private_hospital"),
    **_by_post("乡镇中心卫生院 镇中心卫生院 乡中心卫生院", "central_thc"),
    **_by_post("乡卫生院 镇卫生院 一般卫生院", "thc"),
    "卫生院": "central_thc|thc",  # a 中心卫生院 written short must not become an ordinary one
    **_by_post("社区中心", "chsc"),
    **_by_post("社区卫生站 社区站", "chs_station"),
    **_by_post("卫生室 村卫生所 村医务室 村诊所", "village_clinic"),
}

OWNERSHIP = {
    **_by_post("公立医疗机构 公办 政府办 国有 非营利性公立", "public"),
    **_by_post("私立 民办 私营 社会办 非公立 个体", "private"),
}

BUILDING_OWNERSHIP = {
    **_by_post("公有 公房 公建 公有房屋 政府产权 公建公有", "public"),
    **_by_post("村集体 集体 集体产权 村委会产权", "village"),
    **_by_post("租用 租赁 租房 租用民房 租赁民房 租用村民房", "rented_private"),
}

FACILITY_STATUS = {
    **_by_post("正常 运营中 营业 开业 正常运营 在用", "operating"),
    **_by_post("暂停营业 暂停 停业整顿", "suspended"),
    **_by_post("关闭 注销 撤并 已撤销", "closed"),
    **_by_post("筹建 建设中 新建中", "building"),
}

TCM_HALL = {
    **_by_post("有 是 已建 已建成 建成 中医综合服务区 国医堂", "hall"),
    **_by_post("否 没有 未建 未建设", "none"),
    **_by_post("示范 示范馆 精品中医馆", "model_hall"),
}

ACCREDITATION = {
    **_by_post("基本标准 达到基本标准 基本", "basic"),
    **_by_post("推荐标准 达到推荐标准 推荐", "recommended"),
    **_by_post("社区医院建设 已建成社区医院", "community_hospital"),
    **_by_post("无 否 未达 未达到 未评", "none"),
}

PROJECT_KIND = {
    **_by_post("迁建新建 异地新建 异地迁建 整体迁建", "relocation"),
    **_by_post("改建 扩建 改造 维修改造 提升改造 改扩建工程", "extension"),
    **_by_post("设备采购 购置设备 设备 设备配置", "equipment"),
    **_by_post("信息化 信息化项目 信息系统建设 信息化改造", "information"),
    **_by_post("新建工程", "new_build"),
}

PROJECT_STAGE = {
    **_by_post("前期 前期工作 前期阶段 未开工", "preparation"),
    **_by_post("立项 已立项 审批 可研批复 立项批复", "approval"),
    **_by_post("规划设计 方案设计 施工图设计 设计阶段", "design"),
    **_by_post("招投标 招标采购 招标阶段 挂网招标", "tender"),
    **_by_post("施工 施工中 已开工 主体施工 建设中 在施", "construction"),
    **_by_post("完工 已完工 已竣工 竣工验收 主体完工", "completed"),
    **_by_post("已投用 投用 交付使用 已投入使用", "in_use"),
}

TASK_STATUS = {
    **_by_post("未开始 尚未启动 未开展", "not_started"),
    **_by_post("正在推进 进行中 持续推进 有序推进 推进 正在实施 实施中", "in_progress"),
    **_by_post("完成 已完 已办结 办结", "done"),
    **_by_post("销号 已销账 挂账销号", "struck_off"),
}

TRAINING_KIND = {
    **_by_post("培训 短期培训 岗位培训 在岗", "on_post"),
    **_by_post("进修 脱产 脱产培训 进修学习 脱产学习", "full_time_study"),
}

DIVISION_KIND = {
    **_by_post("镇 乡 民族乡", "township"),
    **_by_post("区 县级市 旗 自治县", "county"),
    **_by_post("街道办事处 街道办", "street"),
    **_by_post("村 村委会 村民委员会", "village"),
    **_by_post("居委会 社区居委会 居民委员会", "community"),
    **_by_post("地级市 州 地区", "city"),
}
