"""Issue 18.7 and 18.8: names and units match case-insensitively with Æ, Ø and Å on
every database; both CSV importers read the same headers (Norwegian or English) and
give the same messages."""

import io

import pytest

from modules.accounts import services
from modules.accounts.csv_people import read_people
from modules.accounts.models import User, fold
from modules.core.extensions import db
from modules.course_runs import enrolment
from tests.conftest import login


def test_fold_handles_norwegian_letters():
    assert fold("  ØDEGÅRD  Æsir ") == "ødegård æsir"
    assert fold("Sør-Øst politidistrikt") == fold("sør-øst POLITIDISTRIKT")


def test_every_unit_is_found_by_name_and_code_in_any_case(app):
    units = services.list_units()
    assert len(units) > 20
    for unit in units:
        for text in (unit.name, unit.name.upper(), unit.name.lower(), f"  {unit.name} ",
                     unit.code.upper()):
            assert services.find_unit(text) == unit, text
    assert services.find_unit("Østre politidistrikt") is None
    assert services.find_unit("") is None


def test_admin_search_finds_names_with_norwegian_letters(app, client, make_user):
    admin = make_user("admin", name="Kari Nordmann")
    siri = make_user(name="Siri Ødegård")
    per = make_user(name="Per Åsheim")
    make_user(name="Ola Odegard")
    login(client, admin)
    for query, expected in (("Ødegård", [siri]), ("ødegård", [siri]), ("ØDEGÅRD", [siri]),
                            ("åsheim", [per]), ("ÅSHEIM", [per]), ("per å", [per])):
        found = services.list_users(search=query).items
        assert found == expected, query
        page = client.get("/admin/users", query_string={"q": query}).get_data(as_text=True)
        assert expected[0].name in page and "Ola Odegard" not in page, query
    assert services.list_users(search="%").items == []  # a wildcard is a plain character


def test_search_name_follows_renames(app, make_user):
    user = make_user(name="Æsa Ås")
    assert user.search_name == "æsa ås"
    user.name = "Øyvind Ødegård"
    db.session.commit()
    assert db.session.scalar(db.select(User.search_name).where(User.id == user.id)) == \
        "øyvind ødegård"


UNIT_NAMES = ("Øst politidistrikt", "Sør-Øst politidistrikt", "Økokrim", "ØKOKRIM",
              "møre og romsdal politidistrikt", "Trøndelag politidistrikt")


@pytest.mark.parametrize("header", ["E-post;Navn;Enhet;Rolle", "email;name;unit;role",
                                    "EPOST;NAVN;ENHET;ROLLE"])
def test_admin_import_reads_both_header_languages_and_norwegian_units(app, header):
    lines = [header] + [f"p{i}@example.com;Person Ø{i};{unit};deltaker"
                        for i, unit in enumerate(UNIT_NAMES)]
    result = services.import_users_csv("\n".join(lines) + "\n")
    assert result.errors == []
    assert [u.unit.code for u in result.created] == [
        "ost", "sor-ost", "okokrim", "okokrim", "more-og-romsdal", "trondelag"]


def test_run_import_reads_norwegian_headers_and_units(app, make_user):
    rows, errors = enrolment.parse_csv(
        "E-post;Navn;Enhet\nen@example.com;En Ø;Øst politidistrikt\n"
        "to@example.com;To Å;sør-øst politidistrikt\ntre@example.com;Tre;Økokrim\n")
    assert errors == []
    assert [(r.email, r.unit.code) for r in rows] == [
        ("en@example.com", "ost"), ("to@example.com", "sor-ost"), ("tre@example.com", "okokrim")]


BAD = ("E-post;Navn;Enhet\nok@example.com;Ok;ost\nikke-en-adresse;Feil;ost\n"
       "ok@example.com;Igjen;ost\nny@example.com;Ny;Atlantis\nfor;mange;felt;her\n")
BAD_MESSAGES = ["linje 3: ugyldig e-postadresse «ikke-en-adresse»",
                "linje 4: ok@example.com står flere ganger i filen",
                "linje 5: ukjent enhet «Atlantis»",
                "linje 6: forventet 3 felt, fant 4"]


def test_both_importers_give_the_same_messages(app, client, make_user):
    assert services.import_users_csv(BAD).errors == BAD_MESSAGES
    assert enrolment.parse_csv(BAD)[1] == BAD_MESSAGES
    missing = "Navn;Enhet\nOla;ost\n"
    assert services.import_users_csv(missing).errors == [
        "linje 1: mangler kolonnen E-post (email)"]
    assert enrolment.parse_csv(missing)[1] == ["linje 1: mangler kolonnen E-post (email)"]
    assert read_people("E-post;Farge\na@example.com;blå\n", required=("email",),
                       allowed=("email", "name", "unit"))[1] == [
        "linje 1: ukjent kolonne «Farge». Bruk E-post (email), Navn (name) og Enhet (unit)."]


def test_run_page_upload_with_norwegian_headers_enrols(app, client, make_user):
    from modules.catalog.services import get_course_by_slug, sync_courses
    from modules.course_runs import services as runs

    assert not sync_courses().failed
    trainer = make_user("trainer")
    run = runs.create_run(trainer, title="Kurs", course=get_course_by_slug("proveko"),
                          unit=services.find_unit("ost"), place="Her", capacity=5)
    db.session.commit()
    login(client, trainer)
    text = "E-post;Navn;Enhet\nny1@example.com;Ny Én;Øst politidistrikt\n" \
           "ny2@example.com;Ny To;Sør-Øst politidistrikt\n"
    response = client.post(f"/kursgjennomforinger/{run.id}/deltakere/csv",
                           data={"file": (io.BytesIO(text.encode("cp1252")), "d.csv")})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert services.get_user_by_email("ny2@example.com").unit.code == "sor-ost"


def test_both_importers_accept_every_unit_name_in_any_case(app):
    units = services.list_units()
    lines = ["E-post;Navn;Enhet"] + [
        f"u{i}@example.com;Person {i};{unit.name.upper() if i % 2 else unit.name.lower()}"
        for i, unit in enumerate(units)]
    text = "\n".join(lines) + "\n"
    rows, errors = enrolment.parse_csv(text)
    assert errors == [] and [r.unit for r in rows] == units
    result = services.import_users_csv(text)
    assert result.errors == [] and [u.unit for u in result.created] == units


def test_nynorsk_headers_are_read_like_bokmal_ones(app):
    rows, errors = read_people("E-post;Namn;Eining\nkari@example.com;Kari Aas;Sør-Øst "
                               "politidistrikt\n", required=("email",),
                               allowed=("email", "name", "unit"))
    assert errors == []
    assert [(r.email, r.name, r.unit.code) for r in rows] == [
        ("kari@example.com", "Kari Aas", "sor-ost")]
