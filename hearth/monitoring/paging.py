"""Paging an alert's owner on their phone until someone acts.

``page_owner`` is called wherever an alert gets an owner — raised, re-owned,
escalated — inside that transaction, so a page exists exactly when the change
does; the notifications worker sends it after commit. ``repeat_pages`` is a
periodic job of the worker (every minute). Acknowledging stops the pages
(``stop_pages``).

A page is read on a lock screen and travels by SMS, so it carries the minimum
to act on: severity, the record number, the kind of alert, a link and the
reply code. Never a name, a diagnosis, a medicine, a score or the family's own
words: those are behind the link, after sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.core import audit, clock, dates, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.monitoring.choices import AlertStatus
from hearth.monitoring.models import Alert
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, Message


def topic_of(alert: Alert) -> str:
    return f"alert:{alert.pk}"


def alert_link(alert: Alert) -> str:
    """The alert's page as the on-call phone reaches it (sign-in first)."""
    return settings.HEARTH_PUBLIC_URL + reverse("alert", args=[alert.external_id])


def _page_texts(alert: Alert, *, reason: str, code: str) -> tuple[str, str]:
    """Subject and body in the active language (the owner's). Only what is
    safe on a lock screen: see the module's docstring. The link travels in
    the message's own field: each channel puts it where it belongs (after the
    text of an SMS or an e-mail, the target of a push)."""
    severity = str(alert.get_severity_display())
    kind = str(alert.get_rule_display())
    record = alert.patient.record_number
    subject = _("%(severity)s alert · record %(record)s · %(kind)s") % {
        "severity": severity,
        "record": record,
        "kind": kind,
    }
    lines = []
    if reason == "escalated":
        lines.append(_("Escalated to you: not acknowledged in time."))
    elif reason == "repeat":
        lines.append(_("Still not acknowledged."))
    elif reason == "reowned":
        lines.append(_("Handed to you: you are on call now."))
    elif reason == "care_ended":
        lines.append(
            _("Handed to you: home care has ended and the equipment is still in the home.")
        )
    lines.append(
        _("%(severity)s alert for record %(record)s: %(kind)s.")
        % {"severity": severity, "record": record, "kind": kind}
    )
    if alert.acknowledge_by is not None:
        lines.append(
            _("Acknowledge by %(time)s.")
            % {"time": dates.date_format(timezone.localtime(alert.acknowledge_by), "j M H:i")}
        )
    lines.append(_("Reply ACK %(code)s to acknowledge.") % {"code": code})
    return subject, "\n".join(lines)


def _code_in_use(code: str, recipient_id: int, alert: Alert) -> bool:
    topics = (
        Message.objects.filter(
            recipient_id=recipient_id, kind=MessageKind.ALERT_PAGE, reply_code=code
        )
        .exclude(topic=topic_of(alert))
        .values_list("topic", flat=True)
    )
    pks = [int(topic.split(":", 1)[1]) for topic in topics if topic.startswith("alert:")]
    return bool(pks) and Alert.objects.open().filter(pk__in=pks).exists()


def _free_reply_code(owner_id: int, alert: Alert) -> str:
    """A reply code no other open alert's page to the same person carries, so
    "ACK 4821" names one alert."""
    code = outbox.new_reply_code()
    while _code_in_use(code, owner_id, alert):
        code = outbox.new_reply_code()
    return code


def page_owner(alert: Alert, *, reason: str) -> Message | None:
    """Queue a page to the alert's current owner (in the caller's transaction).
    Urgent: quiet hours never hold it back. Nobody to page is audited and shown
    on the alert's page."""
    owner = alert.owner
    if alert.status != AlertStatus.OPEN:
        return None
    if owner is None:
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.ALERT_NOBODY_TO_PAGE,
            patient=alert.patient,
            obj=alert,
            summary=messages.text(
                gettext_noop("Nobody could be paged: nobody is on call for this alert.")
            ),
            changes={"reason": reason, "role": alert.owner_role},
        )
        return None
    prefix = f"alert:{alert.pk}:owner:{owner.pk}:step:{alert.escalation_count}:page:"
    sent_before = Message.objects.filter(recipient=owner, event_key__startswith=prefix).count()
    code = _free_reply_code(owner.pk, alert)
    with outbox.speaking_to(owner):
        subject, body = _page_texts(alert, reason=reason, code=code)
        message = outbox.notify(
            recipient=owner,
            kind=MessageKind.ALERT_PAGE,
            event_key=f"{prefix}{sent_before + 1}",
            subject=subject,
            body=body,
            link=alert_link(alert),
            topic=topic_of(alert),
            patient=alert.patient,
            urgent=True,
            reply_code=code,
        )
    return message


def stop_pages(alert: Alert, *, reason: str | messages.Message) -> None:
    """Acknowledged (by the button, the API or a text reply): pages not yet
    sent are cancelled, and those sent show as acknowledged in the log."""
    outbox.cancel(topic=topic_of(alert), kinds=(MessageKind.ALERT_PAGE,), reason=reason)
    Message.objects.about(topic_of(alert)).filter(
        kind=MessageKind.ALERT_PAGE, status=MessageStatus.SENT
    ).update(status=MessageStatus.ACKNOWLEDGED, acknowledged_at=clock.now())


def repeat_pages(*, now: datetime | None = None) -> int:
    """Page again the owners of open, unacknowledged alerts whose last page is
    older than HEARTH_PAGE_REPEAT_MINUTES. Returns how many pages were queued.

    Past the deadline the escalation pages the next person instead; an owner
    never paged yet (a new owner, say) is paged now."""
    now = now or clock.now()
    every = timedelta(minutes=settings.HEARTH_PAGE_REPEAT_MINUTES)
    candidates = list(
        Alert.objects.filter(status=AlertStatus.OPEN, owner__isnull=False)
        .filter(acknowledge_by__gt=now)
        .values_list("pk", "owner_id")
    )
    if not candidates:
        return 0
    newest = {
        (row["topic"], row["recipient_id"]): row["newest"]
        for row in Message.objects.filter(
            kind=MessageKind.ALERT_PAGE,
            topic__in=[f"alert:{pk}" for pk, _owner in candidates],
        )
        .values("topic", "recipient_id")
        .annotate(newest=Max("created_at"))
    }
    queued = 0
    for pk, owner_id in candidates:
        last = newest.get((f"alert:{pk}", owner_id))
        if last is not None and last > now - every:
            continue
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update(of=("self",))
                .select_related("patient", "owner")
                .filter(pk=pk, status=AlertStatus.OPEN, owner_id=owner_id)
                .first()
            )
            if alert is None or alert.acknowledge_by is None or alert.acknowledge_by <= now:
                continue
            latest = (
                Message.objects.about(topic_of(alert))
                .filter(kind=MessageKind.ALERT_PAGE, recipient_id=owner_id)
                .aggregate(newest=Max("created_at"))["newest"]
            )
            if latest is not None and latest > now - every:
                continue  # another worker paged a moment ago
            if page_owner(alert, reason="repeat" if last is not None else "raised") is not None:
                queued += 1
    return queued


def nobody_can_be_paged(alert: Alert) -> bool:
    """An open alert whose page can reach nobody: no owner, or an owner with no
    verified way to be reached. The alert's page says so in red."""
    if alert.status != AlertStatus.OPEN:
        return False
    if alert.owner_id is None:
        return True
    return not ContactPoint.objects.verified().filter(user_id=alert.owner_id).exists()
