"""Factories of the TOS app: a directory under the home page, profiles, memberships."""

import factory
import wagtail_factories

from tests.factories import UserFactory
from tos.models import MembershipRole, TOSIndexPage, TOSMembership, TOSProfilePage
from website.models import Municipality


class TOSIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TOSIndexPage

    title = "ТОС Калужской области"
    slug = "tos"


class TOSProfilePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TOSProfilePage

    title = factory.Sequence(lambda n: f"ТОС «Двор {n}»")
    slug = factory.Sequence(lambda n: f"tos-dvor-{n}")
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(short_name="Калуга"))
    boundaries_text = "ул. Примерная, д. 1–15"
    chair_name = "Иванова Анна Петровна"
    residents_count = 1200


def publish_profile(index, **fields):
    """A published profile under ``index`` (its revision is the published one)."""
    page = TOSProfilePageFactory.build(**fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def leader_of(page, **user_fields):
    """A user with the «Лидер ТОС» role who chairs ``page``."""
    user = UserFactory(roles=["Лидер ТОС"], **user_fields)
    TOSMembership.objects.create(tos=page, user=user, role=MembershipRole.CHAIR)
    return user


def approve(page, moderator):
    """The moderator's «Одобрить» on the page's current workflow task (the workflow then publishes the revision)."""
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")


def reject(page, moderator, comment):
    """The moderator's «Запрос изменений» with a comment."""
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment=comment)
