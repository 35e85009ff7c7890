"""Every demo login has a verified demo e-mail address, so a local mail
catcher shows the pages and the family messages arrive."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.notifications.models import ContactPoint, NotificationPreferences

pytestmark = pytest.mark.usefixtures("seeded_demo")


def test_every_demo_login_can_be_reached_by_demo_email() -> None:
    logins = User.objects.filter(kind__in=[UserKind.STAFF, UserKind.FAMILY])
    assert logins.count() > 15
    for user in logins:
        (point,) = ContactPoint.objects.filter(user=user)
        assert (point.channel, point.address) == ("email", f"{user.username}@demo.hearth.invalid")
        assert point.is_verified


def test_the_demo_families_asked_to_be_told() -> None:
    for user in User.objects.filter(kind=UserKind.FAMILY):
        preferences = user.notification_preferences
        assert preferences.visit_changes and preferences.visit_reminders
        assert preferences.help_request_seen


def test_seeding_again_adds_no_second_address() -> None:
    before = (ContactPoint.objects.count(), NotificationPreferences.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (ContactPoint.objects.count(), NotificationPreferences.objects.count()) == before
