"""Loaded course content. Content is files; these rows are what the last good
sync of each package produced, so pages never read the files at request time."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    track: Mapped[str] = mapped_column(String(20), index=True)
    audience: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(20), default="nb")
    prerequisites: Mapped[list] = mapped_column(db.JSON, default=list)  # course slugs
    completion: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # none_as_null: Python None is SQL NULL, so `IS NULL` filters work (not JSON "null").
    certificate: Mapped[dict | None] = mapped_column(db.JSON(none_as_null=True))
    # Texts in other written standards: {"nn": {"title", "summary", "audience"}}
    variants: Mapped[dict] = mapped_column(db.JSON, default=dict)
    content_version: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(500), default="")
    total_minutes: Mapped[int] = mapped_column(default=0)
    # False when the package has disappeared from the course folders.
    available: Mapped[bool] = mapped_column(default=True, index=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    placements: Mapped[list["CourseModule"]] = relationship(
        back_populates="course", order_by="CourseModule.position",
        cascade="all, delete-orphan", lazy="raise")

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    """Each content version a course has had, for the admin history."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    version: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LearningModule(db.Model):
    """A learning module as last loaded, owned by the course package it lives in.

    Other courses may place it in their own module list (a reference, not a
    copy); progress on it counts wherever it is placed.
    """

    __tablename__ = "learning_modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    area: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    headings: Mapped[list] = mapped_column(db.JSON, default=list)
    practice_prompt: Mapped[str | None] = mapped_column(Text)
    # pass_percent, draw, max_attempts, shuffle, questions; None (SQL NULL) without a quiz
    quiz: Mapped[dict | None] = mapped_column(db.JSON(none_as_null=True))
    # Texts in other written standards: {"nn": {"title", "summary", "body_html",
    # "headings", "practice_prompt", "questions"}}; "questions" has the quiz's ids and
    # keys (the check guarantees it) with the variant's texts.
    variants: Mapped[dict] = mapped_column(db.JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(lazy="raise")

    @property
    def has_quiz(self) -> bool:
        return bool(self.quiz)


class CourseModule(db.Model):
    """The place of a learning module in a course's ordered list."""

    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_id", "learning_module_id"),
                      Index("ix_course_modules_course_position", "course_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    learning_module_id: Mapped[int] = mapped_column(ForeignKey("learning_modules.id"),
                                                    index=True)
    position: Mapped[int]

    course: Mapped[Course] = relationship(back_populates="placements", lazy="raise")
    learning_module: Mapped[LearningModule] = relationship(lazy="raise")


class CourseFile(db.Model):
    """A downloadable resource from a package's files/ folder, stored with the
    version that loaded it, so a broken package never takes its files away."""

    __tablename__ = "course_files"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PackageCheck(db.Model):
    """The outcome of the latest sync of one package folder, shown to admins."""

    __tablename__ = "package_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    slug: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(64), default="")
    problems: Mapped[list] = mapped_column(db.JSON, default=list)  # "path:line: message"
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    loaded: Mapped[bool] = mapped_column(default=False)
