import pytest

from tests.points.conftest import Records


@pytest.fixture
def records(db):
    return Records()


@pytest.fixture(autouse=True)
def reports_root(settings, tmp_path):
    """Generated reports go to a temporary folder, not var/reports."""
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT
