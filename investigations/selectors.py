"""Reads of case files, all scoped by the one access primitive (administration.access): a list
reads `CaseFile.objects.visible_to(user)`, one case file `access_case_file` (404 outside the
scope). Each page's reads are a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import get_visible_or_404
from administration.models import Unit
from investigations.models import (
    CaseAssignment,
    CaseComplaint,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CaseShare,
    CaseStatus,
    CaseStatusChange,
    PersonImage,
    ProtectiveMeasure,
    VictimOutcome,
)
from people import privacy
from people.models import (
    IdentityAddress,
    IdentityDescription,
    IdentityDocument,
    IdentityName,
    IdentityPhone,
)


def case_files_for(user: Any, *, status: str = "", unit_id: int | None = None) -> QuerySet[CaseFile]:
    """The case files the user may see, newest first, with what the list shows."""
    queryset = (
        CaseFile.objects.visible_to(user)
        .select_related("owning_unit", "lead")
        .annotate(complaint_count=Count("complaint_links", distinct=True))
        .order_by("-opened_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    if unit_id:
        queryset = queryset.filter(owning_unit_id=unit_id)
    return queryset


def access_case_file(user: Any, pk: Any) -> CaseFile:
    """The case file with everything its page shows (a fixed number of queries); 404 outside the
    user's scope."""
    queryset = CaseFile.objects.select_related("owning_unit", "lead", "opened_by").prefetch_related(
        Prefetch(
            "complaint_links",
            queryset=CaseComplaint.objects.select_related("complaint__registering_unit").order_by("linked_at", "pk"),
        ),
        Prefetch("status_changes", queryset=CaseStatusChange.objects.select_related("changed_by")),
        Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.select_related("investigator__unit", "assigned_by", "ended_by"),
        ),
        Prefetch(
            "shares",
            queryset=CaseShare.objects.select_related("unit", "granted_by", "revocation__revoked_by"),
        ),
    )
    return get_visible_or_404(queryset, user, pk=pk)


def case_files_of_complaint(complaint: Any) -> list[dict[str, str]]:
    """What a complaint's page says of its case files: number and status only (the station that
    registered it sees that much, never the contents). One query."""
    rows = (
        CaseComplaint.objects.filter(complaint=complaint)
        .order_by("case_file__opened_at", "case_file_id")
        .values_list("case_file_id", "case_file__number", "case_file__status")
    )
    return [{"pk": pk, "number": number, "status": CaseStatus(status).label} for pk, number, status in rows]


def units_for_filter(user: Any) -> QuerySet:
    """The owning units of the case files the user sees (the list's unit filter)."""
    return Unit.objects.filter(case_files__in=CaseFile.objects.visible_to(user)).distinct().order_by("name")


def person_minor(person: CasePerson, case_file: CaseFile) -> bool | None:
    """people.privacy's tri-state for a person of the case file: only a victim may be a minor, by
    the identity's date of birth on the date of the facts of the complaint the victim came from
    (else the day the case file was opened); unknown (None, protected) without a date of birth."""
    if person.role != CasePersonRole.VICTIM:
        return False
    complaint = person.source_complaint if person.source_complaint_id else None
    day = getattr(complaint, "facts_date", None) or timezone.localdate(case_file.opened_at)
    return privacy.is_minor(None, None, born=person.identity.date_of_birth, facts_date=day)


def shown_name(person: CasePerson, *, minor: bool | None, revealed: bool, in_list: bool) -> str:
    """How a person of a case file is named (people.privacy): a whistleblower by code name (the true
    identity beside it only on the person's own page after the reveal); a victim as protected
    (a minor, or of unknown age, never named in a list); the others by initials; the full name only
    in the response to the logged reveal."""
    identity = person.identity
    if person.role == CasePersonRole.WHISTLEBLOWER:
        code = person.code_name or str(_("(no code name)"))
        if revealed and not in_list:
            return f"{code} — {identity.full_name or str(privacy.SCREEN.no_name)}"
        return code
    if person.role == CasePersonRole.VICTIM:
        if minor is not False:
            if revealed and not in_list:
                return identity.full_name or str(privacy.SCREEN.no_name)
            return privacy.masked_name(identity, minor=minor, revealed=False)
        if not revealed:
            return str(_("Victim (identity protected)"))
    return privacy.masked_name(identity, minor=False, revealed=revealed)


@dataclass
class PersonRow:
    """A line of a case file's persons (the summary's table and the persons page)."""

    pk: int
    role: str  # the label
    role_code: str
    shown: str
    minor: bool | None
    complaint: str
    added_at: Any
    organisation_role: str
    recruitment_method: str
    image_count: int = 0


def persons_of(case_file: CaseFile, *, revealed: bool = False) -> list[PersonRow]:
    """The persons in roles of a case file, as a list shows them (`shown_name`, in_list): a
    whistleblower by code name, a victim as protected, the others by initials; with `revealed`
    (only in the response to the logged reveal) the adults' full names. One query."""
    rows = []
    queryset = (
        CasePerson.objects.filter(case_file=case_file)
        .select_related("identity", "source_complaint")
        .annotate(image_count=Count("images"))
    )
    for person in queryset:
        minor = person_minor(person, case_file)
        rows.append(
            PersonRow(
                pk=person.pk,
                role=person.get_role_display(),
                role_code=person.role,
                shown=shown_name(person, minor=minor, revealed=revealed, in_list=True),
                minor=minor,
                complaint=person.source_complaint.number if person.source_complaint else "",
                added_at=person.added_at,
                organisation_role=person.get_organisation_role_display() if person.organisation_role else "",
                recruitment_method=person.get_recruitment_method_display() if person.recruitment_method else "",
                image_count=person.image_count,
            )
        )
    return rows


def case_person_of(case_file: CaseFile, pk: Any) -> CasePerson:
    """One person of the case file with everything the person's page shows (a fixed number of
    queries whatever the number of documents, phones, addresses and images); 404 when the person
    is not of this case file."""
    queryset = (
        CasePerson.objects.filter(case_file=case_file)
        .select_related("identity", "source_complaint", "added_by")
        .prefetch_related(
            Prefetch("identity__names", queryset=IdentityName.objects.select_related("recorded_by")),
            Prefetch("identity__documents", queryset=IdentityDocument.objects.select_related("recorded_by")),
            Prefetch("identity__phones", queryset=IdentityPhone.objects.select_related("recorded_by")),
            Prefetch("identity__addresses", queryset=IdentityAddress.objects.select_related("district__department")),
            Prefetch("identity__descriptions", queryset=IdentityDescription.objects.select_related("recorded_by")),
            Prefetch("images", queryset=PersonImage.objects.select_related("uploaded_by")),
            Prefetch("outcomes", queryset=VictimOutcome.objects.select_related("recorded_by")),
            Prefetch("protective_measures", queryset=ProtectiveMeasure.objects.select_related("recorded_by")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def case_person_row(case_file: CaseFile, pk: Any) -> CasePerson:
    """One person of the case file (read through `_readable`/`_workable` first), with its identity:
    the forms' pages. 404 when the person is not of this case file. One query."""
    return get_object_or_404(CasePerson.objects.filter(case_file=case_file).select_related("identity"), pk=pk)


def case_person_image(case_file: CaseFile, person_pk: Any, image_pk: Any) -> PersonImage:
    """An image of a person of this case file; 404 when the image belongs to another person or
    another case file."""
    return get_object_or_404(
        PersonImage.objects.select_related("case_person"),
        pk=image_pk,
        case_person_id=person_pk,
        case_person__case_file=case_file,
    )


# ---------------------------------------------------------------- proof matrix and report


def proof_links_of(case_file: CaseFile) -> list[Any]:
    """Every link of the case file's proof matrix (withdrawn ones too, for the history), with its
    support. One query."""
    from investigations.models import ProofLink

    return list(
        ProofLink.objects.filter(case_file=case_file)
        .select_related("exhibit", "journal_entry", "diligence", "added_by", "withdrawn_by")
        .order_by("added_at", "pk")
    )


def support_choices(case_file: CaseFile) -> list[tuple[str, list[tuple[str, str]]]]:
    """The supports that may be linked, grouped (the form's optgroups): the case file's exhibits,
    the statements of its journal, and its diligencias (attached or of its complaints). Three
    queries."""
    from django.db.models import Q

    from diligences.models import Diligence
    from investigations.models import CaseDiligence, Exhibit, JournalEntry

    exhibits = [
        (f"exhibit:{pk}", f"{code} — {description[:80]}")
        for pk, code, description in Exhibit.objects.filter(case_file=case_file)
        .order_by("sequence", "pk")
        .values_list("pk", "code", "description")
    ]
    statements = [
        (f"statement:{entry.pk}", f"N° {entry.sequence} ({entry.entry_date:%d/%m/%Y}) — {entry.text[:80]}")
        for entry in JournalEntry.objects.filter(case_file=case_file, kind="statement").order_by("sequence", "pk")
    ]
    complaint_ids = CaseComplaint.objects.filter(case_file=case_file).values("complaint_id")
    attached = CaseDiligence.objects.filter(case_file=case_file).values("diligence_id")
    diligences = [
        (f"diligence:{d.pk}", f"{d.complaint.number} — {d.sequence}. {d.get_kind_display()} ({d.date:%d/%m/%Y})")
        for d in Diligence.objects.filter(Q(complaint_id__in=complaint_ids) | Q(pk__in=attached))
        .select_related("complaint")
        .order_by("complaint_id", "sequence")
    ]
    groups = []
    for label, choices in ((_("Exhibits"), exhibits), (_("Statements"), statements), (_("Diligencias"), diligences)):
        if choices:
            groups.append((label, choices))
    return groups


def reports_of(case_file: CaseFile) -> list[Any]:
    """The police reports of the case file, newest first, with their versions. Two queries."""
    from investigations.models import CaseReport, CaseReportVersion

    return list(
        CaseReport.objects.filter(case_file=case_file)
        .select_related("conclusions_by", "transmitted_by", "created_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CaseReportVersion.objects.select_related("generated_by").order_by("-version"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def completeness_case_files(user: Any) -> QuerySet[CaseFile]:
    """The case files of the completeness list: an investigator's as her list; the monitor's by
    her scope (national) over the owning unit. Nobody else's."""
    from administration.access import scope_of
    from administration.roles import Role
    from investigations.models import CASE_ROLES

    role = getattr(user, "role", None)
    if role in CASE_ROLES:
        queryset = CaseFile.objects.visible_to(user)
    elif role == Role.MONITOR:
        scope = scope_of(user)
        queryset = CaseFile.objects.none() if scope.is_nothing else CaseFile.objects.filter(scope.q("owning_unit"))
    else:
        queryset = CaseFile.objects.none()
    return queryset.select_related("owning_unit").order_by("number")


# ---------------------------------------------------------------- the parts of one case file


def of_case(model: Any, case_file: CaseFile, **lookups: Any) -> QuerySet:
    """The rows of one part of a case file (a model with a `case_file` foreign key: places,
    vehicles, legs, tasks, exhibits, journal entries, reports...), for a view that has read the
    case file through the access primitive first (`views.case_files._readable`/`_workable`)."""
    return model._default_manager.filter(case_file=case_file, **lookups)


def one_of_case(model: Any, case_file: CaseFile, pk: Any, **lookups: Any) -> Any:
    """One row of a part of this case file; 404 when it is of another case file (or not there)."""
    row = of_case(model, case_file, **lookups).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise Http404
    return row
