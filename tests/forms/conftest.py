import pytest

from forms import choice_sources


@pytest.fixture
def tos_list_unregistered():
    """The form engine as it works without the TOS app's list: the TOS is typed by name."""
    before = dict(choice_sources._sources)
    choice_sources._sources.pop("tos", None)
    yield
    choice_sources._sources.clear()
    choice_sources._sources.update(before)
