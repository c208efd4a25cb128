"""Building form pages for tests: raw blocks with fixed ids, published like a methodologist would."""

import uuid

from forms.models import FormPage, SurveyPage


def block(block_type, label=None, *, id=None, **value):
    """One block of a form in StreamField's raw shape; field blocks get a label and required=True by default."""
    if label is not None:
        value = {"label": label, "required": True, **value}
    return {"type": block_type, "value": value, "id": id or str(uuid.uuid4())}


def step(title, description=""):
    return block("step", title=title, description=description)


def condition(code, operator="equals", value=""):
    return {"field_code": code, "operator": operator, "value": value}


def publish_form(parent, fields, *, page_class=FormPage, title="Заявка на конкурс", slug=None, **options):
    page = page_class(title=title, slug=slug or f"forma-{uuid.uuid4().hex[:8]}", fields=fields, **options)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish_survey(parent, fields, **options):
    options.setdefault("title", "Опрос жителей")
    return publish_form(parent, fields, page_class=SurveyPage, **options)


def republish(page, fields):
    """The methodologist edits the fields and publishes again."""
    page.fields = fields
    page.save_revision().publish()
    page.refresh_from_db()
    return page
