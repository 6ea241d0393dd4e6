"""Accounts: CSV import, CLI, admin pages, roles."""

import pytest

from modules.accounts import services
from modules.accounts.models import User
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from tests.conftest import login

GOOD_CSV = "email;name;unit;role\nola@example.com;Ola Ødegård;ost;participant\n" \
           "kari@example.com;Kari Ås;Nordland politidistrikt;kursholder\n"


def count_users() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_csv_import_creates_every_row(app):
    result = services.import_users_csv("\ufeff" + GOOD_CSV)
    assert result.errors == []
    kari = services.get_user_by_email("kari@example.com")
    assert kari.role == "trainer" and kari.unit.code == "nordland" and kari.name == "Kari Ås"


def test_csv_import_reports_every_bad_row_and_imports_nothing(app, make_user):
    make_user(email="finnes@example.com")
    before = count_users()
    text = ("email,name,unit\nok@example.com,Ok,ost\nikke-en-epost,Navn,ost\n"
            "finnes@example.com,Dobbel,ost\nny@example.com,,ost\nny2@example.com,Ny,Mars\n"
            "ok@example.com,Igjen,ost\nfor,mange,felt,her\n")
    result = services.import_users_csv(text)
    assert [line.split(":")[0] for line in result.errors] == [
        "linje 3", "linje 4", "linje 5", "linje 6", "linje 7", "linje 8"]
    assert "ukjent enhet «Mars»" in result.errors[3]
    assert count_users() == before


def test_csv_import_rejects_missing_columns(app):
    result = services.import_users_csv("navn;epost\nA;b@example.com\n")
    assert result.errors and result.errors[0].startswith("linje 1: mangler kolonne")


def test_cli_users_import_is_all_or_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text("email;name;unit\nen@example.com;En;ost\nto@example.com;To;ukjent\n")
    result = runner.invoke(args=["users", "import", str(bad)])
    assert result.exit_code != 0
    assert "linje 3: ukjent enhet" in result.output
    assert services.get_user_by_email("en@example.com") is None
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert services.get_user_by_email("ola@example.com") is not None


def test_cli_users_create(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "ny@example.com", "--name", "Ny",
                                 "--unit", "oslo", "--role", "admin"],
                           input="Et-langt-passord-42\nEt-langt-passord-42\n")
    assert result.exit_code == 0, result.output
    assert services.get_user_by_email("ny@example.com").role == "admin"


@pytest.mark.parametrize("password", ["kort", "passordpassord", "aaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(app, password):
    with pytest.raises(services.AccountError):
        services.create_user(email="x@example.com", name="X", unit=services.find_unit("ost"),
                             password=password)


def test_admin_creates_user_and_changes_role_with_audit(client, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    ost = services.find_unit("ost")
    response = client.post("/admin/users/new", data={
        "name": "Per Åsheim", "email": "per@example.com", "unit_id": ost.id,
        "role": "participant", "password": ""})
    assert response.status_code == 302
    per = services.get_user_by_email("per@example.com")
    nordland = services.find_unit("nordland")
    client.post(f"/admin/users/{per.id}", data={"name": "Per Åsheim", "unit_id": nordland.id,
                                                "role": "trainer", "active": "y"})
    db.session.refresh(per)
    assert (per.role, per.unit.code) == ("trainer", "nordland")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.updated"))
    assert event.details == {"role": ["participant", "trainer"], "unit": ["ost", "nordland"]}
    assert "user.updated" in client.get("/admin/audit").get_data(as_text=True)


def test_admin_cannot_remove_own_admin_role(client, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    page = client.post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "unit_id": admin.unit_id, "role": "participant", "active": "y"})
    assert "Du kan ikke fjerne din egen administratortilgang." in page.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_deactivation_ends_existing_sessions(client, make_user, app):
    admin, user = make_user(role="admin"), make_user()
    login(client, user)
    assert client.get("/min-side").status_code == 200
    services.update_user(user, actor=admin, name=user.name, unit=user.unit, role=user.role,
                         active=False)
    db.session.commit()
    assert client.get("/min-side").status_code == 302


def test_forms_refuse_posts_without_csrf_token(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "x"})
    assert response.status_code == 400
    assert "Skjemaet var utløpt" in response.get_data(as_text=True)


def test_demo_accounts_only_in_a_new_database(app):
    created = services.create_demo_accounts()
    assert {entry["role"] for entry in created} >= {"admin", "trainer", "participant"}
    units = {entry["unit"] for entry in created if entry["role"] == "participant"}
    assert len(units) == 2
    assert services.create_demo_accounts() == []
