"""Reports: API tokens for integrations, and the item-analysis tables written when
a quiz attempt is graded (one row per shown question, one per offered choice)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db

#: What a token may read: reference lists and completions, certificates, and the names
#: and addresses of the people in those answers.
READ_REPORTS, READ_CERTIFICATES, READ_PEOPLE = "reports:read", "certificates:read", "people:read"
SCOPES = (READ_REPORTS, READ_CERTIFICATES, READ_PEOPLE)
ALL_SCOPES = " ".join(SCOPES)


class ApiToken(db.Model):
    """A bearer token of an integration client; only the SHA-256 hash is stored. It reads
    what its scopes allow, for its unit only when it has one, until it expires."""

    __tablename__ = "report_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to recognise it
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    scopes: Mapped[str] = mapped_column(String(200), default=ALL_SCOPES)  # space-separated
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    expires_at: Mapped[datetime | None]  # naive UTC; None: never

    created_by = relationship("User", lazy="raise")
    unit = relationship("Unit", lazy="raise")

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset((self.scopes or "").split())

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()


class ItemResponse(db.Model):
    """How one submitted attempt did on one shown question (followed by question id)."""

    __tablename__ = "report_item_responses"
    __table_args__ = (
        Index("ix_report_item_responses_course_question", "course_id", "question_id"),
        Index("ix_report_item_responses_module_question", "learning_module_id",
              "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    question_type: Mapped[str] = mapped_column(String(20))
    question_text: Mapped[str] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64))
    correct: Mapped[bool]
    attempt_score: Mapped[float]  # the attempt's share right, 0..1
    submitted_at: Mapped[datetime]


class ItemChoice(db.Model):
    """One choice offered in one response, and whether it was picked."""

    __tablename__ = "report_item_choices"
    __table_args__ = (
        Index("ix_report_item_choices_module_question", "learning_module_id", "question_id",
              "choice_index"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("report_item_responses.id", ondelete="CASCADE"), index=True)
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    choice_index: Mapped[int]  # index in the question's stored (unshuffled) choices
    choice_text: Mapped[str] = mapped_column(String(500))
    is_correct: Mapped[bool]
    picked: Mapped[bool]

    response: Mapped[ItemResponse] = relationship(lazy="raise")


class ItemSummary(db.Model):
    """Running totals of the item rows per course, question and content version, kept
    current in the transaction that writes the rows (``items.record_attempt``); the item
    analysis reads these instead of every response. ``score_sum``, ``score_squares`` and
    ``right_score_sum`` give the point-biserial (``items.point_biserial``)."""

    __tablename__ = "report_item_summaries"
    __table_args__ = (
        UniqueConstraint("course_id", "learning_module_id", "question_id", "content_hash",
                         name="uq_report_item_summaries_key"),
        Index("ix_report_item_summaries_module_question", "learning_module_id",
              "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    question_type: Mapped[str] = mapped_column(String(20))  # the largest seen, as max()
    question_text: Mapped[str] = mapped_column(String(1000))  # the largest seen, as max()
    answers: Mapped[int]
    right_answers: Mapped[int]
    score_sum: Mapped[float]  # Σ attempt score
    score_squares: Mapped[float]  # Σ attempt score²
    right_score_sum: Mapped[float]  # Σ attempt score where the answer was right


class ItemChoiceSummary(db.Model):
    """Running totals of the offered choices per question and choice, kept with
    ``ItemSummary``."""

    __tablename__ = "report_item_choice_summaries"
    __table_args__ = (
        UniqueConstraint("learning_module_id", "question_id", "choice_index",
                         name="uq_report_item_choice_summaries_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    choice_index: Mapped[int]
    choice_text: Mapped[str] = mapped_column(String(500))  # the largest seen, as max()
    is_correct: Mapped[bool]  # correct in any version
    offered: Mapped[int]
    picked: Mapped[int]


class DashboardSnapshot(db.Model):
    """Kept report figures (``queries.recent_figures``) as computed at ``computed_at``:
    a dashboard (``scope`` "national" or "unit:<id>"), the trainer cascade ("cascade")
    or the item analysis ("items:<course id>:<module id>", 0 for all). Shared by every
    worker, written by the first request after REPORTS_REFRESH_SECONDS or by `flask
    reports refresh-dashboards` (a timer), so the aggregates run once per refresh for
    all workers instead of once per worker."""

    __tablename__ = "report_dashboard_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), unique=True)
    computed_at: Mapped[datetime]  # naive UTC
    figures: Mapped[dict] = mapped_column(db.JSON)
