"""Grade passback: queued, retried with backoff after failures, never lost,
delivered exactly once."""

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

from .conftest import launch

SCORE_SCOPE = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]


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


def test_quiz_score_is_queued_and_sent_by_cron(app, module_learner, fake_platform):
    user, module = module_learner
    learning.record_quiz_result(user, module, 0.8, True)
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
        learning.record_quiz_result(user, module, share, share >= 0.5)
    db.session.commit()
    grades.deliver_due()
    grades.deliver_due()
    assert [s["body"]["scoreGiven"] for s in fake_platform.scores] == [50.0, 90.0]


def test_failed_send_is_retried_with_backoff_and_delivered_exactly_once(app, module_learner,
                                                                        fake_platform):
    user, module = module_learner
    fake_platform.token_failures = 2
    learning.record_quiz_result(user, module, 1.0, True)
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
    learning.record_quiz_result(user, module, 0.7, True)
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
    learning.record_quiz_result(user, module, 0.6, True)
    db.session.commit()
    grades.deliver_due()
    send = db.session.scalar(db.select(GradeSend))
    assert send.attempts == 1 and send.delivered_at is None and send.last_error


def test_no_score_for_users_who_did_not_launch_from_the_lms(app, platform, make_user, synced):
    user = make_user()
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    learning.record_quiz_result(user, module, 1.0, True)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(GradeSend.id))) == 0


def test_pending_and_failed_sends_page(app, client, module_learner, fake_platform, make_user):
    from tests.conftest import login

    user, module = module_learner
    fake_platform.token_failures = 1
    learning.record_quiz_result(user, module, 1.0, True)
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
