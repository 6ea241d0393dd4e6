"""Print, as JSON, the users, paths and codes the benchmark drives (run in the app)."""

import json
import sys

from app import create_app
from modules.accounts.models import Unit, User
from modules.catalog.models import Course
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.course_runs.models import ENROLLED, RUNNING, CourseRun, RunParticipant
from modules.learning.models import Enrolment
from modules.learning.services import list_placed_modules

RUSH_COURSE = "fasilitering"


def main(limit: int) -> dict:
    courses = {c.id: c for c in db.session.scalars(db.select(Course))}
    first = {}
    for course in courses.values():
        placed = list_placed_modules(course)
        if placed and placed[0].course_id == course.id and placed[0].quiz:
            first[course.id] = f"/courses/{course.slug}/m/{placed[0].slug}"
    rows = db.session.execute(
        db.select(User.email, Enrolment.course_id).join(Enrolment, Enrolment.user_id == User.id)
        .where(User.email.like("demo%"), User.role == "participant",
               Enrolment.course_id.in_(list(first)))
        .order_by(User.id).limit(2000)).all()
    pairs = [(email, first[course_id]) for email, course_id in rows]
    run = db.session.execute(
        db.select(CourseRun.id, User.email).join(User, User.id == CourseRun.lead_trainer_id)
        .join(RunParticipant, RunParticipant.run_id == CourseRun.id)
        .where(CourseRun.status == RUNNING, RunParticipant.status == ENROLLED)
        .group_by(CourseRun.id, User.email)
        .order_by(db.func.count(RunParticipant.id).desc(), CourseRun.id).limit(1)).first()
    size = db.session.scalar(db.select(db.func.count(RunParticipant.id)).where(
        RunParticipant.run_id == run.id)) if run else 0
    unit = db.session.execute(
        db.select(Unit.code).join(User, User.unit_id == Unit.id).group_by(Unit.code)
        .order_by(db.func.count(User.id).desc()).limit(1)).scalar()
    codes = list(db.session.scalars(db.select(Certificate.code).order_by(Certificate.id)
                                    .limit(200)))
    rush_course = next(c for c in courses.values() if c.slug == RUSH_COURSE)
    rush = list(db.session.scalars(
        db.select(User.email).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == rush_course.id, User.email.like("demo%"),
               User.role == "participant").order_by(User.id.desc()).limit(limit)))
    return {"module": pairs[:1000], "quiz": pairs[1000:],
            "matrix": {"email": run.email, "path": f"/kursgjennomforinger/{run.id}"
                       "/deltakeroversikt", "participants": size} if run else None,
            "unit": unit, "verify": [f"/verify/{code}" for code in codes],
            "rush": {"path": first[rush_course.id], "emails": rush}}


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)))
