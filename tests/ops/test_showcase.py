"""`flask demo showcase` (run by `make run`) fills a new demo database once."""

from pathlib import Path

import pytest

from modules.accounts import services as accounts
from modules.accounts.models import User
from modules.catalog.services import sync_courses
from modules.core.extensions import db
from modules.reports.models import ItemResponse

COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "COURSE_PATHS": [str(COURSES)]}


def test_showcase_adds_data_once_and_fills_the_item_analysis(app, monkeypatch):
    from modules.ops import cli

    monkeypatch.setattr(cli, "SHOWCASE_USERS", 30)
    sync_courses()
    accounts.create_demo_accounts()
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "showcase"])
    assert result.exit_code == 0, result.output
    assert "30 synthetic users" in result.output
    users = db.session.scalar(db.select(db.func.count(User.id)))
    assert users > 35  # the demo accounts, the synthetic users, the item-analysis takers
    assert db.session.scalar(db.select(db.func.count(ItemResponse.id))) > 0
    again = runner.invoke(args=["demo", "showcase"])
    assert "nothing to add" in again.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == users


def test_showcase_does_nothing_without_the_demo_accounts(app):
    result = app.test_cli_runner().invoke(args=["demo", "showcase"])
    assert "nothing to add" in result.output
