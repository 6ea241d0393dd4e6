"""AGS line items the tool creates when a launch carries only the container
(``lineitems``): one per quiz module (or course), found again instead of
duplicated, scores sent there, and results read back for the run page."""

from modules.accounts.models import User
from modules.catalog.models import LearningModule
from modules.catalog.services import get_course_by_slug
from modules.core.extensions import db
from modules.lti import grades
from modules.lti.launch import AGS_CLAIM, CLAIM
from modules.lti.models import LtiContext, LtiLineItem, LtiUserLink
from tests.conftest import login
from tests.helpers import take_quiz

from .conftest import launch
from .platform import INSTRUCTOR

SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
QUIZ_TAG = "innbyggerstemmen:quiz:proveko:forste"


def _container_launch(client, fake_platform, *, sub: str, link: str = "rl-quiz",
                      module: str | None = "forste", roles=None):
    custom = {"course": "proveko", **({"module": module} if module else {})}
    claims = {CLAIM + "custom": custom, CLAIM + "resource_link": {"id": link, "title": "Quiz 1"},
              AGS_CLAIM: {"scope": [SCOPE + "lineitem", SCOPE + "score",
                                    SCOPE + "result.readonly"],
                          "lineitems": f"{fake_platform.base_url}/lineitems"}}
    if roles:
        claims[CLAIM + "roles"] = roles
    response, _ = launch(client, fake_platform, sub=sub, email=f"{sub}@example.edu", **claims)
    assert response.status_code == 302, response.get_data(as_text=True)


def _posts(fake_platform):
    return [r for r in fake_platform.line_item_requests if r[0] == "POST"]


def test_line_item_is_created_once_per_quiz_link_and_receives_the_scores(
        app, client, platform, fake_platform, tool_jwks_server):
    _container_launch(client, fake_platform, sub="student-1")
    [created] = fake_platform.line_items
    assert created["resourceLinkId"] == "rl-quiz" and created["tag"] == QUIZ_TAG
    assert created["scoreMaximum"] == 100 and created["label"] == "Quiz 1"
    # the next launches (same learner, another learner) reuse it
    _container_launch(client, fake_platform, sub="student-1")
    _container_launch(app.test_client(), fake_platform, sub="student-2")
    assert len(_posts(fake_platform)) == 1
    assert db.session.scalar(db.select(db.func.count(LtiLineItem.id))) == 1
    item = db.session.scalar(db.select(LtiLineItem))
    assert item.url == created["id"] and item.tag == QUIZ_TAG
    # scores go there
    user = db.session.scalar(db.select(User).where(User.email == "student-2@example.edu"))
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    take_quiz(user, module, right=1, of=2)  # 50 %: the pass mark
    db.session.commit()
    grades.deliver_due()
    [score] = fake_platform.scores
    assert score["path"] == "/lineitems/100/scores"
    assert (score["body"]["userId"], score["body"]["scoreGiven"]) == ("student-2", 50.0)


def test_a_line_item_the_platform_already_holds_is_found_not_duplicated(
        app, client, platform, fake_platform, tool_jwks_server):
    """Our row lost (another tool server, a restored database): the launch asks the
    platform (GET lineitems?resource_link_id=…&tag=…) and reuses what it finds."""
    existing = {"id": f"{fake_platform.base_url}/lineitems/55", "scoreMaximum": 20,
                "label": "Quiz 1", "resourceLinkId": "rl-quiz", "tag": QUIZ_TAG}
    fake_platform.line_items.append(existing)
    _container_launch(client, fake_platform, sub="student-1")
    assert _posts(fake_platform) == []
    gets = [path for method, path in fake_platform.line_item_requests if method == "GET"]
    assert "resource_link_id=rl-quiz" in gets[0] and "tag=innbyggerstemmen%3Aquiz" in gets[0]
    item = db.session.scalar(db.select(LtiLineItem))
    assert (item.url, item.score_maximum) == (existing["id"], 20.0)


def test_one_line_item_per_link_and_none_for_a_module_without_quiz(
        app, client, platform, fake_platform, tool_jwks_server):
    _container_launch(client, fake_platform, sub="student-1", link="rl-a")
    _container_launch(client, fake_platform, sub="student-1", link="rl-b")
    _container_launch(client, fake_platform, sub="student-1", link="rl-c", module="andre")
    _container_launch(client, fake_platform, sub="student-1", link="rl-d", module=None)
    tags = sorted((i["resourceLinkId"], i["tag"]) for i in fake_platform.line_items)
    assert tags == [("rl-a", QUIZ_TAG), ("rl-b", QUIZ_TAG),
                    ("rl-d", "innbyggerstemmen:course:proveko")]


def test_run_page_reads_the_results_back(app, client, platform, fake_platform,
                                         tool_jwks_server, make_user):
    from modules.accounts.services import find_unit
    from modules.course_runs import services as runs

    _container_launch(client, fake_platform, sub="student-1")
    item = db.session.scalar(db.select(LtiLineItem))
    fake_platform.results[item.url] = [
        {"userId": "student-1", "resultScore": 7.5, "resultMaximum": 10},
        {"userId": "ukjent-9", "resultScore": 2, "resultMaximum": 10}]
    trainer = make_user("trainer", name="Kari Kursholder")
    db.session.add(LtiUserLink(platform_id=platform.id, sub="teacher-1", user_id=trainer.id))
    db.session.commit()
    teacher = app.test_client()
    _container_launch(teacher, fake_platform, sub="teacher-1", roles=[INSTRUCTOR])
    run = runs.create_run(trainer, title="Grunnkurs Øst", course=get_course_by_slug("proveko"),
                          unit=find_unit("ost"), place="Politihuset", capacity=10)
    db.session.commit()
    client = app.test_client()
    login(client, trainer)
    context = db.session.scalar(db.select(LtiContext))
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/emne",
                       data={"context_id": context.id}).status_code == 302
    page = client.get(f"/kursgjennomforinger/{run.id}/lms/resultater")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "student-1@example.edu" not in html  # names, not addresses
    student = db.session.scalar(db.select(User).where(User.email == "student-1@example.edu"))
    assert student.name in html and "7.5 av 10" in html
    assert "Ukjent bruker (ukjent-9)" in html and "2 av 10" in html


def test_a_platform_failing_on_line_items_does_not_stop_the_launch(
        app, client, platform, fake_platform, tool_jwks_server):
    claims = {CLAIM + "custom": {"course": "proveko", "module": "forste"},
              CLAIM + "resource_link": {"id": "rl-quiz"},
              AGS_CLAIM: {"scope": [SCOPE + "lineitem", SCOPE + "score"],
                          "lineitems": f"{fake_platform.base_url}/finnes-ikke"}}
    response, _ = launch(client, fake_platform, **claims)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/proveko/m/forste")
    assert db.session.scalar(db.select(db.func.count(LtiLineItem.id))) == 0
    # the next launch, with the platform answering again, creates it
    claims[AGS_CLAIM] = {**claims[AGS_CLAIM], "lineitems": f"{fake_platform.base_url}/lineitems"}
    launch(client, fake_platform, **claims)
    assert len(fake_platform.line_items) == 1
    assert db.session.scalar(db.select(db.func.count(LtiLineItem.id))) == 1
