from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db

PARTICIPANT = "participant"
TRAINER = "trainer"
LEADER = "leader"
ADMIN = "admin"
ROLES = (PARTICIPANT, TRAINER, LEADER, ADMIN)

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
    password_hash: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=PARTICIPANT, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Written standard for pages, mails and PDFs: "nb" (bokmål) or "nn" (nynorsk); None
    # until the user chooses (or logs in from a browser that asks for one): then the
    # cookie and Accept-Language decide the pages, and mails are in bokmål.
    language: Mapped[str | None] = mapped_column(String(2))
    # Bumped on password change or deactivation: ends every other session.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Privacy: when the account was last deactivated (retention counts from here) and
    # when its personal data was removed (the row stays for statistics).
    deactivated_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined")

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
