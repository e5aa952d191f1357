"""Editor and admin accounts: argon2 password hashes and login throttling kept in the DB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from tradewind.accounts.models import login_attempts, users
from tradewind.errors import InvalidInput, TradewindError
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import EMAIL_RE

ROLES = (N_("editor"), N_("admin"), N_("analyst"))  # analyst: reads /policy only
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-timing")


class LoginThrottled(TradewindError):
    status_code = 429
    title = "Too many requests"


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_edit(self) -> bool:
        """Editors and admins change content; analysts only read the policy dashboard."""
        return self.role in ("editor", "admin")


def _normal_email(email: str) -> str:
    text = email.strip().lower()
    if not EMAIL_RE.match(text) or len(text) > 254:
        raise InvalidInput(N_("%(email)r is not an e-mail address"), email=email)
    return text


def add_user(conn: Connection, email: str, role: str, password: str) -> User:
    """Create an account (or raise InvalidInput: bad e-mail, role, short password, exists)."""
    address = _normal_email(email)
    if role not in ROLES:
        raise InvalidInput(N_("role must be one of %(roles)s"), roles=', '.join(ROLES))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("the password needs at least %(min_password_length)s characters"),
                           min_password_length=MIN_PASSWORD_LENGTH)
    if conn.execute(select(users.c.id).where(users.c.email == address)).first():
        raise InvalidInput(N_("an account for %(address)s already exists"), address=address)
    pk = conn.execute(insert(users).values(
        email=address, role=role, password_hash=_hasher.hash(password), active=True,
        created_at=datetime.now(UTC))).inserted_primary_key
    assert pk is not None
    return User(int(pk[0]), address, role)


def set_password(conn: Connection, email: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("the password needs at least %(min_password_length)s characters"),
                           min_password_length=MIN_PASSWORD_LENGTH)
    result = conn.execute(update(users).where(users.c.email == _normal_email(email))
                          .values(password_hash=_hasher.hash(password)))
    if not result.rowcount:
        raise InvalidInput(N_("no account for %(email)s"), email=email)


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id,
                                           users.c.active.is_(True))).first()
    return User(row.id, row.email, row.role) if row else None


def list_users(conn: Connection) -> list[User]:
    return [User(r.id, r.email, r.role) for r in conn.execute(select(users).order_by(users.c.email))]


def failures_since(conn: Connection, email: str, ip: str, since: datetime) -> tuple[int, int]:
    """Failed logins since ``since`` for this account and from this address."""
    def count(*where: object) -> int:
        return int(conn.execute(select(func.count()).select_from(login_attempts).where(
            login_attempts.c.success.is_(False), login_attempts.c.at >= since,
            *where)).scalar_one())  # type: ignore[arg-type]
    return count(login_attempts.c.email == email), count(login_attempts.c.ip == ip)


def authenticate(conn: Connection, email: str, password: str, ip: str, *,
                 max_failures: int, lockout_seconds: int) -> User | None:
    """The user for correct credentials, None for wrong ones; raises LoginThrottled.

    Every attempt is stored, so throttling holds across app instances sharing the DB.
    While an account or an address is throttled, even a correct password is refused.
    """
    address = email.strip().lower()[:254]
    now = datetime.now(UTC)
    by_account, by_ip = failures_since(conn, address, ip, now - timedelta(seconds=lockout_seconds))
    if by_account >= max_failures or by_ip >= max_failures:
        raise LoginThrottled("Too many failed logins. Please wait a few minutes and try again.")
    row = conn.execute(select(users).where(users.c.email == address,
                                           users.c.active.is_(True))).first()
    ok = False
    try:
        ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    conn.execute(insert(login_attempts).values(email=address, ip=ip[:64], at=now, success=ok))
    # Keep the table small: attempts older than a day (or the lockout) no longer matter.
    keep = timedelta(seconds=max(lockout_seconds, 86_400))
    conn.execute(delete(login_attempts).where(login_attempts.c.at < now - keep))
    if not ok or row is None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        conn.execute(update(users).where(users.c.id == row.id)
                     .values(password_hash=_hasher.hash(password)))
    conn.execute(delete(login_attempts).where(login_attempts.c.email == address,
                                              login_attempts.c.success.is_(False)))
    return User(row.id, row.email, row.role)
