"""Hostile text in course Markdown, user names and CSV imports is escaped."""

import io

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import login

from .xss import PAYLOADS, active_content, bad_unit_csv, write_xss_package, xss_csv


def test_the_corpus_is_caught_by_the_checker_when_not_escaped():
    for payload in PAYLOADS:
        if payload.startswith(("<", '"', "'")) and not payload.startswith("<javascript:"):
            assert active_content(payload), payload


def test_hostile_course_package_renders_inert(app, client, make_user, course_dir):
    write_xss_package(course_dir)
    result = sync_courses()
    db.session.commit()
    assert "xss-kurs" not in result.failed, result.failed
    user = make_user(name="Vanlig Deltaker")
    learning.enrol(user, get_course_by_slug("xss-kurs"))
    db.session.commit()
    login(client, user)
    for path in ("/courses", "/courses/xss-kurs", "/courses/xss-kurs/m/fiendtlig", "/min-side"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert active_content(html) == [], path
    module_page = client.get("/courses/xss-kurs/m/fiendtlig").get_data(as_text=True)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in module_page


def test_hostile_user_names_render_inert(app, client, make_user):
    admin = make_user(role="admin", name="Admin")
    users = [make_user(name=payload[:200]) for payload in PAYLOADS]
    login(client, admin)
    pages = ["/admin/users", "/admin/users?q=script", "/admin/audit"]
    pages += [f"/admin/users/{user.id}" for user in users]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert active_content(html) == [], path
    client.post("/logout")
    login(client, users[0])
    html = client.get("/min-side").get_data(as_text=True)
    assert active_content(html) == []
    assert "Hei, &lt;script&gt;" in html


def test_hostile_csv_import_renders_inert(app, client, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(bad_unit_csv().encode()), "brukere.csv")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "ukjent enhet «&lt;script&gt;" in html
    assert active_content(html) == []

    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(xss_csv().encode()), "brukere.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert f"{len(PAYLOADS)} brukere er importert" in html
    assert accounts.get_user_by_email("xss1@example.com").name == PAYLOADS[0]
    for path in ("/admin/users", "/admin/audit"):
        assert active_content(client.get(path).get_data(as_text=True)) == [], path
