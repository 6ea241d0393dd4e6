"""What the participant pages keep per content version or per request (issue 20) must
never show another user's data, another written standard or an old content version."""

import re

from flask_login import login_user

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import login, write_package


def _course(course_dir):
    write_package(course_dir / "kurs", slug_title="Kurs")
    assert not sync_courses().failed
    db.session.commit()


def _nav(page: str) -> list[tuple[str, bool]]:
    """(module title, shown as complete) for each module in the page's course menu."""
    items = re.findall(r'<li class="(is-complete)?">\s*<a href="[^"]+"[^>]*>([^<]+)</a>',
                       page.split('class="course-nav"', 1)[1])
    return [(title, bool(done)) for done, title in items]


def test_module_page_text_is_shared_but_each_user_sees_their_own_state(
        app, course_dir, make_user):
    _course(course_dir)
    first, second = app.test_client(), app.test_client()
    login(first, make_user(name="Anne Først"))
    login(second, make_user(name="Bjørn Annen"))
    for client in (first, second):
        client.post("/courses/kurs/enrol")
    first.post("/courses/kurs/m/andre/read")  # "Andre modul" has no quiz: read = complete

    mine = first.get("/courses/kurs/m/andre").get_data(as_text=True)
    theirs = second.get("/courses/kurs/m/andre").get_data(as_text=True)
    assert "Anne Først" in mine and "Anne Først" not in theirs
    assert "Bjørn Annen" in theirs and "Bjørn Annen" not in mine
    assert "Du har merket modulen som lest." in mine and "Merk som lest" not in mine
    assert "Merk som lest" in theirs and "Du har merket modulen som lest." not in theirs
    assert _nav(mine) == [("Første modul", False), ("Andre modul", True)]
    assert _nav(theirs) == [("Første modul", False), ("Andre modul", False)]
    # the shared text: the same head and body for both, the page's own place in it
    for page in (mine, theirs):
        assert "Modul 2 av 2" in page and 'aria-current="page">Andre modul<' in page
        assert re.search(r'<h1 id="module-title">Andre modul</h1>', page)
        assert "<strong>innbyggerinvolvering</strong>" in page


def test_module_page_text_follows_the_written_standard(app, client, course_dir,
                                                       make_user):
    _course(course_dir)
    login(client, make_user())
    client.post("/courses/kurs/enrol")
    assert "10 minutter" in client.get("/courses/kurs/m/forste").get_data(as_text=True)
    client.post("/language", data={"language": "nn", "next": "/courses"})
    nynorsk = client.get("/courses/kurs/m/forste").get_data(as_text=True)
    assert "10 minutt<" in nynorsk.replace("10 minutt ", "10 minutt<")
    assert "10 minutter" not in nynorsk
    client.post("/language", data={"language": "nb", "next": "/courses"})
    assert "10 minutter" in client.get("/courses/kurs/m/forste").get_data(as_text=True)


def test_module_page_text_and_links_follow_a_sync(client, course_dir, make_user):
    _course(course_dir)
    login(client, make_user())
    client.post("/courses/kurs/enrol")
    before = client.get("/courses/kurs/m/forste").get_data(as_text=True)
    assert "Tekst om <strong>innbyggerinvolvering</strong>" in before
    for stem in ("01-forste", "02-andre"):
        path = course_dir / "kurs" / f"{stem}.md"
        md = path.read_text(encoding="utf-8")
        path.write_text(md.replace("Tekst om", "Ny tekst om").replace(
            "Andre modul", "Andre modul, ny utgave"), encoding="utf-8")
    assert not sync_courses().failed
    db.session.commit()
    after = client.get("/courses/kurs/m/forste").get_data(as_text=True)
    assert "Ny tekst om <strong>innbyggerinvolvering</strong>" in after
    assert "Tekst om <strong>" not in after
    assert _nav(after) == [("Første modul", False), ("Andre modul, ny utgave", False)]


def test_enrolments_read_once_per_request_but_again_after_a_write(app, course_dir,
                                                                  make_user):
    _course(course_dir)
    user = make_user()
    with app.test_request_context("/min-side"):
        login_user(user)
        assert learning.user_enrolments(user) == []
        learning.enrol(user, get_course_by_slug("kurs"))  # flushes
        assert [e.course_id for e in learning.user_enrolments(user)] == [
            get_course_by_slug("kurs").id]
        assert [e.course.slug for e in learning.list_enrolments(user)] == ["kurs"]
        db.session.rollback()
        assert learning.user_enrolments(user) == []


def test_min_side_shows_each_user_their_own_results(app, course_dir, make_user):
    _course(course_dir)
    first, second = app.test_client(), app.test_client()
    login(first, make_user())
    login(second, make_user())
    first.post("/courses/kurs/enrol")
    start = first.post("/courses/kurs/m/forste/quiz/start")
    attempt = start.headers["Location"].rsplit("/", 1)[1]
    first.post(f"/quiz/attempts/{attempt}", data={"action": "submit"})  # unanswered: 422
    mine = first.get("/min-side").get_data(as_text=True)
    theirs = second.get("/min-side").get_data(as_text=True)
    assert '<a href="/courses/kurs">Kurs</a>' in mine
    assert "/courses/kurs" not in theirs.split("<main", 1)[1].split("</main>", 1)[0]
    # the attempt page is the owner's only
    assert first.get(f"/quiz/attempts/{attempt}").status_code == 200
    assert second.get(f"/quiz/attempts/{attempt}").status_code == 404


def test_session_timeout_tags_follow_the_written_standard_and_the_session(
        app, client, course_dir, make_user, monkeypatch):
    from modules.accounts import session_lifetime

    _course(course_dir)
    login(client, make_user())
    page = client.get("/courses").get_data(as_text=True)
    assert re.search(r'<meta name="session-timeout" content="\d+" ', page)
    assert 'data-title="Du blir snart logget ut"' in page
    monkeypatch.setattr(session_lifetime, "seconds_left", lambda: 1234)
    assert 'content="1234"' in client.get("/courses").get_data(as_text=True)
    client.post("/language", data={"language": "nn", "next": "/courses"})
    nynorsk = client.get("/courses").get_data(as_text=True)
    assert 'data-title="Du blir snart logga ut"' in nynorsk and 'content="1234"' in nynorsk
    client.post("/language", data={"language": "nb", "next": "/courses"})
    assert 'data-title="Du blir snart logget ut"' in client.get("/courses").get_data(
        as_text=True)
