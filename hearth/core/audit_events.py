"""The catalogue of audit event types: every kind of event Hearth writes to the audit trail.

Why a catalogue: an event type is how an auditor searches the trail ("who opened this
record?", "who changed a prescription?"), so a typo in a free-text type would hide events
from that search without any test noticing. ``audit.record`` accepts only members of
``AuditEventType``; the values are exactly the strings stored in ``AuditEvent.event_type``
and must never change (stored rows keep them), so a new kind of event gets a new member
and an old one is never renamed. The labels tell an auditor what each type means.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    """One member per event type the code can record, grouped by the app that records it."""

    # Accounts: signing in and out, API tokens, security policy
    ACCOUNT_SIGN_IN_FAILED = "account.sign_in_failed", _("Sign-in failed")
    ACCOUNT_SIGNED_IN = "account.signed_in", _("Signed in")
    ACCOUNT_SIGNED_OUT = "account.signed_out", _("Signed out")
    ACCOUNT_SIGNED_OUT_EVERYWHERE = (
        "account.signed_out_everywhere",
        _("Signed out on every device"),
    )
    API_TOKEN_ISSUED = "api_token.issued", _("API token issued")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    SECURITY_POLICY_CHANGED = "security_policy.changed", _("Security policy changed")
    # Sign-in security (issue 18): refusals and throttling, each with the
    # username tried and the client address (never the password).
    ACCOUNT_SIGN_IN_THROTTLED = (
        "account.sign_in_throttled",
        _("Sign-in refused: too many failed attempts"),
    )
    ACCOUNT_MFA_CODE_REFUSED = (
        "account.mfa_code_refused",
        _("Wrong two-factor authentication code"),
    )
    ACCOUNT_MFA_ENROLLED = (
        "account.mfa_enrolled",
        _("Two-factor authentication set up from the command line"),
    )
    API_TOKEN_REFUSED = "api_token.refused", _("API token refused")

    # Refused requests (hearth.core.refusals): one event per refused request
    ACCESS_REFUSED = "access.refused", _("Request refused: not signed in or not allowed")
    ACCESS_NOT_FOUND = "access.not_found", _("Request for a record that was not found")

    # Patients: referral, admission, episode, care team, caregivers, emergency access
    AUDIT_TRAIL_VIEWED = "audit_trail.viewed", _("Audit trail of a record viewed")
    CARE_TEAM_ASSIGNED = "care_team.assigned", _("Staff member added to the care team")
    CARE_TEAM_ENDED = "care_team.ended", _("Staff member left the care team")
    CARE_TEAM_VIEWED = "care_team.viewed", _("Care team viewed")
    CAREGIVER_ACCESS_ENDED = "caregiver.access_ended", _("Family member's access ended")
    CAREGIVER_ADDED = "caregiver.added", _("Family caregiver added")
    CAREGIVERS_VIEWED = "caregivers.viewed", _("Family caregivers viewed")
    COMMISSION_DECISION_SIGNED = (
        "commission_decision.signed",
        _("Medical commission decision signed"),
    )
    COMMISSION_QUEUE_LISTED = "commission_queue.listed", _("Medical commission queue listed")
    DIAGNOSIS_ADDED = "diagnosis.added", _("Diagnosis added")
    DIAGNOSIS_ENTERED_IN_ERROR = (
        "diagnosis.entered_in_error",
        _("Diagnosis marked entered in error"),
    )
    EMERGENCY_ACCESS_REVIEWED = "emergency_access.reviewed", _("Emergency access reviewed")
    EMERGENCY_ACCESS_STARTED = "emergency_access.started", _("Emergency access used")
    EPISODE_ACTIVE = "episode.active", _("Admitted to home care")
    EPISODE_AWAITING_COMMISSION = (
        "episode.awaiting_commission",
        _("Referred to the medical commission"),
    )
    EPISODE_BEREAVEMENT = "episode.bereavement", _("Bereavement follow-up started")
    EPISODE_CLOSED = "episode.closed", _("Episode closed")
    EPISODE_DECEASED = "episode.deceased", _("Death recorded")
    EPISODE_DISCHARGED = "episode.discharged", _("Discharged from home care")
    EPISODE_NOT_ADMITTED = "episode.not_admitted", _("Not admitted")
    EPISODE_VIEWED = "episode.viewed", _("Episode viewed")
    EPISODES_VIEWED = "episodes.viewed", _("Episodes viewed")
    PATIENT_CREATED = "patient.created", _("Patient record created")
    PATIENT_PORTAL_ACCESS_GIVEN = "patient.portal_access_given", _("Patient given portal access")
    PATIENT_UPDATED = "patient.updated", _("Patient record changed")
    PATIENT_VIEWED = "patient.viewed", _("Patient record opened")
    PORTAL_VIEWED = "portal.viewed", _("Family portal home viewed")
    REFERRAL_CREATED = "referral.created", _("Referral received")
    SCREENING_RECORDED = "screening.recorded", _("Eligibility screening recorded")
    TIMELINE_VIEWED = "timeline.viewed", _("Timeline viewed")
    WORKLIST_LISTED = "worklist.listed", _("Patient on a worklist")

    # Personhood: the "what matters to me" profile
    PORTAL_PROFILE_VIEWED = "portal.profile_viewed", _("Profile viewed in the family portal")
    PROFILE_ABOUT_ME_PRINTED = "profile.about_me_printed", _("“About me” page printed")
    PROFILE_CHANGE_PROPOSED = "profile.change_proposed", _("Profile change proposed by the family")
    PROFILE_HISTORY_VIEWED = "profile.history_viewed", _("Profile history viewed")
    PROFILE_LEGACY_ITEM_ADDED = "profile.legacy_item_added", _("Legacy item added")
    PROFILE_LEGACY_ITEM_UPDATED = "profile.legacy_item_updated", _("Legacy item changed")
    PROFILE_PROPOSAL_ACCEPTED = (
        "profile.proposal_accepted",
        _("Family's profile proposal accepted"),
    )
    PROFILE_PROPOSAL_DECLINED = (
        "profile.proposal_declined",
        _("Family's profile proposal declined"),
    )
    PROFILE_PROPOSALS_VIEWED = "profile.proposals_viewed", _("Profile proposals viewed")
    PROFILE_SECTION_UPDATED = "profile.section_updated", _("Profile section changed")
    PROFILE_VIEWED = "profile.viewed", _("“What matters to me” profile viewed")
    PROFILE_WINDOW_ADDED = "profile.window_added", _("Weekly window added to the profile")
    PROFILE_WINDOW_REMOVED = "profile.window_removed", _("Weekly window removed from the profile")

    # Allergies and intolerances (issue 19)
    ALLERGIES_VIEWED = "allergies.viewed", _("Allergies and intolerances viewed")
    ALLERGY_ACCEPTED = "allergy.accepted", _("Family's allergy proposal accepted by a clinician")
    ALLERGY_CHANGED = "allergy.changed", _("Allergy or intolerance changed")
    ALLERGY_DECLINED = "allergy.declined", _("Family's allergy proposal declined")
    ALLERGY_ENTERED_IN_ERROR = "allergy.entered_in_error", _("Allergy marked entered in error")
    ALLERGY_HISTORY_VIEWED = "allergy.history_viewed", _("Allergy history viewed")
    ALLERGY_PROPOSED = "allergy.proposed", _("Allergy proposed by the family")
    ALLERGY_RECORDED = "allergy.recorded", _("Allergy or intolerance recorded")
    ALLERGY_REFUTED = "allergy.refuted", _("Allergy refuted")
    NKDA_ENDED = "nkda.ended", _("“No known drug allergies” ended")
    NKDA_RECORDED = "nkda.recorded", _("“No known drug allergies” recorded")

    # Care plans: holistic assessment, care plan versions, team meetings, advance care plan
    ADVANCE_CARE_PLAN_DRAFT_CHANGED = (
        "advance_care_plan.draft_changed",
        _("Advance care plan draft changed"),
    )
    ADVANCE_CARE_PLAN_DRAFT_STARTED = (
        "advance_care_plan.draft_started",
        _("Advance care plan draft started"),
    )
    ADVANCE_CARE_PLAN_PRINTED = "advance_care_plan.printed", _("Advance care plan printed")
    ADVANCE_CARE_PLAN_SIGNED = "advance_care_plan.signed", _("Advance care plan signed")
    ADVANCE_CARE_PLAN_VIEWED = "advance_care_plan.viewed", _("Advance care plan viewed")
    ADVANCE_CARE_PLANS_VIEWED = "advance_care_plans.viewed", _("Advance care plans viewed")
    ASSESSMENT_HOLISTIC_RECORDED = (
        "assessment.holistic_recorded",
        _("Holistic assessment recorded"),
    )
    CARE_PLAN_ACTIVATED = "care_plan.activated", _("Care plan signed and made current")
    CARE_PLAN_DISCARDED = (
        "care_plan.discarded",
        _("Care plan draft discarded when home care ended"),
    )
    CARE_PLAN_DRAFT_CHANGED = "care_plan.draft_changed", _("Care plan draft changed")
    CARE_PLAN_DRAFT_DISCARDED = "care_plan.draft_discarded", _("Care plan draft discarded")
    CARE_PLAN_DRAFT_STARTED = "care_plan.draft_started", _("Care plan draft started")
    CARE_PLAN_ENDED = "care_plan.ended", _("Care plan ended with home care")
    CARE_PLAN_GOAL_ADDED = "care_plan.goal_added", _("Goal added to a care plan draft")
    CARE_PLAN_INTERVENTION_ADDED = (
        "care_plan.intervention_added",
        _("Intervention added to a care plan draft"),
    )
    CARE_PLAN_ITEM_REMOVED = "care_plan.item_removed", _("Item removed from a care plan draft")
    CARE_PLAN_NEED_ADDED = "care_plan.need_added", _("Need added to a care plan draft")
    CARE_PLAN_PRINTED = "care_plan.printed", _("Care plan printed")
    CARE_PLAN_SUMMARY_VIEWED = "care_plan.summary_viewed", _("Care plan summary viewed")
    CARE_PLAN_VIEWED = "care_plan.viewed", _("Care plan viewed")
    CARE_PLANS_VIEWED = "care_plans.viewed", _("Care plans viewed")
    CARE_PLAN_REVIEW_TASK_CREATED = (
        "care_plan_review_task.created",
        _("Care plan review asked for after a change of phase"),
    )
    CARE_PLAN_REVIEW_TASK_COMPLETED = (
        "care_plan_review_task.completed",
        _("Care plan review done"),
    )
    CARE_PLAN_REVIEW_TASK_DISMISSED = (
        "care_plan_review_task.dismissed",
        _("Care plan review dismissed with a reason"),
    )
    CARE_PLAN_REVIEW_TASKS_LISTED = (
        "care_plan_review_tasks.listed",
        _("Patient on the care plan reviews list"),
    )
    CARE_PLAN_REVIEW_TASKS_VIEWED = (
        "care_plan_review_tasks.viewed",
        _("Care plan review tasks viewed"),
    )
    EMERGENCY_SUMMARY_VIEWED = "emergency_summary.viewed", _("Emergency summary viewed")
    PORTAL_CARE_PLAN_VIEWED = "portal.care_plan_viewed", _("Care plan viewed in the family portal")
    TEAM_MEETING_RECORDED = "team_meeting.recorded", _("Team meeting recorded")
    TEAM_MEETINGS_VIEWED = "team_meetings.viewed", _("Team meetings viewed")

    # Assessments: scored instruments and phase of illness
    ASSESSMENT_ENTERED_IN_ERROR = (
        "assessment.entered_in_error",
        _("Assessment marked entered in error"),
    )
    ASSESSMENT_RECORDED = "assessment.recorded", _("Assessment recorded")
    ASSESSMENTS_VIEWED = "assessments.viewed", _("Assessments viewed")
    PHASE_STARTED = "phase.started", _("Phase of illness started")
    PHASES_VIEWED = "phases.viewed", _("Phases of illness viewed")

    # Monitoring: check-ins, devices, thresholds, alerts, on-call
    ALERT_ACKNOWLEDGED = "alert.acknowledged", _("Alert acknowledged")
    ALERT_ACKNOWLEDGED_BY_SMS = "alert.acknowledged_by_sms", _("Alert acknowledged by a text reply")
    ALERT_ESCALATED = "alert.escalated", _("Alert escalated")
    ALERT_EVIDENCE_ADDED = "alert.evidence_added", _("Evidence added to an open alert")
    ALERT_NOBODY_TO_PAGE = "alert.nobody_to_page", _("Nobody could be paged about an alert")
    ALERT_RAISED = "alert.raised", _("Alert raised")
    ALERT_REOWNED = "alert.reowned", _("Alert handed to someone else on call")
    ALERT_RESOLVED = "alert.resolved", _("Alert resolved")
    ALERT_SMS_REPLY_REFUSED = "alert.sms_reply_refused", _("Text reply to an alert page refused")
    ALERT_TRIAGED = "alert.triaged", _("Alert triaged")
    ALERT_VIEWED = "alert.viewed", _("Alert viewed")
    ALERTS_LISTED = "alerts.listed", _("Patient on the alerts list")
    CHECK_IN_RECORDED = "check_in.recorded", _("Symptom check-in recorded")
    CHECK_INS_VIEWED = "check_ins.viewed", _("Symptom check-ins viewed")
    DEVICE_REGISTERED = "device.registered", _("Home device registered")
    DEVICE_REVOKED = "device.revoked", _("Home device revoked")
    DEVICES_VIEWED = "devices.viewed", _("Home devices viewed")
    OBSERVATIONS_RECEIVED = "observations.received", _("Device readings received")
    OBSERVATIONS_VIEWED = "observations.viewed", _("Device readings viewed")
    ON_CALL_SHIFT_ADDED = "on_call.shift_added", _("On-call shift added")
    ON_CALL_SHIFT_CANCELLED = "on_call.shift_cancelled", _("On-call shift cancelled")
    RECORD_OPENED_ON_CALL = "record.opened_on_call", _("Record opened by the clinician on call")
    SYMPTOMS_VIEWED = "symptoms.viewed", _("Symptoms page viewed")
    THRESHOLDS_SET = "thresholds.set", _("Personal alert thresholds set")
    THRESHOLDS_VIEWED = "thresholds.viewed", _("Personal alert thresholds viewed")

    # Medications: prescriptions, administrations, controlled drugs, sign-offs
    ADMINISTRATION_ENTERED_IN_ERROR = (
        "administration.entered_in_error",
        _("Dose marked entered in error"),
    )
    ADMINISTRATION_RECORDED = "administration.recorded", _("Dose recorded")
    ADMINISTRATION_REVIEWED = "administration.reviewed", _("Synced dose reviewed by a clinician")
    ADMINISTRATION_SENT_FOR_REVIEW = (
        "administration.sent_for_review",
        _("Synced dose sent for a clinician's review"),
    )
    ADMINISTRATIONS_VIEWED = "administrations.viewed", _("Doses given viewed")
    CONTROLLED_DRUG_DISCREPANCY_CLOSED = (
        "controlled_drug.discrepancy_closed",
        _("Controlled-drug discrepancy closed"),
    )
    CONTROLLED_DRUG_RECORDED = (
        "controlled_drug.recorded",
        _("Controlled-drug register entry recorded"),
    )
    CONTROLLED_DRUGS_VIEWED = "controlled_drugs.viewed", _("Controlled-drug register viewed")
    FORMULARY_CHANGED = "formulary.changed", _("Formulary changed")
    HOME_CHART_PRINTED = "home_chart.printed", _("Home medicines chart printed")
    HOME_CHART_VIEWED = "home_chart.viewed", _("Home medicines chart viewed")
    MEDICATION_CHART_VIEWED = "medication_chart.viewed", _("Medicines chart viewed")
    MEDICATION_ORDER_VIEWED = "medication_order.viewed", _("Prescription viewed")
    MEDICATION_ORDERS_VIEWED = "medication_orders.viewed", _("Prescriptions viewed")
    MEDICINE_SIGN_OFF_RECORDED = (
        "medicine_sign_off.recorded",
        _("Family member signed off to give medicines"),
    )
    MEDICINE_SIGN_OFF_WITHDRAWN = (
        "medicine_sign_off.withdrawn",
        _("Family member's medicines sign-off withdrawn"),
    )
    MEDICINE_SIGN_OFFS_VIEWED = "medicine_sign_offs.viewed", _("Medicines sign-offs viewed")
    MEDICINES_VIEWED = "medicines.viewed", _("Medicines page viewed")
    OPIOID_SUMMARY_VIEWED = "opioid_summary.viewed", _("Opioid totals viewed")
    PRESCRIPTION_CHANGED = "prescription.changed", _("Prescription changed")
    PRESCRIPTION_CREATED = "prescription.created", _("Prescription written")
    PRESCRIPTION_HISTORY_VIEWED = "prescription.history_viewed", _("Prescription history viewed")
    PRESCRIPTION_STOPPED = "prescription.stopped", _("Prescription stopped")
    SYNC_REVIEWS_VIEWED = "sync_reviews.viewed", _("Synced doses to review viewed")

    # Visits: needs, planning, urgent visits, staff availability, teleconsults
    ALERT_STILL_OPEN_AFTER_VISIT = (
        "alert.still_open_after_visit",
        _("Alert still open after the visit"),
    )
    STAFF_PLANNING_PROFILE_SET = "staff.planning_profile_set", _("Staff planning profile set")
    STAFF_SHIFT_ADDED = "staff.shift_added", _("Staff shift added")
    STAFF_SHIFT_CANCELLED = "staff.shift_cancelled", _("Staff shift cancelled")
    STAFF_DAY_VIEWED = "staff_day.viewed", _("Staff member's day viewed")
    TELECONSULT_BOOKED = "teleconsult.booked", _("Teleconsultation booked")
    DISPATCH_OFFERED = "dispatch.offered", _("Urgent visit offered to the clinician on call")
    DISPATCH_ACCEPTED = "dispatch.accepted", _("Urgent visit accepted")
    DISPATCH_DECLINED = "dispatch.declined", _("Urgent visit declined")
    DISPATCH_PASSED_ON = "dispatch.passed_on", _("Urgent visit not accepted in time, offered on")
    DISPATCH_NOBODY_TO_PAGE = "dispatch.nobody_to_page", _("Nobody on call for an urgent visit")
    DISPATCH_ON_THE_WAY = "dispatch.on_the_way", _("On the way to an urgent visit")
    DISPATCH_ARRIVED = "dispatch.arrived", _("Arrived at an urgent visit")
    DISPATCH_DONE = "dispatch.done", _("Urgent visit done")
    DISPATCH_BOARD_VIEWED = "dispatch_board.viewed", _("Patient on the dispatch board")
    URGENT_VISIT_NOT_PLACED = "urgent_visit.not_placed", _("Urgent visit could not be placed")
    URGENT_VISIT_REQUESTED = "urgent_visit.requested", _("Urgent visit requested")
    URGENT_VISIT_SCHEDULED = "urgent_visit.scheduled", _("Urgent visit scheduled")
    URGENT_VISITS_LISTED = "urgent_visits.listed", _("Patient on the urgent visits list")
    VISIT_ARRIVED = "visit.arrived", _("Arrival at a visit recorded")
    VISIT_CANCELLED = "visit.cancelled", _("Visit cancelled")
    VISIT_COMPLETED = "visit.completed", _("Visit completed")
    VISIT_FAMILY_TOLD = "visit.family_told", _("Family told a visit's new time")
    VISIT_MOVED = "visit.moved", _("Visit moved")
    VISIT_NOTE_ADDED = "visit.note_added", _("Visit note added")
    VISIT_PLANNED = "visit.planned", _("Visit planned")
    VISIT_VIEWED = "visit.viewed", _("Visit viewed")
    VISIT_NEED_ADDED = "visit_need.added", _("Visit need added")
    VISIT_NEED_ENDED = "visit_need.ended", _("Visit need ended")
    VISIT_NEED_FROM_CARE_PLAN = (
        "visit_need.from_care_plan",
        _("Visit need added from the care plan"),
    )
    VISIT_PLAN_DRAFTED = "visit_plan.drafted", _("Visit plan drafted")
    VISIT_PLAN_PUBLISHED = "visit_plan.published", _("Visit plan published")
    VISIT_PLAN_VIEWED = "visit_plan.viewed", _("Visit plan viewed")
    VISIT_PLAN_VISIT_MOVED = "visit_plan.visit_moved", _("Planned visit moved by hand")
    VISIT_TIME_REQUEST_MADE = "visit_time_request.made", _("Family asked for a visit time")
    VISIT_TIME_REQUEST_WITHDRAWN = (
        "visit_time_request.withdrawn",
        _("Family withdrew a visit time request"),
    )
    VISITS_PORTAL_VIEWED = "visits.portal_viewed", _("Visits viewed in the family portal")
    VISITS_VIEWED = "visits.viewed", _("Visits viewed")

    # Caregiving: family training, support tasks and contacts, respite
    CAREGIVER_STRAIN_SCHEDULE_VIEWED = (
        "caregiver_strain_schedule.viewed",
        _("Caregiver strain schedule viewed"),
    )
    FAMILY_SUPPORT_VIEWED = "family_support.viewed", _("Family support page viewed")
    RESPITE_BOOKED = "respite.booked", _("Respite booked")
    RESPITE_CANCELLED = "respite.cancelled", _("Respite cancelled")
    RESPITE_COMPLETED = "respite.completed", _("Respite took place")
    RESPITE_DECLINED = "respite.declined", _("Respite declined")
    RESPITE_REQUESTED = "respite.requested", _("Respite asked for")
    RESPITE_VIEWED = "respite.viewed", _("Respite viewed")
    SUPPORT_CONTACT_ENTERED_IN_ERROR = (
        "support_contact.entered_in_error",
        _("Support contact marked entered in error"),
    )
    SUPPORT_CONTACT_RECORDED = "support_contact.recorded", _("Support contact recorded")
    SUPPORT_CONTACTS_VIEWED = "support_contacts.viewed", _("Support contacts viewed")
    SUPPORT_TASK_CANCELLED = "support_task.cancelled", _("Support task cancelled")
    SUPPORT_TASK_DONE = "support_task.done", _("Support task done")
    SUPPORT_TASK_OPENED = "support_task.opened", _("Support task opened")
    SUPPORT_TASK_SCORE_ADDED = (
        "support_task.score_added",
        _("Another high strain score added to a support task"),
    )
    SUPPORT_TASK_UPDATED = "support_task.updated", _("Support task changed")
    SUPPORT_TASKS_LISTED = "support_tasks.listed", _("Patient on the support tasks list")
    SUPPORT_TASKS_VIEWED = "support_tasks.viewed", _("Support tasks viewed")
    TRAINING_STEP_RECORDED = "training.step_recorded", _("Family training step recorded")
    TRAINING_VIEWED = "training.viewed", _("Family training viewed")
    TRAINING_WITHDRAWN = "training.withdrawn", _("Training record withdrawn")

    # Bereavement: follow-up plans, contacts, risk screens, returns
    BEREAVEMENT_PORTAL_VIEWED = (
        "bereavement.portal_viewed",
        _("Bereavement support viewed in the family portal"),
    )
    BEREAVEMENT_CONTACT_ADDED = "bereavement_contact.added", _("Bereavement contact added")
    BEREAVEMENT_CONTACT_CHANGED = "bereavement_contact.changed", _("Bereavement contact changed")
    BEREAVEMENT_CONTACT_NOT_NEEDED = (
        "bereavement_contact.not_needed",
        _("Bereavement contact marked not needed"),
    )
    BEREAVEMENT_CONTACT_RECORDED = "bereavement_contact.recorded", _("Bereavement contact made")
    BEREAVEMENT_PLAN_CLOSED = "bereavement_plan.closed", _("Bereavement plan closed")
    BEREAVEMENT_PLAN_CREATED = "bereavement_plan.created", _("Bereavement plan created")
    BEREAVEMENT_PLAN_VIEWED = "bereavement_plan.viewed", _("Bereavement plan viewed")
    BEREAVEMENT_PLANS_LISTED = "bereavement_plans.listed", _("Patient on the bereavement list")
    BEREAVEMENT_RETURNS_CONTROLLED_DRUGS_CONFIRMED = (
        "bereavement_returns.controlled_drugs_confirmed",
        _("Return of controlled drugs confirmed"),
    )
    BEREAVEMENT_RETURNS_EQUIPMENT_CONFIRMED = (
        "bereavement_returns.equipment_confirmed",
        _("Return of equipment confirmed"),
    )
    BEREAVEMENT_SCREEN_ENTERED_IN_ERROR = (
        "bereavement_screen.entered_in_error",
        _("Bereavement risk screen marked entered in error"),
    )
    BEREAVEMENT_SCREEN_RECORDED = (
        "bereavement_screen.recorded",
        _("Bereavement risk screen recorded"),
    )

    # Volunteers: profiles, availability, assignments
    VOLUNTEER_ASSIGNMENT_ACTIVE = "volunteer.assignment_active", _("Volunteer assignment started")
    VOLUNTEER_ASSIGNMENT_ENDED = "volunteer.assignment_ended", _("Volunteer assignment ended")
    VOLUNTEER_ASSIGNMENT_PROPOSED = (
        "volunteer.assignment_proposed",
        _("Volunteer assignment proposed"),
    )
    VOLUNTEER_BRIEF_VIEWED = "volunteer_brief.viewed", _("Volunteer brief opened")
    VOLUNTEER_AWAY_ADDED = "volunteer.away_added", _("Volunteer's time away added")
    VOLUNTEER_AWAY_REMOVED = "volunteer.away_removed", _("Volunteer's time away removed")
    VOLUNTEER_PROFILE_CHANGED = "volunteer.profile_changed", _("Volunteer profile changed")
    VOLUNTEER_PROFILE_CREATED = "volunteer.profile_created", _("Volunteer profile created")
    VOLUNTEER_SLOT_ADDED = "volunteer.slot_added", _("Volunteer availability added")
    VOLUNTEER_SLOT_REMOVED = "volunteer.slot_removed", _("Volunteer availability removed")
    VOLUNTEER_STATUS_CHANGED = "volunteer.status_changed", _("Volunteer status changed")
    VOLUNTEER_TRAINING_RECORDED = "volunteer.training_recorded", _("Volunteer training recorded")
    VOLUNTEER_TRAINING_WITHDRAWN = (
        "volunteer.training_withdrawn",
        _("Volunteer training withdrawn"),
    )
    VOLUNTEERS_LISTED = "volunteers.listed", _("Patient on the volunteers list")
    VOLUNTEERS_PORTAL_VIEWED = (
        "volunteers.portal_viewed",
        _("Volunteers viewed in the family portal"),
    )
    VOLUNTEERS_PROFILE_VIEWED = "volunteers.profile_viewed", _("Patient on a volunteer's profile")
    VOLUNTEERS_VIEWED = "volunteers.viewed", _("Patient's volunteers viewed")

    # Team: debriefs, mandatory training, wellbeing
    DEBRIEF_DEATHS_LISTED = "debrief.deaths_listed", _("Patient on the deaths to debrief list")
    DEBRIEF_LISTED = "debrief.listed", _("Patient on the debriefs list")
    DEBRIEF_RECORDED = "debrief.recorded", _("Debrief after a death recorded")
    DEBRIEF_VIEWED = "debrief.viewed", _("Debriefs viewed")
    DEBRIEF_WITHDRAWN = "debrief.withdrawn", _("Debrief withdrawn")
    MANDATORY_COURSE_CHANGED = "mandatory_course.changed", _("Mandatory course changed")
    MANDATORY_COURSE_CREATED = "mandatory_course.created", _("Mandatory course created")
    TRAINING_RECORDED = "training.recorded", _("Staff training recorded")
    TRAINING_REMINDER_CREATED = "training.reminder_created", _("Training reminder created")
    TRAINING_REMINDER_DISMISSED = "training.reminder_dismissed", _("Training reminder dismissed")
    WELLBEING_SUBMITTED = "wellbeing.submitted", _("Staff wellbeing check submitted")

    # Equipment: inventory, loans, safety checks, faults
    EQUIPMENT_PORTAL_VIEWED = "equipment.portal_viewed", _("Equipment viewed in the family portal")
    EQUIPMENT_VIEWED = "equipment.viewed", _("Patient's equipment viewed")
    EQUIPMENT_CHECK_RECORDED = "equipment_check.recorded", _("Equipment safety check recorded")
    EQUIPMENT_FAULT_REPORTED = "equipment_fault.reported", _("Equipment fault reported")
    EQUIPMENT_FAULT_RESOLVED = "equipment_fault.resolved", _("Equipment fault resolved")
    EQUIPMENT_INVENTORY_LISTED = (
        "equipment_inventory.listed",
        _("Patient on the equipment inventory"),
    )
    EQUIPMENT_ITEM_ADDED = "equipment_item.added", _("Equipment item added")
    EQUIPMENT_ITEM_SERVICED = "equipment_item.serviced", _("Equipment item serviced")
    EQUIPMENT_ITEM_STATUS_CHANGED = (
        "equipment_item.status_changed",
        _("Equipment item status changed"),
    )
    EQUIPMENT_ITEM_HISTORY_LISTED = (
        "equipment_item_history.listed",
        _("Patient in an equipment item's history"),
    )
    EQUIPMENT_LOAN_DELIVERED = "equipment_loan.delivered", _("Equipment delivered on loan")
    EQUIPMENT_LOAN_RETURNED = "equipment_loan.returned", _("Equipment returned")
    EQUIPMENT_LOAN_VIEWED = "equipment_loan.viewed", _("Equipment loan viewed")

    # Directory: regions, entries, next steps
    DIRECTORY_ENTRY_CHANGED = "directory_entry.changed", _("Directory entry changed")
    DIRECTORY_ENTRY_CHECKED = "directory_entry.checked", _("Directory entry checked")
    DIRECTORY_ENTRY_CREATED = "directory_entry.created", _("Directory entry created")
    DIRECTORY_ENTRY_REINSTATED = "directory_entry.reinstated", _("Directory entry reinstated")
    DIRECTORY_ENTRY_RETIRED = "directory_entry.retired", _("Directory entry retired")
    DIRECTORY_REGION_CHANGED = "directory_region.changed", _("Directory region changed")
    DIRECTORY_REGION_CREATED = "directory_region.created", _("Directory region created")
    NEXT_STEP_ADDED = "next_step.added", _("Next step added for the family")
    NEXT_STEP_CHANGED = "next_step.changed", _("Next step changed")
    NEXT_STEP_STATUS_CHANGED = "next_step.status_changed", _("Next step status changed")
    NEXT_STEPS_PORTAL_VIEWED = (
        "next_steps.portal_viewed",
        _("Next steps viewed in the family portal"),
    )
    NEXT_STEPS_VIEWED = "next_steps.viewed", _("Next steps viewed")

    # Notifications: a person's own contact points and preferences
    CONTACT_POINT_ADDED = "contact_point.added", _("Contact point added")
    CONTACT_POINT_CODE_SENT = "contact_point.code_sent", _("Verification code sent")
    CONTACT_POINT_REMOVED = "contact_point.removed", _("Contact point removed")
    CONTACT_POINT_VERIFICATION_FAILED = (
        "contact_point.verification_failed",
        _("Wrong or expired verification code"),
    )
    CONTACT_POINT_VERIFIED = "contact_point.verified", _("Contact point verified")
    CONTACT_POINTS_REORDERED = "contact_points.reordered", _("Order of contact points changed")
    NOTIFICATION_PREFERENCES_CHANGED = (
        "notification_preferences.changed",
        _("Quiet hours or message choices changed"),
    )
    # The end of home care (issue 19): what a death or a discharge closes
    ALERT_CLOSED_CARE_ENDED = "alert.closed_care_ended", _("Alert closed: home care ended")
    ALERT_HANDED_TO_COORDINATOR = (
        "alert.handed_to_coordinator",
        _("Equipment alert handed to the coordinator: home care ended"),
    )
    URGENT_VISIT_CANCELLED = "urgent_visit.cancelled", _("Urgent visit request cancelled")
    DISPATCH_CANCELLED = "dispatch.cancelled", _("Urgent visit cancelled")
    PLANNED_VISIT_REMOVED = (
        "planned_visit.removed",
        _("Visit taken out of a draft plan: home care ended"),
    )
    CARE_END_CLOSING_FAILED = (
        "care_end.closing_failed",
        _("Could not be closed automatically when home care ended"),
    )


#: Event types that record a refusal. A request that recorded one of these is not
#: recorded again by the refusal middleware (hearth.core.refusals): add any new
#: refusal type here (a throttled sign-in, say) so one refusal stays one event.
REFUSAL_EVENT_TYPES = frozenset(
    {
        AuditEventType.ACCESS_REFUSED,
        AuditEventType.ACCESS_NOT_FOUND,
        AuditEventType.ACCOUNT_SIGN_IN_FAILED,
        AuditEventType.ACCOUNT_SIGN_IN_THROTTLED,
        AuditEventType.ACCOUNT_MFA_CODE_REFUSED,
        AuditEventType.API_TOKEN_REFUSED,
        AuditEventType.ALERT_SMS_REPLY_REFUSED,
        AuditEventType.CONTACT_POINT_VERIFICATION_FAILED,
    }
)


def catalogued_event_type(event_type: AuditEventType | str) -> AuditEventType:
    """The catalogue member for ``event_type``, or a ``ValueError`` naming it.

    Every recording helper calls this, so an event type missing from the catalogue
    (a typo, or a new event nobody added) fails the first test that records it
    instead of silently writing a type no auditor would search for."""
    try:
        return AuditEventType(event_type)
    except ValueError:
        raise ValueError(
            f"Unknown audit event type {event_type!r}: use a member of AuditEventType "
            "(hearth/core/audit_events.py), adding one there for a new kind of event."
        ) from None


__all__ = ["REFUSAL_EVENT_TYPES", "AuditEventType", "catalogued_event_type"]
