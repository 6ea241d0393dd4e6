"""Course evaluation (kursevaluering): anonymous answers, aggregates shown to
the run's trainers only when at least MIN_ANSWERS have answered."""

from datetime import date

from modules.core.database import built_once
from modules.core.extensions import db
from modules.core.i18n import N_, _

from . import services
from .models import CourseEvaluation, EvaluationResponse

MIN_ANSWERS = 3
STATEMENTS = (
    ("relevant", N_("Kurset er relevant for arbeidet mitt.")),
    ("practice", N_("Jeg kan bruke det jeg lærte i praksis.")),
    ("trainer", N_("Kursholderen la godt til rette for læring.")),
    ("recommend", N_("Jeg vil anbefale kurset til en kollega.")),
)


class EvaluationError(services.CourseRunError):
    pass


def answer_state(user, run) -> str | None:
    """Why the user may or may not answer: "open", "answered", "not_yet" (course not
    completed), or None when the user takes no place in the run."""
    from modules.learning.models import Enrolment

    participant = services.get_participation(user, run)
    if participant is None or participant.status != "enrolled":
        return None
    if db.session.scalar(db.select(EvaluationResponse.id).where(
            EvaluationResponse.run_id == run.id, EvaluationResponse.user_id == user.id)):
        return "answered"
    completed = db.session.scalar(db.select(Enrolment.completed_at).where(
        Enrolment.user_id == user.id, Enrolment.course_id == run.course_id))
    return "open" if completed is not None else "not_yet"


def can_answer(user, run) -> bool:
    """Enrolled in the run, course completed, not answered yet."""
    from modules.learning.models import Enrolment

    participant = services.get_participation(user, run)
    if participant is None or participant.status != "enrolled":
        return False
    completed = db.session.scalar(db.select(Enrolment.completed_at).where(
        Enrolment.user_id == user.id, Enrolment.course_id == run.course_id))
    if completed is None:
        return False
    return db.session.scalar(db.select(EvaluationResponse.id).where(
        EvaluationResponse.run_id == run.id, EvaluationResponse.user_id == user.id)) is None


def answerable_runs(user, runs: list[tuple]) -> set[int]:
    """The ids of the runs among ``runs`` ((run, participant) pairs, the user's own)
    whose evaluation ``can_answer`` allows, in one statement whatever their number (the
    completed courses from ``learning.user_enrolments``, read once per request)."""
    from modules.learning.services import user_enrolments

    enrolled = [run for run, participant in runs
                if participant is not None and participant.status == "enrolled"]
    if not enrolled:
        return set()
    completed = {e.course_id for e in user_enrolments(user) if e.completed_at is not None}
    candidates = [run for run in enrolled if run.course_id in completed]
    if not candidates:
        return set()
    answered = set(db.session.scalars(_answered_statement(), {
        "user_id": user.id, "run_ids": [run.id for run in candidates]}))
    return {run.id for run in candidates if run.id not in answered}


@built_once
def _answered_statement():
    return db.select(EvaluationResponse.run_id).where(
        EvaluationResponse.user_id == db.bindparam("user_id"),
        EvaluationResponse.run_id.in_(db.bindparam("run_ids", expanding=True)))


def submit_evaluation(user, run, scores: dict[str, int], free_text: str = "") -> None:
    if not can_answer(user, run):
        raise EvaluationError(_("Du kan ikke svare på evalueringen av dette kurset."))
    clean = {}
    for key, _text in STATEMENTS:
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise EvaluationError(_("Velg en verdi fra 1 til 5 for hvert utsagn."), field=key)
        clean[key] = value
    db.session.add(EvaluationResponse(run_id=run.id, user_id=user.id))
    db.session.add(CourseEvaluation(run_id=run.id, scores=clean,
                                    free_text=(free_text or "").strip()[:5000],
                                    created_on=date.today()))
    db.session.flush()


def summary(actor, run) -> dict:
    """{"count", "shown", "averages": [(text, avg, distribution)], "comments"}."""
    if not services.is_trainer_of(actor, run):
        raise EvaluationError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    rows = list(db.session.scalars(db.select(CourseEvaluation)
                                   .where(CourseEvaluation.run_id == run.id)))
    result = {"count": len(rows), "shown": len(rows) >= MIN_ANSWERS, "averages": [],
              "comments": [], "min_answers": MIN_ANSWERS}
    if not result["shown"]:
        return result
    for key, text in STATEMENTS:
        values = [row.scores.get(key) for row in rows if row.scores.get(key)]
        distribution = [values.count(n) for n in range(1, 6)]
        average = sum(values) / len(values) if values else None
        result["averages"].append((_(text), average, distribution))
    # Shuffled by sorting on the text, so the order says nothing about who wrote what.
    result["comments"] = sorted(row.free_text for row in rows if row.free_text)
    return result
