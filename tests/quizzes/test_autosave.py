"""Answers are never lost: each answer saved as it is given (autosave endpoint
or the no-JS "Lagre" button), resumed exactly, stale forms refused."""

from modules.core.extensions import db
from tests.conftest import login

from .conftest import correct_fields
from .test_views import start


def _fields_of(attempt, qtype):
    question = next(q for q in attempt.questions if q["type"] == qtype)
    return {k: v for k, v in correct_fields(attempt.questions).items()
            if k == "q:" + question["id"] or k.startswith(f"q:{question['id']}:")}, question


def test_autosave_saves_one_question_at_a_time(client, participant):
    attempt = start(client)
    single, single_q = _fields_of(attempt, "single")
    order, order_q = _fields_of(attempt, "order")
    first = client.post(f"/quiz/attempts/{attempt.id}/save", data={"revision": "0", **single})
    assert first.status_code == 200 and first.json["revision"] == 1
    second = client.post(f"/quiz/attempts/{attempt.id}/save", data={"revision": "1", **order})
    assert second.json["revision"] == 2
    db.session.refresh(attempt)
    assert set(attempt.answers) == {single_q["id"], order_q["id"]}
    # clearing a question (the script posts an empty value) removes only that answer
    client.post(f"/quiz/attempts/{attempt.id}/save",
                data={"revision": "2", "q:" + single_q["id"]: ""})
    db.session.refresh(attempt)
    assert set(attempt.answers) == {order_q["id"]}


def test_stale_autosave_is_refused_with_nothing_changed(client, participant):
    attempt = start(client)
    single, _ = _fields_of(attempt, "single")
    client.post(f"/quiz/attempts/{attempt.id}/save", data={"revision": "0", **single})
    db.session.refresh(attempt)
    saved = dict(attempt.answers)
    truefalse, _ = _fields_of(attempt, "truefalse")
    stale = client.post(f"/quiz/attempts/{attempt.id}/save", data={"revision": "0", **truefalse})
    assert stale.status_code == 409 and "utdatert" in stale.json["error"]
    # the page does not change by itself, so the message must not claim it shows the saved
    # answers: it says how to see them
    assert "viser nå" not in stale.json["error"]
    assert "Last siden på nytt for å se svarene som er lagret" in stale.json["error"]
    db.session.refresh(attempt)
    assert attempt.answers == saved and attempt.revision == 1


def test_resume_after_new_login_then_submit_saved_answers(client, participant):
    attempt = start(client)
    fields = correct_fields(attempt.questions)
    client.post(f"/quiz/attempts/{attempt.id}/save", data={"revision": "0", **fields})
    client.get("/logout")
    login(client, participant)
    assert start(client).id == attempt.id
    page = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert page.count(" checked") + page.count(" selected") >= 5
    assert 'name="revision" type="hidden" value="1"' in page or 'value="1"' in page
    response = client.post(f"/quiz/attempts/{attempt.id}",
                           data={"revision": "1", "token": attempt.submission_token,
                                 "action": "submit", **fields})
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.score == 5


def test_post_without_csrf_token_is_refused(csrf_app, make_user, quiz_course):
    from modules.catalog.services import get_course_by_slug, sync_courses
    from modules.learning import services as learning

    sync_courses()
    user = make_user()
    learning.enrol(user, get_course_by_slug("alletyper"))
    db.session.commit()
    client = csrf_app.test_client()
    assert client.post("/courses/alletyper/m/quiz/quiz/start").status_code == 400
