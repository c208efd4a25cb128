"""Sections that other apps add to the personal cabinet, so that accounts imports none of them."""

from dataclasses import dataclass

_sections = []


@dataclass(frozen=True)
class CabinetSection:
    order: int
    template_name: str
    get_context: object  # callable(request) -> dict, or None to hide the section


def register_section(template_name, get_context, order=100):
    if not any(section.template_name == template_name for section in _sections):
        _sections.append(CabinetSection(order=order, template_name=template_name, get_context=get_context))


def sections_for(request):
    shown = []
    for section in sorted(_sections, key=lambda section: section.order):
        context = section.get_context(request)
        if context is not None:
            shown.append({"template_name": section.template_name, "context": context})
    return shown
