"""The forms of the notification settings page. They only shape the input:
every rule (which addresses, which numbers, both quiet times or neither) is the
service's, so the page and the API refuse the same things in the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearth.notifications.choices import Channel


def typed_channels() -> list[tuple[str, Any]]:
    """The channels a person types an address for (web push is added by the
    phone itself); SMS only where the service has a gateway."""
    choices: list[tuple[str, Any]] = [(Channel.EMAIL.value, Channel.EMAIL.label)]
    if settings.HEARTH_NOTIFY_SMS_URL:
        choices.append((Channel.SMS.value, Channel.SMS.label))
    return choices


class ChannelField(forms.ChoiceField):
    """Offers the channels the service can send on, but lets any channel
    through to the service, which says why one is not available here."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in Channel.values


class ContactPointForm(forms.Form):
    channel = ChannelField(
        label=pgettext_lazy("way to reach a person", "How"), choices=(), widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("A mobile number with its country code, such as +44 7700 900123."),
    )
    label = forms.CharField(
        label=_("Name (optional)"),
        max_length=80,
        required=False,
        help_text=_("For example “work phone”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = typed_channels()
        channel.initial = Channel.EMAIL.value
        if not settings.HEARTH_NOTIFY_SMS_URL:
            self.fields["address"].label = _("E-mail address")
            self.fields["address"].help_text = ""


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )


class PreferencesForm(forms.Form):
    quiet_hours_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    visit_changes = forms.BooleanField(
        label=_("Tell me when a visit moves or is cancelled"), required=False
    )
    visit_reminders = forms.BooleanField(
        label=_("Remind me the day before a visit"), required=False
    )
    help_request_seen = forms.BooleanField(
        label=_("Tell me when our call for help has been seen"), required=False
    )
    language = forms.ChoiceField(
        label=_("Write messages to me in"), choices=settings.LANGUAGES, required=False
    )

    def __init__(self, *args: Any, family: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not family:
            for name in ("visit_changes", "visit_reminders", "help_request_seen"):
                del self.fields[name]
