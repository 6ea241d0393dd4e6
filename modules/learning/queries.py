"""Page-shaped reads for the learning pages, each a fixed number of statements."""

from dataclasses import dataclass

from modules.catalog.models import Course, CourseModule, LearningModule
from modules.core.extensions import db

from . import services
from .models import Enrolment


@dataclass
class CatalogEntry:
    course: Course
    areas: list[str]
    module_count: int
    enrolment: Enrolment | None
    progress: services.CourseProgress | None


def catalog(user) -> dict[str, list[CatalogEntry]]:
    """Available courses grouped by track: four statements whatever the size."""
    courses = list(db.session.scalars(db.select(Course).where(Course.available.is_(True))
                                      .order_by(Course.title)))
    ids = [course.id for course in courses]
    areas: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    if ids:
        for course_id, area in db.session.execute(
                db.select(CourseModule.course_id, LearningModule.area)
                .join(LearningModule, LearningModule.id == CourseModule.learning_module_id)
                .where(CourseModule.course_id.in_(ids))):
            areas.setdefault(course_id, set()).add(area)
            counts[course_id] = counts.get(course_id, 0) + 1
    enrolments: dict[int, Enrolment] = {}
    progress: dict[int, services.CourseProgress] = {}
    if user.is_authenticated and ids:
        enrolments = {e.course_id: e for e in db.session.scalars(
            db.select(Enrolment).where(Enrolment.user_id == user.id))}
        progress = services.progress_by_course(user, list(enrolments)) if enrolments else {}
    grouped: dict[str, list[CatalogEntry]] = {}
    for course in courses:
        grouped.setdefault(course.track, []).append(CatalogEntry(
            course=course, areas=sorted(areas.get(course.id, ())),
            module_count=counts.get(course.id, 0), enrolment=enrolments.get(course.id),
            progress=progress.get(course.id)))
    return grouped


def prerequisite_courses(course: Course) -> list[Course]:
    if not course.prerequisites:
        return []
    return list(db.session.scalars(db.select(Course).where(Course.slug.in_(course.prerequisites))
                                   .order_by(Course.title)))
