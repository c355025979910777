"""The report as a Word file (python-docx) the office edits before it is signed: the same description and layout
as the PDF (``desktop.report.pdf``), set in named styles (公文标题, 正文, 标题 1 …) so that Word or WPS restyles
it in one place. The faces are named, not embedded: 方正小标宋简体, 仿宋, 黑体 and 楷体, which an office's PC has;
charts are pictures."""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from desktop.charts import bed_band_chart, to_png
from desktop.report.content import Chart, Heading, Para, Progress, Report, Table
from desktop.report.fonts import OFFICIAL_FACE, FontSet
from desktop.report.pdf import BODY, CREATOR, TITLE, WIDTH
from desktop.validators import clean_text

log = logging.getLogger(__name__)

LINE = Pt(28.95)  # 22 lines of 3号 in the 225 mm text area
RED = RGBColor(0xE6, 0x00, 0x12)
FILLS = {"bad": "FDE2E2", "warn": "FFF0D6", "head": "EEEEEE"}
TEXT_WIDTH = Mm(156)


def _faces(style, face: str, size: float, *, bold: bool = False) -> None:
    style.font.name = face
    style.font.size = Pt(size)
    style.font.bold = bold
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def _paragraph_style(
    doc,
    name: str,
    face: str,
    size: float,
    *,
    base: str | None = None,
    indent: bool = False,
    align=WD_ALIGN_PARAGRAPH.LEFT,
    exact: bool = True,
):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    _faces(style, face, size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * size) if indent else Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
    return style


def _styles(doc) -> None:
    body, title, heading, kai = (OFFICIAL_FACE[r] for r in ("body", "title", "heading", "kai"))
    _paragraph_style(doc, "Normal", body, BODY, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for name, face in (("Heading 1", heading), ("Heading 2", kai), ("Heading 3", body)):
        style = _paragraph_style(doc, name, face, BODY, indent=True)
        style.paragraph_format.keep_with_next = True
        style.font.italic = False
    _paragraph_style(doc, "公文标题", title, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    doc.styles["公文标题"].paragraph_format.line_spacing = 1.25
    _paragraph_style(doc, "发文机关标志", title, 42, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _paragraph_style(doc, "发文字号", body, BODY)
    _paragraph_style(doc, "主送机关", body, BODY)
    _paragraph_style(doc, "附件说明", body, BODY)
    _paragraph_style(doc, "落款", body, BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, "附件标识", heading, BODY)
    _paragraph_style(doc, "附注", body, 12, exact=False)
    note = _paragraph_style(doc, "表题", heading, 12, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    note.paragraph_format.keep_with_next = True
    _paragraph_style(doc, "表格单位", body, 10.5, align=WD_ALIGN_PARAGRAPH.RIGHT, exact=False)
    _paragraph_style(doc, "表格文字", body, 10.5, exact=False)
    _paragraph_style(doc, "表头", heading, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _paragraph_style(doc, "页码", body, 14)


def _text(text: object) -> str:
    return clean_text(str(text), multiline=True)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(doc, t: Table) -> None:
    if t.caption:
        doc.add_paragraph(_text(t.caption), style="表题")
    if t.unit:
        doc.add_paragraph(_text(t.unit), style="表格单位")
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, column in enumerate(t.columns):  # the grid's widths are what LibreOffice and WPS lay out by
        table.columns[c].width = Mm(156 * column.share)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()  # the header row repeats on each page the table runs onto
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for c, column in enumerate(t.columns):
        cell = header.cells[c]
        cell.width = Mm(156 * column.share)
        cell.paragraphs[0].style = doc.styles["表头"]
        cell.paragraphs[0].text = _text(column.head)
        _shade(cell, FILLS["head"])
    for r, row in enumerate(t.rows):
        cells = table.rows[r + 1].cells
        fill = FILLS.get(t.marks.get(r, "")) or (FILLS["head"] if t.total and r == len(t.rows) - 1 else None)
        for c, (column, value) in enumerate(zip(t.columns, row, strict=True)):
            cell = cells[c]
            cell.width = Mm(156 * column.share)
            p = cell.paragraphs[0]
            p.style = doc.styles["表格文字"]
            p.text = _text(str(value) if isinstance(value, Progress) else value)
            if column.numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if fill:
                _shade(cell, fill)
    doc.add_paragraph(style="附注")


def _chart(doc, b: Chart, fonts: FontSet) -> None:
    if fonts.path is None:  # no TrueType face to paint the names with: the PDF still has the chart
        doc.add_paragraph(f"（{_text(b.caption)}：本机没有可用的中文字体，无法绘制图片，请查看PDF版本）", style="附注")
        return
    try:
        picture = to_png(bed_band_chart(b.beds, width=WIDTH, font=fonts.body), fonts.path, dpi=200)
    except OSError as exc:  # the face could not be read after all
        log.warning("chart not drawn into the Word file: %s", exc)
        doc.add_paragraph(f"（{_text(b.caption)}：本机无法绘制图片，请查看PDF版本）", style="附注")
        return
    doc.add_picture(BytesIO(picture), width=TEXT_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_text(b.caption), style="表题").paragraph_format.keep_with_next = False


def blocks(doc, items, fonts: FontSet) -> None:
    for b in items:
        if isinstance(b, Heading):
            doc.add_paragraph(_text(b.text), style=f"Heading {min(b.level, 3)}")
        elif isinstance(b, Para):
            doc.add_paragraph(_text(b.text), style="附注" if b.kind == "note" else "Normal")
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Chart):
            _chart(doc, b, fonts)


def _red_rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "8"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _letterhead(doc, report: Report) -> None:
    mark = doc.add_paragraph(_text(f"{report.office}文件"), style="发文机关标志")
    mark.paragraph_format.space_before = Emu(Mm(35) - LINE)
    mark.paragraph_format.space_after = Emu(LINE * 2)
    size = min(42.0, 442 / max(1, len(mark.text)) * 0.98)
    for run in mark.runs:
        run.font.color.rgb = RED
        run.font.size = Pt(size)
    number = doc.add_paragraph(style="发文字号")
    if report.signer:  # an upward document: its number one character in, the 签发人 at the right
        number.paragraph_format.left_indent = Pt(BODY)
        number.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(BODY), WD_TAB_ALIGNMENT.RIGHT)
        number.add_run(_text(report.doc_number) + "\t签发人：")
        number.add_run(_text(report.signer)).font.name = OFFICIAL_FACE["kai"]
    else:
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.add_run(_text(report.doc_number))
    _red_rule(number)
    number.paragraph_format.space_after = Emu(LINE * 2)
    title = doc.add_paragraph(style="公文标题")
    for n, line in enumerate(report.title_lines):
        if n:
            title.add_run().add_break(WD_BREAK.LINE)
        title.add_run(_text(line))
    title.paragraph_format.space_after = LINE
    doc.add_paragraph(_text(report.addressee) + "：", style="主送机关")


def _ending(doc, report: Report) -> None:
    if report.attachments:
        doc.add_paragraph(style="附件说明")
        for n, a in enumerate(report.attachments, 1):
            p = doc.add_paragraph(("附件：" if n == 1 else "") + f"{n}．{_text(a.title)}", style="附件说明")
            p.paragraph_format.left_indent = Pt(2 * BODY if n == 1 else 5 * BODY)
            p.paragraph_format.keep_with_next = True
    date = f"{report.signed.year}年{report.signed.month}月{report.signed.day}日"
    w_name, w_date = len(report.office), len(date) - sum(ch.isdigit() for ch in date) / 2
    date_in = 4.0 if w_name <= w_date else 2 + (w_name - w_date) / 2
    name_in = date_in + (w_date - w_name) / 2
    for _ in range(2):
        doc.add_paragraph(style="落款").paragraph_format.keep_with_next = True
    signed = doc.add_paragraph(_text(report.office), style="落款")
    signed.paragraph_format.right_indent = Pt(BODY * max(0.0, name_in))
    signed.paragraph_format.keep_with_next = True
    doc.add_paragraph(date, style="落款").paragraph_format.right_indent = Pt(BODY * date_in)


def _page_numbers(doc) -> None:
    """ "— 1 —" at the outer corner: right on odd pages, left on even ones, one character in."""
    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        p.add_run("— ")
        run = p.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text.strip() == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)
        p.add_run(" —")


def write(report: Report, path: Path, fonts: FontSet) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(22)
    _styles(doc)
    _page_numbers(doc)
    _letterhead(doc, report)
    blocks(doc, report.blocks, fonts)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True  # 特此报告。 stays on the 落款's page
    _ending(doc, report)
    for n, a in enumerate(report.attachments, 1):
        doc.add_page_break()
        doc.add_paragraph(f"附件{n}", style="附件标识")
        doc.add_paragraph(style="附件标识")
        doc.add_paragraph(_text(a.title), style="公文标题").paragraph_format.space_after = Emu(int(LINE / 2))
        blocks(doc, a.blocks, fonts)
    props = doc.core_properties
    props.title = report.title
    props.author = report.office
    props.subject = report.period.label
    props.keywords = "季度报告"
    props.comments = f"由{CREATOR}生成；建议字体：{'、'.join(OFFICIAL_FACE.values())}"
    props.last_modified_by = report.office
    doc.save(str(path))
