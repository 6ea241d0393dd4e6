"""The whole journey with the test platform: an instructor's deep linking
launch picks content, a learner launches the created link, completes the
course, the score reaches the line item, and the instructor syncs the roster."""

import re

import jwt

from modules.accounts.models import User
from modules.catalog.models import LearningModule
from modules.core.extensions import db
from modules.learning.models import Enrolment
from modules.lti import roster
from modules.lti.launch import AGS_CLAIM, CLAIM, DL_CLAIM
from modules.lti.models import GradeSend, LtiContext
from tests.helpers import pass_quiz

from .conftest import launch, signed_in
from .platform import CLIENT_ID, INSTRUCTOR, ISSUER, LEARNER


def _deep_link(client, fake_platform, choice: str) -> dict:
    response, _ = launch(client, fake_platform, sub="teacher-1", email="laerer@example.edu",
                         name="Lærer Lien", **fake_platform.deep_linking_claims())
    assert response.headers["Location"].endswith("/lti/deep-link")
    page = client.get("/lti/deep-link")
    assert page.status_code == 200 and "Velg innhold" in page.get_data(as_text=True)
    answer = client.post("/lti/deep-link", data={"item": choice})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'action="{fake_platform.base_url}/deep-link-return"' in html
    assert "lti-autosubmit.js" in html and 'type="submit"' in html  # works without JS too
    assert f"form-action 'self' {fake_platform.base_url}" in answer.headers[
        "Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    jwks = jwt.PyJWKSet.from_dict(client.get("/lti/jwks.json").get_json())
    key = {k.key_id: k for k in jwks.keys}[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=ISSUER, issuer=CLIENT_ID)


def test_round_trip(app, client, platform, fake_platform, tool_jwks_server):
    # 1. deep linking: the instructor picks the whole course (graded by completion)
    claims = _deep_link(client, fake_platform, "course:proveko")
    assert claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[DL_CLAIM + "data"] == "opaque-123"
    [item] = claims[DL_CLAIM + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["custom"] == {"course": "proveko"}
    assert item["lineItem"]["scoreMaximum"] == 100
    assert item["url"].endswith("/lti/launch")
    # the pick page is used once
    assert client.get("/lti/deep-link").status_code == 404

    # 2. a learner launches the created link; the platform adds the line item
    learner = app.test_client()
    response, _ = launch(learner, fake_platform, sub="student-1", email="student@example.edu",
                         **{CLAIM + "custom": item["custom"],
                            CLAIM + "resource_link": {"id": "rl-course", "title": item["title"]},
                            AGS_CLAIM: {"scope": ["https://purl.imsglobal.org/spec/lti-ags/"
                                                  "scope/score"],
                                        "lineitem": f"{fake_platform.base_url}/lineitems/7"}})
    assert response.headers["Location"].endswith("/courses/proveko")
    assert signed_in(learner)
    student = db.session.scalar(db.select(User).where(User.email == "student@example.edu"))

    # 3. the learner completes the course: the score is sent right after commit
    module = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "forste"))
    pass_quiz(student, module)
    db.session.commit()
    assert learner.post("/courses/proveko/m/forste/read").status_code == 302
    assert learner.post("/courses/proveko/m/andre/read").status_code == 302
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == student.id))
    assert enrolment.completed_at is not None
    [score] = fake_platform.scores
    assert score["path"] == "/lineitems/7/scores"
    assert score["auth"] == "Bearer token-ok"
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    body = score["body"]
    assert body["userId"] == "student-1" and body["scoreGiven"] == body["scoreMaximum"] == 100
    assert body["activityProgress"] == "Completed" and body["gradingProgress"] == "FullyGraded"
    assert body["timestamp"].endswith("+00:00")
    token_request = fake_platform.token_requests[0]
    assert token_request["grant_type"] == "client_credentials"
    assert token_request["client_assertion_type"].endswith("jwt-bearer")
    assert db.session.scalar(db.select(GradeSend)).delivered_at is not None

    # 4. roster sync for the instructor's context
    fake_platform.members = [
        {"user_id": "student-1", "roles": [LEARNER], "status": "Active",
         "email": "student@example.edu", "name": "Student En"},
        {"user_id": "student-2", "roles": [LEARNER], "status": "Active",
         "email": "to@example.edu", "name": "Student To"},
        {"user_id": "teacher-1", "roles": [INSTRUCTOR], "status": "Active"},
        {"user_id": "student-3", "roles": [LEARNER], "status": "Inactive", "name": "Sluttet"},
    ]
    teacher = db.session.scalar(db.select(User).where(User.email == "laerer@example.edu"))
    context = db.session.scalar(db.select(LtiContext))
    result = roster.sync_roster(context, actor=teacher)
    db.session.commit()
    by_sub = {m.sub: m for m in result.members}
    assert set(by_sub) == {"student-1", "student-2", "teacher-1", "student-3"}  # two pages
    assert by_sub["student-1"].user.id == student.id and not by_sub["student-1"].created
    assert by_sub["student-2"].created and by_sub["student-2"].user.name == "Student To"
    assert by_sub["teacher-1"].role == "trainer" and by_sub["teacher-1"].user.id == teacher.id
    assert not by_sub["student-3"].active
    enrolled = set(db.session.scalars(db.select(Enrolment.user_id)))
    assert by_sub["student-2"].user.id in enrolled
    assert by_sub["student-3"].user.id not in enrolled
