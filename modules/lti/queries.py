"""Page-shaped reads for the LTI pages (fixed number of statements each)."""

from dataclasses import dataclass, field

from modules.accounts.models import User
from modules.catalog.models import Course, CourseModule, LearningModule
from modules.core.extensions import db
from modules.learning.services import module_key

from .models import GradeSend, LtiLineItem, LtiPlatform


@dataclass
class CatalogCourse:
    course: Course
    modules: list[tuple[str, LearningModule]] = field(default_factory=list)


def deep_link_catalog() -> list[CatalogCourse]:
    """Available courses with their placed modules and module keys (two statements)."""
    courses = {course.id: CatalogCourse(course) for course in db.session.scalars(
        db.select(Course).where(Course.available.is_(True)).order_by(Course.track, Course.title))}
    rows = db.session.execute(
        db.select(CourseModule.course_id, LearningModule)
        .join(LearningModule, LearningModule.id == CourseModule.learning_module_id)
        .where(CourseModule.course_id.in_(list(courses) or [-1]))
        .order_by(CourseModule.course_id, CourseModule.position)
        .options(db.joinedload(LearningModule.course))).all()
    for course_id, module in rows:
        entry = courses[course_id]
        entry.modules.append((module_key(module, entry.course), module))
    return list(courses.values())


@dataclass
class Choice:
    title: str
    custom: dict
    resource_id: str
    graded: bool


def deep_link_choices(catalog: list[CatalogCourse]) -> dict[str, Choice]:
    """Form value -> what a deep link to it carries. Courses are graded by
    completion, modules when they have a quiz."""
    choices = {}
    for entry in catalog:
        slug = entry.course.slug
        choices[f"course:{slug}"] = Choice(entry.course.title, {"course": slug},
                                           f"course:{slug}", True)
        for key, module in entry.modules:
            choices[f"module:{slug}:{key}"] = Choice(module.title, {"course": slug, "module": key},
                                                     f"module:{slug}:{key}", bool(module.quiz))
    return choices


@dataclass
class SendRow:
    send: GradeSend
    user_name: str
    line_item_url: str
    platform_name: str


def undelivered_grade_sends(limit: int = 500) -> list[SendRow]:
    """Pending and failing sends, oldest first (one statement)."""
    rows = db.session.execute(
        db.select(GradeSend, User.name, LtiLineItem.url, LtiPlatform.name)
        .join(User, User.id == GradeSend.user_id)
        .join(LtiLineItem, LtiLineItem.id == GradeSend.line_item_id)
        .join(LtiPlatform, LtiPlatform.id == LtiLineItem.platform_id)
        .where(GradeSend.delivered_at.is_(None))
        .order_by(GradeSend.created_at).limit(limit)).all()
    return [SendRow(*row) for row in rows]


def delivered_count() -> int:
    return db.session.scalar(db.select(db.func.count(GradeSend.id))
                             .where(GradeSend.delivered_at.is_not(None)))
