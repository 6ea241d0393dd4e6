"""The same code on SQLite and PostgreSQL: the main user journey writes and reads
back through the app, and every test starts from a clean, seeded database."""

from modules.accounts import services as accounts
from modules.accounts.models import User
from modules.core.extensions import db
from modules.learning.models import Enrolment, ModuleProgress
from tests.conftest import login


def test_each_test_starts_with_units_and_no_users(app):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert accounts.find_unit("ost") is not None


def test_user_ids_restart_from_one_in_every_test(make_user):
    assert make_user().id == 1


def test_enrol_and_mark_read_are_stored(app, client, make_user, synced):
    user = make_user()
    login(client, user)
    assert client.post("/courses/proveko/enrol").status_code == 302
    assert client.get("/courses/proveko/m/forste").status_code == 200
    assert client.post("/courses/proveko/m/forste/read").status_code == 302
    enrolment = db.session.scalar(db.select(Enrolment))
    progress = db.session.scalar(db.select(ModuleProgress))
    assert enrolment.user_id == user.id
    assert progress.read_at is not None


def test_user_search_ignores_case_of_name_and_email(app, make_user):
    make_user(name="Åse Nordmann", email="ase.nordmann@example.com")
    assert [u.name for u in accounts.list_users(search="NORDMANN").items] == ["Åse Nordmann"]
    assert [u.name for u in accounts.list_users(search="ASE.NORD").items] == ["Åse Nordmann"]


def test_available_courses_filter_on_boolean(app, synced):
    from modules.catalog.services import list_available_courses

    assert [c.slug for c in list_available_courses()] == ["proveko"]


def test_module_without_quiz_is_stored_as_sql_null(app, synced):
    """JSON columns: Python None must be SQL NULL (not JSON 'null'), or
    ``quiz IS NOT NULL`` filters count quiz-less modules as quizzes."""
    from modules.catalog.models import LearningModule

    with_quiz = db.session.scalars(
        db.select(LearningModule.slug).where(LearningModule.quiz.is_not(None))).all()
    assert with_quiz == ["forste"]
