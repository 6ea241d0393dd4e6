"""Login, enrol, read and progress through the test client."""

import re

from modules.catalog.services import sync_courses
from modules.core.extensions import db
from tests.conftest import login, write_package
from tests.helpers import count_queries


def test_login_with_wrong_password_does_not_reveal_the_email(client, make_user):
    user = make_user()
    wrong_password = login(client, user, "feil-passord-123").get_data(as_text=True)
    unknown_email = login(client, "ingen@example.com").get_data(as_text=True)
    assert "Feil e-postadresse eller passord." in wrong_password
    assert "Feil e-postadresse eller passord." in unknown_email


def test_login_follows_only_local_next(client, make_user):
    user = make_user()
    response = client.post("/login?next=https://evil.example/x",
                           data={"email": user.email, "password": "Et-godt-passord-123"})
    assert response.headers["Location"] == "/min-side"
    client.post("/logout")
    response = client.post("/login?next=/courses/proveko",
                           data={"email": user.email, "password": "Et-godt-passord-123"})
    assert response.headers["Location"] == "/courses/proveko"


def test_email_is_case_insensitive(client, make_user):
    make_user(email="Kari.Nordmann@Example.com")
    response = login(client, "kari.nordmann@example.COM")
    assert response.status_code == 302


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert login(client, user).status_code == 200  # the form again, with the error


def test_participant_enrols_reads_and_sees_progress(client, synced, make_user):
    user = make_user(name="Siri Ødegård")
    login(client, user)
    page = client.get("/courses").get_data(as_text=True)
    assert "Prøvekurs" in page and "Basiskunnskap" in page
    response = client.post("/courses/proveko/enrol")
    assert response.status_code == 302
    module_page = client.get("/courses/proveko/m/forste").get_data(as_text=True)
    assert "<h1" in module_page and module_page.count("<h1") == 1
    assert "&lt;script&gt;" in module_page and "<script>alert" not in module_page
    assert 'href="/courses/proveko/files/mal.md"' in module_page
    assert 'id="hvorfor-involvere"' in module_page
    client.post("/courses/proveko/m/forste/read")
    client.post("/courses/proveko/m/andre/read")
    my_page = client.get("/min-side").get_data(as_text=True)
    assert "Prøvekurs" in my_page
    assert "1 av 2 moduler fullført" in my_page  # the first module's quiz is not passed yet
    resume = client.get("/courses/proveko/resume")
    assert resume.headers["Location"].endswith("/courses/proveko/m/forste")


def test_module_page_requires_enrolment(client, synced, make_user):
    login(client, make_user())
    response = client.get("/courses/proveko/m/forste")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/proveko")


def test_files_download_needs_login_and_serves_the_stored_file(client, synced, make_user):
    assert client.get("/courses/proveko/files/mal.md").status_code == 302
    login(client, make_user())
    response = client.get("/courses/proveko/files/mal.md")
    assert response.status_code == 200
    assert "Fyll inn." in response.get_data(as_text=True)
    assert client.get("/courses/proveko/files/../course.toml").status_code == 404


def test_participant_cannot_reach_admin_pages(client, synced, make_user):
    login(client, make_user())
    for path in ("/admin", "/admin/users", "/admin/users/new", "/admin/courses",
                 "/admin/audit", "/admin/users/import"):
        assert client.get(path).status_code == 403, path
    assert client.post("/admin/courses/sync").status_code == 403


def test_a_user_cannot_see_another_users_progress(client, synced, make_user):
    owner, other = make_user(), make_user()
    login(client, owner)
    client.post("/courses/proveko/enrol")
    client.post("/courses/proveko/m/andre/read")
    client.post("/logout")
    login(client, other)
    my_page = client.get("/min-side").get_data(as_text=True)
    assert "Prøvekurs" not in my_page
    course_page = client.get("/courses/proveko").get_data(as_text=True)
    assert "Meld deg på" in course_page and "Min framdrift" not in course_page


def test_prerequisite_blocks_enrolment_in_the_view(client, app, course_dir, make_user):
    write_package(course_dir / "videre", slug_title="Videregående", prerequisites=["proveko"])
    sync_courses()
    db.session.commit()
    login(client, make_user())
    page = client.get("/courses/videre").get_data(as_text=True)
    assert "Du må fullføre disse kursene" in page
    client.post("/courses/videre/enrol")
    assert "Min framdrift" not in client.get("/courses/videre").get_data(as_text=True)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/finnes-ikke")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


def _make_courses(course_dir, count):
    for index in range(count):
        write_package(course_dir / f"kurs-{index}", slug_title=f"Kurs {index}")
    result = sync_courses()
    db.session.commit()
    assert not result.failed


def _statements(client, path):
    db.session.expire_all()  # a cold identity map, as in a fresh request in production
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter[0]


def test_catalog_and_module_page_run_a_fixed_number_of_statements(client, app, course_dir,
                                                                   make_user):
    user = make_user()
    _make_courses(course_dir, 3)
    login(client, user)
    for index in range(3):
        client.post(f"/courses/kurs-{index}/enrol")
    client.get("/courses/kurs-0/m/forste")  # the first visit records the place; later ones read
    few_catalog = _statements(client, "/courses")
    few_module = _statements(client, "/courses/kurs-0/m/forste")
    few_my_page = _statements(client, "/min-side")
    _make_courses(course_dir, 30)
    for index in range(30):
        client.post(f"/courses/kurs-{index}/enrol")
    assert _statements(client, "/courses") == few_catalog
    assert _statements(client, "/courses/kurs-0/m/forste") == few_module
    assert _statements(client, "/min-side") == few_my_page


def test_course_page_lists_modules_in_order(client, synced):
    page = client.get("/courses/proveko").get_data(as_text=True)
    assert re.search(r"Første modul.*Andre modul", page, re.S)
