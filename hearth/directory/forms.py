"""Forms for the directory pages. They shape input only: every rule (a topic
under its category, a way to get in touch, areas in use) is the service's, so
a page and the API refuse the same input in the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.choices import languages_by_name
from hearth.directory import queries
from hearth.directory.choices import Category, Faith, NextStepStatus, topics_by_category
from hearth.directory.models import DirectoryEntry


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _search_languages() -> list[tuple[str, Any]]:
    return _any(_("Any language")) + languages_by_name()


class SearchForm(forms.Form):
    """The search box and filters. Unknown values are dropped, not refused:
    a shared link with an old area code still shows results."""

    text = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Area"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_search_languages,
    )
    category = forms.ChoiceField(
        label=_("Looking for"),
        required=False,
        choices=_any(_("Anything")) + list(Category.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _any(_("Any area")) + queries.region_choices()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            cleaned = {
                name: value
                for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors
            }
        else:
            cleaned = self.cleaned_data
        return {
            "text": cleaned.get("text", ""),
            "region": cleaned.get("region") or None,
            "language": cleaned.get("language") or None,
            "category": cleaned.get("category") or None,
        }


class EntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=topics_by_category)
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What it is"),
        max_length=2000,
        widget=_textarea(3),
        help_text=_("Who it helps and what they do, in plain words."),
    )
    how_to = forms.CharField(
        label=_("How to use it"),
        max_length=3000,
        required=False,
        widget=_textarea(5),
        help_text=_("Steps to follow, what to bring, how long it takes."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Areas served"), widget=forms.CheckboxSelectMultiple
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=languages_by_name,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    faiths_served = forms.MultipleChoiceField(
        label=_("Faiths served"),
        required=False,
        choices=Faith.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For faith leaders and funeral services."),
    )

    def __init__(self, *args: Any, entry: DirectoryEntry | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = queries.region_choices()
        if entry is not None:
            # An area taken out of use stays on the entries that had it.
            codes = {code for code, _label in choices}
            choices += [
                (region.code, region.name)
                for region in entry.regions.all()
                if region.code not in codes
            ]
            self.fields["reviewed"] = forms.BooleanField(
                label=_("I checked these details and they are current"),
                required=False,
                help_text=_("Phone answered, hours and address right. Resets the review date."),
            )
        self.fields["regions"].choices = choices  # type: ignore[attr-defined]


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it no longer listed?"),
        max_length=300,
        required=False,
        help_text=_("Closed, moved, no longer taking referrals…"),
    )


class ConfirmForm(forms.Form):
    """A button with no fields."""


class RegionForm(forms.Form):
    name = forms.CharField(label=_("Area name"), max_length=100)
    code = forms.SlugField(
        label=_("Short code"),
        max_length=40,
        required=False,
        help_text=_("Used in links and the API; made from the name when left empty."),
    )


class EditRegionForm(forms.Form):
    name = forms.CharField(label=_("Area name"), max_length=100)
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("An area out of use is not offered for new entries or searches."),
    )


class NextStepForm(forms.Form):
    entry = forms.ChoiceField(label=_("Directory entry"))
    note = forms.CharField(
        label=_("Note for the family"),
        max_length=500,
        required=False,
        widget=_textarea(3),
        help_text=_("E.g. “Call them on Monday to ask for the attendance allowance form.”"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [  # type: ignore[attr-defined]
            (str(entry.external_id), f"{entry.name} ({entry.get_topic_display()})")
            for entry in DirectoryEntry.objects.active().order_by("name")
        ]

    def clean_entry(self) -> DirectoryEntry:
        found = DirectoryEntry.objects.filter(external_id=self.cleaned_data["entry"]).first()
        if found is None:
            raise forms.ValidationError(_("Choose an entry from the list."))
        return found


class EditNextStepForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NextStepStatus.choices)
    note = forms.CharField(
        label=_("Note for the family"), max_length=500, required=False, widget=_textarea(3)
    )
