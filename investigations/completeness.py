"""Completeness of a case file (issue 11, item 8): a score from 0 to 100 computed from named checks,
each with a label, so the unit and the monitoring secretariat see what is missing before the
police report is sent.

The checks (`CHECKS`, each worth the same):
  lead         a lead investigator assigned (and still assigned);
  victim       at least one victim among the persons in roles;
  trafficker   at least one alleged trafficker;
  recruitment  a route leg of the recruitment stage;
  destination  a route leg of the destination stage;
  evidence     at least one exhibit, or one diligencia (attached, or of a linked complaint);
  proof        every legal element of the proof matrix that needs support has one
               (investigations.proof);
  conclusions  the conclusions of the police report written by the lead.
score = 100 × passed / number of checks, rounded half up.

`completeness_for(case_files)` scores a page of case files in a fixed number of queries (the
per-check facts are `Exists` annotations, `annotate_checks`; the proof elements are read for all of
them at once). Imports the models of `investigations` and `diligences` and `investigations.proof`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from diligences.models import Diligence
from investigations import proof
from investigations.models import (
    CaseAssignment,
    CaseComplaint,
    CaseDiligence,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CaseReport,
    Exhibit,
    LegStage,
    ProofLink,
    RouteLeg,
)

CHECKS: tuple[tuple[str, Any], ...] = (
    ("lead", _("A lead investigator is assigned")),
    ("victim", _("At least one victim is recorded")),
    ("trafficker", _("At least one alleged trafficker is recorded")),
    ("recruitment", _("The route has a recruitment leg")),
    ("destination", _("The route has a destination leg")),
    ("evidence", _("At least one exhibit or diligencia")),
    ("proof", _("Every legal element of the proof matrix has a support")),
    ("conclusions", _("The lead investigator wrote the conclusions of the report")),
)
LABELS = dict(CHECKS)


@dataclass(frozen=True)
class Check:
    code: str
    label: Any
    passed: bool


@dataclass(frozen=True)
class Completeness:
    checks: tuple[Check, ...]

    @property
    def score(self) -> int:
        """Rounded half up: 1 check of 8 is 13."""
        total = len(self.checks)
        passed = sum(check.passed for check in self.checks)
        return (200 * passed + total) // (2 * total) if total else 100

    @property
    def missing(self) -> list[Any]:
        return [check.label for check in self.checks if not check.passed]


def annotate_checks(queryset: QuerySet[CaseFile]) -> QuerySet[CaseFile]:
    """The facts of each check but `proof`, as boolean annotations `check_<code>`."""
    case = OuterRef("pk")
    complaints = CaseComplaint.objects.filter(case_file=case).values("complaint_id")
    return queryset.annotate(
        check_lead=Exists(
            CaseAssignment.objects.filter(case_file=case, investigator=OuterRef("lead"), ended_at__isnull=True)
        ),
        check_victim=Exists(CasePerson.objects.filter(case_file=case, role=CasePersonRole.VICTIM)),
        check_trafficker=Exists(CasePerson.objects.filter(case_file=case, role=CasePersonRole.ALLEGED_TRAFFICKER)),
        check_recruitment=Exists(RouteLeg.objects.filter(case_file=case, stage=LegStage.RECRUITMENT)),
        check_destination=Exists(RouteLeg.objects.filter(case_file=case, stage=LegStage.DESTINATION)),
        check_exhibit=Exists(Exhibit.objects.filter(case_file=case)),
        check_attached=Exists(CaseDiligence.objects.filter(case_file=case)),
        check_complaint_diligence=Exists(Diligence.objects.filter(complaint_id__in=complaints)),
        check_conclusions=Exists(CaseReport.objects.filter(case_file=case).exclude(conclusions="")),
    )


def completeness_for(case_files: Sequence[CaseFile]) -> dict[int, Completeness]:
    """The completeness of each case file (annotated by `annotate_checks`), by primary key: three
    more queries whatever their number."""
    ids = [case_file.pk for case_file in case_files]
    legal = proof.complaints_legal(ids)
    supported: dict[int, set[str]] = {}
    for case_id, code in ProofLink.objects.filter(case_file_id__in=ids, withdrawn_at__isnull=True).values_list(
        "case_file_id", "element_code"
    ):
        supported.setdefault(case_id, set()).add(code)
    result = {}
    for case_file in case_files:
        elements = proof.proof_elements(legal.get(case_file.pk, []))
        proved = all(
            element.code in supported.get(case_file.pk, set()) for element in elements if element.needs_support
        )
        facts = {
            "lead": case_file.check_lead,
            "victim": case_file.check_victim,
            "trafficker": case_file.check_trafficker,
            "recruitment": case_file.check_recruitment,
            "destination": case_file.check_destination,
            "evidence": case_file.check_exhibit or case_file.check_attached or case_file.check_complaint_diligence,
            "proof": proved,
            "conclusions": case_file.check_conclusions,
        }
        result[case_file.pk] = Completeness(tuple(Check(code, label, bool(facts[code])) for code, label in CHECKS))
    return result


def case_completeness(case_file: CaseFile) -> Completeness:
    """The completeness of one case file (a fixed number of queries)."""
    annotated = annotate_checks(CaseFile.objects.filter(pk=case_file.pk)).get()
    return completeness_for([annotated])[case_file.pk]


def rows_for(case_files: Iterable[CaseFile]) -> list[tuple[CaseFile, Completeness]]:
    case_files = list(case_files)
    scores = completeness_for(case_files)
    return [(case_file, scores[case_file.pk]) for case_file in case_files]
