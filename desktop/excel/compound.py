"""Just enough of the compound file (OLE2) format and of BIFF to vet an .xls before calamine reads it.

An .xls, a WPS .et and an encrypted .xlsx are all compound files: a small file system of sectors, a
directory of named streams, and a FAT chaining each stream's sectors. What is read here: the names of
the streams (EncryptionInfo/EncryptedPackage mark an encrypted OOXML package, Workbook or Book a BIFF
workbook), and in the workbook stream the records that say what calamine would allocate: the sheets
(BOUNDSHEET), their claimed extent (DIMENSIONS, which calamine 0.9 reserves cells for), every cell's
place, the shared strings' lengths (SST), and FILEPASS, which marks an .xls with an open password.
Anything that does not add up raises ``Damaged``.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_LAST_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers, not sectors


class Damaged(Exception):
    """The file is not a well-formed compound file or BIFF workbook."""


@dataclass
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class Compound:
    """A compound file held in a buffer (an mmap): its directory, and any stream's bytes on request."""

    def __init__(self, buf) -> None:  # noqa: C901
        self.buf = buf
        if len(buf) < 512 or bytes(buf[:8]) != MAGIC:
            raise Damaged("no compound file header")
        major, _order, shift, mini_shift = struct.unpack_from("<HHHH", buf, 0x1A)
        if (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise Damaged("sector sizes")
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        self.sectors = max(0, (len(buf) - self.sector + self.sector - 1) // self.sector)
        n_fat, dir_start = struct.unpack_from("<II", buf, 0x2C)
        self.cutoff, minifat_start, n_minifat, difat_start, n_difat = struct.unpack_from("<IIIII", buf, 0x38)
        if n_fat > self.sectors or n_difat > self.sectors or n_minifat > self.sectors:
            raise Damaged("sector counts")
        per = self.sector // 4
        fat_sectors = list(struct.unpack_from("<109I", buf, 0x4C))
        at, seen = difat_start, 0
        while at <= _LAST_REGULAR and seen < n_difat:
            more = struct.unpack_from(f"<{per}I", self._sector(at))
            fat_sectors.extend(more[:-1])
            at, seen = more[-1], seen + 1
        fat_sectors = [s for s in fat_sectors if s <= _LAST_REGULAR][:n_fat]
        self.fat = array("I")
        for s in fat_sectors:
            self.fat.frombytes(self._sector(s))
        if struct.pack("<I", 1) != array("I", [1]).tobytes():  # a big-endian machine
            self.fat.byteswap()
        self.entries = []
        directory = self._chain_bytes(dir_start)
        for at in range(0, len(directory) - 127, 128):
            raw = directory[at : at + 128]
            kind = raw[66]
            if kind not in (1, 2, 5):
                continue
            name_len = min(64, struct.unpack_from("<H", raw, 64)[0])
            name = raw[: max(0, name_len - 2)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, 116)
            if major == 3:
                size &= 0xFFFFFFFF
            self.entries.append(Entry(name, kind, start, size))
        if not self.entries or self.entries[0].kind != 5:
            raise Damaged("no root entry")
        self._minifat_start = minifat_start

    def names(self) -> set[str]:
        return {e.name.lower() for e in self.entries if e.kind == 2}

    def stream(self, name: str) -> bytes:
        entry = next((e for e in self.entries if e.kind == 2 and e.name.lower() == name.lower()), None)
        if entry is None:
            raise KeyError(name)
        if entry.size > len(self.buf):
            raise Damaged("stream longer than the file")
        if entry.size < self.cutoff:  # small streams live in the mini stream, chained by the mini FAT
            mini = self._chain_bytes(self.entries[0].start)
            minifat = array("I", self._chain_bytes(self._minifat_start))
            out = bytearray()
            seen = bytearray(len(minifat))
            at = entry.start
            while len(out) < entry.size:
                if at >= len(minifat) or seen[at]:
                    raise Damaged("mini chain out of range or in a loop")
                seen[at] = 1
                out += mini[at * self.mini_sector : (at + 1) * self.mini_sector]
                at = minifat[at]
            return bytes(out[: entry.size])
        data = self._chain_bytes(entry.start, entry.size)
        if len(data) < entry.size:
            raise Damaged("short stream")
        return data[: entry.size]

    def _sector(self, n: int) -> bytes:
        if n >= self.sectors:
            raise Damaged("sector out of range")
        at = (n + 1) * self.sector
        return bytes(self.buf[at : at + self.sector]).ljust(self.sector, b"\0")

    def _chain_bytes(self, start: int, want: int | None = None) -> bytes:
        parts = []
        seen = bytearray(len(self.fat))
        at, got = start, 0
        while at <= _LAST_REGULAR and (want is None or got < want):
            if at >= len(self.fat) or seen[at]:
                raise Damaged("chain out of range or in a loop")
            seen[at] = 1
            parts.append(self._sector(at))
            got += self.sector
            at = self.fat[at]
        if at not in (_END, _FREE) and (want is None or got < want):
            raise Damaged("chain")
        return b"".join(parts)


# -- BIFF ---------------------------------------------------------------------------------------------

BOF, EOF, FILEPASS, BOUNDSHEET, SST, CONTINUE, DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x00FC, 0x003C, 0x0200
LABELSST, LABEL, RSTRING = 0x00FD, 0x0204, 0x00D6
MULRK, MULBLANK, BLANK = 0x00BD, 0x00BE, 0x0201
_CELLS = {0x0006, LABELSST, 0x0203, 0x027E, BLANK, 0x0205, LABEL, RSTRING}
_BOFS = {0x0009, 0x0209, 0x0409, 0x0809}


@dataclass
class BiffSheet:
    name: str
    hidden: bool
    rows: int = 0  # the furthest row and column a cell or DIMENSIONS reaches (1-based, as Excel counts)
    columns: int = 0
    lowest: tuple[int, int] = (0, 0)  # (column, row) of the cells that reach them
    widest: tuple[int, int] = (0, 0)
    values: int = 0
    text: int = 0  # bytes of in-cell text (LABEL, RSTRING), as UTF-8 at most
    shared: dict[int, int] = field(default_factory=dict)  # SST index -> cells that refer to it

    def see(self, column: int, row: int) -> None:
        if column > self.columns:
            self.columns, self.widest = column, (column, row)
        if row > self.rows:
            self.rows, self.lowest = row, (column, row)


@dataclass
class BiffWorkbook:
    encrypted: bool = False
    sheets: list[BiffSheet] = field(default_factory=list)
    shared_sizes: array = field(default_factory=lambda: array("q"))  # UTF-8 bytes of each shared string, at most


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, int, int]]:
    """(type, start of data, length) of each record from ``pos`` on."""
    end = len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + length > end:
            raise Damaged("record past the stream's end")
        yield kind, pos + 4, length
        pos += 4 + length


def scan_workbook(stream: bytes, biff8: bool = True) -> BiffWorkbook:  # noqa: C901
    """The workbook globals (password, sheets, shared strings), then each worksheet's cells."""
    book = BiffWorkbook()
    records = _records(stream, 0)
    first = next(records, None)
    if first is None or first[0] not in _BOFS:
        raise Damaged("no BOF")
    places: list[tuple[int, BiffSheet]] = []
    sst: list[bytes] = []
    for kind, at, length in records:
        if kind == EOF:
            break
        if kind == FILEPASS:
            book.encrypted = True
            return book  # the rest is ciphertext
        if kind == BOUNDSHEET and length >= 8:
            offset, state, sheet_type, cch = struct.unpack_from("<IBBB", stream, at)
            if biff8 and length >= 8:
                wide = stream[at + 7] & 1
                raw = stream[at + 8 : at + 8 + cch * (2 if wide else 1)]
                name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            else:
                name = stream[at + 7 : at + 7 + cch].decode("gb18030", "replace")
            if sheet_type == 0:  # a worksheet; charts, macro sheets and modules hold no cells calamine keeps
                places.append((offset, BiffSheet(name, bool(state & 3))))
        elif kind == SST:
            sst = [stream[at : at + length]]
        elif kind == CONTINUE and sst:
            sst.append(stream[at : at + length])
        elif sst and kind != CONTINUE:
            book.shared_sizes = _sst_sizes(sst)
            sst = []
    if sst:
        book.shared_sizes = _sst_sizes(sst)
    for offset, sheet in places:
        _scan_sheet(stream, offset, sheet)
        book.sheets.append(sheet)
    return book


def _scan_sheet(stream: bytes, offset: int, sheet: BiffSheet) -> None:  # noqa: C901
    records = _records(stream, offset)
    first = next(records, None)
    if first is None or first[0] not in _BOFS:
        raise Damaged("sheet without BOF")
    unpack = struct.unpack_from
    for kind, at, length in records:
        if kind in _CELLS:
            if length < 4:
                raise Damaged("short cell")
            row, column = unpack("<HH", stream, at)
            sheet.see(column + 1, row + 1)
            if kind == BLANK:
                continue
            sheet.values += 1
            if kind == LABELSST and length >= 10:
                index = unpack("<I", stream, at + 6)[0]
                sheet.shared[index] = sheet.shared.get(index, 0) + 1
            elif kind in (LABEL, RSTRING):
                sheet.text += max(0, length - 8) * 3 // 2 + 3  # two bytes a character at most, three in UTF-8
        elif kind in (MULRK, MULBLANK):
            if length < 6:
                raise Damaged("short cell run")
            row, first_column = unpack("<HH", stream, at)
            (last_column,) = unpack("<H", stream, at + length - 2)
            sheet.see(max(first_column, last_column) + 1, row + 1)
            if kind == MULRK:
                sheet.values += max(0, last_column - first_column + 1)
        elif kind == DIMENSIONS:
            # calamine reserves the claimed rectangle: a hostile claim must be bounded like cells
            if length >= 14:
                _first_row, last_row, _first_col, last_col = unpack("<IIHH", stream, at)
            elif length >= 10:
                _first_row, last_row, _first_col, last_col = unpack("<HHHH", stream, at)
            else:
                continue
            if last_row and last_col:
                sheet.see(last_col, last_row)  # one past the last, as calamine's reservation counts
        elif kind == EOF:
            return
        elif kind in _BOFS:  # an embedded chart's substream: skip to its EOF
            for inner, _at, _length in records:
                if inner == EOF:
                    break
    raise Damaged("sheet without EOF")


def _sst_sizes(chunks: list[bytes]) -> array:  # noqa: C901
    """The UTF-8 size bound of each shared string, read across the SST's CONTINUE records."""
    sizes = array("q")
    if len(chunks[0]) < 8:
        raise Damaged("short SST")
    (unique,) = struct.unpack_from("<I", chunks[0], 4)
    ci, pos = 0, 8

    def take(n: int) -> bytes:  # n bytes that may run across chunks (run lists, phonetic data)
        nonlocal ci, pos
        out = b""
        while n > 0:
            if pos >= len(chunks[ci]):
                ci, pos = ci + 1, 0
                if ci >= len(chunks):
                    raise Damaged("SST runs out")
            piece = chunks[ci][pos : pos + n]
            out, pos, n = out + piece, pos + len(piece), n - len(piece)
        return out

    while len(sizes) < unique:
        if ci >= len(chunks) or (ci == len(chunks) - 1 and pos >= len(chunks[ci])):
            break  # fewer strings than claimed: calamine keeps what there is
        cch, flags = struct.unpack("<HB", take(3))
        runs = struct.unpack("<H", take(2))[0] if flags & 0x8 else 0
        ext = struct.unpack("<I", take(4))[0] if flags & 0x4 else 0
        left, wide = cch, flags & 1
        while left > 0:  # characters; a CONTINUE restarts them with its own width flag
            if pos >= len(chunks[ci]):
                ci, pos = ci + 1, 0
                if ci >= len(chunks) or not chunks[ci]:
                    raise Damaged("SST runs out")
                wide = chunks[ci][0] & 1
                pos = 1
            width = 2 if wide else 1
            n = min(left, (len(chunks[ci]) - pos) // width)
            if n == 0:
                raise Damaged("SST character cut in two")
            pos += n * width
            left -= n
        take(runs * 4 + ext)
        sizes.append(cch * 3)
    return sizes
