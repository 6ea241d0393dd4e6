"""Another tab writes the attempt between this request's check and its write (the
conditional update then changes nothing): the request is refused with what the other
write means, and the other write stands."""

import pytest

from modules.core.extensions import db
from modules.learning.models import ModuleProgress
from modules.quizzes import grading
from modules.quizzes import services as quizzes
from modules.quizzes.models import QuizAttempt

from .conftest import correct_fields
from .test_views import start


def _other_tab_first(monkeypatch, attempt, *, bump=True, **values):
    """Run the other tab's write right after this request has parsed its answers."""
    real = grading.parse_answers

    def parse_then_other_tab_writes(*args, **kwargs):
        parsed = real(*args, **kwargs)
        if bump:
            values["revision"] = QuizAttempt.revision + 1
        db.session.execute(db.update(QuizAttempt).where(QuizAttempt.id == attempt.id)
                           .values(**values))
        monkeypatch.setattr(grading, "parse_answers", real)
        return parsed

    monkeypatch.setattr(grading, "parse_answers", parse_then_other_tab_writes)


def test_a_save_that_loses_to_another_tabs_save_is_stale_and_keeps_that_save(
        client, participant, monkeypatch):
    attempt = quizzes.get_attempt_for(participant, start(client).id)
    first = attempt.questions[0]
    other_answers = {first["id"]: 1}
    _other_tab_first(monkeypatch, attempt, answers=other_answers)
    with pytest.raises(quizzes.StaleFormError, match="Skjemaet er utdatert"):
        quizzes.save_answers(participant, attempt, correct_fields(attempt.questions),
                             revision=0)
    db.session.expire_all()
    assert (attempt.revision, attempt.answers, attempt.status) == (1, other_answers, "open")


def test_a_submit_that_loses_to_another_tabs_submit_changes_nothing_more(
        client, participant, monkeypatch):
    attempt = quizzes.get_attempt_for(participant, start(client).id)
    _other_tab_first(monkeypatch, attempt, status="submitted", score=2, asked=5, share=0.4,
                     passed=False)
    with pytest.raises(quizzes.AttemptAlreadySubmittedError,
                       match="Forsøket er allerede levert. Ingenting ble endret."):
        quizzes.submit_attempt(participant, attempt, correct_fields(attempt.questions),
                               token=attempt.submission_token, revision=0)
    db.session.expire_all()
    assert (attempt.status, attempt.score, attempt.revision) == ("submitted", 2, 1)
    assert db.session.scalar(db.select(ModuleProgress.quiz_best_share).where(
        ModuleProgress.user_id == participant.id)) is None  # nothing recorded twice


def test_a_submit_that_loses_to_the_attempts_expiry_is_refused(client, participant,
                                                              monkeypatch):
    """Starting after a content change expires the open attempt without a new revision:
    a submit checked just before that must still not grade it."""
    attempt = quizzes.get_attempt_for(participant, start(client).id)
    _other_tab_first(monkeypatch, attempt, bump=False, status="expired")
    with pytest.raises(quizzes.ContentChangedError, match="Quizen er endret"):
        quizzes.submit_attempt(participant, attempt, correct_fields(attempt.questions),
                               token=attempt.submission_token, revision=0)
    db.session.expire_all()
    assert (attempt.status, attempt.score, attempt.revision) == ("expired", None, 0)
