"""The quarterly report as an office receives it: an official document after GB/T 9704 in PDF (read by poppler)
and as a Word file (read by python-docx and opened by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from docx import Document

from desktop.cli import main
from desktop.figures import headline_figures
from desktop.periods import Period
from desktop.profile import load_profile, save_profile
from desktop.report.build import ReportFormatError, build_report
from desktop.report.content import Letterhead
from desktop.report.fonts import find_fonts
from tests.integration.office import convert, pdf_text

TODAY = dt.date(2026, 11, 23)
PERIOD = Period(2026, 3)
SECTIONS = [
    "一、总体情况",
    "二、卫生资源主要指标",
    "三、乡镇卫生院床位配置核查",
    "四、卫生人员",
    "五、建设项目",
    "六、重点任务",
    "七、问题清单",
]
TITLE = "清溪县卫生健康局关于2026年第三季度基层卫生健康工作情况的报告"


def pdffonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def plain(path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def report_pdf(demo_db, tmp_path):
    path = tmp_path / "report.pdf"
    return build_report(demo_db, PERIOD, path, today=TODAY)


def test_the_report_is_an_official_document_in_the_order_gbt_9704_sets(report_pdf):
    """版头 (the red 发文机关标志, 发文字号 and 签发人), title, 主送机关, body, 特此报告, 附件说明, 落款, then 附件."""
    result = report_pdf
    assert result.font.embedded and result.pages > 10
    assert any(result.font.family.split()[0] in " ".join(f) and "yes" in f for f in pdffonts(result.path))
    compact = re.sub(r"\s+", "", pdf_text(result.path))
    order = [
        "清溪县卫生健康局文件",
        "清卫健〔2026〕号",
        "签发人：",
        TITLE,
        "清溪县人民政府：",
        *SECTIONS,
        "特此报告。",
        "附件：1．问题清单2．核查规范",
        "清溪县卫生健康局2026年11月23日",
        "附件1问题清单",
        "附件2核查规范",
    ]
    at = [compact.find(part) for part in order]
    assert -1 not in at, [p for p, i in zip(order, at, strict=True) if i < 0]
    assert at == sorted(at)
    first = plain(result.path, 1, 1)
    assert "清溪县卫生健康局文件" in first and "第 1 页" not in first
    meta = info(result.path)
    assert f"font={result.font.family}" in meta
    assert "正文：" in meta and "标题：" in meta  # which face stands in for 仿宋 and 小标宋 on this machine
    assert TITLE in re.sub(r"\s+", "", meta)


def test_page_numbers_are_dashed_at_the_outer_corner(report_pdf, tmp_path):
    """ "— 1 —" on every page; odd pages at the right, even pages at the left (GB/T 9704 7.5)."""
    for page in range(1, 5):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(report_pdf.path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
        number = [w for w in words if w[3] == str(page) and float(w[1]) > 740]
        dashes = [w for w in words if w[3] == "—" and float(w[1]) > 740]
        assert len(number) == 1 and len(dashes) == 2, (page, number, dashes)
        x = float(number[0][0])
        assert (x > 440) if page % 2 else (x < 150), (page, x)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-l", "3", str(report_pdf.path), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def test_findings_are_summarised_by_rule_and_township_and_listed_whole_in_the_attachment(demo_db, report_pdf):
    with demo_db.session() as session:
        figures = headline_figures(session, PERIOD, today=TODAY)
    layout = pdf_text(report_pdf.path)
    compact = re.sub(r"\s+", "", layout)
    assert "问题按核查规则统计" in compact and "问题按乡镇（街道）统计" in compact
    # The two tables' 合计 rows and the attachment's list all hold every finding.
    totals = [int(m) for m in re.findall(r"^\s*合计\s+(?:\d+\s+){0,3}(\d+)\s*$", layout, re.M)]
    assert totals.count(figures.findings) >= 2, totals
    attachment = layout[layout.index("附件1") :]
    heads = re.findall(r"\d+．.+?（(?:严重|一般|提示)，(\d+)条）", re.sub(r"\s+", "", attachment))
    assert sum(int(n) for n in heads) == figures.findings


def test_no_date_number_or_word_is_broken_across_lines_and_no_line_starts_with_a_closing_mark(report_pdf):
    lines = [line.strip() for line in plain(report_pdf.path).splitlines() if line.strip()]
    broken = []
    for a, b in zip(lines, lines[1:], strict=False):
        if re.search(r"\d{4}年$|\d{1,2}月$|\d{4}-\d{0,2}$|〔$|（$|《$|“$", a):
            broken.append((a, b))
        elif re.search(r"[\u4e00-\u9fff][0-9A-Za-z.,]+$", a) and re.match(r"[0-9A-Za-z]", b):
            broken.append((a, b))  # a number or a Latin word in a sentence, cut (table cells stand alone)
    assert not broken, broken[:10]
    starting = [line for line in lines if line[0] in "，。；：、）》”"]
    assert not starting, starting
    text = " ".join(lines)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\['|\{'", text)  # rule keys, parameter names, Python lists


def test_the_letterhead_comes_from_the_profile_and_may_be_changed_for_one_report(demo_db, tmp_path):
    with demo_db.session() as session:
        p = load_profile(session)
        assert not save_profile(
            session,
            bureau_name=p.bureau_name,
            head_of_unit=p.head_of_unit,
            preparer=p.preparer,
            phone=p.phone,
            user="测试",
            doc_prefix="溪卫",
            report_addressee="县委、县人民政府：",
        )
        session.commit()
    path = tmp_path / "profile.pdf"
    build_report(demo_db, PERIOD, path, today=TODAY)
    compact = re.sub(r"\s+", "", pdf_text(path))
    assert "溪卫〔2026〕号" in compact and "县委、县人民政府：" in compact and "县人民政府：：" not in compact
    path = tmp_path / "given.pdf"
    build_report(
        demo_db,
        PERIOD,
        path,
        today=TODAY,
        letterhead=Letterhead(doc_number="溪卫〔2026〕15号", addressee="市卫生健康委员会", signed=dt.date(2026, 12, 1)),
    )
    compact = re.sub(r"\s+", "", pdf_text(path))
    assert "溪卫〔2026〕15号" in compact and "市卫生健康委员会：" in compact
    assert "清溪县卫生健康局2026年12月1日" in compact


def test_without_a_truetype_cjk_font_the_report_still_builds_and_names_its_fallback(demo_db, tmp_path):
    path = tmp_path / "fallback.pdf"
    result = build_report(demo_db, PERIOD, path, today=TODAY, fonts=find_fonts(paths=[]))
    assert not result.font.embedded and result.font.family == "STSong-Light" and result.font.warning
    assert any("STSong-Light" in " ".join(f) for f in pdffonts(path))
    assert "font=STSong-Light" in info(path)
    assert TITLE in re.sub(r"\s+", "", pdf_text(path))


def test_the_report_command_writes_pdf_or_word_by_the_extension(demo_db, tmp_path, capsys):
    demo_db.close()
    pdf = tmp_path / "r.pdf"
    args = ["report", "--db", demo_db.target, "--period", "2026Q3", "--doc-number", "清卫健〔2026〕9号"]
    assert main([*args, "--out", str(pdf)]) == 0
    assert "已生成2026年第三季度工作报告：" in capsys.readouterr().out and pdf.stat().st_size > 10_000
    docx = tmp_path / "r.docx"
    assert main([*args, "--out", str(docx)]) == 0
    assert "已生成2026年第三季度工作报告的 Word 文件" in capsys.readouterr().out
    year = ["report", "--db", demo_db.target, "--period", "2026", "--out", str(tmp_path / "y.pdf")]
    assert main(year) == 0
    assert "已生成2026年工作报告：" in capsys.readouterr().out  # a year's, not a 季度报告
    assert "清卫健〔2026〕9号" in " ".join(p.text for p in Document(str(docx)).paragraphs)
    assert main([*args, "--out", str(tmp_path / "r.odt")]) != 0
    assert "只能保存为 PDF（.pdf）或 Word（.docx）" in capsys.readouterr().err


def test_an_unknown_extension_is_refused_before_anything_is_written(demo_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ReportFormatError):
        build_report(demo_db, PERIOD, folder / "r.txt", today=TODAY)
    assert not list(folder.iterdir())


def test_the_word_file_has_the_same_sections_in_named_styles_and_libreoffice_opens_it(demo_db, tmp_path):
    path = tmp_path / "report.docx"
    result = build_report(demo_db, PERIOD, path, today=TODAY)
    assert result.pages == 0
    doc = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _s, t in paragraphs]
    assert ("发文机关标志", "清溪县卫生健康局文件") in paragraphs
    assert any(s == "公文标题" and t.replace("\n", "") == TITLE for s, t in paragraphs)
    assert [t for s, t in paragraphs if s == "Heading 1"] == SECTIONS
    assert "清溪县人民政府：" in texts and "特此报告。" in texts and "附件：1．问题清单" in texts
    assert texts.index("特此报告。") < texts.index("附件1") < texts.index("附件2")
    assert len(doc.tables) >= 8 and len(doc.inline_shapes) >= 1  # the bed chart, as a picture
    header = doc.tables[0].rows[0]
    assert (
        header._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    )  # repeated on each page
    assert doc.core_properties.title == TITLE
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer

    pdf = convert(path, "pdf", tmp_path)
    compact = re.sub(r"\s+", "", pdf_text(pdf))
    for part in ("清溪县卫生健康局文件", TITLE, *SECTIONS, "特此报告。", "附件1", "问题清单"):
        assert part in compact, part


def test_reportlab_measures_text_with_its_c_accelerator():
    """Without rl_accel reportlab measures every text width in Python: the city's report takes 2.4 s, not 1.9 s."""
    import types

    from reportlab.lib import rl_accel

    assert isinstance(rl_accel.instanceStringWidthTTF, types.BuiltinFunctionType)


@pytest.mark.parametrize(
    ("period", "today", "progress", "since", "stale"),
    [
        (PERIOD, TODAY, "本季度进展", "上季度末", "本季度"),
        (Period(2026), dt.date(2027, 1, 20), "本年进展", "上年末", "第四季度"),
        (Period(2026), TODAY, "本年进展", "上年末", "第四季度"),  # the year so far: as of today, in its 4th quarter
        (Period(2026), dt.date(2026, 5, 6), "本年进展", "上年末", "第二季度"),
    ],
)
def test_a_years_report_speaks_of_the_year_and_of_the_quarter_its_tasks_are_judged_in(
    demo_db, period, today, progress, since, stale
):
    from sqlalchemy import select

    from db.models import KeyTask, ProjectUpdate
    from desktop.report.content import Para, Table, gather, projects, resources, tasks

    with demo_db.session() as session:  # gather loads the default norms on first use
        # A task never reported on, due long after: not updated in any quarter, and not overdue.
        task = dict(ledger="测试台账", number="1", title="从未填报的任务", lead_unit="医政股", status="in_progress")
        session.add(KeyTask(**task, deadline=dt.date(2030, 12, 31)))
        session.flush()
        f = gather(session, period, today)
        # What the progress column counts from: each project's last report up to the end of the quarter (the year)
        # before.
        before = period.previous_quarter().end
        reports = select(ProjectUpdate.project_id, ProjectUpdate.date, ProjectUpdate.progress)
        last = {pid: progress for pid, day, progress in session.execute(reports.order_by(ProjectUpdate.date))
                if day <= before}  # fmt: skip
    assert f.projects_before == last and last
    texts = [b.text for part in (resources(f), projects(f), tasks(f)) for b in part if isinstance(b, Para)]
    tables = [b for part in (projects(f), tasks(f)) for b in part if isinstance(b, Table)]
    assert progress in [c.head for c in tables[0].columns]
    assert f"“{progress}”为形象进度较{since}的增加" in " ".join(texts)
    assert ("本季度末在岗人员" if period.quarter else "年末在岗人员") in " ".join(texts)
    other = {"本季度", "第一季度", "第二季度", "第三季度", "第四季度"} - {stale}
    assert len(tables) == 2  # the demo has tasks overdue or not updated at each of these days
    assert tables[1].caption.endswith(f"逾期和{stale}未更新进展的重点任务")
    shown = {row[-1] for row in tables[1].rows}
    assert f"{stale}未更新" in shown and shown <= {"逾期", f"{stale}未更新"}
    assert not any(f"{o}未更新" in shown for o in other)
