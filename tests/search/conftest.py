import pytest

from tests.factories import ContentPageFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the search index updates that the signals schedule for after the commit (tests never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(site_tree, committed):
    """Create and publish a content page under the Russian home page, indexed as it would be after the commit."""

    def make(title, body_text="", parent=None, **fields):
        with committed():
            page = ContentPageFactory(
                parent=parent or site_tree["home"],
                title=title,
                live=False,
                body=[("paragraph", f"<p>{body_text}</p>")] if body_text else [],
                **fields,
            )
            page.save_revision().publish()
        page.refresh_from_db()  # publishing saved the revision's copy; this instance still says live=False
        return page

    return make
