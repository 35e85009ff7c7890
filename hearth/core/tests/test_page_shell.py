"""The page shell every page shares (issue 20), as the server draws it: a short
bar of each person's most used places with everything else grouped behind one
Menu button, a skip link first, one ``<main id="content">``, the account shown
by name, and refusals and messages at the top of the page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory

from hearth.accounts.models import User, UserKind
from hearth.conftest import World

TAGS = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return " ".join(unescape(TAGS.sub(" ", html)).split())


def part(html: str, start: str, end: str) -> str:
    """The markup from ``start`` up to the next ``end``."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def quick_links(html: str) -> list[str]:
    bar = part(html, '<nav class="quick"', "</nav>")
    return [text_of(link) for link in re.findall(r"<a [^>]*>(.*?)</a>", bar, re.S)]


def menu_groups(html: str) -> dict[str, list[str]]:
    """Each group's heading and the names of the places (links, buttons) under it."""
    panel = part(html, '<nav class="menu-panel"', "</nav>")
    groups: dict[str, list[str]] = {}
    for block in panel.split('<div class="menu-group">')[1:]:
        title = re.search(r'class="menu-group-title"[^>]*>(.*?)</p>', block, re.S)
        assert title is not None
        places = re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", block, re.S)
        groups[text_of(title.group(1))] = [text_of(place) for place in places]
    return groups


def page(client_for: Any, user: Any, path: str = "/patients/") -> str:
    response = client_for(user).get(path, follow=True)
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_nurse_has_three_quick_places_and_the_rest_grouped(
    active: World, client_for: Any
) -> None:
    html = page(client_for, active.nurse)
    assert quick_links(html) == ["My patients", "Alerts", "My day"]
    groups = menu_groups(html)
    assert list(groups) == ["Patients", "Planning", "Service", "You"]
    assert "Urgent visits" in groups["Patients"]
    assert "On call" in groups["Planning"] and "Plan the day" not in groups["Planning"]
    assert groups["You"][0] == active.nurse.get_full_name()
    assert "Sign out" in groups["You"] and "Notifications" in groups["You"]
    # The menu is one disclosure button, closed until asked for (it works without JavaScript).
    assert html.count('<details class="menu" data-menu>') == 1
    assert '<details class="menu" data-menu open' not in html


def test_the_coordinator_and_the_administrator_find_their_own_places(
    active: World, client_for: Any
) -> None:
    coordinator = menu_groups(page(client_for, active.coordinator))
    assert {"Plan the day", "Staff and shifts", "Equipment", "Volunteers"} <= set(
        coordinator["Planning"]
    )
    assert "New referral" in coordinator["Patients"]
    administrator = menu_groups(page(client_for, active.administrator))
    assert "Security" in administrator["Service"]
    assert "Security" not in coordinator["Service"]
    lead = menu_groups(page(client_for, active.clinical_lead))
    assert "Emergency access review" in lead["Service"]
    commission = menu_groups(page(client_for, active.commission_member))
    assert "Commission" in commission["Patients"]


def test_a_volunteer_sees_no_record_places(active: World, client_for: Any) -> None:
    html = page(client_for, active.volunteer, "/volunteers/me/")
    assert quick_links(html) == ["My volunteering", "Finding help"]
    groups = menu_groups(html)
    assert list(groups) == ["Service", "You"]
    assert "My patients" not in text_of(html) and "data-alert-count" not in html


def test_the_family_has_their_own_short_bar(active: World, client_for: Any) -> None:
    html = page(client_for, active.family, "/portal/")
    assert quick_links(html) == ["Home", "Check in", "Visits", "Notifications"]
    groups = menu_groups(html)
    assert list(groups) == ["You"]
    assert groups["You"][0] == active.family.get_full_name() and "Sign out" in groups["You"]
    assert "Notifications" not in groups["You"]  # already in the bar
    assert "data-alert-count" not in html


def test_the_account_is_shown_by_name_never_by_username(world: World, client_for: Any) -> None:
    nameless = User.objects.create_user(username="family.nameless", kind=UserKind.FAMILY)
    html = page(client_for, nameless, "/account/")
    assert menu_groups(html)["You"][0] == "My account"
    assert "family.nameless" not in text_of(part(html, "<header", "</header>"))
    assert world.nurse.username not in text_of(
        part(page(client_for, world.nurse), "<header", "</header>")
    )


def test_the_skip_link_comes_first_and_leads_to_the_one_main(
    active: World, client_for: Any
) -> None:
    html = page(client_for, active.nurse)
    body = html[html.index("<body") :]
    first_focusable = re.search(r"<(a|button|input|select|textarea|summary)\b[^>]*>", body)
    assert first_focusable is not None
    assert 'class="skip-link" href="#content"' in first_focusable.group(0)
    assert html.count("<main") == 1
    assert '<main id="content" tabindex="-1">' in html
    labels = re.findall(r'<nav [^>]*aria-label="([^"]+)"', html)
    assert len(labels) == len(set(labels)) == 2  # each menu landmark is named, differently


class DoseForm(forms.Form):
    given_at = forms.CharField(label="Given at")
    note = forms.CharField(label="Note", required=False)


def test_refusals_come_first_in_main_as_an_alert_linking_to_their_field(world: World) -> None:
    request = RequestFactory().post("/")
    request.user = world.nurse
    form = DoseForm({"given_at": "now"})
    assert form.is_valid()
    form.add_error("given_at", "Too soon: the next dose can be given from 14:00.")
    form.add_error(None, "Nothing was recorded.")
    html = render_to_string("form_page.html", {"form": form, "title": "Record"}, request=request)
    main = html[html.index("<main") :]
    refusals = part(main, '<div class="refusals"', "</div>")
    assert main.index('<div class="refusals"') < main.index("<h1>")
    assert 'role="alert"' in refusals and "data-notice" in refusals
    assert "Nothing was recorded." in refusals
    assert (
        '<a href="#id_given_at">Given at: Too soon: the next dose can be given from 14:00.</a>'
        in (refusals)
    )


def test_messages_are_read_as_alerts_or_politely_by_how_urgent(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.nurse
    messages = [
        Message(constants.SUCCESS, "Recorded."),
        Message(constants.ERROR, "Not allowed."),
    ]
    html = render_to_string("base.html", {"messages": messages}, request=request)
    main = html[html.index("<main") :]
    assert (
        '<p class="message success" role="status" tabindex="-1" data-notice>Recorded.</p>' in main
    )
    assert (
        '<p class="message error" role="alert" tabindex="-1" data-notice>Not allowed.</p>' in main
    )


def test_a_form_the_view_did_not_check_invents_no_refusal(world: World) -> None:
    request = RequestFactory().get("/?given_at=")
    request.user = world.nurse
    unsent = DoseForm(request.GET)  # bound to an empty filter, never validated by the view
    html = render_to_string("form_page.html", {"form": unsent, "title": "Record"}, request=request)
    assert 'class="refusals"' not in html
