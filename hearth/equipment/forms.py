"""Forms for the equipment pages. They shape the page; the services decide
(the same refusals as the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.equipment import checklists
from hearth.equipment.choices import SETTABLE_ITEM_STATUSES, EquipmentKind, ItemStatus
from hearth.equipment.models import EquipmentItem

DATE = forms.DateInput(attrs={"type": "date"})
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"})


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EquipmentKind.choices)
    serial_number = forms.CharField(label=_("Serial number"), max_length=60)
    model_name = forms.CharField(label=_("Make and model"), max_length=120, required=False)
    maintenance_due_on = forms.DateField(label=_("Next service due"), widget=DATE)
    last_maintained_on = forms.DateField(label=_("Last serviced"), widget=DATE, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MaintenanceForm(forms.Form):
    done_on = forms.DateField(label=_("Serviced on"), widget=DATE)
    next_due_on = forms.DateField(label=_("Next service due"), widget=DATE)
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(status.value, status.label) for status in SETTABLE_ITEM_STATUSES],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when retiring an item."),
    )


class ItemFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EquipmentKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ItemStatus.choices], required=False
    )
    maintenance = forms.ChoiceField(
        label=_("Service"),
        choices=[
            ("", _("Any")),
            ("due", _("Due soon or overdue")),
            ("overdue", _("Overdue")),
        ],
        required=False,
    )


class LendForm(forms.Form):
    item = forms.ChoiceField(label=_("Item from the store"))
    delivered_at = forms.DateTimeField(
        label=_("Delivered at"),
        widget=MOMENT,
        required=False,
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args: Any, items: list[EquipmentItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(item.external_id), self._label(item)) for item in items
        ]

    @staticmethod
    def _label(item: EquipmentItem) -> str:
        text = f"{item.get_kind_display()} · {item.serial_number}"
        if item.model_name:
            text += f" ({item.model_name})"
        if item.maintenance_due_on:
            text += " · " + str(_("service due")) + f" {item.maintenance_due_on:%d.%m.%Y}"
        return text


class SafetyCheckForm(forms.Form):
    """One question per checklist item of the kind: safe / not safe (and "not
    applicable" where the item allows it)."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = checklists.checklist_for(kind)
        for item in self.items:
            self.fields[item.code] = forms.ChoiceField(
                label=item.question,
                choices=item.answer_choices(),
                widget=forms.RadioSelect,
                help_text=item.advice,
            )
        self.fields["note"] = forms.CharField(
            label=_("Note"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            help_text=_("Required when anything is not safe: what was wrong, what was advised."),
        )

    def answers(self) -> dict[str, str]:
        return {item.code: self.cleaned_data[item.code] for item in self.items}


class FaultForm(forms.Form):
    description = forms.CharField(
        label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class ResolveFaultForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReturnForm(forms.Form):
    condition_note = forms.CharField(
        label=_("Condition on return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
