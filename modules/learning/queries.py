"""Page-shaped reads for the learning pages, each a fixed number of statements."""

from dataclasses import dataclass

from modules.catalog import services as catalog_services
from modules.catalog.models import Course

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
    """Available courses grouped by track: two statements whatever the size (content
    from the snapshot, catalog/cache.py)."""
    courses = catalog_services.available_courses_by_title()
    ids = [course.id for course in courses]
    areas: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for course_id in ids:
        placed = catalog_services.placed_areas(course_id)
        if placed:
            areas[course_id] = set(placed)
            counts[course_id] = len(placed)
    enrolments: dict[int, Enrolment] = {}
    progress: dict[int, services.CourseProgress] = {}
    if user.is_authenticated and ids:
        enrolments = {e.course_id: e for e in services.user_enrolments(user)}
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
    return catalog_services.courses_by_slugs(course.prerequisites)
