"""The tool's keys: rotated by the CLI, private keys 0600 on disk, the previous
key published for the overlap period."""

import stat
from datetime import timedelta
from pathlib import Path

from modules.core.extensions import db
from modules.lti import keys
from modules.lti.models import LtiKey


def test_rotate_cli_creates_private_key_file_and_publishes_public_key(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lti", "keys", "rotate"])
    assert result.exit_code == 0, result.output
    key = db.session.scalar(db.select(LtiKey))
    path = Path(app.config["LTI_KEY_DIR"]) / f"{key.kid}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "PRIVATE KEY" in path.read_text()
    published = client.get("/lti/jwks.json").get_json()["keys"]
    assert [k["kid"] for k in published] == [key.kid]
    assert set(published[0]) >= {"kty", "n", "e", "kid", "alg", "use"}
    assert "d" not in published[0]  # never the private exponent
    assert "key_ops" not in published[0]


def test_previous_key_stays_published_for_the_overlap(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["lti", "keys", "rotate"])
    runner.invoke(args=["lti", "keys", "rotate"])
    old, new = db.session.scalars(db.select(LtiKey).order_by(LtiKey.id)).all()
    assert old.retired_at is not None and new.retired_at is None
    assert {k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]} == {old.kid,
                                                                                   new.kid}
    assert keys.current_key().kid == new.kid
    old.retired_at -= timedelta(hours=app.config["LTI_KEY_OVERLAP_HOURS"] + 1)
    db.session.commit()
    assert [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]] == [new.kid]
    assert new.kid in runner.invoke(args=["lti", "keys", "list"]).output


def test_signing_without_a_key_explains_the_cli_command(app):
    import pytest

    from modules.lti.errors import LtiError

    with pytest.raises(LtiError, match="lti keys rotate"):
        keys.sign({"a": 1})
