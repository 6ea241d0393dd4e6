"""Review options (when the right answer, feedback, explanation ... show) and the
retake policy (waiting time, fresh draw) of issue 16, points 2 and 3."""

import json
import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes import review, services
from modules.quizzes.models import QuizAttempt

from .conftest import ALL_TYPES_QUIZ, correct_fields, quiz_module, wrong_fields
from .test_views import QUIZ_URL, form_for, start

OSLO = ZoneInfo("Europe/Oslo")


def _certified(course_dir, quiz_extra: str = "", manifest_extra: str = "",
               max_attempts: int = 0):
    """Give the 'alletyper' package a certificate (and extra settings) before sync."""
    folder = course_dir / "alletyper"
    manifest = folder / "course.toml"
    manifest.write_text(manifest.read_text("utf-8") + '\n[certificate]\ntitle = "Bevis"\n'
                        + manifest_extra, encoding="utf-8")
    quiz = ALL_TYPES_QUIZ.format(max_attempts=max_attempts)
    head, questions = quiz.split("[[questions]]", 1)
    (folder / "01-quiz.quiz.toml").write_text(
        head + quiz_extra + "\n[[questions]]" + questions, encoding="utf-8")


@pytest.fixture
def certified(quiz_course):
    _certified(quiz_course)


@pytest.fixture
def trainer_like(quiz_course):
    """As the trainer course: a certificate and a waiting time set in course.toml."""
    _certified(quiz_course, manifest_extra="\n[quizzes]\nretry_after_minutes = 45\n")


def _submit(client, attempt, fields):
    response = client.post(f"/quiz/attempts/{attempt.id}", data=form_for(attempt, fields))
    assert response.status_code == 302
    db.session.refresh(attempt)
    return client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)


def test_failed_attempt_shows_right_or_wrong_and_explanation_but_never_the_key(
        client, certified, participant):
    attempt = start(client)
    page = _submit(client, attempt, wrong_fields(attempt.questions))
    assert "0 av 5 riktige (0 %)" in page and "Feil" in page
    assert "Daglig drift: medprodusent." in page and "Tre situasjoner." in page  # explanation
    assert "Riktig svar" not in page and "Riktig plass" not in page
    assert "De riktige svarene vises ikke her ennå" in page
    # per-choice feedback waits for a pass; the right option's feedback never shows
    assert "Ja, riktig." not in page and "Nei, det er" not in page
    # each match and order row has the participant's answer only, no right answer cell
    for left in ("medprodusent", "medutvikler", "medvirker", "Utforske", "Levere"):
        [row] = re.findall(rf'<th scope="row">{left}</th>(.*?)</tr>', page)
        assert row.count("<td") == 1, row


def test_after_a_pass_every_attempt_of_the_cycle_shows_the_key(client, certified,
                                                                 participant):
    failed = start(client)
    _submit(client, failed, wrong_fields(failed.questions))
    passed = start(client)
    page = _submit(client, passed, correct_fields(passed.questions))
    assert "Riktig svar" in page and "Ja, riktig." in page
    earlier = client.get(f"/quiz/attempts/{failed.id}").get_data(as_text=True)
    assert "Riktig svar" in earlier and "Riktig plass" in earlier
    mine = json.loads(client.get("/min-side/data").get_data(as_text=True))["quiz_attempts"]
    assert [row["review_shows"] for row in mine] == [
        ["correctness", "explanation", "feedback", "points", "right_answer"]] * 2
    single = next(q for q in mine[0]["questions"] if q["type"] == "single")
    assert [row["correct"] for row in single["rows"]].count(True) == 1


def test_mine_data_of_a_failed_attempt_holds_no_key(client, certified, participant):
    attempt = start(client)
    _submit(client, attempt, wrong_fields(attempt.questions))
    [row] = json.loads(client.get("/min-side/data").get_data(as_text=True))["quiz_attempts"]
    assert (row["status"], row["score"], row["asked"], row["passed"]) == (
        "submitted", 0, 5, False)
    assert row["review_shows"] == ["correctness", "explanation", "points"]
    text = json.dumps(row, ensure_ascii=False)
    for key in ('"correct"', '"correct_answer"', '"pairs"', '"choice_order"', "Ja, riktig."):
        assert key not in text
    assert [q["right"] for q in row["questions"]] == [False] * 5
    by_id = {q["id"]: q for q in row["questions"]}
    assert by_id["enkel"]["explanation"] == "Daglig drift: medprodusent."


def test_no_attempts_left_and_never(client, quiz_course, app, make_user):
    _certified(quiz_course, quiz_extra='[review]\nright_answer = "no_attempts_left"\n'
                                       'explanation = "never"\npoints = "after_pass"\n',
               max_attempts=2)
    from modules.catalog.services import get_course_by_slug, sync_courses
    from tests.conftest import login

    assert not sync_courses().failed
    user = make_user()
    learning.enrol(user, get_course_by_slug("alletyper"))
    db.session.commit()
    login(client, user)
    first = start(client)
    page = _submit(client, first, wrong_fields(first.questions))
    assert "Riktig svar" not in page and "Forklaring" not in page
    assert "0 av 5" not in page and "Ikke bestått" in page  # points only after a pass
    history = client.get(QUIZ_URL).get_data(as_text=True)
    assert "Vises senere" in history and "0 av 5" not in history
    second = start(client)
    page = _submit(client, second, wrong_fields(second.questions))
    assert "Riktig svar" in page and "Riktig plass" in page  # no attempts left now
    assert "Forklaring" not in page  # never
    assert "Du har brukt alle forsøkene dine." in client.get(QUIZ_URL).get_data(as_text=True)


def test_a_second_attempt_within_the_waiting_time_is_refused_in_oslo_time(
        client, trainer_like, participant):
    attempt = start(client)
    _submit(client, attempt, wrong_fields(attempt.questions))
    opens = attempt.submitted_at + timedelta(minutes=45)
    expected = opens.replace(tzinfo=ZoneInfo("UTC")).astimezone(OSLO).strftime("%H:%M")
    response = client.post(QUIZ_URL + "/start", follow_redirects=True)
    page = response.get_data(as_text=True)
    # "kl. 14:35." today; near midnight in Oslo the day is named before "kl."
    # the refusal itself, as an alert (the quiz page below says it again on its own)
    assert re.search(r'<div class="flash flash-error" role="alert">Du må vente før du '
                     r'prøver igjen\. Du kan prøve igjen [^<]*kl\. ' + expected + r'\.</div>', page)
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 1
    # the quiz page says it too, instead of a start button
    history = client.get(QUIZ_URL).get_data(as_text=True)
    assert "Du kan prøve igjen " in history and f"kl. {expected}." in history
    assert "Ta quizen på nytt" not in history
    # once the waiting time is over a new attempt starts
    db.session.execute(db.update(QuizAttempt).values(
        submitted_at=attempt.submitted_at - timedelta(minutes=46)))
    db.session.commit()
    assert start(client).number == 2


def test_waiting_time_rules():
    quiz = {"retry_after_minutes": 90}
    done = QuizAttempt(status="submitted", cycle=1,
                       submitted_at=datetime(2026, 3, 10, 22, 50))  # 23:50 in Oslo (CET)
    now = datetime(2026, 3, 10, 23, 0)
    assert services.next_attempt_at(quiz, [done], 1, now=now) == datetime(2026, 3, 11, 0, 20)
    assert services.next_attempt_at(quiz, [done], 2, now=now) is None  # a renewal cycle
    assert services.next_attempt_at({"retry_after_minutes": 0}, [done], 1, now=now) is None
    assert services.next_attempt_at(quiz, [done], 1, now=datetime(2026, 3, 11, 0, 20)) is None


def test_retry_message_names_the_day_when_it_is_not_today(app):
    with app.test_request_context():
        # 00:20 UTC on 11 March is 01:20 in Oslo; "now" is 23:00 UTC = midnight in Oslo
        assert services.retry_message(datetime(2026, 3, 11, 0, 20), datetime(2026, 3, 10, 23, 0)) \
            == "Du må vente før du prøver igjen. Du kan prøve igjen kl. 01:20."
        assert services.retry_message(datetime(2026, 3, 11, 0, 20), datetime(2026, 3, 10, 22, 0)) \
            == "Du må vente før du prøver igjen. Du kan prøve igjen 11. mars kl. 01:20."
        # the afternoon on the 24-hour clock: 13:35 UTC is 14:35 in Oslo
        assert services.retry_message(datetime(2026, 3, 11, 13, 35), datetime(2026, 3, 11, 9, 0)) \
            == "Du må vente før du prøver igjen. Du kan prøve igjen kl. 14:35."


def test_each_attempt_is_a_fresh_draw(client, quiz_course, make_user):
    quiz = ALL_TYPES_QUIZ.format(max_attempts=0).replace("shuffle = true",
                                                          "shuffle = true\ndraw = 2")
    (quiz_course / "alletyper" / "01-quiz.quiz.toml").write_text(quiz, encoding="utf-8")
    from modules.catalog.services import get_course_by_slug, sync_courses

    assert not sync_courses().failed
    user = make_user()
    course = get_course_by_slug("alletyper")
    learning.enrol(user, course)
    module = quiz_module()
    drawn = []
    for seed in (3, 4, 5, 6):
        attempt = services.start_or_resume_attempt(user, course, module,
                                                   rng=random.Random(seed))
        drawn.append(tuple(q["id"] for q in attempt.questions))
        attempt.status, attempt.submitted_at = "submitted", utcnow()
        db.session.flush()
    assert len(set(drawn)) > 1  # not the same two questions every time
    assert all(len(ids) == 2 for ids in drawn)


def test_visible_parts_rules():
    quiz = {"review": {"correctness": "immediately", "points": "never",
                       "feedback": "after_pass", "explanation": "no_attempts_left",
                       "right_answer": "after_pass"}}
    assert review.visible_parts(quiz, passed=False, attempts_left=None) == {"correctness"}
    assert review.visible_parts(quiz, passed=True, attempts_left=2) == {
        "correctness", "feedback", "right_answer"}
    assert review.visible_parts(quiz, passed=False, attempts_left=0) == {
        "correctness", "explanation"}
    # a quiz loaded before review options existed gets the cautious defaults
    assert review.visible_parts({}, passed=False, attempts_left=None) == {
        "correctness", "points", "explanation"}


def test_a_renewal_hides_again_what_waits_for_a_pass():
    quiz = {"review": {"right_answer": "after_pass", "correctness": "immediately"}}
    first = QuizAttempt(id=1, status="submitted", cycle=1, passed=True)
    assert "right_answer" in review.visibility(quiz, [first])[1]
    assert "right_answer" in review.visibility(quiz, [first], current_cycle=1)[1]
    # the renewal (cycle 2) has no pass yet: the first cycle's key is hidden again
    renewing = review.visibility(quiz, [first], current_cycle=2)[1]
    assert "right_answer" not in renewing and "correctness" in renewing
    again = QuizAttempt(id=2, status="submitted", cycle=2, passed=True)
    assert "right_answer" in review.visibility(quiz, [first, again], current_cycle=2)[1]
