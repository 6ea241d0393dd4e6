"""Session lifetime: idle and absolute expiry with a clear message, "Husk meg" within the
same limits, the keep-alive, and a saved quiz answer intact after logging in again."""

import pytest

from modules.accounts import session_lifetime
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.conftest import PASSWORD, login

QUIZ = "/courses/sertifisert/m/quiz/quiz"


class Clock:
    def __init__(self, start: float = 1_000_000.0):
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, *, minutes: float = 0, hours: float = 0) -> None:
        self.value += minutes * 60 + hours * 3600


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(session_lifetime, "now", fake)
    return fake


def _save_an_answer(client, user, course):
    learning.enrol(user, course)
    db.session.commit()
    response = client.post(QUIZ + "/start")
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    question = next(q for q in attempt.questions if q["type"] == "truefalse")
    response = client.post(f"/quiz/attempts/{attempt.id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "save", "q:" + question["id"]: "true"})
    assert response.status_code == 302
    return attempt.id, question["id"]


@pytest.mark.parametrize(("advance", "message"), [
    ({"minutes": 31}, "ikke har vært aktiv på 30 minutter"),
    ({"hours": 12, "minutes": 1}, "det har gått 12 timer siden du logget inn"),
])
def test_expired_session_logs_out_and_the_saved_answer_survives(
        client, make_user, courses, clock, advance, message):
    user = make_user()
    login(client, user)
    attempt_id, question_id = _save_an_answer(client, user, courses["sertifisert"])
    if "hours" in advance:  # stay active all day: only the absolute limit is reached
        for _ in range(12 * 3):
            clock.advance(minutes=20)
            assert client.get("/min-side").status_code == 200
        clock.advance(minutes=20)
    else:
        clock.advance(**advance)
    response = client.get(f"/quiz/attempts/{attempt_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert client.get("/min-side").status_code == 302  # logged out
    # log in again: the attempt resumes with the saved answer
    login(client, user)
    page = client.get(f"/quiz/attempts/{attempt_id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).answers == {question_id: True}
    assert 'value="true" checked' in page


def test_activity_keeps_the_session_and_the_page_carries_the_seconds_left(
        client, make_user, courses, clock):
    user = make_user()
    login(client, user)
    for _ in range(3):
        clock.advance(minutes=25)
        page = client.get("/min-side").get_data(as_text=True)
    assert '<meta name="session-timeout" content="1800"' in page
    assert "js/session-timeout.js" in page and "<script>" not in page
    clock.advance(minutes=29)
    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["seconds_left"] == 1800


def test_keep_alive_after_expiry_answers_401_in_json(client, make_user, courses, clock):
    login(client, make_user())
    clock.advance(minutes=45)
    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.json["expired"]


def test_remember_me_does_not_bypass_the_absolute_limit(client, make_user, courses, clock):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    assert response.status_code == 302
    cookies = {cookie.key for cookie in client._cookies.values()}
    assert "remember_token" not in cookies
    for _ in range(12 * 3):
        clock.advance(minutes=20)
        client.get("/min-side")
    clock.advance(minutes=20)
    assert client.get("/min-side").status_code == 302


def test_anonymous_pages_carry_no_timeout(client, courses):
    page = client.get("/login").get_data(as_text=True)
    assert "session-timeout" not in page


def test_at_exactly_twelve_hours_the_page_says_no_time_is_left_and_a_second_later_it_ends(
        client, make_user, courses, clock):
    """Active every 20 minutes: at 12:00:00 after login the session still holds and the
    page's countdown is 0 seconds; at 12:00:01 it has ended."""
    login(client, make_user())
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        assert client.get("/min-side").status_code == 200
    clock.advance(minutes=20)
    page = client.get("/min-side").get_data(as_text=True)
    assert '<meta name="session-timeout" content="0"' in page
    clock.advance(minutes=1 / 60)
    assert client.get("/min-side").status_code == 302


def test_the_warning_time_reaches_the_script_and_the_tags_are_built_once_per_standard(
        app, client, make_user, courses, clock):
    """SESSION_WARNING_SECONDS = 90 reaches the page as data-warning="90". The tags are
    built once per written standard and kept: a later change of the setting shows only in
    a standard not built yet."""
    app.config["SESSION_WARNING_SECONDS"] = 90
    user = make_user()
    login(client, user)
    page = client.get("/min-side").get_data(as_text=True)
    assert '<meta name="session-timeout" content="1800" data-warning="90" ' in page
    app.config["SESSION_WARNING_SECONDS"] = 45
    assert 'data-warning="90" ' in client.get("/min-side").get_data(as_text=True)
    user.language = "nn"
    db.session.commit()
    page = client.get("/min-side").get_data(as_text=True)
    assert 'data-warning="45" ' in page and 'data-title="Du blir snart logga ut"' in page


def _flash(client, response) -> str:
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return page.split('<div class="flash flash-info" role="status">', 1)[1].split("</div>")[0]


def test_idle_limit_holds_at_exactly_its_minutes_and_says_so_word_for_word(
        app, client, make_user, courses, clock):
    """SESSION_IDLE_MINUTES = 20: a request after exactly 20 idle minutes is still in;
    20 minutes and a second later the GET goes to the login page with itself as next and
    the message, word for word, as an info notice."""
    app.config["SESSION_IDLE_MINUTES"] = 20
    login(client, make_user())
    clock.advance(minutes=20)
    assert client.get("/min-side").status_code == 200
    clock.advance(minutes=20 + 1 / 60)
    response = client.get("/courses?track=basis")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/courses?track%3Dbasis"
    assert _flash(client, response) == ("Du er logget ut fordi du ikke har vært aktiv på 20 "
                                         "minutter. Logg inn igjen for å fortsette der du slapp.")


def test_absolute_limit_message_word_for_word_and_in_json(app, client, make_user, courses,
                                                          clock):
    """SESSION_MAX_HOURS = 8, active every 15 minutes: out after 8 hours and a minute; the
    keep-alive answers 401 with the same words."""
    app.config["SESSION_MAX_HOURS"] = 8
    login(client, make_user())
    for _ in range(8 * 4):
        clock.advance(minutes=15)
        assert client.get("/min-side").status_code == 200
    clock.advance(minutes=1)
    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})
    message = ("Du er logget ut fordi det har gått 8 timer siden du logget inn. "
               "Logg inn igjen for å fortsette.")
    assert response.status_code == 401
    assert response.json == {"error": message, "expired": True}


def test_a_post_after_expiry_keeps_the_quiz_answers_or_returns_to_the_referring_page(
        client, make_user, courses, clock):
    """A quiz posted after the session ended gets the page that keeps its answers (400);
    another form goes to the login page with the page it was posted from as next."""
    user = make_user()
    login(client, user)
    attempt_id, question_id = _save_an_answer(client, user, courses["sertifisert"])
    attempt = db.session.get(QuizAttempt, attempt_id)
    clock.advance(minutes=31)
    lost = client.post(f"/quiz/attempts/{attempt_id}", data={
        "revision": str(attempt.revision), "token": attempt.submission_token,
        "action": "submit", "q:" + question_id: "true"})
    assert lost.status_code == 400
    assert "Svarene er ikke levert ennå" in lost.get_data(as_text=True)
    login(client, user)
    clock.advance(minutes=31)
    response = client.post("/courses/med-oppfrisk/enrol",
                           headers={"Referer": "http://localhost/courses/med-oppfrisk"})
    assert response.status_code == 302
    assert response.headers["Location"] == (
        "/login?next=http://localhost/courses/med-oppfrisk")


def test_an_anonymous_visit_starts_no_session_clock_and_carries_no_timeout(client, courses):
    page = client.get("/courses").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "login_at" not in session and "seen_at" not in session
    head = page.split("<head>", 1)[1].split("</head>", 1)[0]
    assert head.rstrip().endswith('<link rel="icon" href="/static/favicon.svg" '
                                  'type="image/svg+xml">')


def test_the_timeout_tags_in_full(client, make_user, courses, clock):
    login(client, make_user())
    page = client.get("/min-side").get_data(as_text=True)
    assert (
        '<meta name="session-timeout" content="1800" data-warning="120" '
        'data-keepalive="/session/keep-alive" data-title="Du blir snart logget ut" '
        'data-continue="Fortsett" data-warning-text="Av sikkerhetshensyn blir du logget ut om '
        '{minutes} minutt(er). Trykk «Fortsett» for å bli værende. Quizsvar er allerede '
        'lagret." data-limit-text="Økten kan ikke forlenges mer (høyst 12 timer). Lagre '
        'arbeidet ditt og logg inn på nytt." data-offline-text="Ingen forbindelse med '
        'serveren. Prøv igjen om litt." data-draft-text="Vi hentet fram et utkast du ikke '
        'fikk levert.">\n  <script src="/static/js/session-timeout.js" defer></script>'
    ) in page


def test_husk_meg_keeps_the_session_cookie_twelve_hours_not_flasks_31_days(
        app, client, make_user, courses):
    from datetime import UTC, datetime, timedelta
    from email.utils import parsedate_to_datetime

    user = make_user()
    before = datetime.now(UTC)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=", 1)[1].split(";", 1)[0])
    assert timedelta(hours=11, minutes=59) < expires - before <= timedelta(hours=12,
                                                                            seconds=5)


def test_a_remember_cookie_never_logs_anyone_in(app, client, make_user, courses):
    """Flask-Login's remember cookie is never set; one made with the app's own key logs
    nobody in, not even for the request that carries it (it did: Flask-Login sets the
    cookie's user after the signal that logged it out)."""
    from flask_login.utils import encode_cookie

    user = make_user()
    with app.test_request_context():
        client.set_cookie("remember_token", encode_cookie(user.get_id()))
    assert client.get("/min-side").status_code == 302
    assert client.get("/min-side").status_code == 302
