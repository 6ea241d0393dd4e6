"""Deep linking details, nonce races and sessions around refused launches."""

import pytest

from modules.core.extensions import db
from modules.lti import services
from modules.lti.errors import LaunchError
from modules.lti.launch import CLAIM, _use_nonce
from modules.lti.models import LtiNonce
from tests.helpers import count_queries

from .conftest import launch, signed_in
from .platform import INSTRUCTOR, LEARNER


def test_learner_cannot_start_deep_linking_and_the_platform_hears_why(client, platform,
                                                                       fake_platform):
    claims = {**fake_platform.deep_linking_claims(), CLAIM + "roles": [LEARNER]}
    response, _ = launch(client, fake_platform, **claims)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'action="{fake_platform.base_url}/deep-link-return"' in html
    returned = _returned_claims(html)
    assert returned["https://purl.imsglobal.org/spec/lti-dl/claim/errormsg"] == (
        "Bare lærere kan velge innhold fra katalogen.")
    assert returned["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"] == []
    assert not signed_in(client)
    assert client.get("/lti/deep-link").status_code in (302, 404)  # no picker


def test_pick_page_lists_catalog_in_fixed_statements_and_rejects_unknown_items(
        client, platform, fake_platform):
    launch(client, fake_platform, **fake_platform.deep_linking_claims())
    client.get("/lti/deep-link")
    with count_queries() as counter:
        page = client.get("/lti/deep-link")
    html = page.get_data(as_text=True)
    assert "Prøvekurs" in html and "Første modul" in html and "(med quiz)" in html
    assert counter[0] <= 5
    bad = client.post("/lti/deep-link", data={"item": "course:finnes-ikke"})
    assert bad.status_code == 200 and "Skjemaet har feil" in bad.get_data(as_text=True)
    none = client.post("/lti/deep-link", data={})
    assert "Velg et kurs eller en modul" in none.get_data(as_text=True)


def test_module_without_quiz_gets_no_line_item(client, platform, fake_platform):
    import re

    import jwt

    launch(client, fake_platform, **fake_platform.deep_linking_claims())
    html = client.post("/lti/deep-link", data={"item": "module:proveko:andre"}).get_data(
        as_text=True)
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    [item] = jwt.decode(token, options={"verify_signature": False})[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"] == {"course": "proveko", "module": "andre"}
    assert "lineItem" not in item


def test_nonce_unique_key_refuses_a_concurrent_second_use(app, platform):
    _use_nonce(platform, "n-1", {})
    db.session.commit()
    with pytest.raises(LaunchError, match="allerede brukt"):
        _use_nonce(platform, "n-1", {})
    assert db.session.scalar(db.select(db.func.count(LtiNonce.id))) == 1


def test_refused_launch_ends_an_earlier_session(client, platform, fake_platform):
    launch(client, fake_platform)
    assert signed_in(client)
    response, _ = launch(client, fake_platform, **{CLAIM + "version": "1.0"})
    assert response.status_code == 400
    assert not signed_in(client)


def test_trainer_contexts_for_course_run_wiring(client, platform, fake_platform):
    launch(client, fake_platform, **{CLAIM + "roles": [INSTRUCTOR]})
    from modules.accounts.models import User

    teacher = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    [context] = services.list_trainer_contexts(teacher)
    assert context.title == "Politiutdanning 2026"
    assert services.context_trainers(context) == [teacher]


def _returned_claims(html: str) -> dict:
    import re

    import jwt

    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    return jwt.decode(token, options={"verify_signature": False})


DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def _dl_claims(fake_platform, **settings):
    claims = fake_platform.deep_linking_claims()
    claims[DL + "deep_linking_settings"] = {**claims[DL + "deep_linking_settings"], **settings}
    return claims


def test_several_modules_in_one_response_when_the_platform_accepts_multiple(
        client, platform, fake_platform):
    launch(client, fake_platform, **_dl_claims(fake_platform, accept_multiple=True))
    page = client.get("/lti/deep-link").get_data(as_text=True)
    assert 'type="checkbox" name="items"' in page
    answer = client.post("/lti/deep-link", data={"items": [
        "course:proveko", "module:proveko:forste", "module:proveko:andre"]})
    html = answer.get_data(as_text=True)
    assert "Du har valgt 3:" in html
    items = _returned_claims(html)[DL + "content_items"]
    assert [i["custom"] for i in items] == [
        {"course": "proveko"}, {"course": "proveko", "module": "forste"},
        {"course": "proveko", "module": "andre"}]
    assert [bool(i.get("lineItem")) for i in items] == [True, True, False]


def test_single_pick_platform_gets_radio_buttons_and_one_item(client, platform, fake_platform):
    launch(client, fake_platform, **_dl_claims(fake_platform, accept_multiple=False))
    page = client.get("/lti/deep-link").get_data(as_text=True)
    assert 'type="radio" name="item"' in page and 'type="checkbox"' not in page


def test_platform_that_takes_no_resource_links_gets_an_errormsg_not_the_picker(
        client, platform, fake_platform):
    launch(client, fake_platform, **_dl_claims(fake_platform, accept_types=["file", "html"]))
    answer = client.get("/lti/deep-link")
    html = answer.get_data(as_text=True)
    assert "Velg innhold" not in html
    assert f'action="{fake_platform.base_url}/deep-link-return"' in html
    claims = _returned_claims(html)
    assert claims[DL + "content_items"] == []
    assert "tar ikke imot dem her" in claims[DL + "errormsg"]
    assert claims[DL + "data"] == "opaque-123"
    assert client.get("/lti/deep-link").status_code == 404  # answered once


def test_cancelled_pick_answers_the_platform_with_msg(client, platform, fake_platform):
    launch(client, fake_platform, **fake_platform.deep_linking_claims())
    answer = client.post("/lti/deep-link", data={"action": "cancel"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    claims = _returned_claims(html)
    assert claims[DL + "content_items"] == []
    assert claims[DL + "msg"] == "Ingenting ble valgt fra Innbyggerstemmen."
    assert DL + "errormsg" not in claims
