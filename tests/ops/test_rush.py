"""A reduced exam rush: 100 participants, each in its own thread with its own test
client (CSRF on, real forms), open the same quiz of a real course, answer and
submit. Counts only: no error, every acknowledged submission stored exactly once."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from bench.client import CSRF, quiz_answers
from modules.accounts.models import User
from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning.models import Enrolment, ModuleProgress
from modules.learning.services import list_placed_modules
from modules.quizzes.models import OPEN, SUBMITTED, QuizAttempt
from tests.conftest import ROOT

PARTICIPANTS = 100
PASSWORD = "Rush-passord-2025"  # noqa: S105 - test accounts
ACK = "Forsøket er levert."


def _token(html: str) -> str:
    return CSRF.search(html.encode()).group(1).decode()


def _participants(course) -> list[str]:
    # a cheap hash: the rush is about quizzes, not password hashing
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    unit = find_unit("ost")
    emails = [f"rush{n}@example.com" for n in range(PARTICIPANTS)]
    ids = db.session.scalars(insert(User).returning(User.id), [
        {"email": e, "name": f"Rush {n}", "password_hash": password_hash, "unit_id": unit.id,
         "role": "participant", "active": True, "session_version": 1}
        for n, e in enumerate(emails)]).all()
    db.session.execute(insert(Enrolment), [{"user_id": i, "course_id": course.id}
                                           for i in ids])
    db.session.commit()
    return emails


def _take_quiz(app, email: str, path: str) -> tuple[str, int | None]:
    """Log in, open the quiz, start, answer, submit; (outcome, attempt id)."""
    client = app.test_client()
    page = client.get("/login")
    reply = client.post("/login", data={"csrf_token": _token(page.text), "email": email,
                                        "password": PASSWORD})
    if reply.status_code != 302:
        return f"login {reply.status_code}", None
    quiz = client.get(f"{path}/quiz")
    if quiz.status_code != 200:
        return f"quiz page {quiz.status_code}", None
    start = client.post(f"{path}/quiz/start", data={"csrf_token": _token(quiz.text)})
    if start.status_code != 302 or "/quiz/attempts/" not in start.location:
        return f"start {start.status_code}", None
    attempt_path = start.location[start.location.index("/quiz/attempts/"):]
    attempt_id = int(attempt_path.rsplit("/", 1)[1])
    form = client.get(attempt_path)
    if form.status_code != 200:
        return f"attempt page {form.status_code}", attempt_id
    fields = quiz_answers(form.data)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    submit = client.post(attempt_path, data=data)
    result = client.get(attempt_path)
    if submit.status_code != 302 or ACK not in result.text:
        return f"submit {submit.status_code}", attempt_id
    return "acknowledged", attempt_id


def test_reduced_exam_rush(csrf_app):
    assert not sync_courses([ROOT / "courses"]).failed
    db.session.commit()
    course = get_course_by_slug("fasilitering")
    module = next(m for m in list_placed_modules(course) if m.quiz)
    path = f"/courses/{course.slug}/m/{module.slug}"
    emails = _participants(course)

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(lambda e: _take_quiz(csrf_app, e, path), emails))

    assert [o for o, _id in outcomes if o != "acknowledged"] == []
    db.session.expire_all()
    submitted = db.session.execute(
        db.select(QuizAttempt.id, QuizAttempt.user_id)
        .where(QuizAttempt.learning_module_id == module.id, QuizAttempt.status == SUBMITTED)
    ).all()
    assert {attempt_id for attempt_id, _user in submitted} == {i for _o, i in outcomes}
    assert len({user for _id, user in submitted}) == len(submitted) == PARTICIPANTS
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))
                             .where(QuizAttempt.status == OPEN)) == 0
    graded = db.session.scalar(db.select(db.func.count(ModuleProgress.id)).where(
        ModuleProgress.learning_module_id == module.id,
        ModuleProgress.quiz_best_share.is_not(None)))
    assert graded == PARTICIPANTS
