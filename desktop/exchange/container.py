"""The exchange file's bytes: what was sent, by whom, to whom, and proof that not one byte changed on the way.

Layout (all integers big-endian)::

    b"CHX2\n"                      magic and format version
    u32 length, header (JSON)      sender, period, counts, body SHA-256, the sender's public key, the receiver
                                   (its name and key fingerprint) and the one-off public key of the sealing
    u64 length, body               the records (gzip JSON), sealed with SM4-GCM under the key agreed between
                                   the one-off key and the receiver's X25519 key (db.sealing)
    64 bytes                       Ed25519 signature of every byte above

The records carry whole ID and phone numbers, so only the receiving database can open them; the header holds
nothing personal. The signature covers the whole file, so any changed byte — in the records, the header, a
length, or the signature itself — makes the file fail verification, and it is refused before anything is read
from it. Who may sign for a sender is settled by the receiver (desktop.exchange.approval): a file proves only
that it was made with the key its header names. Files of the first format (b"CHX1\n", records in clear) made
before receivers had keys are still read.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import UserError
from db.files import written_whole
from db.sealing import agreed_key, new_box_pair, seal, unseal

MAGIC = b"CHX2\n"
MAGIC_CLEAR = b"CHX1\n"  # the first format: records in clear, read but no longer written
FORMAT = "countyhealth-exchange"
SEALING = "X25519+HKDF-SM3+SM4-GCM"
_CONTEXT = b"countyhealth-exchange-records"
SIGNATURE_BYTES = 64
MAX_HEADER = 1 << 20
SUFFIX = ".chx"
# Measured: the demo county's file (8,958 records) is 0.18 MB, 1.2 MB once unpacked; the demo city's (ten
# counties, 89,086 records) 1.7 MB, 12 MB unpacked. The bounds leave a real city twenty times the demo's and
# still refuse a hostile file before it can take the clerk's memory: a larger file is not read at all, and
# the records are unpacked a piece at a time, refused as soon as they pass the bound.
MAX_FILE = 64 << 20
MAX_BODY = 256 << 20
_STEP = 4 << 20  # unpacked per step, so that one step of a bomb cannot itself take the memory
# What json.loads builds from the records: a Python object per value, measured at 68 bytes for an empty list,
# 76 for an empty dict, 100 per entry of a one-key dict, 77 per value of the demo county's records, and the
# text once decoded. A signed 23 KB file of 23 MB of "[]," took 698 MB; so the values are counted (each one
# follows a comma or a colon) before parsing. The demo city's records are estimated at about 140 MB.
VALUE_BYTES = 110
MAX_PARSED = 400 << 20


class ExchangeFileError(UserError):
    """A file that cannot be read as an intact exchange file; nothing was imported from it."""


@dataclass(frozen=True)
class ExchangeFile:
    header: dict[str, Any]
    body: dict[str, Any]
    sha256: str  # of the whole file, as the receipt records it

    @property
    def public_key(self) -> bytes:
        return signer_key(self.header)


def signer_key(header: dict[str, Any]) -> bytes:
    """The Ed25519 public key a file's signed header names."""
    return base64.b64decode(header["public_key"])


@dataclass(frozen=True)
class Recipient:
    """Who a file is sealed for: a receiving database, by its area and X25519 public key."""

    code: str
    name: str
    public_key: bytes


@dataclass(frozen=True)
class BoxKeys:
    """This database's X25519 pair, which opens the files sealed for it."""

    private: bytes
    public: bytes


def fingerprint(public_key: bytes) -> str:
    """A key's short form for a clerk to read aloud over the phone: 16 hex digits in four groups."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def write_file(
    path: Path, header: dict[str, Any], body: dict[str, Any], private_key: bytes, recipient: Recipient
) -> str:
    """Seal for the recipient, sign, write; returns the file's SHA-256. Written beside the target and renamed,
    so a file that exists is whole."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    header, sealed = sealed_for(recipient, header, gzip.compress(raw, compresslevel=6, mtime=0))
    data = sign(header, sealed, hashlib.sha256(raw).hexdigest(), private_key)
    with written_whole(path, private=True) as partial:  # still, for its owner's eyes only
        partial.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def sealed_for(recipient: Recipient, header: dict[str, Any], packed: bytes) -> tuple[dict[str, Any], bytes]:
    """The packed records sealed under a one-off key agreed with the recipient's, and the header naming both."""
    one_off, one_off_public = new_box_pair()
    sealed = seal(agreed_key(one_off, recipient.public_key, _CONTEXT), packed, _CONTEXT)
    header = {
        **header,
        "recipient": {"code": recipient.code, "name": recipient.name, "fingerprint": fingerprint(recipient.public_key)},
        "sealing": SEALING,
        "sealing_key": base64.b64encode(one_off_public).decode(),
    }
    return header, sealed


def sign(header: dict[str, Any], body: bytes, body_sha256: str, private_key: bytes, magic: bytes = MAGIC) -> bytes:
    """The whole file: the header completed with the format, the records' checksum and the public key, the
    body, and the signature of all of it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(private_key)
    public = key.public_key().public_bytes_raw()
    header = {**header, "format": FORMAT, "body_sha256": body_sha256,
              "public_key": base64.b64encode(public).decode()}  # fmt: skip
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
    signed = magic + struct.pack(">I", len(head)) + head + struct.pack(">Q", len(body)) + body
    return signed + key.sign(signed)


@dataclass(frozen=True)
class _Verified:
    data: bytes
    header: dict[str, Any]
    body: memoryview
    sealed: bool


def _verified(path: Path) -> _Verified:  # noqa: C901
    """The file read within its bounds and its signature verified: nothing of it is trusted before."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    refused = f"“{path.name}”"
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE:
                raise _too_big(refused, size)
            data = stream.read(MAX_FILE + 1)  # a size the system cannot tell (a pipe) is bounded too
    except OSError as exc:
        raise ExchangeFileError(f"无法读取{refused}（文件不存在、没有读取权限或正被占用）。") from exc
    if len(data) > MAX_FILE:
        raise _too_big(refused, len(data))
    if not data.startswith((MAGIC, MAGIC_CLEAR)):
        raise ExchangeFileError(f"{refused}不是县域卫生健康台账的交换文件（扩展名应为 {SUFFIX}）。")
    try:
        (head_len,) = struct.unpack_from(">I", data, len(MAGIC))
        if head_len > MAX_HEADER:
            raise ValueError
        head_at = len(MAGIC) + 4
        head = data[head_at : head_at + head_len]
        (body_len,) = struct.unpack_from(">Q", data, head_at + head_len)
        body_at = head_at + head_len + 8
        if body_at + body_len + SIGNATURE_BYTES != len(data):
            raise ValueError
        header = json.loads(head)
        public = base64.b64decode(header["public_key"], validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(data[-SIGNATURE_BYTES:], data[:-SIGNATURE_BYTES])
    except InvalidSignature:
        raise ExchangeFileError(
            f"{refused}的签名校验未通过：文件在生成后被改动过（哪怕一个字节）或已损坏，未导入任何记录。"
            "请让报送单位重新导出后再发送。"
        ) from None
    except (struct.error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ExchangeFileError(f"{refused}已损坏或被截断（结构不完整），未导入任何记录。") from None
    if header.get("format") != FORMAT:
        raise ExchangeFileError(f"{refused}不是县域卫生健康台账的交换文件。")
    sealed = data.startswith(MAGIC)
    if sealed and header.get("sealing") != SEALING:
        raise ExchangeFileError(f"{refused}的加密方式本软件不认识（可能由更新的版本导出），未导入任何记录。")
    return _Verified(data, header, memoryview(data)[body_at : body_at + body_len], sealed)


def read_header(path: Path) -> dict[str, Any]:
    """A file's signed header, verified, without opening its records: who sent it, with which key, to whom."""
    return _verified(path).header


def read_file(path: Path, keys: BoxKeys | None) -> ExchangeFile:
    """Read, verify and open; raises ExchangeFileError with the reason in Chinese. ``keys``: this database's
    pair (None where it has none yet, so it cannot be the file's receiver)."""
    refused = f"“{path.name}”"
    verified = _verified(path)
    header, packed = verified.header, verified.body
    if verified.sealed:
        packed = memoryview(_opened(refused, header, packed, keys))
    raw = _unpack(packed, refused)
    if hashlib.sha256(raw).hexdigest() != header.get("body_sha256"):
        raise ExchangeFileError(f"{refused}的记录与其校验和不符，未导入任何记录。")
    values = raw.count(b",") + raw.count(b":") + 1
    if values * VALUE_BYTES + 2 * len(raw) > MAX_PARSED:
        raise ExchangeFileError(
            f"{refused}的记录多达约 {values:,} 项，读取需要的内存超过上限，不是本软件写出的内容，未导入任何记录。"
        )
    try:
        body = json.loads(raw)
    except ValueError:  # signed, yet not records: made by hand with a key of its own
        raise ExchangeFileError(f"{refused}的记录部分不是本软件写出的内容，未导入任何记录。") from None
    return ExchangeFile(header, body, hashlib.sha256(verified.data).hexdigest())


def _opened(refused: str, header: dict[str, Any], sealed: memoryview, keys: BoxKeys | None) -> bytes:
    recipient = header.get("recipient") or {}
    if keys is None or recipient.get("fingerprint") != fingerprint(keys.public):
        mine = "本库还没有接收密钥" if keys is None else f"本库的接收密钥指纹为 {fingerprint(keys.public)}"
        name, printed = recipient.get("name", "其他单位"), recipient.get("fingerprint", "")
        raise ExchangeFileError(
            f"{refused}是报送给“{name}”的（接收密钥指纹 {printed}），只有该单位的数据库能打开；{mine}。"
            "请核对对方登记的接收单位是否为本单位。"
        )
    try:
        one_off = base64.b64decode(header["sealing_key"], validate=True)
        return unseal(agreed_key(keys.private, one_off, _CONTEXT), bytes(sealed), _CONTEXT)
    except (KeyError, TypeError, ValueError):  # Unsealable is a ValueError
        raise ExchangeFileError(f"{refused}的记录部分无法解密（已损坏），未导入任何记录。") from None


def _too_big(refused: str, size: int) -> ExchangeFileError:
    return ExchangeFileError(
        f"{refused}有 {size / (1 << 20):,.0f} MB，超过交换文件的上限 {MAX_FILE >> 20} MB"
        "（一个市的交换文件通常只有几 MB）：不是本软件导出的交换文件，未读取。"
    )


def _unpack(packed: memoryview, refused: str) -> bytearray:
    """The gzip records, unpacked a step at a time and refused the moment they pass MAX_BODY, so a small file
    that unpacks to gigabytes (a compression bomb) costs no more memory than the bound."""
    broken = ExchangeFileError(f"{refused}的记录部分无法解压（已损坏），未导入任何记录。")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)  # gzip framing, one member, as write_file makes it
    raw = bytearray()
    fed = 0
    try:
        while fed < len(packed) and not inflater.eof:
            pending = packed[fed : fed + _STEP]
            fed += len(pending)
            while not inflater.eof:
                out = inflater.decompress(pending, min(_STEP, MAX_BODY + 1 - len(raw)))
                raw += out
                if len(raw) > MAX_BODY:
                    raise ExchangeFileError(
                        f"{refused}的记录解压后超过 {MAX_BODY >> 20} MB 的上限（远大于任何地区的实际数据，"
                        "可能是恶意构造的“压缩炸弹”），未导入任何记录。"
                    )
                pending = inflater.unconsumed_tail
                if not pending and not out:  # this piece is used up and nothing it held is still to come
                    break
    except zlib.error:
        raise broken from None
    if not inflater.eof or inflater.unused_data or fed < len(packed):
        raise broken
    return raw
