import pytest

from tests.competitions.factories import CompetitionIndexPageFactory, publish_competition
from tests.factories import UserFactory


@pytest.fixture
def competitions_index(site_tree):
    return CompetitionIndexPageFactory(parent=site_tree["home"])


@pytest.fixture
def competition(competitions_index):
    return publish_competition(competitions_index)


@pytest.fixture
def secretary(db):
    return UserFactory(roles=["Секретарь конкурса"], email="secretary@example.org", first_name="Ирина")
