"""Many participants submitting at once on SQLite (a real file in WAL mode,
each thread with its own test client and app context): no error, no lost and
no duplicated attempt, even when each one double-submits from two threads."""

import threading

from modules.catalog.services import get_course_by_slug
from modules.core.extensions import db
from modules.learning import services as learning
from modules.learning.models import ModuleProgress
from modules.quizzes.models import QuizAttempt
from tests.conftest import login

from .conftest import correct_fields
from .test_views import QUIZ_URL

USERS = 12


def _run_all(targets):
    errors = []
    barrier = threading.Barrier(len(targets))

    def wrap(target):
        try:
            barrier.wait(timeout=30)
            target()
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(repr(error))

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_many_users_submitting_at_once(app, make_user, quiz_course, synced):
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    course = get_course_by_slug("alletyper")
    clients = []
    for _ in range(USERS):
        user = make_user()
        learning.enrol(user, course)
        db.session.commit()
        client = app.test_client()
        login(client, user)
        clients.append((user.id, client))
    db.session.remove()

    statuses: list[int] = []
    attempt_ids: dict[int, int] = {}

    def starter(user_id, client):
        def run():
            response = client.post(QUIZ_URL + "/start")
            statuses.append(response.status_code)
            attempt_ids[user_id] = int(response.headers["Location"].rsplit("/", 1)[1])
        return run

    _run_all([starter(u, c) for u, c in clients])
    assert statuses == [302] * USERS

    forms = {}
    for user_id, _client in clients:
        attempt = db.session.get(QuizAttempt, attempt_ids[user_id])
        forms[user_id] = {"revision": "0", "token": attempt.submission_token,
                          "action": "submit", **correct_fields(attempt.questions)}
    db.session.remove()

    results: list[int] = []

    def submitter(user_id, client):
        def run():
            response = client.post(f"/quiz/attempts/{attempt_ids[user_id]}",
                                   data=forms[user_id])
            results.append(response.status_code)
        return run

    # every participant double-submits: two threads with the same form
    _run_all([submitter(u, c) for u, c in clients for _ in range(2)])
    assert results == [302] * (2 * USERS)

    db.session.expire_all()
    attempts = list(db.session.scalars(db.select(QuizAttempt)))
    assert len(attempts) == USERS
    assert {a.user_id for a in attempts} == {uid for uid, _ in clients}
    assert all(a.status == "submitted" and a.score == 5 and a.revision == 1 for a in attempts)
    passed = db.session.scalar(db.select(db.func.count(ModuleProgress.id)).where(
        ModuleProgress.quiz_passed_at.is_not(None)))
    assert passed == USERS
