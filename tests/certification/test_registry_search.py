"""Issue 18.13: the certificate registry searches by name (Norwegian letters) or code."""

from modules.certification.models import Certificate
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import login


def test_registry_search_by_name_or_code(client, make_user, courses):
    admin = make_user("admin")
    siri = make_user(name="Siri Ødegård")
    per = make_user(name="Per Åsheim")
    for user in (siri, per):
        complete(user, courses["proveko"])
    code = db.session.scalar(db.select(Certificate.code).where(Certificate.user_id == per.id))
    login(client, admin)

    def names(q):
        page = client.get("/admin/certificates", query_string={"q": q}).get_data(as_text=True)
        return [name for name in ("Siri Ødegård", "Per Åsheim") if name in page]

    assert names("") == ["Siri Ødegård", "Per Åsheim"]
    assert names("ØDEGÅRD") == ["Siri Ødegård"]
    assert names("åsh") == ["Per Åsheim"]
    assert names(code.lower().replace("-", " ")) == ["Per Åsheim"]
    assert names("Nordmann") == []
    csv_body = client.get("/admin/certificates.csv", query_string={"q": "siri"}).data
    assert "Siri Ødegård".encode() in csv_body and "Per Åsheim".encode() not in csv_body
