"""A quiz posted after the session is gone (CSRF enabled, as in production): no bare
400 and no lost answers; the page keeps them, asks to log in in a new tab, then posts."""

import re

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes import services
from tests.conftest import PASSWORD

from .conftest import correct_fields, quiz_module


def _token(page: str) -> str:
    return re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[-1]


def _hidden(page: str) -> dict[str, list[str]]:
    """The kept answers: the hidden fields of the quiz form (not the CSRF tokens)."""
    form = page[page.index('<form method="post" action="/quiz'):]
    form = form[:form.index("</form>")]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        fields.setdefault(name, []).append(value)
    return fields


def test_answers_survive_a_lost_session(csrf_app, make_user, quiz_course):
    sync_courses()
    user = make_user()
    course = get_course_by_slug("alletyper")
    learning.enrol(user, course)
    attempt = services.start_or_resume_attempt(user, course, quiz_module())
    db.session.commit()
    fields = correct_fields(attempt.questions)
    client = csrf_app.test_client()  # no session: logged out, or the session expired

    lost = client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": "0", "token": attempt.submission_token, "action": "submit", **fields})
    page = lost.get_data(as_text=True)
    assert lost.status_code == 400 and "Svarene er ikke levert ennå" in page
    assert 'target="_blank"' in page and "Logg inn igjen i en ny fane" in page
    assert "5 spørsmål er besvart i denne siden" in page
    kept = _hidden(page)
    assert all(kept[name] == values for name, values in fields.items())
    assert kept["token"] == [attempt.submission_token] and "action" not in kept

    # log in (as in the new tab), then post the kept page: its token predates the login
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": _token(login_page)})
    again = client.post(f"/quiz/attempts/{attempt.id}",
                        data={**kept, "csrf_token": _token(page), "action": "submit"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and "trykk på en av knappene under én gang til" in page
    assert _hidden(page) == kept
    done = client.post(f"/quiz/attempts/{attempt.id}",
                       data={**_hidden(page), "csrf_token": _token(page), "action": "submit"})
    assert done.status_code == 302
    db.session.refresh(attempt)
    assert attempt.is_submitted and attempt.score == 5
