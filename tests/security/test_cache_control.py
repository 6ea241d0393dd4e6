"""Personal pages and files are never kept by a browser or proxy: every dynamic
response says ``Cache-Control: no-store``; only static assets and the few responses that
declare themselves public may be cached (issue 17, row 10)."""

import pytest
from flask import url_for

from modules.core.extensions import db
from modules.reports import services as report_services
from tests.security.test_access_table import _sign_in, build_url
from tests.security.world import build_world, write_world_courses

#: Responses that are public by design and declare ``public`` caching themselves.
PUBLIC_CACHE = {"certification.badge_image", "lti.jwks"}


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


def test_personal_pages_and_files_are_not_stored(app, client, make_user):
    world = build_world(make_user)
    participant = world.users["participant"]
    _sign_in(client, participant)
    v = world.values
    for url in ("/min-side", f"/certificates/{v['certificate_id']}.pdf",
                f"/quiz/attempts/{v['attempt_id']}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    with app.test_request_context():
        practice_file = url_for("course_runs.download_practice_file",
                                submission_id=v["submission_id"])
    response = client.get(practice_file)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_every_get_route_as_admin_is_no_store_unless_public(app, client, make_user):
    world = build_world(make_user)
    _sign_in(client, world.users["admin"])
    wrong = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        with app.test_request_context():
            url = build_url(rule, world.values)
        response = client.get(url)
        db.session.remove()
        cache = response.headers.get("Cache-Control", "")
        if rule.endpoint in PUBLIC_CACHE and response.status_code == 200:
            ok = cache.startswith("public")
        else:
            ok = cache == "no-store"
        if not ok:
            wrong.append(f"{url} ({response.status_code}): {cache!r}")
    assert not wrong, "\n".join(wrong)


def test_the_api_and_anonymous_pages_are_no_store_and_static_files_cacheable(
        app, client, make_user):
    admin = make_user("admin")
    _token, plain = report_services.create_token(admin, "HR")
    db.session.commit()
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
