"""Forms for the profile. The services validate through these too, so the page
and the API refuse the same input with the same words."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.choices import languages_by_name
from hearth.personhood.choices import Section
from hearth.personhood.models import (
    SECTION_MODELS,
    LegacyItem,
    ProfileProposal,
    ProfileSection,
    WeeklyWindow,
)

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


@cache
def section_form(section: str) -> type[forms.ModelForm]:
    model = SECTION_MODELS[section]
    widgets: dict[str, Any] = {}
    for field in model.content_fields():
        if field.get_internal_type() == "TextField":
            widgets[field.name] = forms.Textarea(attrs={"rows": 3})
        if field.get_internal_type() == "TimeField":
            widgets[field.name] = TIME_INPUT
    base = forms.modelform_factory(
        model, fields=[f.name for f in model.content_fields()], widgets=widgets
    )
    return type(base.__name__, (_LanguagesByName, base), {})


class _LanguagesByName(forms.ModelForm):
    """Language pickers list names in the reader's language, in the reader's
    alphabetical order ("Arabic", not "ar", and never the English name on a
    Russian page); the stored value stays the code."""

    LANGUAGE_FIELDS = ("preferred_language", "other_languages")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.LANGUAGE_FIELDS:
            field = self.fields.get(name)
            if isinstance(field, forms.ChoiceField):
                current: Any = field.choices
                blank = [choice for choice in current if choice[0] == ""]
                field.choices = blank + languages_by_name()


def section_initial(row: ProfileSection) -> dict[str, Any]:
    return row.content()


class WeeklyWindowForm(forms.ModelForm):
    class Meta:
        model = WeeklyWindow
        fields = ["kind", "label", "weekdays", "starts_at", "ends_at"]
        widgets = {"starts_at": TIME_INPUT, "ends_at": TIME_INPUT}


class LegacyItemForm(forms.ModelForm):
    class Meta:
        model = LegacyItem
        fields = ["kind", "title", "status", "support_needed"]
        widgets = {"support_needed": forms.Textarea(attrs={"rows": 2})}


class ProposalForm(forms.ModelForm):
    class Meta:
        model = ProfileProposal
        fields = ["section", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        labels = {"section": _("Which part"), "text": _("What you would like the team to know")}


class ProposalDecisionForm(forms.Form):
    response = forms.CharField(
        label=_("Reply to the family"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def section_title(section: str) -> str:
    return str(Section(section).label)
