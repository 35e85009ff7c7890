"""Every form in Hearth: required fields carry the same visible marker, radio
groups carry no ticked "---------" placeholder, and every page template that
lays out fields itself explains the marker."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.template.loader import get_template

from hearth.core.forms_rendering import Radios
from hearth.core.templatetags.hearth_forms import required_legend

HEARTH = Path(__file__).resolve().parents[2]


def hearth_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("hearth."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and value.base_fields
            ):
                found[f"{module.__name__}.{name}"] = value
    return [found[key] for key in sorted(found)]


def built(form_class: type[forms.BaseForm]) -> forms.BaseForm | None:
    try:
        return form_class()
    except (TypeError, KeyError):
        return None  # needs arguments only its page has (a patient, a plan…)


class Marked(forms.Form):
    needed = forms.CharField(label="Needed")
    optional = forms.CharField(label="Optional", required=False)
    why = forms.CharField(label="Why now?")


def test_a_required_label_carries_the_marker_and_an_optional_one_does_not() -> None:
    form = Marked()
    assert form["needed"].label_tag() == (
        '<label class="required" for="id_needed">Needed'
        '<span class="required-mark" aria-hidden="true">*</span>:</label>'
    )
    assert form["optional"].label_tag() == '<label for="id_optional">Optional:</label>'
    # Django's rule kept: no colon after a label that ends in punctuation.
    assert (
        form["why"]
        .label_tag()
        .endswith('Why now?<span class="required-mark" aria-hidden="true">*</span></label>')
    )
    # Screen readers hear "required" from the input itself.
    assert "required" in str(form["needed"])
    assert 'class="required"' in form.as_div()


def test_the_legend_explains_the_marker_only_when_there_is_one() -> None:
    assert "must be filled in" in required_legend(Marked())
    assert required_legend(forms.Form()) == ""


@pytest.mark.django_db
def test_every_form_marks_each_required_field() -> None:
    checked = 0
    for form_class in hearth_forms():
        form = built(form_class)
        if form is None:
            continue
        for field in form:
            if field.is_hidden or not field.label:
                continue
            tag = field.legend_tag() if field.use_fieldset else field.label_tag()
            assert ("required-mark" in tag) == field.field.required, (form_class, field.name, tag)
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_no_radio_group_offers_a_blank_placeholder() -> None:
    offenders = []
    for form_class in hearth_forms():
        form = built(form_class)
        if form is None:
            continue
        for field in form:
            if isinstance(field.field.widget, forms.RadioSelect):
                html = str(field)
                if 'value=""' in html or "---------" in html:
                    offenders.append(f"{form_class.__module__}.{form_class.__name__}.{field.name}")
    assert offenders == []


def test_the_advance_care_plan_questions_have_no_ticked_placeholder() -> None:
    from hearth.careplans.forms import AdvanceCarePlanForm

    form = AdvanceCarePlanForm()
    for name in ("preference", "focus_of_care", "cpr"):
        assert isinstance(form.fields[name].widget, Radios)
        html = str(form[name])
        assert "---------" not in html and 'value=""' not in html
        assert "checked" not in html


def test_every_template_that_lays_out_fields_explains_the_marker() -> None:
    missing = []
    for path in HEARTH.rglob("templates/**/*.html"):
        text = path.read_text()
        if "django/forms" in str(path) or "/account/" in str(path) or path.name == "_field.html":
            continue
        if re.search(r"label_tag|as_div|legend_tag", text) and "required_legend" not in text:
            missing.append(str(path.relative_to(HEARTH)))
    # The filter bars (search, not data entry) have no required field.
    allowed = {
        "directory/templates/directory/_search_form.html",
        "equipment/templates/equipment/inventory.html",
        "medications/templates/medications/medicines.html",
        "patients/templates/patients/_address_fields.html",
        "equipment/templates/equipment/form_page.html",
    }
    assert sorted(set(missing) - allowed) == []
    get_template("patients/form_page.html")
