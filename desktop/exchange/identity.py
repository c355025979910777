"""This database's signing key, made on its first export."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from db.models import ExchangeIdentity


def signing_key(session: Session) -> ExchangeIdentity:
    """This database's key pair (32-byte raw keys), made and stored in the session's transaction the first time."""
    identity = session.get(ExchangeIdentity, 1)
    if identity is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        identity = ExchangeIdentity(
            id=1,
            private_key=key.private_bytes_raw(),
            public_key=key.public_key().public_bytes_raw(),
            created_at=dt.datetime.now(),
        )
        session.add(identity)
        session.flush()
    return identity
