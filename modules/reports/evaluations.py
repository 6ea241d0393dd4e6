"""Course evaluations aggregated per course and per run; nothing is shown for fewer
than MIN_ANSWERS answers (the anonymity threshold of course runs)."""

from sqlalchemy import func

from modules.catalog.models import Course
from modules.core.extensions import db
from modules.course_runs.evaluation import MIN_ANSWERS, STATEMENTS
from modules.course_runs.models import CourseEvaluation, CourseRun


def _averages():
    return [func.avg(CourseEvaluation.scores[key].as_integer() * 1.0) for key, _t in STATEMENTS]


def _shape(row, title: str, count_at: int) -> dict:
    count = int(row[count_at])
    shown = count >= MIN_ANSWERS
    return {"title": title, "count": count, "shown": shown,
            "averages": [float(v) if shown and v is not None else None
                         for v in row[count_at + 1:]]}


def summarise(*, with_comments: bool, unit_id: int | None = None) -> dict:
    """{"courses": [...], "runs": [...], "statements": [...], "min_answers"}; runs get
    "comments" (sorted, so order tells nothing) only with ``with_comments``."""
    courses_q = (db.select(Course.id, Course.title, func.count(CourseEvaluation.id), *_averages())
                 .join(CourseRun, CourseRun.course_id == Course.id)
                 .join(CourseEvaluation, CourseEvaluation.run_id == CourseRun.id)
                 .group_by(Course.id, Course.title).order_by(Course.title))
    runs_q = (db.select(CourseRun.id, CourseRun.title, Course.title,
                        func.count(CourseEvaluation.id), *_averages())
              .join(Course, Course.id == CourseRun.course_id)
              .join(CourseEvaluation, CourseEvaluation.run_id == CourseRun.id)
              .group_by(CourseRun.id, CourseRun.title, Course.title)
              .order_by(Course.title, CourseRun.title))
    if unit_id is not None:
        courses_q = courses_q.where(CourseRun.unit_id == unit_id)
        runs_q = runs_q.where(CourseRun.unit_id == unit_id)
    courses = [_shape(row, row[1], 2) for row in db.session.execute(courses_q)]
    runs = []
    for row in db.session.execute(runs_q):
        item = _shape(row, row[1], 3)
        item.update(id=row[0], course_title=row[2], comments=[])
        runs.append(item)
    if with_comments:
        shown = {run["id"]: run for run in runs if run["shown"]}
        if shown:
            query = (db.select(CourseEvaluation.run_id, CourseEvaluation.free_text)
                     .where(CourseEvaluation.run_id.in_(list(shown)),
                            CourseEvaluation.free_text != "")
                     .order_by(CourseEvaluation.run_id, CourseEvaluation.free_text))
            for run_id, text in db.session.execute(query):
                shown[run_id]["comments"].append(text)
    return {"courses": courses, "runs": runs, "statements": [t for _k, t in STATEMENTS],
            "min_answers": MIN_ANSWERS}
