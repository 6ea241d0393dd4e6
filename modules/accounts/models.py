import unicodedata
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from modules.core.database import utcnow
from modules.core.extensions import db

PARTICIPANT = "participant"
TRAINER = "trainer"
LEADER = "leader"
ADMIN = "admin"
ROLES = (PARTICIPANT, TRAINER, LEADER, ADMIN)

def fold(text: str) -> str:
    """Text for case-insensitive matching with Norwegian letters ("Ødegård" -> "ødegård")."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) for folded text containing ``text``."""
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


UNIT_KINDS = ("district", "agency", "education", "directorate")


class Unit(db.Model):
    """An organisational unit: a police district, a special agency, PHS or POD."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # The nynorsk name where it differs from the bokmål one (units.toml `name_nn`).
    name_nn: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        """The name in the written standard of the page or mail being built."""
        from modules.core.i18n import NYNORSK, current_language

        return self.name_nn if self.name_nn and current_language() == NYNORSK else self.name

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    # ``fold(name)``, kept on write: SQLite's lower() folds only ASCII, so searches
    # compare this column with the folded search text (Æ/Ø/Å on every database).
    search_name: Mapped[str] = mapped_column(String(200), default="", server_default="",
                                             index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=PARTICIPANT, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Written standard for pages, mails and PDFs: "nb" (bokmål) or "nn" (nynorsk); None
    # until the user chooses (or logs in from a browser that asks for one): then the
    # cookie and Accept-Language decide the pages, and mails are in bokmål.
    language: Mapped[str | None] = mapped_column(String(2))
    # True once the user picked the standard with the switch: then nothing else (an LMS's
    # launch locale) may change it; False while it only follows a browser, SSO or LMS.
    language_chosen: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped on logout, password change or reset, deactivation and anonymising: every
    # session (and reset link) made with the old value ends; see load_user_for_session.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Privacy: when the account was last deactivated (retention counts from here) and
    # when its personal data was removed (the row stays for statistics).
    deactivated_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined")

    @validates("name")
    def _keep_search_name(self, _key, value: str) -> str:
        self.search_name = fold(value or "")
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: the session id changes with session_version
        return f"{self.id}:{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_trainer(self) -> bool:
        return self.role in (TRAINER, ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class LoginThrottle(db.Model):
    """Failed sign-ins counted per key ("account:<normalised address>", "address:<ip>",
    "device:<token>"); see modules/accounts/throttle.py."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None] = mapped_column(index=True)
