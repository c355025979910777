"""Refusing hostile or unreadable workbooks before any parser touches them.

``check_workbook`` is the one door every file the importer reads goes through. Beyond the file's own
checks (size, kind, zip directory and members, XML entities) it reads each worksheet once, streaming,
and works out what python-calamine would allocate for it: the rectangle from A1 to the furthest cell
(calamine fills every cell of it, and so does ``to_python(skip_empty_area=False)``), the cells with a
value, and the text they hold, a shared string counted once per cell that refers to it (calamine copies
it into each). A file whose reading would take more than ``READ_BUDGET_BYTES`` is refused before
calamine opens it.

The other kinds are vetted with the same care: an OLE compound file (.xls, WPS's .et, or an encrypted
.xlsx) through its directory and BIFF records (``compound``), an OpenDocument sheet through its
content.xml, a CSV or text table through its encoding (its rows and columns are bounded as it is read).
"""

from __future__ import annotations

import codecs
import mmap
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from desktop.excel.compound import Compound, Damaged, scan_workbook
from desktop.excel.errors import ExcelError
from desktop.validators import shorten

MAX_FILE_BYTES = 100 * 1024 * 1024
# The largest real workbook: the demo city's staff template with its 25,896 people holds 26.0 MB of
# XML (25.6 MB of it the sheet; 2.4 MB zipped); saved again by LibreOffice, 22.6 MB. At the 100,000-row
# cap below that is about 100 MB: 200 MB leaves room for a wordier writer.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# Uncompressed / compressed, for members over RATIO_FLOOR_BYTES. Real sheets: 8 to 12 (templates, the
# export), 23.6 at most (the city's plan-indicator sheet, 4.4 MB).
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
# zipfile and calamine each hold every entry of the central directory: a 88 MB file of a million empty
# entries took zipfile 520 MB. A workbook's directory is a few kilobytes.
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_ROWS = 100_000  # data rows per sheet; a city's staff roster is about 26,000
MAX_SHEET_ROWS = MAX_ROWS + 20  # the data rows and the lines above them, as the importer allows
MAX_COLUMNS = 200  # the widest template has 20 columns; a roster kept elsewhere may carry many more
MAX_SHARED_STRINGS = 2_000_000
MAX_STRUCTURE_BYTES = 8 * 1024 * 1024  # the workbook's list of sheets and its relationships: a few KB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What reading costs, measured with python-calamine 0.9.1 on CPython 3.11 (x86_64) as peak resident
# memory over the interpreter's: A1 and CV100000 (10 million cells, two with a value) 390 MB, 39 bytes a
# cell; 2.6 million numbers 71 bytes a cell; 2.6 million six-character shared strings 178 bytes a cell;
# the city's staff template (518,000 cells, 381,000 with a value) 63 MB. Text costs its UTF-8 in Rust
# and one to four bytes a character in Python: at most two bytes per byte.
READ_BUDGET_BYTES = 400 * 1024 * 1024  # with the importer's own 65-150 MB, an import stays under ~600 MB
EXTENT_CELL_BYTES = 40
VALUE_CELL_BYTES = 110
TEXT_BYTE_COST = 2
SHARED_STRING_BYTES = 56  # calamine keeps each shared string once: a Rust String and its allocation
MIN_CELL_MARKUP = 20  # the least XML a cell with a value takes besides its text: <c r="A1"><v>1</v></c>
# A sheet not in the writers' usual form is read element by element with expat, a Python call or three
# each: the city's staff sheet (1.1 million elements) took 1.9 s that way, against 0.25 s in the usual
# form. A sheet of 100,000 rows and 20 columns of text has about 6 million; the cap keeps a hostile one
# to some 15 s.
MAX_ELEMENTS = 8_000_000

CHUNK_BYTES = 4 * 1024 * 1024

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# An OpenDocument sheet is one content.xml, several times wordier than a worksheet's XML: a cell is
# <table:table-cell office:value-type="string" calcext:value-type="string"><text:p>张三</text:p>
# </table:table-cell>, about 100 bytes against xlsx's 30, so the city's staff roster (518,000 cells) is
# some 50 MB of it and the 100,000-row cap at 20 columns about 200 MB. It is read element by element
# (repeated rows and cells must be counted as calamine expands them), so this also caps the time.
MAX_ODS_CONTENT_BYTES = 200 * 1024 * 1024

TEXT_SUFFIXES = (".csv", ".txt")
WPS_SUFFIXES = (".et", ".ett")
ACCEPTED = (
    "可以导入的有：Excel 工作簿（.xlsx、.xlsm、.xls）、WPS 表格（.et）、OpenDocument 表格（.ods）"
    "和 CSV 或文本表格（.csv、.txt）。"
)
WPS_SAVE_AS = (
    "请在 WPS 中打开它，点 文件 › 另存为，文件类型选 “Microsoft Excel 工作簿(*.xlsx)”，保存后导入新的 .xlsx 文件。"
)


def password_refusal(path: Path) -> ExcelError:
    return ExcelError(
        f"“{path.name}”设置了打开密码，无法导入。请在 Excel 或 WPS 中用密码打开它，取消密码后保存，再导入："
        "Excel 中点 文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码；"
        "WPS 中点 文件 › 文档加密 › 密码加密，清空打开密码。"
    )


def extent_refusal(sheet: str, cell: str) -> ExcelError:
    """A sheet that reaches past the importable range, whatever kind of file it is in."""
    return ExcelError(
        f"工作表“{shorten(sheet)}”用到了 {shorten(cell)} 单元格，超出可导入的范围"
        f"（最多 {MAX_SHEET_ROWS:,} 行、{MAX_COLUMNS} 列，即 A1:{cell_name(MAX_COLUMNS, MAX_SHEET_ROWS)}）。"
        "请删除这个范围以外的行和列（包括只设了格式的）后再导入；"
        f"数据超过 {MAX_ROWS:,} 行的，请分批导入。"
    )


def budget_refusal(path: Path, total: int, biggest: str) -> ExcelError:
    return ExcelError(
        f"“{path.name}”的内容过多：读取约需 {total // (1024 * 1024):,} MB 内存，超过 "
        f"{READ_BUDGET_BYTES // (1024 * 1024)} MB 的上限（最多的是工作表“{shorten(biggest)}”）。"
        "请删去不需要的行、列和很长的文字，或把数据分成几个文件导入。"
    )


_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    ValueError,
    struct.error,
    expat.ExpatError,
)


@dataclass(frozen=True)
class Vetted:
    """What ``check_workbook`` found the file to be: "xlsx" (any OOXML zip workbook), "xls" (BIFF in a
    compound file, .xls or WPS's .et), "ods", or "text" (a CSV or text table, in ``encoding``)."""

    kind: str
    encoding: str | None = None


def check_workbook(path: Path) -> Vetted:
    """Raise ExcelError with a Chinese explanation if the file is not a workbook that is safe to read.

    Every kind of file the importer reads is told apart here by its first bytes (the name's suffix counts
    only for a text table, which has none) and vetted before its parser opens it.
    """
    if not path.exists():
        raise ExcelError(f"找不到文件：{path}")
    size = path.stat().st_size
    if size == 0:
        raise ExcelError(f"文件“{path.name}”是空的。")
    if size > MAX_FILE_BYTES:
        raise ExcelError(
            f"文件“{path.name}”有 {size // (1024 * 1024)} MB，超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限。"
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        _check_compound(path)
        return Vetted("xls")
    if head.startswith(b"PK\x03\x04"):
        try:
            return Vetted(_check_zip(path))
        except _DAMAGED_ZIP:
            # a damaged archive shows itself as any of these, depending on where the damage is
            raise ExcelError(f"“{path.name}”已损坏，无法作为 Excel 工作簿打开。") from None
    if path.suffix.lower() in TEXT_SUFFIXES:
        return Vetted("text", _check_text(path))
    raise ExcelError(f"“{path.name}”不是 Excel 工作簿或其他可导入的表格文件。{ACCEPTED}")


# -- compound files: .xls, .et, encrypted .xlsx ----------------------------------------------------------


def _check_compound(path: Path) -> None:
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            ole = Compound(buf)
            names = ole.names()
            if names & {"encryptioninfo", "encryptedpackage"}:  # an OOXML package encrypted with a password
                raise password_refusal(path)
            stream = next((n for n in ("workbook", "book") if n in names), None)
            if stream is None:
                if path.suffix.lower() in WPS_SUFFIXES:
                    raise ExcelError(f"“{path.name}”是这个程序读不了的 WPS 表格格式。{WPS_SAVE_AS}")
                raise ExcelError(
                    f"“{path.name}”不是 Excel 工作簿或其他可导入的表格文件，可能是 Word 或其他 Office 文件。{ACCEPTED}"
                )
            book = scan_workbook(ole.stream(stream), biff8=stream == "workbook")
    except (Damaged, struct.error, ValueError, IndexError, OverflowError, OSError):
        raise ExcelError(f"“{path.name}”已损坏，无法读取。") from None
    if book.encrypted:  # an .xls with FILEPASS: its records are ciphertext
        raise password_refusal(path)
    costs = (
        SheetCost(
            s.name,
            rows=s.rows,
            columns=s.columns,
            lowest=cell_name(*s.lowest),
            widest=cell_name(*s.widest),
            values=s.values,
            text=s.text,
            shared=Counter(s.shared),
        )
        for s in book.sheets
    )
    _refuse_costs(path, costs, book.shared_sizes)


# -- text tables ----------------------------------------------------------------------------------------


def text_encoding(path: Path) -> str | None:
    """The encoding a text table is in: UTF-16 if it starts with its byte-order mark (Excel's "Unicode
    text"), else UTF-8 (with or without a BOM), else GB18030 (which GBK and GB2312 are subsets of); None
    if it decodes in none of them. Raises ValueError if it holds a NUL, which no text table does."""
    with path.open("rb") as fh:
        head = fh.read(2)
    candidates = ["utf-16"] if head in (b"\xff\xfe", b"\xfe\xff") else ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            with path.open("rb") as fh:
                while data := fh.read(CHUNK_BYTES):
                    if "\0" in decoder.decode(data):
                        raise ValueError("NUL in a text file")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _check_text(path: Path) -> str:
    try:
        encoding = text_encoding(path)
    except ValueError:
        raise ExcelError(f"“{path.name}”含有二进制内容，不是文本表格，无法导入。{ACCEPTED}") from None
    if encoding is None:
        raise ExcelError(
            f"“{path.name}”的文字编码无法识别（应为 UTF-8 或 GBK），不是可导入的文本表格。"
            "请在 WPS 或 Excel 中打开，另存为 Excel 工作簿（.xlsx）再导入。"
        )
    return encoding


# -- zip workbooks: .xlsx and .ods ----------------------------------------------------------------------


def _check_zip(path: Path) -> str:  # noqa: C901
    with path.open("rb") as fh:
        if _directory_size(fh) > MAX_DIRECTORY_BYTES:
            raise ExcelError(f"“{path.name}”中的文件条目过多，不是正常的工作簿，已拒绝读取。")
    with zipfile.ZipFile(path) as z:
        members = z.infolist()
        total = 0
        for m in members:
            total += m.file_size
            if m.flag_bits & 0x1:  # zip encryption: no spreadsheet program writes it
                raise zipfile.BadZipFile
            if m.file_size > RATIO_FLOOR_BYTES and m.file_size > m.compress_size * MAX_RATIO:
                what = shorten(m.filename)
                raise ExcelError(f"“{path.name}”的内容压缩比异常（{what}），疑似“压缩炸弹”，已拒绝读取。")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ExcelError(f"“{path.name}”解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝读取。")
        for m in members:
            if m.filename.endswith((".xml", ".rels")):
                with z.open(m) as fh:
                    start = fh.read(4096)
                if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                    raise ExcelError(
                        f"“{path.name}”含有 XML 实体定义（{shorten(m.filename)}），可能是恶意文件，已拒绝读取。"
                    )
        names = {m.filename for m in members}
        if "xl/workbook.xml" in names:
            _check_reading_cost(path, z)
            return "xlsx"
        if "mimetype" in names and z.read("mimetype").strip() == _ODS_MIMETYPE and "content.xml" in names:
            _check_ods(path, z)
            return "ods"
        raise ExcelError(f"“{path.name}”不是 Excel 工作簿（缺少工作簿内容），可能是 Word 或其他压缩文件。")


def _directory_size(fh: BinaryIO) -> int:
    """The size of a zip's central directory, read from its end records the way zipfile finds them."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 22 - 65535))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile
    (directory,) = struct.unpack("<I", tail[at + 12 : at + 16])
    if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":  # a zip64 locator: its record has the sizes
        (record,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        fh.seek(record)
        zip64 = fh.read(56)
        if zip64[:4] != b"PK\x06\x06":
            raise zipfile.BadZipFile
        directory = struct.unpack("<Q", zip64[40:48])[0]
    return directory


# -- what reading the sheets would cost ---------------------------------------------------------------


@dataclass
class SheetCost:
    """What calamine would hold after reading one worksheet (upper bounds)."""

    name: str
    rows: int = 0  # the furthest row and column that a cell (or the sheet's <dimension>) reaches
    columns: int = 0
    lowest: str = ""  # the cells that reach them, as the file names them
    widest: str = ""
    values: int = 0  # cells that may hold a value
    text: int = 0  # bytes of text in the sheet's own XML
    shared: Counter = field(default_factory=Counter)  # shared-string index -> cells that refer to it

    def see(self, column: int, row: int, ref: str) -> None:
        if column > self.columns:
            self.columns, self.widest = column, ref
        if row > self.rows:
            self.rows, self.lowest = row, ref

    @property
    def too_far(self) -> str | None:
        """The cell past the importable range, if any."""
        if self.columns > MAX_COLUMNS:
            return self.widest
        if self.rows > MAX_SHEET_ROWS:
            return self.lowest
        return None

    def memory(self, shared_sizes: array) -> int:
        n = len(shared_sizes)
        shared_text = sum(count * shared_sizes[i] for i, count in self.shared.items() if i < n)
        cells = self.rows * self.columns * EXTENT_CELL_BYTES + self.values * VALUE_CELL_BYTES
        return cells + (self.text + shared_text) * TEXT_BYTE_COST


def _check_reading_cost(path: Path, z: zipfile.ZipFile) -> None:
    sheets, shared_member = _parts(path, z)
    shared_sizes = _shared_string_sizes(path, z, shared_member) if shared_member else array("q")
    _refuse_costs(path, (sheet_cost(z, member, name) for member, name in sheets.items()), shared_sizes)


def _refuse_costs(path: Path, costs: Iterable[SheetCost], shared_sizes: array) -> None:
    """Refuse a file one of whose sheets reaches too far, or whose sheets together cost too much to read.
    ``costs`` may be lazy: a sheet past the range is refused before the next one is read."""
    total = len(shared_sizes) * SHARED_STRING_BYTES + sum(shared_sizes)
    biggest = (0, "")
    for cost in costs:
        far = cost.too_far
        if far is not None:
            raise extent_refusal(cost.name, far)
        size = cost.memory(shared_sizes)
        total += size
        biggest = max(biggest, (size, cost.name))
    if total > READ_BUDGET_BYTES:
        raise budget_refusal(path, total, biggest[1])


def _parts(path: Path, z: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:  # noqa: C901
    """The worksheets calamine may read (member -> sheet name), and the shared strings' member.

    calamine finds the sheets through the workbook's relationships, whatever their members are called;
    every member under xl/worksheets/ is read as well, so that a sheet the relationships leave out is
    bounded all the same.
    """
    members = {m.filename: m for m in z.infolist()}
    by_lower = {m.lower(): m for m in members}
    sheets: dict[str, str] = {}
    shared = by_lower.get("xl/sharedstrings.xml")
    structure = [m for m in ("xl/workbook.xml", by_lower.get("xl/_rels/workbook.xml.rels")) if m]
    if any(members[m].file_size > MAX_STRUCTURE_BYTES for m in structure):
        raise ExcelError(f"“{path.name}”的工作簿结构异常（工作表清单过大），不是正常的工作簿，已拒绝读取。")
    try:
        workbook, rels = (fromstring(z.read(m)) for m in structure) if len(structure) == 2 else (None, None)
    except (ParseError, DefusedXmlException):
        # calamine's parser forgives more than this one: a sheet it would find here must not go unread
        raise ExcelError(f"“{path.name}”已损坏，无法作为 Excel 工作簿打开。") from None
    if workbook is not None and rels is not None:
        targets: dict[str, tuple[str, str]] = {}
        for rel in rels:
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rel.get("Id", "")] = (rel.get("Type", ""), by_lower.get(member.lower(), member))
        for sheet in workbook.iter():
            if sheet.tag.rpartition("}")[2] == "sheet":
                rid = next((v for k, v in sheet.attrib.items() if k.rpartition("}")[2] == "id"), "")
                member = targets.get(rid, ("", ""))[1]
                if member in members:
                    sheets[member] = sheet.get("name") or member
        for kind, member in targets.values():
            if kind.endswith("/sharedStrings") and member in members:
                shared = member
    for lower, member in by_lower.items():
        if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
            sheets.setdefault(member, posixpath.basename(member))
    return sheets, shared


def cell_name(column: int, row: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


# A huge number in a hostile file must cost no time to convert (nor trip Python's 4,300-digit limit).
_FAR = 10**9


def _number(digits: bytes | str) -> int:
    digits = digits.lstrip(b"0" if isinstance(digits, bytes) else "0")
    return int(digits or 0) if len(digits) < 10 else _FAR


def _column_number(letters: bytes | str) -> int:
    if len(letters) > 4:
        return _FAR
    n = 0
    for ch in letters.upper().encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


# -- shared strings -----------------------------------------------------------------------------------

_SI = re.compile(rb"<(?:[^\s/>:]+:)?si[\s/>]")


def _shared_string_sizes(path: Path, z: zipfile.ZipFile, member: str) -> array:
    """For each shared string, the bytes of XML it takes: no fewer than the UTF-8 of its text (&#22995;
    is one character of three bytes, &amp; one byte), so a bound of what each cell naming it costs."""
    sizes = array("q")
    last = None
    offset = 0
    for buf in _chunks(z, member):
        for m in _SI.finditer(buf):
            at = offset + m.start()
            if last is not None:
                sizes.append(at - last)
            last = at
        offset += len(buf)
        if len(sizes) > MAX_SHARED_STRINGS:
            raise ExcelError(f"“{path.name}”中的文字条目超过 {MAX_SHARED_STRINGS:,} 个，已拒绝读取。")
    if last is not None:
        sizes.append(offset - last)
    return sizes


def _chunks(z: zipfile.ZipFile, member: str):
    """A member's XML in pieces of about CHUNK_BYTES, each cut just before a tag, never inside one, and
    where it can be, before a cell or a row, so that a cell lies whole in one piece."""
    carry = b""
    with z.open(member) as fh:
        while data := fh.read(CHUNK_BYTES):
            if not carry and b"\0" in data[:4]:
                # UTF-16 or UTF-32, which no spreadsheet program writes and these scans would not see
                # through: calamine 0.9 reads such a sheet as empty, a later one might decode it.
                raise ValueError(f"{member} is not in UTF-8")
            buf = carry + data
            cut = max(buf.rfind(b'<c r="'), buf.rfind(b"<row"))
            if cut <= 0:
                cut = buf.rfind(b"<")
            if cut <= 0:  # no tag starts after the first byte, so none is cut in two
                cut = len(buf)
            carry = buf[cut:]
            yield buf[:cut]
    if carry:
        yield carry


# -- worksheets ---------------------------------------------------------------------------------------

# The form Excel, WPS, LibreOffice and openpyxl write: every cell <c r="B7" ...>, a shared string's
# <c r="B7" s="1" t="s"><v>12</v></c>. It is read with a few scans at C speed per piece; a sheet in any
# other form (cells without r, prefixed names, attributes in another order) is read element by element.
_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
# A cell not in that form: without r, r not first, or r not letters then digits (one scan, not one for each).
_OTHER_CELL = re.compile(rb'<c(?:[>/\t\r\n]| (?!r="[A-Z]+\d+"))')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_SHARED_REF = re.compile(rb't="s"><v>(\d+)</v>')
_DIMENSION = re.compile(rb'<(?:[^\s/>:]+:)?dimension\s[^>]*?\bref="([^"]*)"')
_CELL_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


class _NotPlain(Exception):
    """The sheet is not in the form _plain_sheet_cost reads."""


def sheet_cost(z: zipfile.ZipFile, member: str, name: str) -> SheetCost:
    """What reading one worksheet costs, with the cells calamine would place where it places them."""
    try:
        return _plain_sheet_cost(z, member, name)
    except _NotPlain:
        return _any_sheet_cost(z, member, name)


def _see_dimension(cost: SheetCost, ref: str) -> None:
    """A sheet's own claim of its extent: calamine 0.9 sizes nothing from it, but it is bounded too, so
    that a version that does cannot be made to allocate more than the cells would."""
    for found in _CELL_REF.finditer(ref):
        cost.see(_column_number(found.group(1)), _number(found.group(2)), found.group(0))


def _order(value: bytes) -> tuple[int, bytes]:
    return len(value), value


@lru_cache(maxsize=256)
def _beyond(furthest: bytes, rows: bool) -> re.Pattern:
    """A cell reference whose row (or column) comes after ``furthest``: longer, or as long and greater.

    Searching for one is a pass in C; listing every reference would make Python objects for each cell.
    """
    digit, first, last = (rb"\d", rb"[1-9]", ord("9")) if rows else (rb"[A-Z]", rb"[A-Z]", ord("Z"))
    branches = [first + digit + b"{%d,}" % len(furthest)]
    for i, ch in enumerate(furthest):
        if ch < last:
            rest = len(furthest) - i - 1
            branches.append(re.escape(furthest[:i]) + b"[%c-%c]" % (ch + 1, last) + digit + b"{%d}" % rest)
    either = b"(" + b"|".join(branches) + b")"
    return re.compile(rb'<c r="[A-Z]+0*' + either + b'"' if rows else rb'<c r="' + either + rb'\d+"')


def _furthest(buf: bytes, furthest: tuple[bytes, str], rows: bool) -> tuple[bytes, str]:
    """The furthest row (or column) among ``furthest`` and the references in ``buf``, with a cell at it."""
    pos = 0
    for _ in range(64):
        found = _beyond(furthest[0], rows).search(buf, pos)
        if found is None:
            return furthest
        furthest, pos = (found.group(1), found.group(0)[6:-1].decode("ascii")), found.start() + 1
    # A piece whose rows come in no order: list its references after all.
    for letters, digits in _REF.findall(buf, pos):
        value = (digits.lstrip(b"0") or b"0") if rows else letters
        if _order(value) > _order(furthest[0]):
            furthest = (value, (letters + digits).decode("ascii"))
    return furthest


def _plain_sheet_cost(z: zipfile.ZipFile, member: str, name: str) -> SheetCost:
    cost = SheetCost(name)
    shared: Counter = Counter()
    before_data = True
    row, column = (b"0", ""), (b"", "")
    for buf in _chunks(z, member):
        if before_data:
            head = buf[: buf.find(b"<sheetData")] if b"<sheetData" in buf else buf
            found = _DIMENSION.search(head)
            if found:
                _see_dimension(cost, found.group(1).decode("ascii", "replace"))
            before_data = b"<sheetData" not in buf
        if _OTHER_CELL.search(buf) or _PREFIXED_CELL.search(buf):
            raise _NotPlain
        last = buf.rfind(b'<c r="')
        if last >= 0:
            # Rows come in order, so the last cell's row is the furthest unless a cell says otherwise.
            letters, digits = _REF.match(buf, last).groups()
            last_row = (digits.lstrip(b"0") or b"0", (letters + digits).decode("ascii"))
            row = _furthest(buf, max(row, last_row, key=lambda r: _order(r[0])), rows=True)
            column = _furthest(buf, column, rows=False)
            if _number(row[0]) > MAX_SHEET_ROWS or _column_number(column[0]) > MAX_COLUMNS:
                break  # refused, whatever follows
        values = buf.count(b"</c>")
        cost.values += values
        cost.text += max(0, len(buf) - values * MIN_CELL_MARKUP)
        n_shared = buf.count(b't="s"')
        if n_shared:
            indexes = _SHARED_REF.findall(buf)
            if len(indexes) != n_shared:
                raise _NotPlain
            shared.update(indexes)
    cost.see(_column_number(column[0]) if column[1] else 0, 0, column[1])
    cost.see(0, _number(row[0]), row[1])
    for index, count in shared.items():
        cost.shared[_number(index)] += count
    return cost


def _any_sheet_cost(z: zipfile.ZipFile, member: str, name: str) -> SheetCost:  # noqa: C901, PLR0915
    """Element by element with expat, as calamine places cells: a cell without r follows the one before
    it in its row, a row without r follows the row before; prefixes are ignored, as calamine does."""
    cost = SheetCost(name)
    row = column = elements = chars = 0
    in_cell = shared_cell = False
    index: list[str] = []  # a shared-string cell's <v>

    def attribute(attrs: list[str], key: str) -> str:
        for i in range(0, len(attrs), 2):
            if attrs[i] == key:
                return attrs[i + 1]
        return ""

    def start(tag: str, attrs: list[str]) -> None:
        nonlocal row, column, elements, in_cell, shared_cell
        elements += 1
        if tag == "c" or tag.endswith(":c"):
            found = _CELL_REF.fullmatch(attribute(attrs, "r"))
            if found:
                column, at = _column_number(found.group(1)), _number(found.group(2))
            else:
                column, at = column + 1, row
            if column > cost.columns or at > cost.rows:
                cost.see(column, at, found.group(0) if found else cell_name(column, at))
            in_cell, shared_cell = True, attribute(attrs, "t") == "s"
            index.clear()
        elif in_cell and (tag in ("v", "is") or tag.endswith((":v", ":is"))):
            cost.values += 1
        elif tag == "row" or tag.endswith(":row"):
            r = attribute(attrs, "r")
            row, column = (_number(r) if r.isdigit() else row + 1), 0
        elif tag == "dimension" or tag.endswith(":dimension"):
            _see_dimension(cost, attribute(attrs, "ref"))

    def end(tag: str) -> None:
        nonlocal in_cell
        if in_cell and (tag == "c" or tag.endswith(":c")):
            in_cell = False
            if shared_cell and "".join(index).strip().isdigit():
                cost.shared[_number("".join(index).strip())] += 1

    def characters(data: str) -> None:
        nonlocal chars
        if in_cell:
            chars += len(data)
            if shared_cell:
                index.append(data[:20])

    def refuse_doctype(*_args) -> None:
        raise ExcelError(f"工作表“{shorten(name)}”含有 XML 实体定义，可能是恶意文件，已拒绝读取。")

    parser = expat.ParserCreate()
    parser.ordered_attributes = True  # a list, not a dict per element: a third of the time
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse_doctype
    for buf in _chunks(z, member):
        parser.Parse(buf, False)
        if elements > MAX_ELEMENTS:
            raise ExcelError(f"工作表“{shorten(name)}”的结构异常（元素过多），不是正常的工作表，已拒绝读取。")
        least = max(cost.rows * cost.columns * EXTENT_CELL_BYTES, cost.values * VALUE_CELL_BYTES)
        if cost.too_far or least > READ_BUDGET_BYTES:
            break  # refused, whatever follows: a Python call per element is worth saving
    else:
        parser.Parse(b"", True)
    cost.text = chars * 4  # UTF-8 takes at most four bytes a character
    return cost


# -- OpenDocument sheets --------------------------------------------------------------------------------


def _check_ods(path: Path, z: zipfile.ZipFile) -> None:
    if z.getinfo("content.xml").file_size > MAX_ODS_CONTENT_BYTES:
        raise ExcelError(
            f"“{path.name}”的内容超过 {MAX_ODS_CONTENT_BYTES // (1024 * 1024)} MB，已拒绝读取。"
            "请删去不需要的行、列和很长的文字，或把数据分成几个文件导入。"
        )
    _refuse_costs(path, _ods_costs(path, z), array("q"))


def _ods_costs(path: Path, z: zipfile.ZipFile) -> list[SheetCost]:  # noqa: C901, PLR0915
    """Each table of content.xml as calamine expands it: a row or cell with table:number-rows-repeated or
    table:number-columns-repeated stands for that many, and an 11 KB file whose one cell repeats 1,000
    columns by 20,000 rows took calamine 1.2 GB. Repeats of empty cells (LibreOffice ends every sheet with
    a million empty rows of 16,384 cells) place nothing and do not count. Names are matched with their
    usual prefixes, as calamine matches them."""
    costs: list[SheetCost] = []
    cost: SheetCost | None = None
    row = rows_repeated = column = columns_repeated = elements = 0
    in_cell = filled = False
    chars = 0

    def count(value: str) -> int:
        return max(1, _number(value)) if value.isdigit() else 1

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal cost, row, rows_repeated, column, columns_repeated, elements, in_cell, filled
        elements += 1
        if tag == "table:table":
            cost = SheetCost(attrs.get("table:name", "") or f"Sheet{len(costs) + 1}")
            costs.append(cost)
            row = 0
        elif tag == "table:table-row":
            rows_repeated, column = count(attrs.get("table:number-rows-repeated", "")), 0
        elif tag in ("table:table-cell", "table:covered-table-cell"):
            columns_repeated = count(attrs.get("table:number-columns-repeated", ""))
            in_cell, filled = True, "office:value-type" in attrs
        elif in_cell:
            filled = True  # text:p and the like: a cell with text

    def end(tag: str) -> None:
        nonlocal row, column, in_cell, chars
        if tag in ("table:table-cell", "table:covered-table-cell") and in_cell:
            in_cell = False
            if filled and cost is not None:
                cost.values += columns_repeated * rows_repeated
                cost.text += chars * columns_repeated * rows_repeated * 4  # UTF-8 takes at most four bytes
                right, bottom = column + columns_repeated, row + rows_repeated
                cost.see(right, bottom, cell_name(min(right, _FAR), min(bottom, _FAR)))
            column += columns_repeated
            chars = 0
        elif tag == "table:table-row":
            row += rows_repeated

    def characters(data: str) -> None:
        nonlocal chars
        if in_cell:
            chars += len(data)

    def refuse_doctype(*_args) -> None:
        raise ExcelError(f"“{path.name}”含有 XML 实体定义，可能是恶意文件，已拒绝读取。")

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse_doctype
    with z.open("content.xml") as fh:
        while data := fh.read(CHUNK_BYTES):
            parser.Parse(data, False)
            if elements > MAX_ELEMENTS:
                raise ExcelError(f"“{path.name}”的结构异常（元素过多），不是正常的表格，已拒绝读取。")
            if any(c.too_far or c.rows * c.columns * EXTENT_CELL_BYTES > READ_BUDGET_BYTES for c in costs):
                return costs  # refused, whatever follows
        parser.Parse(b"", True)
    return costs
