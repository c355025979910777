"""A workbook of forms written straight as SpreadsheetML (the XML inside an .xlsx), for the submission sheets.

Why not openpyxl or xlsxwriter: a city's staff roster is 25,000 rows of 14 to 20 styled cells, and both libraries
spend about 5 µs of Python on each cell (openpyxl's write-only mode 1.95 s, xlsxwriter's constant-memory mode
1.87 s for the same unstyled cells here), which made the export slower than the reading and checking around it.
A form needs few parts: a handful of cell styles, merged titles, column widths, row heights, frozen header rows,
header rows repeated on printed pages and an A4 page set-up; each row is one f-string of its cells here.
openpyxl still writes the templates (which need data validation and are small) and reads everything back in the
tests, which also open every sheet in LibreOffice.

Text is written as shared strings, after ``cell_text`` (text stays text, never a formula; only characters a
workbook may hold). Elements are written in the order the schema (ECMA-376 part 1, CT_Worksheet) requires, since
Excel refuses a sheet whose elements are out of order.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from desktop.excel.cells import cell_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system, past its 1900 leap-year error
CREATOR = "县域卫生健康台账"

# Number formats Excel knows by number; any other gets its own id from 164 on.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
DATE_FORMAT = "yyyy-mm-dd"
DEFAULT_FONT = ("Calibri", 11.0, False)  # Excel's: column widths are counted in its digits, as openpyxl's were


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


LETTERS = tuple(column_letter(i) for i in range(1, 703))  # A … ZZ: wider than any form


@dataclass(frozen=True)
class Style:
    """A cell's look. ``horizontal``: left, center, right or general; ``fill``: an RGB colour like F2F2F2."""

    font: str = "宋体"
    size: float = 10.5
    bold: bool = False
    horizontal: str = "general"
    vertical: str = "center"
    wrap: bool = False
    number_format: str = "General"
    border: bool = False
    fill: str | None = None


def _is_date_format(code: str) -> bool:
    return code != "General" and any(c in code.lower() for c in "ymd")


class FormWorkbook:
    """Sheets added one after another, each written row by row, then saved whole."""

    def __init__(self) -> None:
        self.sheets: list[FormSheet] = []
        self._styles: dict[Style, int] = {}
        self._style_list: list[Style] = []
        self._dated: dict[int, int] = {}  # a style → the same with a date format, for a date in a column of text
        self._strings: dict[str, int] = {}  # text as given → its index among the shared strings
        self._unique: dict[str, int] = {}  # text as written → index
        self.style(Style(font=DEFAULT_FONT[0], size=DEFAULT_FONT[1], vertical="bottom"))  # 0: a cell left alone

    def style(self, style: Style) -> int:
        """The index of ``style`` among the workbook's cell formats."""
        index = self._styles.get(style)
        if index is None:
            index = self._styles[style] = len(self._style_list)
            self._style_list.append(style)
        return index

    def dated(self, index: int) -> int:
        """``index``'s style, or the same showing a date, for a date value."""
        found = self._dated.get(index)
        if found is None:
            style = self._style_list[index]
            if not _is_date_format(style.number_format):
                style = Style(**{**style.__dict__, "number_format": DATE_FORMAT})
            found = self._dated[index] = self.style(style)
        return found

    def text(self, value: str) -> int:
        """The shared string's index of a text (cleaned the one way every workbook's text is)."""
        written = cell_text(value)
        index = self._unique.get(written)
        if index is None:
            index = self._unique[written] = len(self._unique)
        self._strings[value] = index
        return index

    def add_sheet(self, name: str) -> FormSheet:
        sheet = FormSheet(self, name)
        self.sheets.append(sheet)
        return sheet

    # -- saving --------------------------------------------------------------------------------------

    def save(self, target: str | os.PathLike[str] | IO[bytes]) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", self._content_types())
            zf.writestr("_rels/.rels", self._package_rels())
            zf.writestr("docProps/core.xml", self._core())
            zf.writestr("docProps/app.xml", self._app())
            zf.writestr("xl/workbook.xml", self._workbook())
            zf.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            zf.writestr("xl/styles.xml", self._stylesheet())
            for number, sheet in enumerate(self.sheets, 1):
                with zf.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                    sheet.write_to(out)
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                self._write_shared_strings(out)

    def _content_types(self) -> str:
        sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = [
            ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
            ("/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        ] + [(f"/xl/worksheets/sheet{i}.xml", sheet) for i in range(1, len(self.sheets) + 1)]
        return (
            HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
            + "</Types>"
        )

    def _package_rels(self) -> str:
        base = "http://schemas.openxmlformats.org"
        rels = [
            ("rId1", f"{base}/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml"),
            ("rId2", f"{base}/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{base}/officeDocument/2006/relationships/extended-properties", "docProps/app.xml"),
        ]
        return _relationships(rels)

    def _core(self) -> str:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            HEAD
            + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{CREATOR}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _app(self) -> str:
        return (
            HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{CREATOR}</Application></Properties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(self.sheets, 1)
        )
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(_quoted_sheet(s.name))}!${s.print_titles[0]}:${s.print_titles[1]}</definedName>"
            for i, s in enumerate(self.sheets)
            if s.print_titles
        )
        return (
            HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>"
        )

    def _workbook_rels(self) -> str:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        n = len(self.sheets)
        rels = [(f"rId{i}", f"{kind}/worksheet", f"worksheets/sheet{i}.xml") for i in range(1, n + 1)]
        rels += [
            (f"rId{n + 1}", f"{kind}/styles", "styles.xml"),
            (f"rId{n + 2}", f"{kind}/sharedStrings", "sharedStrings.xml"),
        ]
        return _relationships(rels)

    def _stylesheet(self) -> str:
        formats: dict[str, int] = {}
        fonts: dict[tuple[str, float, bool], int] = {DEFAULT_FONT: 0}
        fills: dict[str | None, int] = {None: 0, "gray125": 1}  # the two fills every workbook starts with
        xfs = []
        for style in self._style_list:
            number = BUILTIN_FORMATS.get(style.number_format)
            if number is None:
                number = formats.setdefault(style.number_format, 164 + len(formats))
            font = fonts.setdefault((style.font, style.size, style.bold), len(fonts))
            fill = fills.setdefault(style.fill, len(fills))
            align = f' horizontal="{style.horizontal}"' if style.horizontal != "general" else ""
            align += f' vertical="{style.vertical}"' if style.vertical != "bottom" else ""
            align += ' wrapText="1"' if style.wrap else ""
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{int(style.border)}" xfId="0"'
                + (' applyNumberFormat="1"' if number else "")
                + (' applyFont="1"' if font else "")
                + (' applyFill="1"' if fill else "")
                + (' applyBorder="1"' if style.border else "")
                + (f' applyAlignment="1"><alignment{align}/></xf>' if align else "/>")
            )
        font_xml = "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{size:g}"/><name val={quoteattr(name)}/>'
            + ("" if name == DEFAULT_FONT[0] else '<charset val="134"/>')
            + "</font>"
            for (name, size, bold) in fonts
        )
        fill_xml = '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        fill_xml += "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill>'
            "</fill>"
            for rgb in list(fills)[2:]
        )
        thin = "".join(
            f'<{side} style="thin"><color rgb="FF000000"/></{side}>' for side in ("left", "right", "top", "bottom")
        )
        return (
            HEAD
            + f'<styleSheet xmlns="{MAIN}">'
            + (
                f'<numFmts count="{len(formats)}">'
                + "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in formats.items())
                + "</numFmts>"
                if formats
                else ""
            )
            + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            + f'<fills count="{len(fills)}">{fill_xml}</fills>'
            + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            + f"<border>{thin}<diagonal/></border></borders>"
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + "</styleSheet>"
        )

    def _write_shared_strings(self, out: IO[bytes]) -> None:
        n = len(self._unique)
        out.write(f'{HEAD}<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">'.encode())
        chunk = []
        for text in self._unique:  # in index order: a dict keeps its insertion order
            chunk.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>')
            if len(chunk) == 2000:
                out.write("".join(chunk).encode())
                chunk.clear()
        out.write(("".join(chunk) + "</sst>").encode())


class FormSheet:
    """One sheet: its layout is set before its first row, as a stream needs; rows are appended in order."""

    def __init__(self, book: FormWorkbook, name: str) -> None:
        self.book = book
        self.name = name
        self.widths: list[float] = []  # of columns A, B, … in characters
        self.freeze: tuple[int, int] | None = None  # (rows, columns) kept in view
        self.print_titles: tuple[int, int] | None = None  # the rows repeated on every printed page
        self.landscape = True
        self.margins = (0.5, 0.5, 0.7, 0.7)  # left, right, top, bottom, in inches
        self.footer = ""  # the centre of every page's footer, in Excel's codes (&P the page, &N the pages)
        self.footer_font = ""
        self.merged: list[str] = []
        self.rows = 0
        self.columns = 0
        self._rows: list[str] = []

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.merged.append(f"{LETTERS[first_column - 1]}{first_row}:{LETTERS[last_column - 1]}{last_row}")

    def append(self, cells: Sequence[tuple[Any, int] | None], height: float | None = None) -> None:
        """The next row: each cell a (value, style index), or None for no cell; ``height`` in points."""
        self._row(
            [(letter, cell[0], cell[1], cell[1]) for letter, cell in zip(LETTERS, cells) if cell is not None],  # noqa: B905
            len(cells),
            height,
        )

    def append_values(
        self, values: Sequence[Any], styles: Sequence[tuple[int, int]], height: float | None = None
    ) -> None:
        """The next row of a table: each column's value with its column's (style for a value, style for text)."""
        self._row(
            [(letter, v, s[0], s[1]) for letter, v, s in zip(LETTERS, values, styles)],  # noqa: B905
            len(values),
            height,
        )

    def _row(self, cells: list[tuple[str, Any, int, int]], width: int, height: float | None) -> None:
        self.rows += 1
        number = str(self.rows)
        strings = self.book._strings
        out = []
        for letter, value, style, text_style in cells:
            kind = type(value)
            if kind is str:
                if value:
                    index = strings.get(value)
                    if index is None:
                        index = self.book.text(value)
                    out.append(f'<c r="{letter}{number}" s="{text_style}" t="s"><v>{index}</v></c>')
                else:
                    out.append(f'<c r="{letter}{number}" s="{text_style}"/>')
            elif kind is int or (kind is float and math.isfinite(value)):
                out.append(f'<c r="{letter}{number}" s="{style}"><v>{value!r}</v></c>')
            elif value is None:
                out.append(f'<c r="{letter}{number}" s="{text_style}"/>')
            else:
                out.append(self._other(letter + number, value, style, text_style))
        self.columns = max(self.columns, width)
        if height is None:
            self._rows.append(f'<row r="{number}">{"".join(out)}</row>')
        else:
            self._rows.append(f'<row r="{number}" ht="{height:g}" customHeight="1">{"".join(out)}</row>')

    def _other(self, ref: str, value: Any, style: int, text_style: int) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.datetime):
            moment = value.replace(tzinfo=None) - EPOCH
            serial = moment.days + moment.seconds / 86400 + moment.microseconds / 86_400_000_000
            return f'<c r="{ref}" s="{self.book.dated(style)}"><v>{serial!r}</v></c>'
        if isinstance(value, dt.date):
            serial = (dt.datetime(value.year, value.month, value.day) - EPOCH).days
            return f'<c r="{ref}" s="{self.book.dated(style)}"><v>{serial}</v></c>'
        if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
            return f'<c r="{ref}" s="{style}"><v>{float(value)!r}</v></c>'
        text = str(value)  # anything else (an enum, a non-finite number) as the text it reads as
        index = self.book._strings.get(text)
        if index is None:
            index = self.book.text(text)
        return f'<c r="{ref}" s="{text_style}" t="s"><v>{index}</v></c>'

    def write_to(self, out: IO[bytes]) -> None:
        last = f"{LETTERS[max(self.columns, 1) - 1]}{max(self.rows, 1)}"
        head = [HEAD, f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">', '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>']
        head.append(f'<dimension ref="A1:{last}"/>')
        head.append(f'<sheetViews><sheetView workbookViewId="0">{self._pane()}</sheetView></sheetViews>')
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            head.append(
                "<cols>"
                + "".join(
                    f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(self.widths, 1)
                )
                + "</cols>"
            )
        head.append("<sheetData>")
        out.write("".join(head).encode())
        for start in range(0, len(self._rows), 1000):
            out.write("".join(self._rows[start : start + 1000]).encode())
        tail = ["</sheetData>"]
        if self.merged:
            tail.append(
                f'<mergeCells count="{len(self.merged)}">'
                + "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merged)
                + "</mergeCells>"
            )
        left, right, top, bottom = self.margins
        tail.append('<printOptions horizontalCentered="1"/>')
        tail.append(
            f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" header="0.5" footer="0.5"/>'
        )
        orientation = "landscape" if self.landscape else "portrait"
        tail.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
        if self.footer:
            font = f'&"{self.footer_font},Regular"' if self.footer_font else ""
            tail.append(f"<headerFooter><oddFooter>{escape('&C' + font + self.footer)}</oddFooter></headerFooter>")
        tail.append("</worksheet>")
        out.write("".join(tail).encode())

    def _pane(self) -> str:
        if not self.freeze or self.freeze == (0, 0):
            return ""
        rows, columns = self.freeze
        corner = f"{LETTERS[columns]}{rows + 1}"
        pane = "bottomRight" if rows and columns else "bottomLeft" if rows else "topRight"
        split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
        return (
            f'<pane{split} topLeftCell="{corner}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{corner}" sqref="{corner}"/>'
        )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _relationships(rels: list[tuple[str, str, str]]) -> str:
    return (
        HEAD
        + f'<Relationships xmlns="{PACKAGE_RELS}">'
        + "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
        + "</Relationships>"
    )
