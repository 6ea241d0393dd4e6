"""Syncing packages into the database; a broken package keeps the last good version."""

from modules.catalog.models import Course, LearningModule, PackageCheck
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from tests.conftest import MODULE_MD, login


def test_sync_loads_then_skips_unchanged(app, course_dir):
    first = sync_courses()
    assert first.loaded == ["proveko"]
    assert sync_courses().unchanged == ["proveko"]


def test_broken_package_keeps_last_good_version_and_shows_problems(app, course_dir, client,
                                                                    make_user):
    sync_courses()
    db.session.commit()
    good_version = get_course_by_slug("proveko").content_version
    (course_dir / "proveko" / "02-andre.md").write_text("+++\ntitle = \n+++\n")
    result = sync_courses()
    db.session.commit()
    assert "proveko" in result.failed
    course = get_course_by_slug("proveko")
    assert course.content_version == good_version
    check = db.session.scalar(db.select(PackageCheck))
    assert not check.loaded and "02-andre.md:2: ugyldig TOML" in check.problems[0]
    login(client, make_user(role="admin"))
    page = client.get("/admin/courses").get_data(as_text=True)
    assert "Kurspakker med feil" in page and "02-andre.md:2" in page
    assert client.get("/courses/proveko").status_code == 200


def test_changed_module_is_updated_in_place_and_removed_module_retired(app, course_dir):
    sync_courses()
    module_id = db.session.scalar(db.select(LearningModule.id).where(
        LearningModule.slug == "forste"))
    (course_dir / "proveko" / "01-forste.md").write_text(MODULE_MD.format(title="Ny tittel"))
    (course_dir / "proveko" / "02-andre.md").unlink()
    result = sync_courses()
    assert result.loaded == ["proveko"]
    module = db.session.get(LearningModule, module_id)
    assert module.title == "Ny tittel"
    retired = db.session.scalar(db.select(LearningModule).where(LearningModule.slug == "andre"))
    assert retired.retired


def test_removed_package_is_withdrawn(app, course_dir):
    import shutil

    sync_courses()
    shutil.rmtree(course_dir / "proveko")
    assert sync_courses().withdrawn == ["proveko"]
    assert db.session.scalar(db.select(Course)).available is False


def test_cli_check_exits_nonzero_with_path_line_messages(app, course_dir):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["courses", "check", str(course_dir)]).exit_code == 0
    (course_dir / "proveko" / "course.toml").write_text('title = "x"\n')
    result = runner.invoke(args=["courses", "check", str(course_dir)])
    assert result.exit_code == 1
    assert f"{course_dir / 'proveko' / 'course.toml'}:1: mangler påkrevd nøkkel «summary»" \
        in result.output


def test_admin_sync_button(client, make_user, course_dir):
    login(client, make_user(role="admin"))
    response = client.post("/admin/courses/sync", follow_redirects=True)
    assert "Kursene er synkronisert" in response.get_data(as_text=True)
    assert get_course_by_slug("proveko") is not None
