"""Starting an attempt: the wait before a new one is measured by the clock the caller
gives, and a start that loses the race to another start (a double click on "Start")
resumes the attempt the other request made, or says it could not start (found by
mutation testing, docs/testing.md)."""

import secrets
from datetime import timedelta

import pytest

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes import services as quizzes
from modules.quizzes.models import QuizAttempt
from tests.helpers import wrong_fields

from .conftest import ALL_TYPES_QUIZ, all_types_package


def _quiz(course_dir, *, retry_after_minutes: int = 0):
    quiz = ALL_TYPES_QUIZ.format(max_attempts=3).replace(
        "max_attempts = 3", f"max_attempts = 3\nretry_after_minutes = {retry_after_minutes}")
    all_types_package(course_dir, quiz=quiz)
    sync_courses()
    db.session.commit()
    course = get_course_by_slug("alletyper")
    return course, learning.list_placed_modules(course)[0]


def _failed_attempt(user, course, module) -> QuizAttempt:
    attempt = quizzes.start_or_resume_attempt(user, course, module)
    quizzes.submit_attempt(user, attempt, wrong_fields(attempt.questions),
                           token=attempt.submission_token, revision=0)
    assert attempt.passed is False
    return attempt


def test_the_wait_before_a_new_attempt_is_measured_by_the_clock_given(
        app, make_user, course_dir):
    """45 minutes to wait: at 44 minutes after the failed attempt the start is refused,
    at 46 the second attempt opens (the clock given, not the machine's)."""
    course, module = _quiz(course_dir, retry_after_minutes=45)
    user = make_user()
    learning.enrol(user, course)
    first = _failed_attempt(user, course, module)

    with pytest.raises(quizzes.RetryLaterError):
        quizzes.start_or_resume_attempt(user, course, module,
                                        now=first.submitted_at + timedelta(minutes=44))
    second = quizzes.start_or_resume_attempt(user, course, module,
                                             now=first.submitted_at + timedelta(minutes=46))
    assert (second.number, second.status) == (2, "open")


def _the_other_request(user, course, module, status: str):
    """Patches the draw so that, between this start's reading of the attempts and its
    write, "another request" writes attempt number 2 of the same user and quiz."""
    made = []

    def draw_then_lose_the_race(shown_quiz, rng):
        snapshot = real_draw(shown_quiz, rng)
        other = QuizAttempt(
            user_id=user.id, learning_module=module, course=course, number=2, cycle=1,
            status=status, content_hash=module.content_hash, pass_percent=80,
            questions=snapshot, answers={}, revision=0, asked=len(snapshot),
            submission_token=secrets.token_urlsafe(32))
        db.session.add(other)
        db.session.flush()
        made.append(other.id)
        return snapshot

    real_draw = quizzes.grading.draw_snapshot
    return draw_then_lose_the_race, made


def _decoys(make_user, user, course, module):
    """Attempts the look-up must not pick, all older than the one it must: the user's
    submitted first attempt, another user's open attempt at this quiz and the user's
    open attempt at another course's quiz."""
    _failed_attempt(user, course, module)
    other_user = make_user()
    learning.enrol(other_user, course)
    quizzes.start_or_resume_attempt(other_user, course, module)
    proveko = get_course_by_slug("proveko")
    learning.enrol(user, proveko)
    quizzes.start_or_resume_attempt(
        user, proveko, next(m for m in learning.list_placed_modules(proveko) if m.quiz))
    db.session.flush()


def _losing_the_race(make_user, course_dir, monkeypatch, other_status: str):
    """A user, with the decoys, whose next start loses the race to an attempt in
    ``other_status``; returns the user, course, module and the other attempt's id (a
    list filled by the draw)."""
    course, module = _quiz(course_dir)
    user = make_user()
    learning.enrol(user, course)
    _decoys(make_user, user, course, module)
    draw, made = _the_other_request(user, course, module, other_status)
    monkeypatch.setattr(quizzes.grading, "draw_snapshot", draw)
    return user, course, module, made


def test_a_start_that_loses_the_race_resumes_the_attempt_the_other_request_made(
        app, make_user, course_dir, monkeypatch):
    user, course, module, made = _losing_the_race(make_user, course_dir, monkeypatch, "open")

    resumed = quizzes.start_or_resume_attempt(user, course, module)

    assert made and resumed.id == made[0]
    assert (resumed.user_id, resumed.learning_module_id, resumed.number, resumed.status) == (
        user.id, module.id, 2, "open")


def test_a_start_that_loses_the_race_to_an_attempt_no_longer_open_says_try_again(
        app, make_user, course_dir, monkeypatch):
    user, course, module, made = _losing_the_race(make_user, course_dir, monkeypatch,
                                                  "submitted")

    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.start_or_resume_attempt(user, course, module)

    assert made
    assert refused.value.message == "Quizen kunne ikke startes. Prøv igjen."
    assert str(refused.value) == "Quizen kunne ikke startes. Prøv igjen."
