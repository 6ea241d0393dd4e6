"""Issue 18.19: ``flask setup`` creates the LTI signing key when there is none, so
/lti/jwks.json is never empty; the LTI setup page warns while it is."""

import pytest

from modules.core.extensions import db
from tests.conftest import login


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "LTI_KEY_DIR": str(tmp_path / "lti-keys")}


def test_setup_creates_one_key_once_and_the_page_warns_before(app, client, make_user):
    login(client, make_user("admin"))
    assert client.get("/lti/jwks.json").get_json() == {"keys": []}
    page = client.get("/admin/lti/setup").get_data(as_text=True)
    assert "Verktøyet har ingen nøkkel" in page

    runner = app.test_cli_runner()
    result = runner.invoke(args=["setup", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "LTI: created the tool's signing key" in result.output
    db.session.expire_all()
    keys = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS256"
    assert "Verktøyet har ingen nøkkel" not in client.get("/admin/lti/setup").get_data(
        as_text=True)

    again = runner.invoke(args=["setup", "--no-demo"])
    assert again.exit_code == 0 and "signing key" not in again.output
    assert client.get("/lti/jwks.json").get_json()["keys"] == keys
