"""Statement counts of the participant pages (issue 20): the content (courses, their
placed modules) comes from the per-worker snapshot, checked by one small statement
per request; no plain GET writes; translations are resolved once per request."""

import re

from sqlalchemy import event

from modules.catalog.services import sync_courses
from modules.core import i18n
from modules.core.extensions import db
from tests.conftest import login, write_package
from tests.helpers import count_queries


def _statements(client, path):
    """The statements of one GET, cold identity map (as a fresh request in production)."""
    db.session.expire_all()
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200, path
    return seen


def _setup(client, course_dir, make_user):
    write_package(course_dir / "kurs", slug_title="Kurs")
    assert not sync_courses().failed
    db.session.commit()
    user = make_user()
    login(client, user)
    client.post("/courses/kurs/enrol")
    client.get("/courses/kurs/m/forste")  # the first visit records the place
    start = client.post("/courses/kurs/m/forste/quiz/start")
    return start.headers["Location"]


def test_participant_pages_run_these_statements_and_never_write(client, course_dir,
                                                                make_user):
    attempt = _setup(client, course_dir, make_user)
    # user, content key, then per page: enrolments + progress (catalog); enrolment +
    # progress (course); enrolment + progress + attempts (module); enrolment +
    # attempts (history); content key + the attempt itself, without joining its course
    # and module (attempt page: those come from the snapshot, their JSON not decoded)
    expected = {"/courses": 4, "/courses/kurs": 4, "/courses/kurs/m/forste": 5,
                "/courses/kurs/m/forste/quiz": 4, attempt: 3}
    for path, count in expected.items():
        seen = _statements(client, path)
        assert len(seen) == count, (path, seen)
        assert set(seen) == {"SELECT"}, (path, seen)


def test_a_visit_to_another_module_writes_the_place_after_rendering(client, course_dir,
                                                                   make_user):
    _setup(client, course_dir, make_user)
    # user, content key, enrolment, progress; then the place. Rendering after the
    # commit reloaded the course, the content key, the user, both modules and the
    # enrolment (six more statements).
    assert _statements(client, "/courses/kurs/m/andre") == ["SELECT"] * 4 + ["UPDATE"]
    assert _statements(client, "/courses/kurs/m/andre") == ["SELECT"] * 4
    page = client.get("/courses/kurs/resume")
    assert page.headers["Location"].endswith("/courses/kurs/m/andre")


def test_min_side_statements_do_not_grow_with_runs_or_attempts(client, course_dir,
                                                               make_user):
    _setup(client, course_dir, make_user)
    seen = _statements(client, "/min-side")
    assert set(seen) == {"SELECT"}
    few = len(seen)
    page = client.get("/courses/kurs/m/forste/quiz").get_data(as_text=True)
    assert "forste" in page
    for _n in range(3):  # more attempts: the quiz panel stays one statement
        client.post("/courses/kurs/m/forste/quiz/start")
    assert len(_statements(client, "/min-side")) == few


def test_content_snapshot_follows_a_sync(client, course_dir, make_user):
    _setup(client, course_dir, make_user)
    assert "Første modul" in client.get("/courses/kurs").get_data(as_text=True)
    md = (course_dir / "kurs" / "01-forste.md").read_text(encoding="utf-8")
    (course_dir / "kurs" / "01-forste.md").write_text(
        md.replace("Første modul", "Første modul, ny utgave"), encoding="utf-8")
    assert not sync_courses().failed
    db.session.commit()
    page = client.get("/courses/kurs").get_data(as_text=True)
    assert "Første modul, ny utgave" in page
    module = client.get("/courses/kurs/m/forste").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>[^<]*Første modul, ny utgave", module)


def test_snapshot_saves_the_content_statements(client, course_dir, make_user):
    _setup(client, course_dir, make_user)
    with count_queries() as warm:
        client.get("/courses/kurs")
    client.application.extensions.pop("content_snapshot")
    with count_queries() as cold:
        client.get("/courses/kurs")
    assert cold[0] - warm[0] == 2  # the snapshot's courses and placed modules


def test_translations_resolved_once_per_request(client, course_dir, make_user, monkeypatch):
    _setup(client, course_dir, make_user)
    calls = []
    real = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: calls.append(1) or real())
    page = client.get("/courses").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert len(calls) == 1  # the page translates dozens of strings


def test_snapshot_never_overwrites_a_change_in_the_session(app, client, course_dir,
                                                           make_user):
    from modules.catalog.services import get_course_by_slug, placed_modules

    _setup(client, course_dir, make_user)
    with app.test_request_context("/"):
        course = get_course_by_slug("kurs")
        course.title = "Kurs med nytt navn"
        module = placed_modules(course.id)[0]
        module.title = "Ny tittel"
        assert get_course_by_slug("kurs").title == "Kurs med nytt navn"
        assert placed_modules(course.id)[0].title == "Ny tittel"
        db.session.rollback()
        assert get_course_by_slug("kurs").title == "Kurs"


def test_a_sync_committed_in_a_request_is_read_in_the_same_request(app, client,
                                                                   course_dir, make_user):
    from modules.catalog.services import get_course_by_slug

    _setup(client, course_dir, make_user)
    with app.test_request_context("/"):
        assert get_course_by_slug("kurs").title == "Kurs"
        write_package(course_dir / "kurs", slug_title="Kurs, ny utgave")
        assert not sync_courses().failed
        db.session.commit()
        assert get_course_by_slug("kurs").title == "Kurs, ny utgave"
