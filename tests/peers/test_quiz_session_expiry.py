"""A quiz posted after the session has gone idle: the answers come back in a page that
asks to log in again in a new tab, instead of a redirect that drops them."""

from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.conftest import login

from .test_session_lifetime import QUIZ, clock  # noqa: F401  (the clock fixture)


def test_idle_expiry_during_a_quiz_keeps_the_posted_answers(client, make_user, courses,
                                                            clock):  # noqa: F811
    user = make_user()
    login(client, user)
    learning.enrol(user, courses["sertifisert"])
    db.session.commit()
    response = client.post(QUIZ + "/start")
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    question = next(q for q in attempt.questions if q["type"] == "truefalse")
    clock.advance(minutes=45)  # a long think: the session has gone idle
    response = client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "submit", "q:" + question["id"]: "false"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Svarene er ikke levert ennå" in page
    assert "ikke har vært aktiv på 30 minutter" in page
    assert f'<input type="hidden" name="q:{question["id"]}" value="false">' in page
    assert "Logg inn igjen i en ny fane" in page
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).status == "open"  # nothing taken in
