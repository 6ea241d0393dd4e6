import pytest

from app import create_app
from modules.core.extensions import db


@pytest.fixture
def make_app(app_config, tmp_path):
    """An app with extra config; the default ``app`` fixture stays active for users."""
    apps = []

    def factory(**config):
        new = create_app({**app_config, "OUTBOX_DIR": str(tmp_path / "outbox"), **config})
        apps.append(new)
        return new

    yield factory
    for each in apps:
        with each.app_context():
            db.session.remove()
            db.engine.dispose()
