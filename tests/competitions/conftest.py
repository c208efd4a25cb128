import pytest

from tests.competitions.factories import CompetitionIndexPageFactory, publish_competition


@pytest.fixture
def competitions_index(site_tree):
    return CompetitionIndexPageFactory(parent=site_tree["home"])


@pytest.fixture
def competition(competitions_index):
    return publish_competition(competitions_index)
