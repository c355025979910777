"""The report laid out as an official document after GB/T 9704-2012 (党政机关公文格式), in reportlab.

A4, the text area 156 mm by 225 mm (top 37 mm, left 28 mm); 22 lines of 3号 (16 pt) body a page; the 版头 with
the red 发文机关标志, the 发文字号 (with the 签发人 at the right when there is one: a report goes up) and the red
rule under it; the title in 2号 (22 pt); 主送机关; the body; 附件说明; 落款 and 成文日期; each 附件 on a new page;
page numbers "— 1 —" in 4号 at the outer bottom corner, 7 mm below the text area. Tables are not in the
standard; they are set in 五号 with their 表题 above, and charts with their 图题 below.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import HRFlowable

import desktop.report.linebreak  # noqa: F401 (dates, numbers and Latin words whole across lines)
from desktop.charts import bed_band_chart
from desktop.report.content import Chart, Heading, Para, Progress, Report, Table
from desktop.report.fonts import FontSet
from desktop.validators import clean_text

TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
WIDTH = A4[0] - LEFT - RIGHT  # 156 mm
BODY, TITLE, LINE = 16, 22, (A4[1] - TOP - BOTTOM) / 22  # 3号, 2号, 22 lines a page
RED = colors.HexColor("#e60012")
GRID = colors.HexColor("#808080")
HEAD_BG = colors.HexColor("#eeeeee")
MARKS = {"bad": colors.HexColor("#fde2e2"), "warn": colors.HexColor("#fff0d6")}
CREATOR = "县域卫生健康台账（CountyHealth Desk）"


class Styles:
    def __init__(self, fonts: FontSet) -> None:
        body = dict(fontName=fonts.body, fontSize=BODY, leading=LINE, wordWrap="CJK")
        self.body = ParagraphStyle("正文", firstLineIndent=2 * BODY, alignment=TA_LEFT, **body)
        self.flush = ParagraphStyle("主送机关", **body)
        self.h1 = ParagraphStyle("一级标题", parent=self.body, fontName=fonts.heading, keepWithNext=1)
        self.h2 = ParagraphStyle("二级标题", parent=self.body, fontName=fonts.kai, keepWithNext=1)
        self.h3 = ParagraphStyle("三级标题", parent=self.body, keepWithNext=1)
        self.title = ParagraphStyle(
            "公文标题", fontName=fonts.title, fontSize=TITLE, leading=TITLE * 1.6, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.note = ParagraphStyle("附注", fontName=fonts.body, fontSize=12, leading=20, wordWrap="CJK")
        self.caption = ParagraphStyle(
            "表题", fontName=fonts.heading, fontSize=12, leading=20, alignment=TA_CENTER, keepWithNext=1, wordWrap="CJK"
        )
        self.unit = ParagraphStyle("单位", parent=self.note, fontSize=10.5, leading=16, alignment=TA_RIGHT)
        self.cell = ParagraphStyle("表格文字", fontName=fonts.body, fontSize=10.5, leading=14, wordWrap="CJK")
        self.cell_head = ParagraphStyle("表头", parent=self.cell, fontName=fonts.heading, alignment=TA_CENTER)
        self.right = ParagraphStyle("落款", **body, alignment=TA_RIGHT)
        self.attachment_mark = ParagraphStyle("附件标识", parent=self.flush, fontName=fonts.heading)


def esc(text: object) -> str:
    # Stored text from before the text rules (or from another county) may hold control characters, which a
    # PDF shows as boxes or which reorder a line (a direction override): the same cleaning as every workbook.
    text = clean_text(str(text), multiline=True)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


class ProgressBar(Flowable):
    """A project's 形象进度 as a bar and its percentage, in a table cell."""

    def __init__(self, percent: float, font: str) -> None:
        super().__init__()
        self.percent, self.font = percent, font

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, 10

    def draw(self) -> None:
        bar = max(10.0, self.width - 30)
        c = self.canv
        c.setFillColor(colors.HexColor("#e0e0e0"))
        c.rect(0, 2, bar, 6, stroke=0, fill=1)
        c.setFillColor(colors.HexColor("#1565c0"))
        c.rect(0, 2, bar * max(0.0, min(self.percent, 100)) / 100, 6, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(self.font, 8)
        c.drawString(bar + 3, 2.5, f"{self.percent:.0f}%")


def _table(t: Table, st: Styles, fonts: FontSet) -> list[Flowable]:
    data = [[Paragraph(esc(c.head), st.cell_head) for c in t.columns]]
    for row in t.rows:
        cells: list[object] = []
        for c, value in zip(t.columns, row, strict=True):
            if isinstance(value, Progress):
                cells.append(ProgressBar(value.percent, fonts.body))
            else:
                align = ' align="right"' if c.numeric else ""
                cells.append(Paragraph(f"<para{align}>{esc(value)}</para>", st.cell))
        data.append(cells)
    table = RLTable(data, colWidths=[WIDTH * c.share for c in t.columns], repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, mark in t.marks.items():
        commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), MARKS[mark]))
    if t.total:
        commands.append(("BACKGROUND", (0, len(t.rows)), (-1, len(t.rows)), HEAD_BG))
    table.setStyle(TableStyle(commands))
    out: list[Flowable] = []
    if t.caption:
        out.append(Paragraph(esc(t.caption), st.caption))
    if t.unit:
        out.append(Paragraph(esc(t.unit), st.unit))
    return [*out, table, Spacer(1, LINE / 2)]


def blocks(items, st: Styles, fonts: FontSet) -> list[Flowable]:
    story: list[Flowable] = []
    for b in items:
        if isinstance(b, Heading):
            story.append(Paragraph(esc(b.text), {1: st.h1, 2: st.h2}.get(b.level, st.h3)))
        elif isinstance(b, Para):
            story.append(Paragraph(esc(b.text), st.note if b.kind == "note" else st.body))
        elif isinstance(b, Table):
            story += _table(b, st, fonts)
        elif isinstance(b, Chart):
            chart = bed_band_chart(b.beds, width=WIDTH, font=fonts.body)
            story.append(KeepTogether([chart, Paragraph(esc(b.caption), st.caption), Spacer(1, LINE / 2)]))
    return story


def _signature(report: Report, st: Styles) -> list[Flowable]:
    """落款: the office centred over the date, the date four characters in from the right."""
    date = f"{report.signed.year}年{report.signed.month}月{report.signed.day}日"
    w_date = stringWidth(date, st.right.fontName, BODY)
    w_name = stringWidth(report.office, st.right.fontName, BODY)
    date_in = 4 * BODY if w_name <= w_date else 2 * BODY + (w_name - w_date) / 2
    name_in = date_in + (w_date - w_name) / 2
    return [
        Spacer(1, 2 * LINE),
        Paragraph(esc(report.office), ParagraphStyle("署名", parent=st.right, rightIndent=max(0.0, name_in))),
        Paragraph(date, ParagraphStyle("成文日期", parent=st.right, rightIndent=date_in)),
    ]


def _letterhead(report: Report, st: Styles, fonts: FontSet) -> list[Flowable]:
    mark = f"{report.office}文件"
    size = min(42.0, WIDTH / max(1, len(mark)) * 0.98)  # as large as 初号, but on one line
    head = ParagraphStyle("发文机关标志", fontName=fonts.title, fontSize=size, leading=size * 1.2, alignment=TA_CENTER)
    head.textColor = RED
    story: list[Flowable] = [Spacer(1, 35 * mm - LINE), Paragraph(esc(mark), head), Spacer(1, 2 * LINE)]
    if report.signer:  # an upward document: its number one character in, the 签发人 at the right
        number = Paragraph(
            esc(report.doc_number) or "&nbsp;", ParagraphStyle("发文字号", parent=st.flush, leftIndent=BODY)
        )
        signer = Paragraph(
            f'签发人：<font name="{fonts.kai}">{esc(report.signer)}</font>',
            ParagraphStyle("签发人", parent=st.right, rightIndent=BODY),
        )
        line = RLTable([[number, signer]], colWidths=[WIDTH * 0.6, WIDTH * 0.4])
        line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(line)
    else:
        story.append(
            Paragraph(
                esc(report.doc_number) or "&nbsp;", ParagraphStyle("发文字号", parent=st.flush, alignment=TA_CENTER)
            )
        )
    story += [
        HRFlowable(width="100%", thickness=1, color=RED, spaceBefore=4 * mm, spaceAfter=2 * LINE - 4),
        Paragraph("<br/>".join(esc(line) for line in report.title_lines), st.title),
        Spacer(1, LINE),
        Paragraph(esc(report.addressee) + "：", st.flush),
    ]
    return story


def _attachment_note(report: Report, st: Styles) -> list[Flowable]:
    if not report.attachments:
        return []
    story: list[Flowable] = [Spacer(1, LINE)]
    for n, a in enumerate(report.attachments, 1):
        lead = "附件：" if n == 1 else ""
        indent = 2 * BODY if n == 1 else 5 * BODY
        story.append(
            Paragraph(f"{lead}{n}．{esc(a.title)}", ParagraphStyle(f"附件{n}", parent=st.flush, leftIndent=indent))
        )
    return story


def story_of(report: Report, fonts: FontSet) -> list[Flowable]:
    st = Styles(fonts)
    # The 落款 never stands on a page of its own: the body's last paragraph (特此报告。) goes with it.
    story = _letterhead(report, st, fonts) + blocks(report.blocks[:-1], st, fonts)
    ending = blocks(report.blocks[-1:], st, fonts) + _attachment_note(report, st) + _signature(report, st)
    story.append(KeepTogether(ending))
    for n, a in enumerate(report.attachments, 1):
        story += [
            PageBreak(),
            Paragraph(f"附件{n}", st.attachment_mark),
            Spacer(1, LINE),
            Paragraph(esc(a.title), st.title),
            Spacer(1, LINE / 2),
            *blocks(a.blocks, st, fonts),
        ]
    return story


def _page_number(canvas, doc) -> None:
    """ "— 1 —" in 4号, its rule 7 mm under the text area, one character in from the outer edge."""
    n = canvas.getPageNumber()
    text = f"— {n} —"
    canvas.saveState()
    canvas.setFont(doc.fonts.body, 14)
    y = BOTTOM - 7 * mm - 14 * 0.8
    if n % 2:
        canvas.drawRightString(A4[0] - RIGHT - 14, y, text)
    else:
        canvas.drawString(LEFT + 14, y, text)
    canvas.restoreState()


def write(report: Report, path: Path, fonts: FontSet) -> int:
    """Lay the report out into ``path``; returns the number of pages."""
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=report.title,
        author=report.office,
        subject=f"{report.period.label}；字体：{fonts.described()}",
        keywords=f"font={fonts.family}",
        creator=CREATOR,
    )
    doc.fonts = fonts
    frame = Frame(
        LEFT,
        BOTTOM,
        WIDTH,
        A4[1] - TOP - BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
    doc.build(story_of(report, fonts))
    return doc.page
