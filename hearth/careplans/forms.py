"""Forms for assessments, care plans, team meetings and advance care plans.

Services validate through these as well, so pages and the API agree.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User, UserKind
from hearth.careplans.choices import Domain, NeedSeverity
from hearth.careplans.models import (
    AdvanceCarePlan,
    CarePlan,
    PlanGoal,
    PlanIntervention,
    PlanNeed,
    TeamMeeting,
)
from hearth.core.forms_rendering import Radios

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def staff_choices() -> Any:
    return User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by(
        "last_name", "first_name"
    )


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessedNeedForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    description = forms.CharField(label=_("Need"), max_length=500)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=NeedSeverity.choices, coerce=int)


class CarePlanForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = ["summary", "review_date"]
        widgets = {"review_date": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 3})}


class PlanNeedForm(forms.ModelForm):
    class Meta:
        model = PlanNeed
        fields = ["domain", "description", "severity"]


class PlanGoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["in_own_words", "measurable_target", "target_date"]
        widgets = {"target_date": DATE_INPUT}


class PlanInterventionForm(forms.ModelForm):
    class Meta:
        model = PlanIntervention
        fields = [
            "description",
            "kind",
            "discipline",
            "responsible",
            "times",
            "per",
            "duration_minutes",
            "food_contains",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_choices()  # type: ignore[attr-defined]
        self.fields["responsible"].to_field_name = "external_id"  # type: ignore[attr-defined]


class TeamMeetingForm(forms.ModelForm):
    approve_plan = forms.BooleanField(
        label=_("The meeting approved the current draft of the care plan"), required=False
    )

    class Meta:
        model = TeamMeeting
        fields = ["held_on", "attendees", "other_attendees", "discussion", "decisions"]
        widgets = {
            "held_on": DATE_INPUT,
            "attendees": forms.CheckboxSelectMultiple,
            "discussion": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff_choices()  # type: ignore[attr-defined]
        self.fields["attendees"].to_field_name = "external_id"  # type: ignore[attr-defined]


class AdvanceCarePlanForm(forms.ModelForm):
    class Meta:
        model = AdvanceCarePlan
        fields = list(AdvanceCarePlan.CONTENT_FIELDS)
        widgets: dict[str, Any] = {
            "review_date": DATE_INPUT,
            # Unanswered is nothing ticked, not a ticked "---------".
            "preference": Radios,
            "focus_of_care": Radios,
            "cpr": Radios,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "relevant_information",
                    "what_matters",
                    "other_recommendations",
                    "cpr_reason",
                    "others_involved",
                    "emergency_contacts",
                )
            },
        }


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have discussed these recommendations and sign them as the responsible physician"
        ),
    )
