"""Numbering and keeping the register of outgoing documents (units/models_outgoing.py).

The rules (docs/register.md): a document takes the next number of its series for the year of
its date; a series is the kind (QĐ, KH, TB…) or, when the department chose one sequence for
every kind (Department.numbering), all of them. The counter row of the series is locked with
select_for_update while the number is taken and moves in the caller's transaction: two issues
at once wait for each other (never the same number) and a failed issue rolls the counter back
with everything else (never a gap). A cancelled number stays in the register with its reason.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record

from . import identity
from .models_outgoing import (
    ABBREVIATION,
    DocumentKind,
    DocumentState,
    OutgoingCounter,
    OutgoingDocument,
    format_number,
    number_key,
    sequence_in_series,
)


class RegisterError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def series_for(kind: str) -> str:
    return "" if identity.current().numbering == "shared" else kind


def _free(year: int, series: str, start: int) -> int:
    """The first sequence from `start` that no document of the series holds (a number typed
    in the register's own form took its place already)."""
    taken = set(OutgoingDocument.objects.filter(year=year, series=series, sequence__gte=start)
                .values_list("sequence", flat=True))
    while start in taken:
        start += 1
    return start


def next_number(kind: str, year: int, *, office: str = "VP") -> str:
    """The number the next document of this kind would take (shown on the form; not held)."""
    series = series_for(kind)
    last = (OutgoingCounter.objects.filter(year=year, series=series)
            .values_list("last", flat=True).first() or 0)
    return format_number(kind, _free(year, series, last + 1), symbol=identity.current().symbol,
                         office=office)


def _locked_counter(year: int, series: str) -> OutgoingCounter:
    # The row is made first if missing (ignore_conflicts: a concurrent maker wins, we wait on
    # its row), then locked: every issue of the series and year passes here one at a time.
    OutgoingCounter.objects.bulk_create([OutgoingCounter(year=year, series=series)],
                                        ignore_conflicts=True)
    return OutgoingCounter.objects.select_for_update().get(year=year, series=series)


def _refuse_taken(year: int, number: str) -> None:
    found = OutgoingDocument.objects.filter(year=year, number_key=number_key(number)).first()
    if found is not None:
        raise RegisterError(
            _("Number %(number)s is already in the register of %(year)s (%(subject)s, "
              "%(date)s): check the number, or leave it empty to take the next one.")
            % {"number": found.number, "year": year, "subject": found.subject[:80],
               "date": f"{found.issued_on:%d/%m/%Y}"})


@transaction.atomic
def register(*, kind, issued_on, subject, signer_name, user, signer_title="", number="",
             office="VP", recipients="", file=None, target=None,
             audit: bool = True) -> OutgoingDocument:
    """Enter a document in the register: with the next number of its series when `number` is
    empty, else with the number typed (a document numbered outside the portal; refused when
    the year's register holds it; written in the register's own form, the series continues
    after it). Locks the series' counter; audited unless the caller
    records the whole step itself (`audit=False`, e.g. awards.services.issue_decision)."""
    kind = DocumentKind(kind)
    year, series = issued_on.year, series_for(kind)
    symbol = identity.current().symbol
    office = (office or "").strip().upper() or "VP"
    counter = _locked_counter(year, series)
    number = " ".join((number or "").split())
    if number:
        _refuse_taken(year, number)
        sequence, typed = sequence_in_series(kind, number, symbol=symbol), True
        if sequence is not None and sequence > counter.last:
            # The numbers before it were given outside the portal (the paper register before
            # it, a day the portal was down): the register continues after it.
            counter.last = sequence
            counter.save(update_fields=["last"])
    else:
        sequence, typed = _free(year, series, counter.last + 1), False
        number = format_number(kind, sequence, symbol=symbol, office=office)
        counter.last = sequence
        counter.save(update_fields=["last"])
    document = OutgoingDocument(
        year=year, kind=kind, series=series, sequence=sequence, number=number, typed=typed,
        issued_on=issued_on, subject=subject.strip(), signer_name=signer_name.strip(),
        signer_title=(signer_title or "").strip(), office=office,
        recipients=(recipients or "").strip(), created_by=user, target=target)
    if file is not None:
        document.filename = file.name[:200]
        document.file.save(file.name, file, save=False)
    document.save()
    if audit:
        record(actor=user, action="outgoing.register", target=document,
               after={"number": number, "kind": kind.value, "issued_on": issued_on.isoformat(),
                      "subject": document.subject, "typed": typed})
    return document


@transaction.atomic
def cancel(document, *, reason: str, user) -> OutgoingDocument:
    """Cancel a number: it stays in the register, marked, with the reason."""
    document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
    if document.cancelled:
        raise RegisterError(_("Number %(number)s was already cancelled.")
                            % {"number": document.number})
    if document.target_id is not None:
        # A decision's number goes with the decision: revoking it is a document of its own.
        raise RegisterError(_("Number %(number)s belongs to %(target)s: it is not cancelled "
                              "here (revoke the decision instead, with a new document).")
                            % {"number": document.number, "target": document.target})
    if not reason.strip():
        raise RegisterError(_("Give the reason for cancelling the number."))
    document.state, document.cancelled_reason = DocumentState.CANCELLED, reason.strip()
    document.cancelled_at, document.cancelled_by = timezone.now(), user
    document.save(update_fields=["state", "cancelled_reason", "cancelled_at", "cancelled_by"])
    record(actor=user, action="outgoing.cancel", target=document,
           before={"state": DocumentState.ISSUED.value},
           after={"state": DocumentState.CANCELLED.value, "reason": document.cancelled_reason})
    return document


def abbreviation(kind: str) -> str:
    return ABBREVIATION[DocumentKind(kind)]
