"""Every kind of table file a bureau has is read into sheets, or refused with a Chinese sentence that says why.

The .xls and .ods files are written by LibreOffice (the real tool), two conversions for the whole module; the
compound files a test needs to break in one particular way are built by ``compound_file`` below.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop.excel import compound, reading, safety
from desktop.excel.errors import ExcelError
from desktop.excel.importer import plan_import
from desktop.excel.reading import Sheet, read_sheets
from desktop.excel.templates import fill_template
from tests.integration.office import SOFFICE, convert

needs_office = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")

ACCEPTED = (
    "可以导入的有：Excel 工作簿（.xlsx、.xlsm、.xls）、WPS 表格（.et）、OpenDocument 表格（.ods）"
    "和 CSV 或文本表格（.csv、.txt）。"
)
WPS_SAVE_AS = (
    "请在 WPS 中打开它，点 文件 › 另存为，文件类型选 “Microsoft Excel 工作簿(*.xlsx)”，保存后导入新的 .xlsx 文件。"
)


def password(name: str) -> str:
    return (
        f"“{name}”设置了打开密码，无法导入。请在 Excel 或 WPS 中用密码打开它，取消密码后保存，再导入："
        "Excel 中点 文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码；"
        "WPS 中点 文件 › 文档加密 › 密码加密，清空打开密码。"
    )


def too_far(sheet: str, cell: str) -> str:
    return (
        f"工作表“{sheet}”用到了 {cell} 单元格，超出可导入的范围（最多 100,020 行、200 列，即 A1:GR100020）。"
        "请删除这个范围以外的行和列（包括只设了格式的）后再导入；数据超过 100,000 行的，请分批导入。"
    )


def refused(path: Path) -> str:
    with pytest.raises(ExcelError) as caught:
        read_sheets(path)
    return str(caught.value)


FIRST_ROWS = [
    ["姓名", "出生日期", "床位", "在编", "备注"],
    ["张三", dt.date(1980, 5, 17), 12, True, "乡镇卫生院"],
    ["李四", dt.datetime(1990, 1, 2, 8, 30), 3.5, False, None],
]


def workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    for row in FIRST_ROWS:
        ws.append(row)
    ws["G5"] = "远处"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "下拉选项"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("_说明")
    very["A1"], very["B1"] = "模板类型", "staff"
    very.sheet_state = "veryHidden"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict[str, Path]:
    """The same workbook as .xlsx, and as LibreOffice saves it in .xls and .ods; an .et that is the .xls."""
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("office")
    xlsx = workbook(folder / "人员名单.xlsx")
    files = {"xlsx": xlsx, "xls": convert(xlsx, "xls", folder), "ods": convert(xlsx, "ods", folder)}
    files["et"] = shutil.copyfile(files["xls"], folder / "人员名单.et")
    return files


def expect_book(sheets: list[Sheet], *, numbers=(12, 3.5), booleans=(True, False), very_hidden=True) -> None:
    assert [(s.name, s.hidden) for s in sheets] == [("人员", False), ("隐藏", True), ("_说明", very_hidden)]
    rows = sheets[0].rows
    assert rows[0] == ["姓名", "出生日期", "床位", "在编", "备注", "", ""]
    assert rows[1] == ["张三", dt.date(1980, 5, 17), numbers[0], booleans[0], "乡镇卫生院", "", ""]
    assert rows[2] == ["李四", dt.datetime(1990, 1, 2, 8, 30), numbers[1], booleans[1], "", "", ""]
    assert rows[3] == [""] * 7  # the rectangle from A1, as the importer expects it
    assert rows[4] == ["", "", "", "", "", "", "远处"]
    assert sheets[1].rows == [["下拉选项"]] and sheets[2].rows == [["模板类型", "staff"]]


def test_an_xlsx_is_read_with_its_hidden_and_very_hidden_sheets_marked(tmp_path):
    expect_book(read_sheets(workbook(tmp_path / "人员名单.xlsx")))


@needs_office
def test_an_xls_saved_by_libreoffice_reads_as_the_xlsx_did(office):
    expect_book(read_sheets(office["xls"]))  # calamine gives a BIFF whole number as an int; still 12


@needs_office
def test_a_wps_et_that_is_biff_inside_reads_as_an_xls(office):
    expect_book(read_sheets(office["et"]))


def test_a_wps_et_that_is_an_xlsx_inside_reads_by_its_content(tmp_path):
    path = shutil.copyfile(workbook(tmp_path / "a.xlsx"), tmp_path / "人员名单.et")
    expect_book(read_sheets(path))


@needs_office
def test_an_xls_named_xlsx_is_read_as_the_xls_it_is(office, tmp_path):
    expect_book(read_sheets(shutil.copyfile(office["xls"], tmp_path / "改了名.xlsx")))


@needs_office
def test_an_ods_is_read(office):
    # LibreOffice keeps booleans in .ods as 1 and 0 with a format, and writes no very hidden state
    expect_book(read_sheets(office["ods"]), booleans=(1.0, 0.0))


@needs_office
def test_a_template_saved_as_xls_imports_as_the_xlsx_does(demo_db, tmp_path):
    with demo_db.session() as s:
        path = fill_template(s, "facilities", tmp_path / "facilities.xlsx")
        xls = convert(path, "xls", tmp_path / "xls")
        report = plan_import(s, "facilities", xls)
    assert report.plans and not report.problems
    assert {p.action for p in report.plans} == {"unchanged"}


# -- text tables ----------------------------------------------------------------------------------------

TABLE = [
    ["姓名", "身份证号", "地址", "床位"],
    ["张三", "110101198005170011", "城关镇, 东街 1 号", "12"],
    ["李四", "", "", "3.5"],
]


def write_table(path: Path, encoding: str, delimiter: str) -> Path:
    lines = []
    for row in TABLE:
        cells = [f'"{c}"' if delimiter in c or "," in c else c for c in row]
        lines.append(delimiter.join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
@pytest.mark.parametrize(("delimiter", "suffix"), [(",", ".csv"), ("\t", ".txt"), (";", ".csv")])
def test_a_text_table_in_any_usual_encoding_and_separator_is_one_sheet_of_text(tmp_path, encoding, delimiter, suffix):
    path = write_table(tmp_path / f"花名册{suffix}", encoding, delimiter)
    assert read_sheets(path) == [Sheet("花名册", TABLE, hidden=False)]


def test_a_text_table_is_padded_to_a_rectangle_and_loses_blank_lines_at_its_end(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名,床位,,\n张三\n\n李四,3,,\n\n\n", encoding="utf-8")
    assert read_sheets(path)[0].rows == [["姓名", "床位"], ["张三", ""], ["", ""], ["李四", "3"]]


def test_a_text_table_with_a_nul_is_refused_as_not_text(tmp_path):
    path = tmp_path / "导出.csv"
    path.write_bytes(b"a,b\n\x00\x01\x02,3\n")
    assert refused(path) == f"“导出.csv”含有二进制内容，不是文本表格，无法导入。{ACCEPTED}"


def test_a_text_table_in_neither_encoding_is_refused(tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes("姓名,床位\n".encode() + b"\xff\x80,1\n")
    assert refused(path) == (
        "“乱码.csv”的文字编码无法识别（应为 UTF-8 或 GBK），不是可导入的文本表格。"
        "请在 WPS 或 Excel 中打开，另存为 Excel 工作簿（.xlsx）再导入。"
    )


def test_a_text_table_wider_than_the_columns_allowed_is_refused(tmp_path):
    path = tmp_path / "宽表.csv"
    path.write_text("a\n" + ",".join(["1"] * 201) + "\n", encoding="utf-8")
    assert refused(path) == too_far("宽表", "GS2")


def test_a_text_table_longer_than_the_rows_allowed_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_SHEET_ROWS", 5)
    path = tmp_path / "长表.csv"
    path.write_text("a\n" * 6, encoding="utf-8")
    assert refused(path) == too_far("长表", "A6")


def test_a_text_table_costing_more_than_the_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "READ_BUDGET_BYTES", 10_000)
    path = tmp_path / "大表.csv"
    path.write_text("姓名,地址\n" + "张三,城关镇东街一号\n" * 200, encoding="utf-8")
    assert refused(path).startswith(
        "“大表.csv”的内容过多：读取约需 0 MB 内存，超过 400 MB 的上限（最多的是工作表“大表”）。"
    )


def test_a_file_of_no_known_kind_is_refused_naming_the_kinds_accepted(tmp_path):
    path = tmp_path / "通知.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert refused(path) == f"“通知.pdf”不是 Excel 工作簿或其他可导入的表格文件。{ACCEPTED}"


# -- compound files built to order ----------------------------------------------------------------------


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file (512-byte sectors) holding ``streams``, each at least 4,096 bytes so that
    none goes to the mini stream."""
    sector = 512
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    entries = 1 + len(datas)
    dir_sectors = -(-entries * 128 // sector)
    data_sectors = sum(-(-len(d) // sector) for d in datas)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    fat = [0xFFFFFFFD] * fat_sectors
    chains = []

    def chain(n: int) -> int:
        start = len(fat)
        fat.extend(range(start + 1, start + n))
        fat.append(0xFFFFFFFE)
        return start

    dir_start = chain(dir_sectors)
    for d in datas:
        chains.append(chain(-(-len(d) // sector)))
    fat.extend([0xFFFFFFFF] * (fat_sectors * 128 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF):
        raw = (name + "\0").encode("utf-16-le").ljust(64, b"\0")
        return (
            raw
            + struct.pack("<HBB3I", len(name) * 2 + 2, kind, 1, 0xFFFFFFFF, right, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for i, (name, d) in enumerate(zip(streams, datas, strict=True)):
        right = i + 2 if i + 2 < entries else 0xFFFFFFFF
        directory += entry(name, 2, chains[i], len(d), right=right)
    directory = directory.ljust(dir_sectors * sector, b"\0")
    header = compound.MAGIC + b"\0" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + struct.pack("<H", 6)
    header = header.ljust(0x2C, b"\0") + struct.pack("<II", fat_sectors, dir_start)
    header += struct.pack("<IIIIII", 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<109I", *(list(range(fat_sectors)) + [0xFFFFFFFF] * (109 - fat_sectors)))
    body = (
        struct.pack(f"<{len(fat)}I", *fat)
        + directory
        + b"".join(d.ljust(-(-len(d) // sector) * sector, b"\0") for d in datas)
    )
    return header + body


def workbook_stream(path: Path) -> bytes:
    with path.open("rb") as fh:
        return compound.Compound(fh.read()).stream("Workbook")


def records(stream: bytes):
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield kind, pos, length
        pos += 4 + length


@needs_office
def test_a_compound_file_built_here_reads_as_the_xls_it_repacks(office, tmp_path):
    """The builder below makes files calamine reads: what the refusals test is the vetting, not the builder."""
    path = tmp_path / "重装.xls"
    path.write_bytes(compound_file({"Workbook": workbook_stream(office["xls"])}))
    expect_book(read_sheets(path))


@needs_office
def test_an_xls_with_an_open_password_is_refused_saying_how_to_remove_it(office, tmp_path):
    stream = workbook_stream(office["xls"])
    _bof, _at, length = next(records(stream))
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 1, 1)  # RC4, as Excel 97-2003 writes it
    path = tmp_path / "加密.xls"
    path.write_bytes(compound_file({"Workbook": stream[: 4 + length] + filepass + stream[4 + length :]}))
    assert refused(path) == password("加密.xls")


def test_an_encrypted_xlsx_is_refused_saying_how_to_remove_the_password(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = workbook(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as fh:
        OOXMLFile(fh).encrypt("123456", out)
    path = tmp_path / "加密名单.xlsx"
    path.write_bytes(out.getvalue())
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    assert refused(path) == password("加密名单.xlsx")


def test_a_compound_file_holding_encryption_streams_is_refused_as_encrypted(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 100}))
    assert refused(path) == password("名单.xlsx")


@needs_office
def test_an_xls_claiming_columns_past_the_limit_is_refused(office, tmp_path):
    stream = bytearray(workbook_stream(office["xls"]))
    at = next(pos for kind, pos, _length in records(bytes(stream)) if kind == 0x0200)  # the first sheet's
    struct.pack_into("<IIHH", stream, at + 4, 0, 5, 0, 300)
    path = tmp_path / "宽.xls"
    path.write_bytes(compound_file({"Workbook": bytes(stream)}))
    assert refused(path) == too_far("人员", "KN5")


@needs_office
def test_an_xls_claiming_a_billion_rows_is_refused_before_calamine_reserves_them(office, tmp_path):
    stream = bytearray(workbook_stream(office["xls"]))
    at = next(pos for kind, pos, _length in records(bytes(stream)) if kind == 0x0200)
    struct.pack_into("<IIHH", stream, at + 4, 0, 1_000_000_000, 0, 7)
    path = tmp_path / "长.xls"
    path.write_bytes(compound_file({"Workbook": bytes(stream)}))
    assert refused(path) == too_far("人员", "G1000000000")


def test_a_damaged_xls_is_refused_as_damaged(tmp_path):
    path = tmp_path / "旧表.xls"
    path.write_bytes(compound.MAGIC + b"\0" * 3000)
    assert refused(path) == "“旧表.xls”已损坏，无法读取。"


def test_a_compound_file_whose_chain_loops_is_refused_as_damaged(tmp_path):
    data = bytearray(compound_file({"Workbook": b"\x09\x08" + b"\0" * 100}))
    struct.pack_into("<I", data, 512 + 4 * 3, 2)  # the stream's second sector points back to its first
    path = tmp_path / "环.xls"
    path.write_bytes(bytes(data))
    assert refused(path) == "“环.xls”已损坏，无法读取。"


def test_a_word_document_is_refused_as_not_a_table(tmp_path):
    path = tmp_path / "通知.doc"
    path.write_bytes(compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 100}))
    assert (
        refused(path)
        == f"“通知.doc”不是 Excel 工作簿或其他可导入的表格文件，可能是 Word 或其他 Office 文件。{ACCEPTED}"
    )


def test_a_wps_et_in_a_form_not_read_here_says_how_to_save_it_as_xlsx(tmp_path):
    path = tmp_path / "台账.et"
    path.write_bytes(compound_file({"ETExtData": b"\0" * 100}))
    assert refused(path) == f"“台账.et”是这个程序读不了的 WPS 表格格式。{WPS_SAVE_AS}"


# -- OpenDocument sheets built to order -----------------------------------------------------------------


def repeated_ods(path: Path, office_ods: Path, rows: int, columns: int) -> Path:
    """The module's .ods with its first sheet made one cell repeated ``columns`` across and ``rows`` down."""
    with zipfile.ZipFile(office_ods) as src:
        content = src.read("content.xml").decode()
        first, end = content.index("<table:table-row"), content.index("</table:table>")
        hostile = (
            f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated='
            f'"{columns}" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
            "</table:table-row>"
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = (
                    (content[:first] + hostile + content[end:]).encode()
                    if info.filename == "content.xml"
                    else src.read(info)
                )
                z.writestr(info, data)
    return path


@needs_office
def test_an_ods_whose_repeated_cell_reaches_past_the_columns_is_refused(office, tmp_path):
    # 11 KB that calamine would expand to 20 million cells (1.2 GB)
    path = repeated_ods(tmp_path / "重复.ods", office["ods"], rows=20_000, columns=1_000)
    assert refused(path) == too_far("人员", "ALL20000")


@needs_office
def test_an_ods_whose_repeats_cost_more_than_the_budget_is_refused(office, tmp_path):
    path = repeated_ods(tmp_path / "重复.ods", office["ods"], rows=90_000, columns=150)
    assert refused(path).startswith("“重复.ods”的内容过多：读取约需 ")


@needs_office
def test_an_ods_with_a_few_repeated_cells_is_read_with_them_expanded(office, tmp_path):
    path = repeated_ods(tmp_path / "少量.ods", office["ods"], rows=2, columns=3)
    assert read_sheets(path)[0].rows == [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]


def test_the_limits_the_tests_quote_are_the_modules(tmp_path):
    assert (safety.MAX_SHEET_ROWS, safety.MAX_COLUMNS, safety.READ_BUDGET_BYTES) == (100_020, 200, 400 * 1024 * 1024)


def test_a_workbook_stream_calamine_panics_on_is_refused_as_damaged(tmp_path):
    path = tmp_path / "坏表.xls"
    path.write_bytes(compound_file({"Workbook": b"\x09\x08" + b"\0" * 100}))  # a BOF too short to read
    assert refused(path) == "“坏表.xls”已损坏，无法读取。"
