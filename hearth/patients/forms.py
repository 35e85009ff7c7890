"""HTML forms. They only parse and present; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User, UserKind
from hearth.patients.choices import (
    CareTeamRole,
    CommissionOutcome,
    DiagnosisGroup,
    DischargeReason,
    FormOfCare,
    PlaceOfDeath,
    ReferrerType,
    ScreeningOutcome,
    Sex,
    SpictConditionIndicator,
    SpictGeneralIndicator,
    Urgency,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PatientDetailsForm(forms.Form):
    record_number = forms.CharField(label=_("Record number"), max_length=32)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    address_line = forms.CharField(label=_("Address"), max_length=200)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    phone_primary = forms.CharField(label=_("Phone"), max_length=40)
    phone_secondary = forms.CharField(label=_("Second phone"), max_length=40, required=False)
    preferred_language = forms.CharField(
        label=_("Preferred language"), max_length=8, initial="en", help_text=_("e.g. en, ru, ar")
    )
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    faith = forms.CharField(label=_("Faith or belief"), max_length=100, required=False)


class EditPatientForm(PatientDetailsForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["record_number"]


class ReferralForm(forms.Form):
    referrer_type = forms.ChoiceField(label=_("Referred by"), choices=ReferrerType.choices)
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=150)
    referrer_organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    referrer_phone = forms.CharField(label=_("Referrer's phone"), max_length=40, required=False)
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class NewReferralForm(PatientDetailsForm, ReferralForm):
    icd10_code = forms.CharField(label=_("Main diagnosis: ICD-10 code"), max_length=10)
    diagnosis_text = forms.CharField(label=_("Main diagnosis"), max_length=200)
    diagnosis_group = forms.ChoiceField(label=_("Diagnosis group"), choices=DiagnosisGroup.choices)

    PATIENT_FIELDS = tuple(PatientDetailsForm.base_fields)
    REFERRAL_FIELDS = tuple(ReferralForm.base_fields)


class DiagnosisForm(forms.Form):
    icd10_code = forms.CharField(label=_("ICD-10 code"), max_length=10)
    text = forms.CharField(label=_("Diagnosis"), max_length=200)
    group = forms.ChoiceField(label=_("Diagnosis group"), choices=DiagnosisGroup.choices)
    is_primary = forms.BooleanField(label=_("Primary diagnosis"), required=False)


class CaregiverForm(forms.Form):
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    relationship = forms.CharField(label=_("Relationship to the patient"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    preferred_language = forms.CharField(label=_("Portal language"), max_length=8, required=False)
    is_primary_caregiver = forms.BooleanField(label=_("Primary caregiver"), required=False)
    is_proxy_decision_maker = forms.BooleanField(label=_("Proxy decision-maker"), required=False)
    username = forms.CharField(label=_("Username for the portal"), max_length=150)
    password = forms.CharField(
        label=_("First password"), widget=forms.PasswordInput(render_value=False)
    )


class ScreeningForm(forms.Form):
    general_indicators = forms.MultipleChoiceField(
        label=_("SPICT general indicators present"),
        choices=SpictGeneralIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    condition_indicators = forms.MultipleChoiceField(
        label=_("Condition-specific indicators present"),
        choices=SpictConditionIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    condition_details = forms.CharField(
        label=_("Details of condition-specific indicators"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    conclusion = forms.CharField(
        label=_("Clinician's conclusion"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ScreeningOutcome.choices, widget=forms.RadioSelect
    )


class CommissionMemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} — {obj.get_discipline_display()}"


class CommissionChairChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def commission_members_queryset() -> Any:
    from django.db.models import Q

    return User.objects.filter(kind=UserKind.STAFF, is_active=True).filter(
        Q(discipline="commission_member") | Q(sits_on_medical_commission=True)
    )


class CommissionDecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Date of the commission"), widget=DATE)
    members = CommissionMemberChoice(
        label=_("Members present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="external_id",
    )
    chair = CommissionChairChoice(
        label=_("Chair"), queryset=User.objects.none(), to_field_name="external_id"
    )
    diagnosis_code = forms.CharField(label=_("ICD-10 code"), max_length=10)
    diagnosis_text = forms.CharField(label=_("Diagnosis"), max_length=200)
    indications = forms.CharField(label=_("Indications"), widget=forms.Textarea(attrs={"rows": 3}))
    form_of_care = forms.ChoiceField(label=_("Form of care"), choices=FormOfCare.choices)
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=CommissionOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required if refused or deferred)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    review_date = forms.DateField(label=_("Review date"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = commission_members_queryset()
        self.fields["members"].queryset = queryset  # type: ignore[attr-defined]
        self.fields["chair"].queryset = queryset  # type: ignore[attr-defined]


class DischargeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DischargeReason.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DeathForm(forms.Form):
    died_at = forms.DateTimeField(
        label=_("Date and time of death"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place_of_death = forms.ChoiceField(label=_("Place of death"), choices=PlaceOfDeath.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 3}))


class CareTeamForm(forms.Form):
    staff = CommissionChairChoice(
        label=_("Staff member"),
        queryset=User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("last_name"),
        to_field_name="external_id",
    )
    role = forms.ChoiceField(label=_("Role"), choices=CareTeamRole.choices)


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this record now?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
    )


class EmergencyReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("appropriate", _("Appropriate")), ("concern", _("Raise a concern"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
