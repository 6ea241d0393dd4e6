"""Grade passback: queued, retried with backoff after failures, never lost,
delivered exactly once."""

import re
from datetime import timedelta

import pytest

from modules.accounts.models import User
from modules.catalog.models import LearningModule
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from modules.lti import grades, roster
from modules.lti.errors import LtiError
from modules.lti.launch import AGS_CLAIM, CLAIM
from modules.lti.models import GradeSend, LtiContext
from tests.helpers import take_quiz

from .conftest import launch

SCORE_SCOPE = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]
READ_LINE_ITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"

#: 'forste' gets ten true/false questions (pass mark 50 %), so a result of 8 of 10
#: reaches the platform as 80 of 100 through the real quiz path.
TEN_QUESTION_QUIZ = "pass_percent = 50\nshuffle = false\n" + "".join(
    f'\n[[questions]]\nid = "t{n}"\ntype = "truefalse"\ntext = "Påstand {n}"\nanswer = true\n'
    for n in range(1, 11))


@pytest.fixture
def course_dir(tmp_path):
    from tests.conftest import MODULE_MD, write_package

    folder = tmp_path / "courses"
    write_package(folder / "proveko", modules={
        "01-forste": (MODULE_MD.format(title="Første modul"), TEN_QUESTION_QUIZ),
        "02-andre": (MODULE_MD.format(title="Andre modul"), None)})
    return folder


@pytest.fixture
def module_learner(app, client, platform, fake_platform, tool_jwks_server):
    """A learner who launched a module link (quiz module) with a line item."""
    launch(client, fake_platform, **{
        CLAIM + "custom": {"course": "proveko", "module": "forste"},
        CLAIM + "resource_link": {"id": "rl-module"},
        AGS_CLAIM: {"scope": SCORE_SCOPE, "lineitem": f"{fake_platform.base_url}/lineitems/3"}})
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    return user, module


def _due_all():
    for send in db.session.scalars(db.select(GradeSend)):
        send.next_try_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

def _launch_scored_link(client, fake_platform, custom: dict, link: str, line_item: int,
                        score_maximum: float):
    """Launch a resource link whose line item (``score_maximum`` points) the tool may read
    and score; returns the launch response."""
    url = f"{fake_platform.base_url}/lineitems/{line_item}"
    fake_platform.score_maximum[url] = score_maximum
    response, _auth = launch(client, fake_platform, **{
        CLAIM + "custom": custom, CLAIM + "resource_link": {"id": link},
        AGS_CLAIM: {"scope": [*SCORE_SCOPE, READ_LINE_ITEM], "lineitem": url}})
    return response



def test_quiz_score_is_queued_and_sent_by_cron(app, module_learner, fake_platform):
    user, module = module_learner
    take_quiz(user, module, right=8)
    db.session.commit()
    send = db.session.scalar(db.select(GradeSend))
    assert send.payload["scoreGiven"] == 80.0 and send.payload["userId"] == "lms-user-1"
    result = app.test_cli_runner().invoke(args=["lti", "send-grades"])
    assert "Sendt: 1. Venter: 0." in result.output
    assert [s["body"]["scoreGiven"] for s in fake_platform.scores] == [80.0]
    assert fake_platform.scores[0]["path"] == "/lineitems/3/scores"


def test_only_better_scores_are_sent_and_each_once(app, module_learner, fake_platform):
    user, module = module_learner
    for share in (0.5, 0.5, 0.4, 0.9):
        take_quiz(user, module, right=round(share * 10))
    db.session.commit()
    grades.deliver_due()
    grades.deliver_due()
    assert [s["body"]["scoreGiven"] for s in fake_platform.scores] == [50.0, 90.0]


def test_failed_send_is_retried_with_backoff_and_delivered_exactly_once(app, module_learner,
                                                                        fake_platform):
    user, module = module_learner
    fake_platform.token_failures = 2
    take_quiz(user, module, right=10)
    db.session.commit()

    assert grades.deliver_due() == (0, 1)
    send = db.session.scalar(db.select(GradeSend))
    assert send.attempts == 1 and "503" in send.last_error and send.delivered_at is None
    first_wait = send.next_try_at - utcnow()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    assert grades.deliver_due() == (0, 1)  # not due yet: nothing is sent
    assert len(fake_platform.token_requests) == 1

    _due_all()
    assert grades.deliver_due() == (0, 1)
    send = db.session.scalar(db.select(GradeSend))
    assert send.attempts == 2
    assert send.next_try_at - utcnow() > timedelta(seconds=110)  # doubled

    # admins see the failing send
    assert send.last_error

    _due_all()
    assert grades.deliver_due() == (1, 0)
    _due_all()
    assert grades.deliver_due() == (0, 0)
    assert grades.deliver(send.id) is False  # delivered rows are never sent again
    assert len(fake_platform.scores) == 1
    send = db.session.scalar(db.select(GradeSend))
    assert send.delivered_at is not None and send.attempts == 3 and send.last_error == ""


def test_a_claimed_send_is_not_sent_by_a_second_worker(app, module_learner, fake_platform):
    user, module = module_learner
    take_quiz(user, module, right=7)
    db.session.commit()
    send_id = db.session.scalar(db.select(GradeSend.id))
    assert grades._claim(send_id) is True  # worker A holds the lease
    assert grades.deliver(send_id) is False  # worker B finds nothing due
    assert fake_platform.scores == []


def test_network_failure_keeps_the_send(app, module_learner, fake_platform, monkeypatch):
    user, module = module_learner
    from modules.lti.models import LtiPlatform

    db.session.scalar(db.select(LtiPlatform)).token_url = "http://127.0.0.1:9/token"
    db.session.commit()
    take_quiz(user, module, right=6)
    db.session.commit()
    grades.deliver_due()
    send = db.session.scalar(db.select(GradeSend))
    assert send.attempts == 1 and send.delivered_at is None and send.last_error


def test_no_score_for_users_who_did_not_launch_from_the_lms(app, platform, make_user, synced):
    from modules.catalog.services import get_course_by_slug

    user = make_user()
    learning.enrol(user, get_course_by_slug("proveko"))
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    take_quiz(user, module, right=10)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(GradeSend.id))) == 0


def test_pending_and_failed_sends_page(app, client, module_learner, fake_platform, make_user):
    from tests.conftest import login

    user, module = module_learner
    fake_platform.token_failures = 1
    take_quiz(user, module, right=10)
    db.session.commit()
    grades.deliver_due()
    admin = make_user(role="admin")
    admin_client = app.test_client()
    login(admin_client, admin)
    html = admin_client.get("/admin/lti/grade-sends").get_data(as_text=True)
    assert "Kari Nordmann" in html and "Feilet" in html and "503" in html


def test_roster_sync_requires_the_contexts_trainer(app, module_learner):
    user, _module = module_learner
    context = db.session.scalar(db.select(LtiContext))
    with pytest.raises(LtiError, match="Bare kursholdere"):
        roster.sync_roster(context, actor=user)


FOUR_QUESTION_QUIZ = "pass_percent = 75\nshuffle = false\n" + "".join(
    f'\n[[questions]]\nid = "p{n}"\ntype = "truefalse"\ntext = "Påstand {n}"\nanswer = true\n'
    for n in range(1, 5))


@pytest.fixture
def four_question_course(course_dir):
    """'poengkurs': one module whose quiz has four true/false questions, pass mark 75 %."""
    from tests.conftest import MODULE_MD, write_package

    write_package(course_dir / "poengkurs", slug_title="Poengkurs", modules={
        "01-poeng": (MODULE_MD.format(title="Poengmodul"), FOUR_QUESTION_QUIZ)})
    return course_dir


def _submit(user, course, module, right: int) -> None:
    from modules.quizzes import services as quizzes

    attempt = quizzes.start_or_resume_attempt(user, course, module)
    form = {f"q:{q['id']}": ["true" if i < right else "false"]
            for i, q in enumerate(attempt.questions)}
    quizzes.submit_attempt(user, attempt, form, token=attempt.submission_token,
                           revision=attempt.revision)
    db.session.commit()


def test_quiz_score_reaching_the_platform_respects_the_line_items_score_maximum(
        app, client, four_question_course, platform, fake_platform, tool_jwks_server):
    """0 of 4, 2 of 4 (failed), 3 of 4 (exactly the 75 % pass mark) and 4 of 4 on a line
    item whose scoreMaximum is 10: 0, 5, 7.5 and 10 points out of 10."""
    from modules.catalog.services import get_course_by_slug

    _launch_scored_link(client, fake_platform, {"course": "poengkurs", "module": "poeng"},
                        "rl-poeng", 9, 10)
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    course = get_course_by_slug("poengkurs")
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "poeng"))
    for right in (0, 2, 3, 4):
        _submit(user, course, module, right)
    grades.deliver_due()
    bodies = [s["body"] for s in fake_platform.scores]
    assert [(b["scoreGiven"], b["scoreMaximum"]) for b in bodies] == [
        (0.0, 10.0), (5.0, 10.0), (7.5, 10.0), (10.0, 10.0)]
    assert [b["comment"] for b in bodies] == ["Ikke bestått.", "Ikke bestått.", "Bestått.",
                                              "Bestått."]
    assert {s["path"] for s in fake_platform.scores} == {"/lineitems/9/scores"}
    assert {(b["activityProgress"], b["gradingProgress"]) for b in bodies} == {
        ("Completed", "FullyGraded")}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", b["timestamp"])
               for b in bodies)


def test_a_renewal_cycle_sends_its_own_best_attempt(app, module_learner, fake_platform):
    """The gradebook shows the best attempt of the current cycle: after a restart for
    renewal, a lower first attempt is sent (the old 90 % no longer counts)."""
    from modules.catalog.services import get_course_by_slug

    user, module = module_learner
    take_quiz(user, module, right=9)
    db.session.commit()
    course = get_course_by_slug("proveko")
    learning.restart_course(learning.get_enrolment(user, course), course)
    db.session.commit()
    take_quiz(user, module, right=5)
    take_quiz(user, module, right=4)
    db.session.commit()
    grades.deliver_due()
    assert [s["body"]["scoreGiven"] for s in fake_platform.scores] == [90.0, 50.0]


def test_score_given_refuses_a_percent_passed_as_a_share():
    assert grades.score_given(0.75, 10) == 7.5
    assert (grades.score_given(0, 10), grades.score_given(1, 10)) == (0, 10)
    assert grades.score_given(1 / 3, 10) == 3.3333  # four decimals, no float noise
    for share in (75.0, 1.01, 1.5, -0.01):
        with pytest.raises(ValueError, match=f"score_share out of 0..1: {share}"):
            grades.score_given(share, 100)


@pytest.mark.parametrize("line_item, expected", [
    ("https://lms.example/api/lti/courses/4/line_items/7",
     "https://lms.example/api/lti/courses/4/line_items/7/scores"),
    ("https://lms.example/api/lti/courses/4/line_items/7/",
     "https://lms.example/api/lti/courses/4/line_items/7/scores"),
    ("https://lms.example/mod/lti/services.php/2/lineitems/11/lineitem?type_id=3",
     "https://lms.example/mod/lti/services.php/2/lineitems/11/lineitem/scores?type_id=3"),
    ("https://lms.example/lineitems/AX", "https://lms.example/lineitems/AX/scores"),
], ids=["canvas", "trailing-slash", "moodle-query", "ends-in-x"])
def test_scores_go_to_the_line_items_scores_endpoint_keeping_its_query(line_item, expected):
    assert grades.scores_url(line_item) == expected


def test_a_cron_run_sends_the_longest_waiting_due_scores_first_up_to_its_limit(
        app, module_learner, fake_platform):
    """Due sends go oldest wait first, ``limit`` a run; sends already delivered or not yet
    due take no place in the run."""
    user, module = module_learner
    for right in (3, 5, 7, 9):  # each better than the last: four sends
        take_quiz(user, module, right=right)
    db.session.commit()
    thirty, fifty, seventy, ninety = db.session.scalars(
        db.select(GradeSend).order_by(GradeSend.id)).all()
    _due_all()
    assert grades.deliver(thirty.id)
    now = utcnow()
    thirty.next_try_at = now - timedelta(minutes=10)  # delivered, its lease long past
    ninety.next_try_at = now - timedelta(minutes=3)
    seventy.next_try_at = now - timedelta(minutes=2)
    fifty.next_try_at = now + timedelta(minutes=5)  # a retry that is not due yet
    db.session.commit()

    assert grades.deliver_due(limit=1) == (1, 2)
    assert grades.deliver_due(limit=1) == (1, 1)
    assert grades.deliver_due() == (0, 1)
    assert [s["body"]["scoreGiven"] for s in fake_platform.scores] == [30.0, 90.0, 70.0]


def test_a_whole_course_link_gets_full_marks_with_its_comment_once_per_cycle(
        app, client, platform, fake_platform, tool_jwks_server):
    """A course link with a 10-point line item: completing the course sends 10 of 10,
    "Kurset er fullført.", once; completing it again after a restart for renewal sends
    it again (a new cycle)."""
    from modules.catalog.services import get_course_by_slug
    from tests.helpers import pass_quiz

    _launch_scored_link(client, fake_platform, {"course": "proveko"}, "rl-kurs", 15, 10)
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    course = get_course_by_slug("proveko")
    forste = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))

    def complete():
        pass_quiz(user, forste)
        db.session.commit()
        for slug in ("forste", "andre"):
            assert client.post(f"/courses/proveko/m/{slug}/read").status_code == 302
        assert learning.get_enrolment(user, course).completed_at is not None

    complete()
    assert client.post("/courses/proveko/m/andre/read").status_code == 302  # again: no send
    learning.restart_course(learning.get_enrolment(user, course), course)
    db.session.commit()
    complete()
    grades.deliver_due()
    bodies = [s["body"] for s in fake_platform.scores]
    assert [(b["scoreGiven"], b["scoreMaximum"], b["comment"]) for b in bodies] == [
        (10.0, 10.0, "Kurset er fullført."), (10.0, 10.0, "Kurset er fullført.")]
    assert {s["path"] for s in fake_platform.scores} == {"/lineitems/15/scores"}


def test_a_quiz_all_right_through_the_pages_after_a_launch_reaches_the_lms_as_full_marks(
        app, client, four_question_course, platform, fake_platform, tool_jwks_server):
    """The key figure end to end over HTTP: launched from the LMS, the learner starts and
    submits the quiz through the pages with every answer right; the platform receives
    scoreGiven == scoreMaximum (12 of 12 on this line item), once."""
    from tests.helpers import correct_fields

    response = _launch_scored_link(client, fake_platform,
                                   {"course": "poengkurs", "module": "poeng"}, "rl-fullt", 12, 12)
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post("/courses/poengkurs/m/poeng/quiz/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    from modules.quizzes.models import QuizAttempt

    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    response = client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "submit", **correct_fields(attempt.questions)})
    assert response.status_code == 302
    assert "4 av 4 riktige (100 %)" in client.get(
        f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    # Sent after the commit (LTI_SEND_AFTER_COMMIT = "inline"); the job finds none left.
    [sent] = fake_platform.scores
    assert (sent["body"]["scoreGiven"], sent["body"]["scoreMaximum"]) == (12.0, 12.0)
    result = app.test_cli_runner().invoke(args=["lti", "send-grades"])
    assert "Sendt: 0. Venter: 0." in result.output
    assert sent["body"]["userId"] == "lms-user-1" and sent["path"] == "/lineitems/12/scores"


def test_backoff_doubles_from_a_minute_up_to_six_hours(app):
    """The waits between tries of a grade send: 1, 2, 4, 8 … minutes, never above 6 h."""
    minutes = [grades.backoff(n).total_seconds() / 60 for n in (0, 1, 2, 3, 4, 9, 10, 30)]
    assert minutes == [1, 1, 2, 4, 8, 256, 360, 360]


def test_no_score_goes_to_a_line_item_the_platform_gave_no_score_scope_for(
        app, client, platform, fake_platform, tool_jwks_server):
    """The platform named a line item but granted only reading it: the tool keeps the
    quiz result to itself."""
    launch(client, fake_platform, **{
        CLAIM + "custom": {"course": "proveko", "module": "forste"},
        CLAIM + "resource_link": {"id": "rl-lesbar"},
        AGS_CLAIM: {"scope": [READ_LINE_ITEM],
                    "lineitem": f"{fake_platform.base_url}/lineitems/16"}})
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    take_quiz(user, module, right=7)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(GradeSend.id))) == 0
    assert grades.deliver_due() == (0, 0) and fake_platform.scores == []


def test_a_course_completion_goes_only_to_that_courses_whole_course_links(
        app, client, four_question_course, platform, fake_platform, tool_jwks_server):
    """The learner launched a module link in 'proveko' and a whole-course link of
    'poengkurs'. Completing 'proveko' sends the module's quiz score to the module link,
    and no course completion to either link."""
    from tests.helpers import pass_quiz

    base = fake_platform.base_url
    for custom, link, line_item in (({"course": "proveko", "module": "forste"}, "rl-m", 3),
                                    ({"course": "poengkurs"}, "rl-poengkurs", 20)):
        launch(client, fake_platform, **{
            CLAIM + "custom": custom, CLAIM + "resource_link": {"id": link},
            AGS_CLAIM: {"scope": SCORE_SCOPE, "lineitem": f"{base}/lineitems/{line_item}"}})
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    forste = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    pass_quiz(user, forste)
    db.session.commit()
    for slug in ("forste", "andre"):
        assert client.post(f"/courses/proveko/m/{slug}/read").status_code == 302
    from modules.catalog.services import get_course_by_slug

    assert learning.get_enrolment(user, get_course_by_slug("proveko")).completed_at
    grades.deliver_due()
    assert [(s["path"], s["body"]["scoreGiven"], s["body"]["comment"])
            for s in fake_platform.scores] == [("/lineitems/3/scores", 100.0, "Bestått.")]


def test_each_line_item_gets_the_best_score_it_has_not_seen(
        app, client, platform, fake_platform, tool_jwks_server):
    """The module is linked from two LMS courses. A 90 % reaches the first link; the
    second link, launched later, has no score yet, so the next attempt's 50 % goes to
    it (and not to the first, which holds a better one)."""
    base = fake_platform.base_url
    user = module = None
    for link, line_item in (("rl-a", 21), ("rl-b", 22)):
        launch(client, fake_platform, **{
            CLAIM + "custom": {"course": "proveko", "module": "forste"},
            CLAIM + "resource_link": {"id": link},
            AGS_CLAIM: {"scope": SCORE_SCOPE, "lineitem": f"{base}/lineitems/{line_item}"}})
        user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
        module = db.session.scalar(db.select(LearningModule).where(
            LearningModule.slug == "forste"))
        if link == "rl-a":
            take_quiz(user, module, right=9)
            db.session.commit()
    take_quiz(user, module, right=5)
    db.session.commit()
    grades.deliver_due()
    assert sorted((s["path"], s["body"]["scoreGiven"]) for s in fake_platform.scores) == [
        ("/lineitems/21/scores", 90.0), ("/lineitems/22/scores", 50.0)]
