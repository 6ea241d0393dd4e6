"""Bokmål or nynorsk: the first visit follows Accept-Language, the choice is kept in a
cookie and on the profile, and every page a user sees follows it."""

import pytest

from modules.accounts.models import User
from modules.core.extensions import db
from modules.core.i18n import from_accept_language, normalise
from tests.conftest import login


def _lang(page: str) -> str:
    return page.split("<html lang=\"", 1)[1].split("\"", 1)[0]


@pytest.mark.parametrize(("header", "expected"), [
    ("nn", "nn"), ("nn-NO", "nn"), ("nn-NO,nb;q=0.5", "nn"), ("nb-NO,nn;q=0.9", "nb"),
    ("en-GB,nn;q=0.8", "nn"), ("no", "nb"), ("en-US", "nb"), ("", "nb"),
])
def test_first_visit_follows_accept_language(client, synced, header, expected):
    page = client.get("/courses", headers={"Accept-Language": header}).get_data(as_text=True)
    assert _lang(page) == expected
    assert ("Hopp til hovudinnhaldet" in page) is (expected == "nn")


def test_language_tags_are_normalised():
    assert [normalise(v) for v in ("nn_NO", "NN-no", "nno", "nob", "nb", "sv", "", None)] == [
        "nn", "nn", "nn", "nb", "nb", None, None, None]
    assert from_accept_language([("de", 1), ("nn-NO", 0.5), ("nb", 0.4)]) == "nn"
    assert from_accept_language([("en", 1), ("sv", 0.5)]) is None


def test_anonymous_choice_is_a_cookie_that_beats_accept_language(client, synced):
    response = client.post("/language", data={"language": "nn", "next": "/courses"})
    assert response.status_code == 302 and response.headers["Location"] == "/courses"
    assert "language=nn" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/courses", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert _lang(page) == "nn"


def test_switch_on_every_page_with_lang_on_each_button(client, synced):
    page = client.get("/courses").get_data(as_text=True)
    assert 'value="nn" lang="nn"' in page and 'value="nb" lang="nb"' in page
    assert 'aria-pressed="true">Bokmål' in page and 'aria-pressed="false">Nynorsk' in page
    assert 'name="next" value="/courses"' in page


def test_logged_in_choice_is_stored_on_the_profile_and_followed_everywhere(
        client, make_user, synced):
    user = make_user()
    login(client, user)
    client.post("/language", data={"language": "nn", "next": "/min-side"})
    assert db.session.get(User, user.id).language == "nn"
    client.delete_cookie("language")  # the profile, not the cookie, decides
    catalog = client.get("/courses", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert _lang(catalog) == "nn" and "Mi side" in catalog and "Logg ut" in catalog
    my_page = client.get("/min-side").get_data(as_text=True)
    assert _lang(my_page) == "nn" and "Du er ikkje påmeld noko kurs enno." in my_page
    client.post("/courses/proveko/enrol")
    quiz = client.get("/courses/proveko/m/forste/quiz").get_data(as_text=True)
    assert _lang(quiz) == "nn" and "Du må ha minst 50 % rette for å bestå." in quiz
    assert "Tidlegare forsøk" in quiz and "Du har ikkje teke denne quizen enno." in quiz
    assert "riktige" not in quiz and "Tidligere" not in quiz


def test_unknown_language_changes_nothing(client, make_user, synced):
    user = make_user()
    login(client, user)
    response = client.post("/language", data={"language": "sv", "next": "/courses"})
    assert response.status_code == 302
    assert "language=" not in response.headers.get("Set-Cookie", "")
    assert db.session.get(User, user.id).language is None


def test_unsafe_next_goes_to_the_catalog(client, synced):
    response = client.post("/language", data={"language": "nn", "next": "//evil.example"})
    assert response.headers["Location"] == "/courses"


def test_switch_without_csrf_token_is_refused(csrf_app):
    response = csrf_app.test_client().post("/language", data={"language": "nn"})
    assert response.status_code == 400
    assert "language=nn" not in response.headers.get("Set-Cookie", "")


def test_session_timeout_script_gets_its_texts_from_the_page(client, make_user, synced):
    user = make_user()
    user.language = "nn"
    db.session.commit()
    login(client, user)
    page = client.get("/min-side").get_data(as_text=True)
    assert 'data-title="Du blir snart logga ut"' in page
    assert 'data-continue="Hald fram"' in page
    assert ('data-warning-text="Av omsyn til tryggleiken blir du logga ut om {minutes} minutt. '
            'Trykk «Hald fram» for å bli verande. Quizsvara er allereie lagra."' in page)
    assert ('data-limit-text="Økta kan ikkje forlengjast meir (høgst 12 timar). Lagre '
            'arbeidet ditt og logg inn på nytt."' in page)
    assert 'data-offline-text="Inga tilkopling til serveren. Prøv igjen om litt."' in page
    assert 'data-draft-text="Vi henta fram eit utkast du ikkje fekk levert."' in page


def test_error_page_in_the_visitors_standard(client, synced):
    client.set_cookie("language", "nn")
    response = client.get("/finst-ikkje")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert _lang(page) == "nn" and "Fann ikkje sida" in page


def test_login_keeps_the_browsers_standard_for_a_user_who_never_chose(client, make_user, synced):
    asked, silent, chosen = make_user(), make_user(), make_user()
    chosen.language = "nb"
    db.session.commit()
    client.post("/login", data={"email": asked.email, "password": "Et-godt-passord-123"},
                headers={"Accept-Language": "nn-NO,en;q=0.5"})
    assert db.session.get(User, asked.id).language == "nn"
    for user in (silent, chosen):
        other = client.application.test_client()
        other.post("/login", data={"email": user.email, "password": "Et-godt-passord-123"},
                   headers={"Accept-Language": "en-GB" if user is silent else "nn"})
    assert db.session.get(User, silent.id).language is None
    assert db.session.get(User, chosen.id).language == "nb"


def test_quiz_page_and_autosave_answer_in_nynorsk(client, make_user, synced):
    user = make_user()
    user.language = "nn"
    db.session.commit()
    login(client, user)
    client.post("/courses/proveko/enrol")
    started = client.post("/courses/proveko/m/forste/quiz/start")
    attempt_url = started.headers["Location"]
    page = client.get(attempt_url).get_data(as_text=True)
    assert 'data-offline="Ikkje lagra: inga tilkopling.' in page
    saved = client.post(attempt_url + "/save", data={"revision": "0"})
    assert saved.get_json()["message"] == "Lagra"
