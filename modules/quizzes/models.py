"""Quiz attempts. Each attempt keeps the questions exactly as they were shown
(a snapshot), so a later content change alters no past attempt or score."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db

OPEN = "open"
SUBMITTED = "submitted"
EXPIRED = "expired"  # left open when the quiz content changed; can never be submitted


class QuizAttempt(db.Model):
    """One attempt (forsøk) by one user at one learning module's quiz.

    ``questions`` is the snapshot of the drawn questions in shown order; each
    keeps its original data plus the permutation that was shown, so grading
    maps every shown choice back to the original exactly. ``answers`` maps a
    question id to the answer given so far (saved as the participant goes);
    ``revision`` grows with every save, so a stale form is recognised and refused.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "learning_module_id", "number"),
        Index("ix_quiz_attempts_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"),
                                                    index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    number: Mapped[int]  # 1, 2, ... per user and learning module
    # The enrolment's completion cycle when the attempt started; max_attempts counts
    # only the attempts of the current cycle (a renewal starts afresh).
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    content_hash: Mapped[str] = mapped_column(String(64))
    pass_percent: Mapped[int]
    questions: Mapped[list] = mapped_column(db.JSON)
    answers: Mapped[dict] = mapped_column(db.JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=0)
    submission_token: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    score: Mapped[int | None]
    asked: Mapped[int]
    share: Mapped[float | None]  # 0..1, as ModuleProgress.quiz_best_share
    passed: Mapped[bool | None]
    results: Mapped[list | None] = mapped_column(db.JSON)  # per shown question: right or not

    user = relationship("User", lazy="raise")
    learning_module = relationship("LearningModule", lazy="raise")
    course = relationship("Course", lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED
