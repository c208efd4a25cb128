"""A form definition read from StreamField data: its steps and fields, by block id.

Built from raw stream data, so the definition of any stored version reads the same way as the
live form: a submission is always shown with the questions it was answered against.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from forms.blocks import FormFieldsBlock

FORM_BLOCK = FormFieldsBlock()


@dataclass
class FormItem:
    id: str
    block_type: str
    block: object
    value: object
    step: int

    @property
    def is_field(self):
        return getattr(self.block, "is_field", False)

    @property
    def label(self):
        return self.value.get("label", "") if self.is_field else ""

    @property
    def code(self):
        return self.value.get("code") or "" if self.is_field else ""

    @property
    def required(self):
        return self.is_field and (self.block_type == "consent" or bool(self.value.get("required")))

    @property
    def condition(self):
        condition = self.value.get("condition") if self.is_field else None
        return condition if condition and condition.get("field_code") else None

    @property
    def kind(self):
        return self.block.answer_kind

    def form_field(self):
        return self.block.form_field(self.value)

    def display(self, stored):
        return self.block.display(self.value, stored)

    def export_value(self, stored):
        return self.block.export_value(self.value, stored)

    def is_empty(self, cleaned):
        return self.block.is_empty(cleaned)

    def render_block(self):
        return self.block.render(self.value)


@dataclass
class Step:
    index: int
    title: str
    description: str
    items: list = field(default_factory=list)

    @property
    def number(self):
        return self.index + 1

    @property
    def fields(self):
        return [item for item in self.items if item.is_field]


class FormDefinition:
    """``stream_block`` reads stream data of a form that adds its own blocks to the engine's (a scoring sheet)."""

    def __init__(self, raw_data, stream_block=FORM_BLOCK):
        self.raw_data = list(raw_data or [])
        steps = [Step(index=0, title="", description="")]
        for child in stream_block.to_python(self.raw_data):
            if child.block_type == "step":
                if steps[-1].items or (len(steps) > 1 or steps[-1].title):
                    steps.append(Step(index=len(steps), title="", description=""))
                steps[-1].title = child.value.get("title", "")
                steps[-1].description = child.value.get("description", "")
                continue
            steps[-1].items.append(
                FormItem(
                    id=child.id, block_type=child.block_type, block=child.block, value=child.value, step=steps[-1].index
                )
            )
        kept = [step for step in steps if step.items] or steps[:1]
        for index, step in enumerate(kept):
            step.index = index
            for item in step.items:
                item.step = index
        self.steps = kept

    @cached_property
    def fields(self):
        return [item for step in self.steps for item in step.fields]

    @cached_property
    def by_id(self):
        return {item.id: item for item in self.fields}

    @cached_property
    def by_code(self):
        return {item.code: item for item in self.fields if item.code}

    def step_title(self, step):
        return step.title or _("Шаг %(number)d") % {"number": step.number}
