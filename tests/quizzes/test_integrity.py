"""Forged submissions, attempt limits and content changes: each refused with a
clear message and nothing recorded."""

import pytest

from modules.catalog.services import sync_courses
from modules.core.extensions import db
from modules.learning.models import ModuleProgress
from modules.quizzes.models import QuizAttempt

from .conftest import ALL_TYPES_QUIZ, all_types_package, correct_fields
from .test_views import QUIZ_URL, attempts_of, form_for, start


def _nothing_recorded(attempt, user):
    db.session.expire_all()
    assert attempt.status == "open" and attempt.score is None and attempt.revision == 0
    assert attempt.answers == {}
    assert db.session.scalar(db.select(ModuleProgress.quiz_best_share).where(
        ModuleProgress.user_id == user.id)) is None


def _forge(attempt, case):
    fields = correct_fields(attempt.questions)
    single = next(q for q in attempt.questions if q["type"] == "single")
    order = next(q for q in attempt.questions if q["type"] == "order")
    if case == "unknown question":
        return form_for(attempt, {**fields, "q:finnes-ikke": ["0"]}), "ikke er med"
    if case == "unknown choice":
        return form_for(attempt, {**fields, "q:" + single["id"]: ["7"]}), "ikke et av"
    if case == "not a number":
        return form_for(attempt, {**fields, "q:" + single["id"]: ["-1"]}), "ikke et av"
    if case == "two answers to single":
        return form_for(attempt, {**fields, "q:" + single["id"]: ["0", "1"]}), "ikke et av"
    if case == "position out of range":
        return form_for(attempt, {**fields, f"q:{order['id']}:0": ["9"]}), "ikke et av"
    if case == "missing answer":
        fields.pop("q:" + single["id"])
        return form_for(attempt, fields), "Svar på alle"
    if case == "extra field":
        return form_for(attempt, {**fields, "score": ["5"]}), "ukjente felt"
    if case == "wrong token":
        return form_for(attempt, fields, token="x" * 43), "hører ikke til"
    if case == "no token":
        data = form_for(attempt, fields)
        data.pop("token")
        return data, "hører ikke til"
    if case == "stale revision":
        return form_for(attempt, fields, revision="3"), "utdatert"
    raise AssertionError(case)


@pytest.mark.parametrize("case", [
    "unknown question", "unknown choice", "not a number", "two answers to single",
    "position out of range", "missing answer", "extra field", "wrong token", "no token",
    "stale revision"])
def test_forged_submission_is_refused_and_records_nothing(client, participant, case):
    attempt = start(client)
    data, message = _forge(attempt, case)
    response = client.post(f"/quiz/attempts/{attempt.id}", data=data, follow_redirects=True)
    assert response.status_code in (200, 422)
    assert message in response.get_data(as_text=True)
    _nothing_recorded(attempt, participant)


def test_forged_save_is_refused_too(client, participant):
    attempt = start(client)
    data, _message = _forge(attempt, "unknown choice")
    data["action"] = "save"
    response = client.post(f"/quiz/attempts/{attempt.id}", data=data, follow_redirects=True)
    assert "Svaret på spørsmål" in response.get_data(as_text=True)
    assert "ikke et av" in response.get_data(as_text=True)
    _nothing_recorded(attempt, participant)


def test_missing_answer_keeps_what_was_posted_on_the_page(client, participant):
    attempt = start(client)
    data, _ = _forge(attempt, "missing answer")
    page = client.post(f"/quiz/attempts/{attempt.id}", data=data).get_data(as_text=True)
    assert "checked" in page and "Svar på dette spørsmålet" in page


def test_submitting_a_submitted_attempt_with_another_form_changes_nothing(client, participant):
    attempt = start(client)
    client.post(f"/quiz/attempts/{attempt.id}", data=form_for(attempt,
                                                              correct_fields(attempt.questions)))
    db.session.refresh(attempt)
    score = attempt.score
    forged = form_for(attempt, {}, revision="0")
    response = client.post(f"/quiz/attempts/{attempt.id}", data=forged, follow_redirects=True)
    assert "allerede levert" in response.get_data(as_text=True)
    # a replay with another token says the same, and changes nothing either
    forged = form_for(attempt, {}, token="x" * 43)
    response = client.post(f"/quiz/attempts/{attempt.id}", data=forged, follow_redirects=True)
    assert "Forsøket er allerede levert. Ingenting ble endret." in response.get_data(
        as_text=True)
    db.session.refresh(attempt)
    assert attempt.score == score and len(attempts_of(participant)) == 1


def test_max_attempts_is_enforced(client, app, make_user, course_dir):
    all_types_package(course_dir, max_attempts=2)
    sync_courses()
    db.session.commit()
    from modules.catalog.services import get_course_by_slug
    from modules.learning import services as learning
    from tests.conftest import login
    user = make_user()
    learning.enrol(user, get_course_by_slug("alletyper"))
    db.session.commit()
    login(client, user)
    for _ in range(2):
        attempt = start(client)
        client.post(f"/quiz/attempts/{attempt.id}",
                    data=form_for(attempt, correct_fields(attempt.questions)))
    response = client.post(QUIZ_URL + "/start", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert ('<div class="flash flash-error" role="alert">Du har brukt alle 2 forsøkene på '
            'denne quizen.</div>') in page
    rows = attempts_of(user)
    assert len(rows) == 2 and all(a.status == "submitted" for a in rows)
    assert "Forsøk igjen: 0" in client.get(QUIZ_URL).get_data(as_text=True)


def _change_quiz(course_dir):
    changed = ALL_TYPES_QUIZ.format(max_attempts=0).replace(
        "Hvilken rolle har innbyggeren i daglig drift?", "Hvilken rolle i drift?")
    all_types_package(course_dir, quiz=changed)
    result = sync_courses()
    db.session.commit()
    assert not result.failed


def test_content_change_after_start_refuses_the_old_attempt(client, participant, course_dir):
    attempt = start(client)
    data = form_for(attempt, correct_fields(attempt.questions))
    _change_quiz(course_dir)
    response = client.post(f"/quiz/attempts/{attempt.id}", data=data, follow_redirects=True)
    assert "endret etter at du startet" in response.get_data(as_text=True)
    _nothing_recorded(attempt, participant)
    # a new attempt starts on the new content; the old one is closed and not counted
    fresh = start(client)
    assert fresh.id != attempt.id
    assert fresh.questions[0]["text"] != "" and any(
        q["text"] == "Hvilken rolle i drift?" for q in fresh.questions)
    db.session.refresh(attempt)
    assert attempt.status == "expired"


def test_past_attempt_is_unchanged_by_a_content_change(client, participant, course_dir):
    attempt = start(client)
    client.post(f"/quiz/attempts/{attempt.id}", data=form_for(attempt,
                                                              correct_fields(attempt.questions)))
    before = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    _change_quiz(course_dir)
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt.id)
    assert (attempt.score, attempt.asked, attempt.passed) == (5, 5, True)
    after = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Hvilken rolle har innbyggeren i daglig drift?" in after
    assert "Hvilken rolle i drift?" not in after
    assert before.count("Riktig") == after.count("Riktig")
