from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db


class Enrolment(db.Model):
    """A user's enrolment in a course (påmelding)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),
                      Index("ix_enrolments_course_completed", "course_id", "completed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    last_module_id: Mapped[int | None] = mapped_column(ForeignKey("learning_modules.id"))
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Completion cycle: 1 for the first pass, +1 for every renewal (restart_course).
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")

    course = relationship("Course", lazy="raise")
    user = relationship("User", lazy="raise")


class ModuleProgress(db.Model):
    """What a user has done in one learning module, wherever it is placed."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "learning_module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"),
                                                    index=True)
    read_at: Mapped[datetime | None]
    quiz_best_share: Mapped[float | None]
    quiz_passed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
