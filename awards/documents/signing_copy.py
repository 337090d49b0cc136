"""A long decision's unsigned PDF prepared for signing, by the background worker.

Laying out a decision of a thousand awardees takes seconds; the signing request must not wait
for it. The worker builds the same PDF the download does, with an empty signature field where
the stamp goes (awards.services_signing.prepare_for_signing); the signing request then only
signs that file. No key is involved here: the key file stays in the signing request.
"""

from django.utils.translation import gettext_lazy

from ..access import can_sign_decision
from ..models import Decision
from . import Built, Kind, layout
from . import decision as decision_document


def clean(params: dict) -> dict:
    return decision_document.clean(params)


def allowed(user, params: dict) -> bool:
    """Only who may sign the decision prepares it for signing."""
    decision = Decision.objects.filter(pk=params["decision"]).first()
    return decision is not None and can_sign_decision(user, decision)


def build(params: dict, fmt: str, progress) -> Built:
    # Imported here: services_signing reads this package's registry and limits.
    from ..services_signing import prepare_for_signing

    decision = Decision.objects.get(pk=params["decision"])
    progress(10)
    content, pages = prepare_for_signing(decision)
    progress(100)
    name = decision_document.filename(decision, "pdf").replace(".pdf", "-chuan-bi-ky.pdf")
    return Built(content, name, layout.PDF_CONTENT_TYPE, decision_document.rows(params), pages)


KIND = Kind(title=gettext_lazy("Decision prepared for digital signing"), clean=clean,
            allowed=allowed, rows=decision_document.rows, build=build, formats=("pdf",))
