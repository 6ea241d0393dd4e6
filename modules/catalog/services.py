"""Load course packages into the database (sync) and read them back."""

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.orm.attributes import set_committed_value

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _
from modules.core.markdown import office_copy_name, render_markdown

from . import cache
from .content import localized as localized
from .content import quiz_language as quiz_language
from .content import quiz_questions as quiz_questions
from .docx import DOCX_TYPE, markdown_to_docx
from .models import Course, CourseFile, CourseModule, CourseVersion, LearningModule, PackageCheck
from .package_format import ModuleVariant, PackageSpec, Problem, check_packages


@dataclass
class SyncResult:
    loaded: list[str] = field(default_factory=list)      # new or changed
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, list[str]] = field(default_factory=dict)  # slug -> problems
    withdrawn: list[str] = field(default_factory=list)


def configured_course_paths() -> list[Path]:
    return [Path(path) for path in current_app.config["COURSE_PATHS"]]


def check_course_paths(paths: list[Path] | None = None) -> list[PackageSpec]:
    context = configured_course_paths()
    return check_packages(paths or context, context)


def sync_courses(paths: list[Path] | None = None) -> SyncResult:
    """Load new and changed packages. A package with problems is recorded with
    its problems and never replaces the last good version of its course."""
    paths = paths or configured_course_paths()
    packages = check_packages(paths, paths)
    _reject_duplicate_slugs(packages)
    result = SyncResult()
    courses = {course.slug: course for course in db.session.scalars(db.select(Course))}
    good = [package for package in packages if package.ok]
    changed = [package for package in good
               if package.slug not in courses
               or courses[package.slug].content_version != package.version
               or not courses[package.slug].available]
    own_modules: dict[str, LearningModule] = {}
    for package in good:
        if package in changed:
            course = _upsert_course(package, courses.get(package.slug))
            courses[package.slug] = course
            own_modules.update(_upsert_modules(package, course))
            result.loaded.append(package.slug)
        else:
            result.unchanged.append(package.slug)
    if changed:
        missing = {ref.split("/")[0] for package in changed for ref in package.module_refs}
        for module in db.session.scalars(
                db.select(LearningModule).join(Course)
                .where(Course.slug.in_(missing), LearningModule.retired.is_(False))
                .options(db.joinedload(LearningModule.course))):
            own_modules.setdefault(f"{module.course.slug}/{module.slug}", module)
    for package in changed:
        _place_modules(courses[package.slug], package, own_modules)
    for package in packages:
        _record_check(package)
        if not package.ok:
            result.failed[package.slug] = [str(problem) for problem in package.problems]
    found = {package.slug for package in packages}
    for slug, course in courses.items():
        if slug not in found and course.available:
            course.available = False
            result.withdrawn.append(slug)
    _forget_vanished_checks(packages)
    db.session.flush()
    return result


def _reject_duplicate_slugs(packages: list[PackageSpec]) -> None:
    first: dict[str, PackageSpec] = {}
    for package in packages:
        if package.slug in first:
            package.problems.append(Problem(str(package.path / "course.toml"), 1, _(
                "et kurs med samme navn finnes allerede i %(path)s",
                path=str(first[package.slug].path))))
        else:
            first[package.slug] = package


def _upsert_course(package: PackageSpec, course: Course | None) -> Course:
    if course is None:
        course = Course(slug=package.slug)
        db.session.add(course)
    course.title = package.title
    course.summary = package.summary
    course.track = package.track
    course.audience = package.audience
    course.variants = {language: dict(texts) for language, texts in package.variants.items()}
    course.language = package.language
    course.prerequisites = list(package.prerequisites)
    course.completion = dict(package.completion)
    course.certificate = dict(package.certificate) if package.certificate else None
    course.content_version = package.version
    course.source_path = str(package.path)
    course.available = True
    course.loaded_at = utcnow()
    db.session.flush()
    exists = db.session.scalar(db.select(CourseVersion.id).where(
        CourseVersion.course_id == course.id, CourseVersion.version == package.version))
    if exists is None:
        db.session.add(CourseVersion(course_id=course.id, version=package.version))
    db.session.execute(db.delete(CourseFile).where(CourseFile.course_id == course.id))
    for name, path in package.resources.items():
        data = path.read_bytes()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or name.endswith((".md", ".csv", ".txt")):
            content_type = (content_type if content_type.startswith("text/")
                            else "text/plain") + "; charset=utf-8"
        db.session.add(CourseFile(course_id=course.id, name=name, content_type=content_type,
                                  size=len(data), data=data))
    for name, path in package.resources.items():
        copy = office_copy_name(name)
        if copy is None or copy in package.resources:
            continue
        data = markdown_to_docx(path.read_text(encoding="utf-8"))
        db.session.add(CourseFile(course_id=course.id, name=copy, content_type=DOCX_TYPE,
                                  size=len(data), data=data))
    return course


def _upsert_modules(package: PackageSpec, course: Course) -> dict[str, LearningModule]:
    existing = {module.slug: module for module in db.session.scalars(
        db.select(LearningModule).where(LearningModule.course_id == course.id))}
    loaded: dict[str, LearningModule] = {}
    files_url = f"/courses/{package.slug}/files/"
    for spec in package.modules.values():
        module = existing.pop(spec.slug, None)
        if module is None:
            module = LearningModule(course_id=course.id, slug=spec.slug)
            db.session.add(module)
        body = _without_title_heading(spec.body, spec.title)
        rendered = render_markdown(body, files_url=files_url, demote_headings=None)
        module.title = spec.title
        module.area = spec.area
        module.minutes = spec.minutes
        module.summary = spec.summary
        module.body_html = rendered.html
        module.headings = [h for h in rendered.headings if h["level"] == 2]
        module.practice_prompt = spec.practice_prompt
        module.quiz = None if spec.quiz is None else {
            "pass_percent": spec.quiz.pass_percent, "draw": spec.quiz.draw,
            "max_attempts": spec.quiz.max_attempts, "shuffle": spec.quiz.shuffle,
            "retry_after_minutes": spec.quiz.retry_after_minutes, "review": spec.quiz.review,
            "questions": spec.quiz.questions}
        module.variants = {language: _variant_texts(variant, files_url)
                           for language, variant in spec.variants.items()}
        module.content_hash = spec.content_hash
        module.retired = False
        module.course = course
        loaded[spec.ref] = module
    for module in existing.values():
        module.retired = True
    db.session.flush()
    return loaded


def _variant_texts(variant: ModuleVariant, files_url: str) -> dict:
    rendered = render_markdown(_without_title_heading(variant.body, variant.title),
                               files_url=files_url, demote_headings=None)
    texts = {"title": variant.title, "summary": variant.summary, "body_html": rendered.html,
             "headings": [h for h in rendered.headings if h["level"] == 2]}
    if variant.practice_prompt:
        texts["practice_prompt"] = variant.practice_prompt
    if variant.quiz is not None:
        texts["questions"] = variant.quiz.questions
    return texts


def _without_title_heading(body: str, title: str) -> str:
    """Drop a first "# heading" that repeats the module title: the page shows the title."""
    lines = body.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# ") and lines[0][2:].strip() == title.strip():
        return "\n".join(lines[1:])
    return body


def _place_modules(course: Course, package: PackageSpec,
                   modules: dict[str, LearningModule]) -> None:
    db.session.execute(db.delete(CourseModule).where(CourseModule.course_id == course.id))
    total = 0
    for position, ref in enumerate(package.module_refs, start=1):
        module = modules[ref]
        db.session.add(CourseModule(course_id=course.id, learning_module_id=module.id,
                                    position=position))
        total += module.minutes
    course.total_minutes = total


def _record_check(package: PackageSpec) -> None:
    check = db.session.scalar(db.select(PackageCheck).where(
        PackageCheck.path == str(package.path)))
    if check is None:
        check = PackageCheck(path=str(package.path))
        db.session.add(check)
    check.slug = package.slug
    check.version = package.version
    check.problems = [str(problem) for problem in package.problems]
    check.loaded = package.ok
    check.checked_at = utcnow()


def _forget_vanished_checks(packages: list[PackageSpec]) -> None:
    paths = [str(package.path) for package in packages]
    db.session.execute(db.delete(PackageCheck).where(PackageCheck.path.not_in(paths)))


# --- reads -------------------------------------------------------------------

def get_course_by_slug(slug: str) -> Course | None:
    """An available course (from the content snapshot, catalog/cache.py)."""
    return cache.course_by_slug(slug)


def placed_modules(course_id: int) -> list[LearningModule]:
    """A course's modules in order, each with its owning course loaded (snapshot)."""
    return cache.placed_modules(course_id)


def courses_and_modules(course_ids, module_ids) -> tuple[dict[int, Course],
                                                         dict[int, LearningModule]]:
    """Courses and learning modules by id, each module with its owning course loaded:
    from the snapshot, the rest (unplaced modules) in one statement."""
    courses, modules = cache.by_ids(course_ids, module_ids)
    missing_courses = set(course_ids) - set(courses)
    if missing_courses:
        courses.update((c.id, c) for c in db.session.scalars(
            db.select(Course).where(Course.id.in_(missing_courses))))
    missing = set(module_ids) - set(modules)
    if missing:
        modules.update((m.id, m) for m in db.session.scalars(
            db.select(LearningModule).where(LearningModule.id.in_(missing))
            .options(db.joinedload(LearningModule.course))))
    return courses, modules


def with_courses(objects):
    """Set the ``course`` of each object (an enrolment, a run, a certificate: anything with
    ``course_id`` and a ``course`` relationship) from the content snapshot instead of a
    join that decodes the course's JSON per row; one left loaded is kept. Returns the
    objects."""
    objects = list(objects)
    wanted = [o for o in objects if "course" not in inspect(o).dict]
    if wanted:
        courses, _modules = courses_and_modules({o.course_id for o in wanted}, ())
        for obj in wanted:
            set_committed_value(obj, "course", courses[obj.course_id])
    return objects


def per_content_version(key: tuple, build):
    """``build()`` once per content version, written standard and ``key`` in this worker
    (catalog/cache.py): for fragments that depend on the content alone."""
    return cache.per_content_version(key, build)


def module_positions(course_ids) -> dict[tuple[int, int], int]:
    """(course id, module id) -> place in the course, 0 first, of every placed module
    of these courses (snapshot, no statement)."""
    return cache.positions(course_ids)


def available_courses_by_title() -> list[Course]:
    return cache.available_courses()


def courses_by_slugs(slugs) -> list[Course]:
    """Courses with these slugs, available or not, by title (snapshot)."""
    return cache.courses_by_slugs(slugs)


def module_placements(course_ids) -> list[tuple[int, int, bool, dict]]:
    """(course id, module id, has a quiz, course completion) per placed module (snapshot)."""
    return cache.placements(course_ids)


def placed_areas(course_id: int) -> list[str]:
    """The area of each module placed in the course, in order (snapshot)."""
    return cache.areas(course_id)


def list_available_courses() -> list[Course]:
    return list(db.session.scalars(db.select(Course).where(Course.available.is_(True))
                                   .order_by(Course.track, Course.title)))


def files_url_of(learning_module: LearningModule) -> str:
    """Where the files/ links of a learning module point: its own package's files (a
    module reused in another course keeps its templates)."""
    slug = db.session.scalar(db.select(Course.slug).where(Course.id == learning_module.course_id))
    return f"/courses/{slug}/files/"


def get_course_file(course: Course, name: str) -> CourseFile | None:
    return db.session.scalar(db.select(CourseFile).where(CourseFile.course_id == course.id,
                                                         CourseFile.name == name))


def list_package_checks() -> list[PackageCheck]:
    return list(db.session.scalars(db.select(PackageCheck).order_by(PackageCheck.slug)))


def list_course_versions(course_ids: list[int]) -> dict[int, list[CourseVersion]]:
    versions: dict[int, list[CourseVersion]] = {}
    for version in db.session.scalars(db.select(CourseVersion)
                                      .where(CourseVersion.course_id.in_(course_ids))
                                      .order_by(CourseVersion.loaded_at.desc())):
        versions.setdefault(version.course_id, []).append(version)
    return versions


def list_all_courses() -> list[Course]:
    return list(db.session.scalars(db.select(Course).order_by(Course.title)))
