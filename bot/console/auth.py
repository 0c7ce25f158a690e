"""Console users: argon2 password hashes, lockout after repeated failures, roles scoped to an
organisation (and optionally Bundesländer)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from bot.db.models import ConsoleUser, utcnow

ROLES = ("counsellor", "coordinator")
_hasher = PasswordHasher()
# verify against this when the user does not exist, so timing does not reveal user names
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    role: str
    organisation_id: str
    bundeslaender: tuple[str, ...]

    @property
    def coordinator(self) -> bool:
        return self.role == "coordinator"


def _view(row: ConsoleUser) -> StaffUser:
    return StaffUser(row.id, row.username, row.role, row.organisation_id,
                     tuple(b for b in (row.bundeslaender or "").split(",") if b))


class Users:
    def __init__(self, engine: Engine, max_failures: int = 5, lockout_minutes: int = 15):
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.max_failures = max_failures
        self.lockout = dt.timedelta(minutes=lockout_minutes)

    def add(self, username: str, password: str, role: str, organisation_id: str, bundeslaender: str = "") -> StaffUser:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if len(password) < 10:
            raise ValueError("password must have at least 10 characters")
        with self._sessions() as s, s.begin():
            row = s.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).first()
            if row is None:
                row = ConsoleUser(username=username, failed_logins=0)
                s.add(row)
            row.password_hash = _hasher.hash(password)
            row.role, row.organisation_id, row.bundeslaender = role, organisation_id, bundeslaender
            row.failed_logins, row.locked_until = 0, None
            s.flush()
            return _view(row)

    def get(self, user_id: int) -> StaffUser | None:
        with self._sessions() as s:
            row = s.get(ConsoleUser, user_id)
            return _view(row) if row else None

    def list(self) -> list[StaffUser]:
        with self._sessions() as s:
            return [_view(r) for r in s.scalars(select(ConsoleUser).order_by(ConsoleUser.username))]

    def authenticate(self, username: str, password: str) -> tuple[StaffUser | None, str]:
        """(user, "") on success, else (None, "invalid" | "locked")."""
        now = utcnow()
        with self._sessions() as s, s.begin():
            row = s.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).first()
            if row is None:
                try:
                    _hasher.verify(_DUMMY_HASH, password)
                except VerificationError:
                    pass
                return None, "invalid"
            locked = row.locked_until
            if locked is not None and locked.tzinfo is None:
                locked = locked.replace(tzinfo=dt.timezone.utc)
            if locked and locked > now:
                return None, "locked"
            try:
                _hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                row.failed_logins = (row.failed_logins or 0) + 1
                if row.failed_logins >= self.max_failures:
                    row.locked_until, row.failed_logins = now + self.lockout, 0
                    return None, "locked"
                return None, "invalid"
            row.failed_logins, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            return _view(row), ""
