"""The staff pages, the family portal page and the patient-record panel."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template

from hearth.conftest import World
from hearth.equipment import services
from hearth.equipment.choices import EquipmentKind, LoanStatus
from hearth.equipment.models import EquipmentItem, FaultReport, Loan, SafetyCheck
from hearth.monitoring.models import Alert

from .conftest import answers, lend, new_item


def test_the_store_page_with_filters(active: World, client_for: Any) -> None:
    new_item(active, EquipmentKind.WHEELCHAIR, serial_number="WC-9", due_in=-1)
    new_item(active, EquipmentKind.COMMODE, serial_number="CM-9")
    page = client_for(active.nurse).get("/equipment/?maintenance=overdue")
    text = page.content.decode()
    assert page.status_code == 200 and "WC-9" in text and "CM-9" not in text
    text = client_for(active.nurse).get("/equipment/?kind=commode").content.decode()
    assert "CM-9" in text and "WC-9" not in text


def test_add_an_item_and_service_it(active: World, client_for: Any) -> None:
    client = client_for(active.coordinator)
    assert client.get("/equipment/add/").status_code == 200
    added = client.post(
        "/equipment/add/",
        {"kind": "hospital_bed", "serial_number": "BD-1", "maintenance_due_on": "2099-01-01"},
    )
    assert added.status_code == 302
    item = EquipmentItem.objects.get(serial_number="BD-1")
    assert client.get(f"/equipment/items/{item.external_id}/").status_code == 200
    refused = client.post(
        f"/equipment/items/{item.external_id}/maintenance/",
        {"done_on": "2099-02-01", "next_due_on": "2099-01-01"},
    )
    assert refused.status_code == 422 and "Cannot be in the future" in refused.content.decode()
    status = client.post(
        f"/equipment/items/{item.external_id}/status/", {"status": "retired", "reason": "Old"}
    )
    assert status.status_code == 302
    item.refresh_from_db()
    assert item.status == "retired"


def test_store_pages_validate_ownership(active: World, client_for: Any) -> None:
    item = new_item(active)
    urls = [
        "/equipment/",
        "/equipment/add/",
        f"/equipment/items/{item.external_id}/",
        f"/equipment/items/{item.external_id}/maintenance/",
        f"/equipment/items/{item.external_id}/status/",
    ]
    for url in urls:
        assert client_for(active.chaplain).get(url).status_code == 403, url
        assert client_for(active.family).get(url).status_code == 302, url  # to the portal
    for url in urls[2:]:
        missing = url.replace(str(item.external_id), "00000000-0000-0000-0000-000000000000")
        assert client_for(active.coordinator).get(missing).status_code == 404
    physician = client_for(active.physician)
    assert physician.get(urls[0]).status_code == 200
    assert physician.get(urls[1]).status_code == 403


def test_the_patient_page_lend_check_and_return(active: World, client_for: Any) -> None:
    item = new_item(active, EquipmentKind.OXYGEN_CONCENTRATOR, serial_number="OX-5")
    client = client_for(active.nurse)
    base = f"/patients/{active.patient.external_id}/equipment/"
    assert "OX-5" in client.get(base + "lend/").content.decode()
    assert client.post(base + "lend/", {"item": str(item.external_id)}).status_code == 302
    loan = Loan.objects.get()
    text = client.get(base).content.decode()
    assert "OX-5" in text and "Safety check due" in text
    form = client.get(f"/equipment/loans/{loan.external_id}/check/").content.decode()
    assert "Not required here" in form and "15 cm" in form
    given = answers(EquipmentKind.OXYGEN_CONCENTRATOR, no_smoking_or_flame="not_safe")
    no_note = client.post(f"/equipment/loans/{loan.external_id}/check/", given)
    assert no_note.status_code == 422 and not SafetyCheck.objects.exists()
    failed = client.post(
        f"/equipment/loans/{loan.external_id}/check/", {**given, "note": "Smoking indoors"}
    )
    assert failed.status_code == 302
    assert Alert.objects.get().rule == "oxygen_equipment"
    text = client.get(base).content.decode()
    assert "The last safety check failed" in text
    back = client.post(f"/equipment/loans/{loan.external_id}/return/", {"condition_note": ""})
    assert back.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED


def test_staff_fault_and_resolution_pages(active: World, client_for: Any) -> None:
    loan = lend(active, new_item(active))
    # Anyone on the team reports; a volunteer phones the service (their brief says so).
    client = client_for(active.chaplain)
    reported = client.post(
        f"/equipment/loans/{loan.external_id}/fault/", {"description": "Pump is silent"}
    )
    assert reported.status_code == 302
    fault = FaultReport.objects.get()
    assert client.get(f"/equipment/faults/{fault.external_id}/resolve/").status_code == 403
    done = client_for(active.nurse).post(
        f"/equipment/faults/{fault.external_id}/resolve/", {"resolution": "Reset the pump."}
    )
    assert done.status_code == 302
    fault.refresh_from_db()
    assert not fault.is_open


def test_patient_pages_validate_ownership(active: World, client_for: Any) -> None:
    loan = lend(active, new_item(active))
    fault = services.report_fault(actor=active.family, loan=loan, description="Alarm")
    urls = [
        f"/patients/{active.patient.external_id}/equipment/",
        f"/patients/{active.patient.external_id}/equipment/lend/",
        f"/equipment/loans/{loan.external_id}/check/",
        f"/equipment/loans/{loan.external_id}/fault/",
        f"/equipment/loans/{loan.external_id}/return/",
        f"/equipment/faults/{fault.external_id}/resolve/",
    ]
    outsider = client_for(active.outsider_nurse)
    for url in urls:
        # Staff outside the caseload are offered emergency access.
        response = outsider.get(url)
        assert response.status_code == 302 and "emergency" in response["Location"], url
        assert client_for(active.other_family).get(url).status_code == 302  # to the portal
    chaplain = client_for(active.chaplain)
    assert chaplain.get(urls[0]).status_code == 200
    for url in (urls[1], urls[2], urls[4], urls[5]):
        assert chaplain.get(url).status_code == 403, url


def test_the_portal_shows_only_the_familys_own_equipment(active: World, client_for: Any) -> None:
    mine = lend(active, new_item(active, EquipmentKind.OXYGEN_CONCENTRATOR))
    other_item = new_item(active, EquipmentKind.WHEELCHAIR)
    # The other patient is only referred (lending refuses): lay their loan down directly.
    theirs = Loan.objects.create(
        item=other_item,
        patient=active.other_patient,
        delivered_at=mine.delivered_at,
        delivered_by=active.coordinator,
    )
    page = client_for(active.family).get("/portal/equipment/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Oxygen concentrator" in text and "Wheelchair" not in text
    assert "Nobody may smoke in the home" in text  # the advice for their kind
    other = client_for(active.other_family).get("/portal/equipment/").content.decode()
    assert "Wheelchair" in other and "Oxygen concentrator" not in other
    # Reporting a fault on another family's item is "not found".
    url = f"/portal/equipment/{theirs.external_id}/fault/"
    assert client_for(active.family).post(url, {"description": "x"}).status_code == 404
    assert not FaultReport.objects.exists()
    assert client_for(active.nurse).get("/portal/equipment/").status_code == 302


def test_the_family_reports_a_fault_in_the_portal(active: World, client_for: Any) -> None:
    loan = lend(active, new_item(active, EquipmentKind.OXYGEN_CONCENTRATOR))
    client = client_for(active.family)
    url = f"/portal/equipment/{loan.external_id}/fault/"
    assert "emergency services" in client.get(url).content.decode()
    assert client.post(url, {"description": ""}).status_code == 422
    sent = client.post(url, {"description": "It beeps and the light is red."})
    assert sent.status_code == 302
    fault = FaultReport.objects.get()
    assert fault.reported_by == active.family
    assert Alert.objects.get(pk=fault.alert_id).rule == "oxygen_equipment"
    text = client.get("/portal/equipment/").content.decode()
    assert "It beeps and the light is red." in text
    assert client_for(active.patient_user).get("/portal/equipment/").status_code == 200


def test_the_panel_on_the_patient_record(active: World) -> None:
    loan = lend(active, new_item(active, EquipmentKind.SUCTION, serial_number="SU-42"))
    services.report_fault(actor=active.family, loan=loan, description="Weak suction")
    template = Template("{% load equipment_tags %}{% equipment_panel patient user %}")
    text = template.render(Context({"patient": active.patient, "user": active.nurse}))
    assert "SU-42" in text and "safety check due" in text and "1 open fault" in text
    hidden = template.render(Context({"patient": active.patient, "user": active.outsider_nurse}))
    assert "SU-42" not in hidden
