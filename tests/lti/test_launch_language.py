"""The launch's ``launch_presentation.locale`` picks the written standard: a new account
takes nynorsk for ``nn``/``nn-NO`` and bokmål for anything else; an existing account
follows each launch until its user picks a standard with the switch."""

import pytest

from modules.accounts.models import User
from modules.core.extensions import db
from modules.lti.launch import CLAIM

from .conftest import launch

PRESENTATION = CLAIM + "launch_presentation"


def _lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def _user() -> User:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))


def _presentation(locale: str | None) -> dict:
    return {PRESENTATION: {"document_target": "iframe", "locale": locale}}


def test_launch_with_locale_nn_no_creates_a_nynorsk_account_and_page(client, platform,
                                                                    fake_platform):
    response, _ = launch(client, fake_platform, **_presentation("nn-NO"))
    assert response.headers["Location"].endswith("/courses/proveko")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _lang(page) == "nn"
    assert "Hopp til hovudinnhaldet" in page and "Mi side" in page
    user = _user()
    assert (user.language, user.language_chosen) == ("nn", False)


@pytest.mark.parametrize(("locale", "expected"), [
    ("nn", "nn"), ("nn-NO", "nn"), ("nn_NO", "nn"), ("nb", "nb"), ("nb-NO", "nb"),
    ("no", "nb"), ("en", "nb"), ("en-US", "nb"), ("", "nb"), (None, "nb"),
])
def test_a_new_account_takes_nynorsk_only_for_a_nynorsk_locale(
        client, platform, fake_platform, locale, expected):
    claims = _presentation(locale) if locale is not None else {}
    response, _ = launch(client, fake_platform, **claims)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _lang(page) == expected
    assert _user().language == expected


def test_an_existing_account_follows_each_launch_until_the_user_chooses(
        client, platform, fake_platform):
    launch(client, fake_platform, **_presentation("nb"))
    assert _user().language == "nb"
    launch(client, fake_platform, **_presentation("nn-NO"))
    assert _user().language == "nn"
    launch(client, fake_platform)  # no locale: nothing changes
    assert _user().language == "nn"

    # the user picks bokmål with the switch: later launches keep it
    client.post("/language", data={"language": "nb", "next": "/min-side"})
    assert (_user().language, _user().language_chosen) == ("nb", True)
    response, _ = launch(client, fake_platform, **_presentation("nn-NO"))
    assert _user().language == "nb"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _lang(page) == "nb"


def test_a_locale_that_is_not_a_string_counts_as_none(client, platform, fake_platform):
    launch(client, fake_platform, **{PRESENTATION: {"locale": ["nn"]}})
    assert _user().language == "nb"
    launch(client, fake_platform, **{PRESENTATION: "nn"})
    assert _user().language == "nb"
