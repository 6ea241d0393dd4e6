"""Issue 18.12: join and verification codes people read aloud: no look-alikes,
case-insensitive, grouped; codes made before keep working."""

import re

from modules.accounts.services import find_unit
from modules.certification.models import Certificate
from modules.core import codes
from modules.core.extensions import db
from modules.course_runs import services as runs
from tests.conftest import login

from .conftest import complete

GROUPED = re.compile(r"^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4})+$")


def test_new_codes_use_the_safe_alphabet_and_groups():
    made = [codes.new_code(2) for _ in range(200)]
    assert all(GROUPED.match(code) and len(code) == 9 for code in made)
    assert not set("".join(made)) & set("01ILOU")
    assert len(set(made)) == 200


def test_canonical_forgives_case_spaces_and_hyphens():
    assert codes.canonical("k7qm 4txp") == "K7QM-4TXP"
    assert codes.canonical(" K7QM–4TXP ") == "K7QM-4TXP"
    assert codes.canonical("k7qm4txp") == "K7QM-4TXP"
    assert codes.canonical("K7QO-4TXP") is None  # O is not in the alphabet
    assert codes.canonical("K7Q") is None
    assert codes.candidates("y2tYTSWedM") == ["y2tYTSWedM"]


def test_join_code_is_grouped_and_case_insensitive(app, client, make_user, courses):
    trainer = make_user("trainer")
    run = runs.create_run(trainer, title="Kurs", course=courses["proveko"],
                          unit=find_unit("ost"), place="Her", capacity=5)
    db.session.commit()
    assert GROUPED.match(run.join_code) and len(run.join_code) == 9
    typed = run.join_code.lower().replace("-", " ")
    assert runs.get_run_by_code(typed) == run
    login(client, make_user())
    response = client.post("/bli-med", data={"code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/bli-med/{run.join_code}")
    assert client.get(f"/bli-med/{run.join_code.lower()}").status_code == 200


def test_old_mixed_case_join_codes_still_work_exactly(app, make_user, courses):
    trainer = make_user("trainer")
    old = runs.create_run(trainer, title="Gammel", course=courses["proveko"],
                          unit=find_unit("ost"), place="Her", capacity=5)
    other = runs.create_run(trainer, title="Annen", course=courses["proveko"],
                            unit=find_unit("ost"), place="Her", capacity=5)
    old.join_code, other.join_code = "y2tYTSWedM", "y2tysTWedM"
    db.session.commit()
    assert runs.get_run_by_code("y2tYTSWedM") == old
    assert runs.get_run_by_code("y2tysTWedM") == other
    assert runs.get_run_by_code("Y2TYTSWEDM") is None


def test_verification_code_typed_in_lower_case_and_old_codes(app, client, make_user, courses):
    user = make_user(name="Siri Ødegård")
    complete(user, courses["proveko"])
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))
    assert GROUPED.match(certificate.code) and len(certificate.code) == 19
    response = client.get("/verify", query_string={"code": certificate.code.lower()})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Siri Ødegård" in page
    assert client.get(f"/verify/{certificate.code.replace('-', '').lower()}").status_code == 200
    certificate.code = "Ab_3-xYz9Kq2LmN0pQrStU"  # a code of the old scheme
    db.session.commit()
    assert client.get("/verify/Ab_3-xYz9Kq2LmN0pQrStU").status_code == 200
    assert client.get("/verify/ab_3-xyz9kq2lmn0pqrstu").status_code == 404
