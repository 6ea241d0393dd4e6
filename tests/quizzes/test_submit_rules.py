"""What a submitted attempt keeps, which attempt a user gets, and each refusal's words
(found by mutation testing, docs/testing.md)."""

import pytest

from modules.core.extensions import db
from modules.quizzes import services as quizzes
from modules.quizzes.models import QuizAttempt
from tests.helpers import correct_fields, wrong_fields

from .test_views import start

OTHER = "Forsøket tilhører en annen bruker."
SUBMITTED = "Forsøket er allerede levert. Ingenting ble endret."
CHANGED = ("Quizen er endret etter at du startet dette forsøket, så det kan ikke leveres. "
           "Start et nytt forsøk.")
STALE = ("Skjemaet er utdatert: forsøket er lagret fra en annen fane eller et annet vindu "
         "etter at denne siden ble lastet. Siden viser nå de siste lagrede svarene.")
NOT_THIS = "Innleveringen hører ikke til dette forsøket. Ingenting er lagret."


def _attempt(client, user) -> QuizAttempt:
    return quizzes.get_attempt_for(user, start(client).id)


def test_a_submitted_attempt_keeps_its_answers_and_each_questions_result(
        client, participant):
    """Three of five right: the stored answers are the ones posted, and the result of
    each question, in the order shown, says which three."""
    attempt = _attempt(client, participant)
    questions = attempt.questions
    form = {**correct_fields(questions[:3]), **wrong_fields(questions[3:])}
    quizzes.submit_attempt(participant, attempt, form, token=attempt.submission_token,
                           revision=0)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert (stored.score, stored.asked, stored.share) == (3, 5, 0.6)
    assert stored.results == [True, True, True, False, False]
    assert set(stored.answers) == {q["id"] for q in questions}
    assert all(stored.answers[q["id"]] is not None for q in questions)


def test_a_user_gets_that_attempt_and_only_their_own(client, participant, make_user):
    first = _attempt(client, participant)
    quizzes.submit_attempt(participant, first, correct_fields(first.questions),
                           token=first.submission_token, revision=0)
    db.session.commit()
    second = _attempt(client, participant)
    assert second.id != first.id
    assert quizzes.get_attempt_for(participant, first.id).id == first.id
    assert quizzes.get_attempt_for(participant, second.id).id == second.id
    assert quizzes.get_attempt_for(make_user(), second.id) is None


def test_each_refusal_says_why_word_for_word(client, participant, make_user):
    someone = make_user()
    attempt = _attempt(client, participant)
    fields = correct_fields(attempt.questions)
    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.save_answers(someone, attempt, fields, revision=0)
    assert refused.value.message == OTHER
    with pytest.raises(quizzes.StaleFormError) as refused:
        quizzes.save_answers(participant, attempt, fields, revision=7)
    assert refused.value.message == STALE
    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.submit_attempt(participant, attempt, fields, token="x" * 43, revision=0)
    assert refused.value.message == NOT_THIS

    quizzes.submit_attempt(participant, attempt, fields, token=attempt.submission_token,
                           revision=0)
    db.session.commit()
    with pytest.raises(quizzes.AttemptAlreadySubmittedError) as refused:
        quizzes.save_answers(participant, attempt, fields, revision=1)
    assert refused.value.message == SUBMITTED

    expired = _attempt(client, participant)
    expired.status = "expired"  # as a start after a content change leaves it
    db.session.commit()
    expired = quizzes.get_attempt_for(participant, expired.id)
    with pytest.raises(quizzes.ContentChangedError) as refused:
        quizzes.save_answers(participant, expired, fields, revision=0)
    assert refused.value.message == CHANGED


def test_a_users_attempts_at_one_quiz_are_that_quizs_newest_first(
        client, participant):
    """Attempts in another module's quiz neither show in this quiz's list nor move its
    numbering (nor, so, its attempts left)."""
    from modules.catalog.services import get_course_by_slug
    from modules.learning import services as learning
    from tests.helpers import take_quiz

    proveko = learning.list_placed_modules(get_course_by_slug("proveko"))[0]
    take_quiz(participant, proveko)
    for _ in range(3):
        attempt = _attempt(client, participant)
        quizzes.submit_attempt(participant, attempt, wrong_fields(attempt.questions),
                               token=attempt.submission_token, revision=0)
        db.session.commit()
    module = quizzes.get_attempt_for(participant, attempt.id).learning_module
    assert [a.number for a in quizzes.list_attempts(participant, module)] == [3, 2, 1]
    assert [a.number for a in quizzes.list_attempts(participant, proveko)] == [1]


def test_attempts_left_and_the_wait_count_only_submitted_attempts_of_the_cycle():
    """Expired and open attempts use nothing up; a renewal (cycle 2) counts only its
    own attempts."""
    from datetime import datetime

    at = datetime(2026, 3, 10, 9, 0)
    attempts = [QuizAttempt(status="submitted", cycle=1, submitted_at=at),
                QuizAttempt(status="expired", cycle=1), QuizAttempt(status="open", cycle=1),
                QuizAttempt(status="submitted", cycle=2, submitted_at=at.replace(hour=10))]
    quiz = {"max_attempts": 3, "retry_after_minutes": 30}
    assert quizzes.attempts_left(quiz, attempts, 1) == 2
    assert quizzes.attempts_left(quiz, attempts, 2) == 2
    assert quizzes.attempts_left(quiz, attempts, 3) == 3
    now = at.replace(minute=5)
    assert quizzes.next_attempt_at(quiz, attempts, 1, now=now) == at.replace(minute=30)
    assert quizzes.next_attempt_at(quiz, attempts, 2, now=at.replace(hour=10, minute=5)) \
        == at.replace(hour=10, minute=30)
    assert quizzes.next_attempt_at(quiz, attempts, 3, now=now) is None


def test_starting_a_quiz_says_why_it_cannot_word_for_word(participant, make_user):
    from modules.catalog.services import get_course_by_slug
    from modules.learning import services as learning

    course = get_course_by_slug("alletyper")
    with_quiz, without_quiz = learning.list_placed_modules(course)
    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.start_or_resume_attempt(participant, course, without_quiz)
    assert refused.value.message == "Denne modulen har ingen quiz."
    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.start_or_resume_attempt(make_user(), course, with_quiz)
    assert refused.value.message == "Meld deg på kurset før du tar quizen."


def test_a_renewal_cycle_has_its_own_attempts_and_resumes_its_own_open_one(
        app, make_user, course_dir):
    """One attempt allowed: used, the start is refused in words; after a restart for
    renewal the next attempt belongs to cycle 2, and starting again resumes it."""
    from modules.catalog.services import get_course_by_slug, sync_courses
    from modules.learning import services as learning

    from .conftest import all_types_package

    all_types_package(course_dir, max_attempts=1)
    sync_courses()
    db.session.commit()
    course = get_course_by_slug("alletyper")
    module = learning.list_placed_modules(course)[0]
    user = make_user()
    enrolment = learning.enrol(user, course)
    first = quizzes.start_or_resume_attempt(user, course, module)
    quizzes.submit_attempt(user, first, correct_fields(first.questions),
                           token=first.submission_token, revision=0)
    with pytest.raises(quizzes.QuizError) as refused:
        quizzes.start_or_resume_attempt(user, course, module)
    assert refused.value.message == "Du har brukt det eneste forsøket på denne quizen."

    learning.restart_course(enrolment, course)
    renewal = quizzes.start_or_resume_attempt(user, course, module)
    assert (renewal.cycle, renewal.number, renewal.status) == (2, 2, "open")
    assert quizzes.start_or_resume_attempt(user, course, module).id == renewal.id
