"""Course runs (kursgjennomføringer): sessions, participants, attendance,
practice submissions and anonymous course evaluations."""

from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import N_

PLANNED, RUNNING, FINISHED, CANCELLED = "planned", "running", "finished", "cancelled"
RUN_STATUSES = (PLANNED, RUNNING, FINISHED, CANCELLED)
RUN_STATUS_LABELS = {PLANNED: N_("Planlagt"), RUNNING: N_("Pågår"), FINISHED: N_("Avsluttet"),
                     CANCELLED: N_("Avlyst")}

ENROLLED, WAITING = "enrolled", "waiting"
PARTICIPANT_STATUSES = (ENROLLED, WAITING)

SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
PRACTICE_STATUS_LABELS = {SUBMITTED: N_("Levert"), APPROVED: N_("Godkjent"),
                          RETURNED: N_("Sendt tilbake")}


class CourseRun(db.Model):
    __tablename__ = "course_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    digital: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    capacity: Mapped[int] = mapped_column(default=20)
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    lead_trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The LMS course (LTI context) the run is tied to; the lti feature syncs the
    # roster from it. Referenced by table name only: course_runs never imports lti.
    lti_context_id: Mapped[int | None] = mapped_column(
        ForeignKey("lti_contexts.id", ondelete="SET NULL"), index=True)

    course = relationship("Course", lazy="raise")
    unit = relationship("Unit", lazy="raise")
    lead_trainer = relationship("User", lazy="raise")
    co_trainers: Mapped[list["RunTrainer"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", lazy="raise")
    sessions: Mapped[list["RunSession"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", lazy="raise",
        order_by="(RunSession.date, RunSession.start_time)")

    @property
    def status_label(self) -> str:
        return RUN_STATUS_LABELS[self.status]


class RunTrainer(db.Model):
    """A co-trainer (medkursholder) of a run."""

    __tablename__ = "course_run_trainers"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("course_runs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    run: Mapped[CourseRun] = relationship(back_populates="co_trainers", lazy="raise")
    user = relationship("User", lazy="raise")


class RunSession(db.Model):
    """A session (samling) of a run."""

    __tablename__ = "course_run_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("course_runs.id", ondelete="CASCADE"),
                                        index=True)
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    reminder_sent_at: Mapped[datetime | None]

    run: Mapped[CourseRun] = relationship(back_populates="sessions", lazy="raise")


class RunParticipant(db.Model):
    __tablename__ = "course_run_participants"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),
                      Index("ix_course_run_participants_run_status", "run_id", "status",
                            "joined_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("course_runs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ENROLLED)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[CourseRun] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")


class Attendance(db.Model):
    """One row per participant present at a session (oppmøte)."""

    __tablename__ = "course_run_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("course_run_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PracticeSubmission(db.Model):
    """One submission of a practice task; every resubmission is a new row (history)."""

    __tablename__ = "practice_submissions"
    __table_args__ = (Index("ix_practice_submissions_user_module", "user_id",
                            "learning_module_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"),
                                                    index=True)
    # The run it was handed in for: its trainers review it, whatever run the person joins
    # later. None for submissions from before 0012 (then: the person's latest run).
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_runs.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(20), default=SUBMITTED)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    learning_module = relationship("LearningModule", lazy="raise")
    user = relationship("User", foreign_keys=[user_id], lazy="raise")

    @property
    def status_label(self) -> str:
        return PRACTICE_STATUS_LABELS[self.status]


class EvaluationResponse(db.Model):
    """That a user has answered a run's evaluation; the answer itself is not linked."""

    __tablename__ = "course_evaluation_responses"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("course_runs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class CourseEvaluation(db.Model):
    """An anonymous answer: scores per statement (1-5) and free text, no user."""

    __tablename__ = "course_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("course_runs.id", ondelete="CASCADE"),
                                        index=True)
    scores: Mapped[dict] = mapped_column(db.JSON, default=dict)
    free_text: Mapped[str] = mapped_column(Text, default="")
    created_on: Mapped[date] = mapped_column(Date)  # a day only, so timing reveals less
