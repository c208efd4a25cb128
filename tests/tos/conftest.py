import pytest

from tests.tos.factories import TOSIndexPageFactory


@pytest.fixture
def tos_index(site_tree):
    index = TOSIndexPageFactory(parent=site_tree["home"])
    index.save_revision().publish()
    return index
