"""HTML forms. They only parse and present; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User, UserKind
from hearth.core.choices import languages_by_name
from hearth.core.forms_rendering import GroupedForm
from hearth.patients import geocoding
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


#: The address fields a search for the place on the map is made from.
ADDRESS_FIELDS = ("address_line", "city", "postal_code")


def address_query(values: Any) -> str:
    """The text an address search is made with (and a chosen place belongs to)."""
    return ", ".join(
        " ".join(str(values.get(name) or "").split())
        for name in ADDRESS_FIELDS
        if str(values.get(name) or "").strip()
    )


class PatientDetailsForm(GroupedForm, forms.Form):
    """The person's details. The record number is the service's (it is not
    asked); the place on the map comes from an address search the person
    confirms, and typed coordinates only when there is no search or it does
    not find the place."""

    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    # No default: a pre-chosen sex is a guess recorded as a fact.
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's sex.")},
    )
    address_line = forms.CharField(label=_("Address"), max_length=200)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    place = forms.CharField(
        label=_("Which of these is the address?"),
        required=False,
        widget=forms.RadioSelect,
    )
    place_for = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text=_("From -90 to 90, e.g. 51.507351"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text=_("From -180 to 180, e.g. -0.127758"),
    )
    phone_primary = forms.CharField(label=_("Phone"), max_length=40)
    phone_secondary = forms.CharField(label=_("Second phone"), max_length=40, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: [("", _("Choose a language")), *languages_by_name()],
        error_messages={"required": _("Choose the language the person prefers.")},
    )
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    faith = forms.CharField(label=_("Faith or belief"), max_length=100, required=False)

    #: Not the patient's own fields: how the coordinates were chosen.
    PLACE_FIELDS = ("place", "place_for")

    fieldsets: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
        (
            "person",
            _("The person"),
            ("given_name", "family_name", "preferred_name", "date_of_birth", "sex"),
        ),
        (
            "contact",
            _("Contact and language"),
            (
                "phone_primary",
                "phone_secondary",
                "preferred_language",
                "interpreter_needed",
                "faith",
            ),
        ),
        ("address", _("Address"), (*ADDRESS_FIELDS, "place", "latitude", "longitude")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places: list[Any] = []
        self.search_message = ""
        chosen = self.data.get("place") if self.is_bound else None
        if chosen and geocoding.parse_value(chosen):
            latitude, longitude = geocoding.parse_value(chosen) or ("", "")
            self.fields["place"].widget.choices = [  # type: ignore[attr-defined]
                (
                    chosen,
                    _("The place chosen on the map (%(latitude)s, %(longitude)s)")
                    % {"latitude": latitude, "longitude": longitude},
                )
            ]

    @property
    def geocoder_configured(self) -> bool:
        return geocoding.is_configured()

    @property
    def offers_places(self) -> bool:
        return bool(self.fields["place"].widget.choices)  # type: ignore[attr-defined]

    @property
    def coordinates_typed(self) -> bool:
        """Whether the "by hand" section should open: no search to use, or
        coordinates already in it (typed, or on the record), or errors."""
        if not self.geocoder_configured:
            return True
        values = (self["latitude"].value(), self["longitude"].value())
        if any(value not in (None, "") for value in values):
            return True
        return self.is_bound and bool(self["latitude"].errors or self["longitude"].errors)

    def offer_places(self) -> None:
        """The "find the address" step: ask the search, offer what it found
        (none pre-chosen: the person confirms the place)."""
        query = address_query(self.initial)
        self.initial["place_for"] = query
        self.initial.pop("place", None)
        if not query:
            self.search_message = str(_("Type the address first, then find it on the map."))
            return
        try:
            self.places = geocoding.search(query)
        except geocoding.GeocoderUnavailable:
            self.search_message = str(
                _(
                    "The address search is not answering. "
                    "Enter the coordinates by hand, or try again later."
                )
            )
            return
        if not self.places:
            self.search_message = str(
                _(
                    "No place was found for this address. "
                    "Check it, or enter the coordinates by hand."
                )
            )
            return
        self.fields["place"].widget.choices = [  # type: ignore[attr-defined]
            (place.value, place.label) for place in self.places
        ]
        self.search_message = str(_("Choose the address from the matches below, then save."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("place") or ""
        if chosen:
            where = geocoding.parse_value(chosen)
            if where is None:
                self.add_error(
                    "place", _("Choose one of the places found, or find the address again.")
                )
            elif cleaned.get("place_for", "") != address_query(cleaned):
                # The place was found for another address: its coordinates
                # would send a visit to the wrong door.
                self.add_error(
                    "place",
                    _(
                        "The address was changed after the place was chosen. "
                        "Find it on the map again."
                    ),
                )
            else:
                cleaned["latitude"], cleaned["longitude"] = where
        elif (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            missing = "longitude" if cleaned.get("longitude") is None else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        for name in self.PLACE_FIELDS:
            cleaned.pop(name, None)
        return cleaned


class EditPatientForm(PatientDetailsForm):
    """The same details for a known person. Coordinates left from the old
    address are refused when the address changes."""

    def clean(self) -> dict[str, Any]:
        chosen = bool(self.data.get("place")) if self.is_bound else False
        cleaned = super().clean()
        moved = any(
            str(cleaned.get(name) or "").strip() != str(self.initial.get(name) or "").strip()
            for name in ADDRESS_FIELDS
            if name in cleaned
        )
        same_place = (
            self.initial.get("latitude") is not None
            and cleaned.get("latitude") == self.initial.get("latitude")
            and cleaned.get("longitude") == self.initial.get("longitude")
        )
        if moved and same_place and not chosen:
            self.add_error(
                "latitude",
                _(
                    "The address changed but the coordinates are the old address's. "
                    "Find the new address on the map, or correct or clear the coordinates."
                ),
            )
        return cleaned


def chosen(prompt: Any, choices: Any) -> list[tuple[str, Any]]:
    """A list that starts on a prompt, not on its first answer: urgency or a
    diagnosis group left as it came is a guess recorded as a fact."""
    return [("", prompt), *choices]


class ReferralForm(GroupedForm, forms.Form):
    referrer_type = forms.ChoiceField(
        label=_("Referred by"), choices=chosen(_("Choose who referred"), ReferrerType.choices)
    )
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=150)
    referrer_organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    referrer_phone = forms.CharField(label=_("Referrer's phone"), max_length=40, required=False)
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=chosen(_("Choose how urgent"), Urgency.choices),
        error_messages={"required": _("Choose how urgent the referral is.")},
    )

    fieldsets: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
        ("reason", _("Reason for referral"), ("reason", "urgency")),
        (
            "referrer",
            _("Who referred"),
            ("referrer_type", "referrer_name", "referrer_organisation", "referrer_phone"),
        ),
    )


class NewReferralForm(PatientDetailsForm, ReferralForm):
    icd10_code = forms.CharField(label=_("Main diagnosis: ICD-10 code"), max_length=10)
    diagnosis_text = forms.CharField(label=_("Main diagnosis"), max_length=200)
    diagnosis_group = forms.ChoiceField(
        label=_("Diagnosis group"),
        choices=chosen(_("Choose a diagnosis group"), DiagnosisGroup.choices),
    )

    PATIENT_FIELDS = tuple(
        name
        for name in PatientDetailsForm.base_fields
        if name not in PatientDetailsForm.PLACE_FIELDS
    )
    REFERRAL_FIELDS = tuple(ReferralForm.base_fields)

    fieldsets = (
        PatientDetailsForm.fieldsets[0],
        PatientDetailsForm.fieldsets[1],
        PatientDetailsForm.fieldsets[2],
        (
            "reason",
            _("Diagnosis and reason for referral"),
            ("icd10_code", "diagnosis_text", "diagnosis_group", "reason", "urgency"),
        ),
        ReferralForm.fieldsets[1],
    )


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
    preferred_language = forms.ChoiceField(
        label=_("Portal language"),
        choices=lambda: [("", _("The patient's language")), *settings.LANGUAGES],
        required=False,
    )
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
