"""Refusing hostile or unreadable workbooks before any parser touches them."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from desktop.excel.errors import ExcelError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member; real sheets stay well under 100
MAX_ROWS = 100_000  # data rows per sheet; a city's staff roster is about 26,000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook(path: Path) -> None:
    """Raise ExcelError with a Chinese explanation if the file is not a safe .xlsx to read."""
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
        raise ExcelError(
            f"“{path.name}”是旧版 Excel（.xls）文件或设置了打开密码的文件，无法直接导入。"
            "请在 Excel 或 WPS 中打开，取消密码后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ExcelError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。")
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise ExcelError(f"“{path.name}”不是 Excel 工作簿（缺少工作簿内容），可能是 Word 或其他压缩文件。")
            total = 0
            for m in members:
                total += m.file_size
                if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 10 * 1024 * 1024:
                    raise ExcelError(f"“{path.name}”的内容压缩比异常（{m.filename}），疑似“压缩炸弹”，已拒绝读取。")
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ExcelError(f"“{path.name}”解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝读取。")
            for m in members:
                if m.filename.endswith((".xml", ".rels")):
                    with z.open(m) as fh:
                        start = fh.read(4096)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise ExcelError(
                            f"“{path.name}”含有 XML 实体定义（{m.filename}），可能是恶意文件，已拒绝读取。"
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        # a damaged archive shows itself as any of these, depending on where the damage is
        raise ExcelError(f"“{path.name}”已损坏，无法作为 Excel 工作簿打开。") from None
