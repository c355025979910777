"""The exchange file's bytes: what was sent, by whom, and proof that not one byte changed on the way.

Layout (all integers big-endian)::

    b"CHX1\\n"                      magic and format version
    u32 length, header (JSON)      sender, period, counts, body SHA-256, the sender's public key
    u64 length, body (gzip JSON)   the records
    64 bytes                       Ed25519 signature of every byte above

The signature covers the whole file, so any changed byte — in the records, the header, a length, or the
signature itself — makes the file fail verification, and it is refused before anything is read from it.
Who may sign for a sender is settled by the receiver (desktop.exchange.senders): a file proves only that
it was made with the key its header names.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import UserError
from db.files import written_whole

MAGIC = b"CHX1\n"
FORMAT = "countyhealth-exchange"
SIGNATURE_BYTES = 64
MAX_HEADER = 1 << 20
SUFFIX = ".chx"


class ExchangeFileError(UserError):
    """A file that cannot be read as an intact exchange file; nothing was imported from it."""


@dataclass(frozen=True)
class ExchangeFile:
    header: dict[str, Any]
    body: dict[str, Any]
    sha256: str  # of the whole file, as the receipt records it

    @property
    def public_key(self) -> bytes:
        return base64.b64decode(self.header["public_key"])


def fingerprint(public_key: bytes) -> str:
    """A key's short form for a clerk to read aloud over the phone: 16 hex digits in four groups."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def write_file(path: Path, header: dict[str, Any], body: dict[str, Any], private_key: bytes) -> str:
    """Write and sign; returns the file's SHA-256. Written beside the target and renamed, so a file that
    exists is whole."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    public = key.public_key().public_bytes_raw()
    header = {**header, "format": FORMAT, "body_sha256": hashlib.sha256(raw).hexdigest(),
              "public_key": base64.b64encode(public).decode()}  # fmt: skip
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
    packed = gzip.compress(raw, compresslevel=6, mtime=0)
    signed = MAGIC + struct.pack(">I", len(head)) + head + struct.pack(">Q", len(packed)) + packed
    data = signed + key.sign(signed)
    with written_whole(path) as partial:
        partial.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> ExchangeFile:
    """Read and verify; raises ExchangeFileError with the reason in Chinese."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    refused = f"“{path.name}”"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeFileError(f"无法读取{refused}：{exc.strerror or exc}") from None
    if not data.startswith(MAGIC):
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
    try:
        raw = gzip.decompress(data[body_at : body_at + body_len])
    except (OSError, EOFError) as exc:
        raise ExchangeFileError(f"{refused}的记录部分无法解压：{exc}") from None
    if hashlib.sha256(raw).hexdigest() != header.get("body_sha256"):
        raise ExchangeFileError(f"{refused}的记录与其校验和不符，未导入任何记录。")
    return ExchangeFile(header, json.loads(raw), hashlib.sha256(data).hexdigest())
