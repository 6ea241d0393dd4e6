"""Taking, saving and submitting quizzes through the test client."""

import re

from modules.core.extensions import db
from modules.learning.models import ModuleProgress
from modules.quizzes.models import QuizAttempt
from tests.helpers import count_queries, without_csrf_tokens

from .conftest import correct_fields, quiz_module, wrong_fields

QUIZ_URL = "/courses/alletyper/m/quiz/quiz"


def start(client) -> QuizAttempt:
    response = client.post(QUIZ_URL + "/start")
    assert response.status_code == 302, response.data
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(QuizAttempt, attempt_id)


def form_for(attempt, fields, action="submit", **overrides):
    data = {"revision": str(attempt.revision), "token": attempt.submission_token,
            "action": action, **fields}
    data.update(overrides)
    return data


def attempts_of(user):
    db.session.expire_all()
    return list(db.session.scalars(db.select(QuizAttempt).where(QuizAttempt.user_id == user.id)))


def test_module_page_shows_quiz_panel(client, participant):
    page = client.get("/courses/alletyper/m/quiz").get_data(as_text=True)
    assert 'id="quiz"' in page
    assert "Start quizen" in page
    assert "Ubegrenset" in page


def test_attempt_page_has_every_input_type_and_no_answers(client, participant):
    attempt = start(client)
    response = client.get(f"/quiz/attempts/{attempt.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<fieldset") == 5 and page.count("<legend") == 5
    assert 'type="radio" name="q:enkel"' in page
    assert 'type="checkbox" name="q:flere"' in page
    assert "Sant" in page and "Usant" in page
    assert page.count('name="q:rekke:') == 4 and page.count('name="q:koble:') == 3
    # nothing that gives the answers away
    for secret in ("correct", "Daglig drift: medprodusent", "Ja, riktig.", "Tre situasjoner",
                   "data-correct", "answer"):
        assert secret not in page
    # every input has a label
    for input_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', page):
        if input_id not in ("csrf_token", "revision", "token"):
            assert f'for="{input_id}"' in page


def test_correct_answers_pass_and_result_shows_feedback(client, participant):
    attempt = start(client)
    response = client.post(f"/quiz/attempts/{attempt.id}",
                           data=form_for(attempt, correct_fields(attempt.questions)))
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert (attempt.status, attempt.score, attempt.asked, attempt.passed) == (
        "submitted", 5, 5, True)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "5 av 5 riktige (100 %)" in page and "Bestått" in page
    assert "Daglig drift: medprodusent." in page and "Nei, det er forbedring." in page
    progress = db.session.scalar(db.select(ModuleProgress).where(
        ModuleProgress.user_id == participant.id))
    assert progress.quiz_passed_at is not None and progress.quiz_best_share == 1.0


def test_wrong_answers_fail_then_retry_and_history(client, participant):
    attempt = start(client)
    client.post(f"/quiz/attempts/{attempt.id}",
                data=form_for(attempt, wrong_fields(attempt.questions)))
    db.session.refresh(attempt)
    assert (attempt.score, attempt.passed) == (0, False)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "0 av 5 riktige (0 %)" in page and "Ikke bestått" in page and "Feil" in page
    second = start(client)
    assert second.id != attempt.id and second.number == 2
    history = client.get(QUIZ_URL).get_data(as_text=True)
    assert "Forsøk 1" in history and "Forsøk 2" in history and "Påbegynt" in history


def test_reload_and_resume_show_the_same_attempt(client, participant):
    first = start(client)
    again = start(client)
    assert again.id == first.id
    page1 = client.get(f"/quiz/attempts/{first.id}").get_data(as_text=True)
    page2 = client.get(f"/quiz/attempts/{first.id}").get_data(as_text=True)
    # The CSRF token carries a timestamp, so it differs when the second ticks.
    assert without_csrf_tokens(page1) == without_csrf_tokens(page2)
    assert _question_ids(page1) == [q["id"] for q in first.questions]



def _question_ids(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'name="q:([^":]+)', page)))


def test_save_button_stores_answers_and_resume_shows_them(client, participant):
    attempt = start(client)
    fields = correct_fields(attempt.questions)
    partial = {k: v for k, v in fields.items() if k.startswith("q:enkel")}
    response = client.post(f"/quiz/attempts/{attempt.id}",
                           data=form_for(attempt, partial, action="save"))
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.status == "open" and attempt.revision == 1
    assert "enkel" in attempt.answers
    client.get("/logout")
    from tests.conftest import login
    login(client, participant)
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert f'value="{partial["q:enkel"][0]}" checked' in page


def test_stale_form_is_refused_and_changes_nothing(client, participant):
    attempt = start(client)
    fields = correct_fields(attempt.questions)
    old = form_for(attempt, fields, action="save")
    client.post(f"/quiz/attempts/{attempt.id}", data=old)
    db.session.refresh(attempt)
    saved = dict(attempt.answers)
    stale = form_for(attempt, wrong_fields(attempt.questions), revision="0")
    response = client.post(f"/quiz/attempts/{attempt.id}", data=stale, follow_redirects=True)
    assert "utdatert" in response.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.status == "open" and attempt.answers == saved and attempt.revision == 1


def test_double_submit_records_one_attempt(client, participant):
    attempt = start(client)
    data = form_for(attempt, correct_fields(attempt.questions))
    client.post(f"/quiz/attempts/{attempt.id}", data=data)
    response = client.post(f"/quiz/attempts/{attempt.id}", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "allerede levert" in response.get_data(as_text=True)
    rows = attempts_of(participant)
    assert len(rows) == 1 and rows[0].status == "submitted"


def test_another_users_attempt_is_404(client, participant, make_user, app):
    attempt = start(client)
    other = make_user()
    other_client = app.test_client()
    from tests.conftest import login
    login(other_client, other)
    assert other_client.get(f"/quiz/attempts/{attempt.id}").status_code == 404
    data = form_for(attempt, correct_fields(attempt.questions))
    assert other_client.post(f"/quiz/attempts/{attempt.id}", data=data).status_code == 404
    assert other_client.post(f"/quiz/attempts/{attempt.id}/save", data=data).status_code == 404
    db.session.refresh(attempt)
    assert attempt.status == "open"


def test_not_enrolled_cannot_start(client, make_user, quiz_course, synced):
    from tests.conftest import login
    login(client, make_user())
    response = client.post(QUIZ_URL + "/start", follow_redirects=True)
    assert "Meld deg på" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 0


def test_attempt_page_query_count_is_fixed(client, participant):
    attempt = start(client)
    client.get(f"/quiz/attempts/{attempt.id}")
    with count_queries() as queries:
        client.get(f"/quiz/attempts/{attempt.id}")
    assert queries[0] <= 4


def test_my_page_panel_lists_results(client, participant, app):
    attempt = start(client)
    client.post(f"/quiz/attempts/{attempt.id}",
                data=form_for(attempt, correct_fields(attempt.questions)))
    from modules.quizzes.panels import my_page_panel
    with app.test_request_context():
        html = my_page_panel(participant)
    assert "Alle typer" in html and "Quizmodul" in html and "5 av 5 riktige (100 %)" in html
    assert quiz_module().quiz["pass_percent"] == 80


def test_module_page_query_count_does_not_grow_with_attempts(client, participant):
    for _ in range(2):
        attempt = start(client)
        client.post(f"/quiz/attempts/{attempt.id}",
                    data=form_for(attempt, correct_fields(attempt.questions)))
    client.get("/courses/alletyper/m/quiz")
    # a cold identity map each time, as a fresh request in production (the tests keep
    # one session across requests: whether the visit before wrote the place, and so
    # expired the user, must not change the count)
    db.session.expire_all()
    with count_queries() as few:
        client.get("/courses/alletyper/m/quiz")
    for _ in range(3):
        attempt = start(client)
        client.post(f"/quiz/attempts/{attempt.id}",
                    data=form_for(attempt, correct_fields(attempt.questions)))
    client.get("/courses/alletyper/m/quiz")
    db.session.expire_all()
    with count_queries() as many:
        page = client.get("/courses/alletyper/m/quiz").get_data(as_text=True)
    assert many[0] == few[0]
    assert "5 av 5 riktige (100 %)" in page and "Ta quizen på nytt" in page
