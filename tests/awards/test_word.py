# ruff: noqa: F811  (the fixtures of test_documents, imported, are redefined as arguments)
"""The Word (.docx) versions of the official documents (issue 18, item 2): opened back with
python-docx and checked for the Decree 30 layout (header table, rules, number, italic date,
signature block, recipients, Times New Roman, the annex as a real table), converted to PDF with
LibreOffice to look at the pages, and the department's own templates, good and broken."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from awards.documents import build
from core import word

from .test_documents import (  # noqa: F401  (fixtures)
    make_decision,
    plan_2022,
    proposals,
    year_end,
)

SOFFICE = shutil.which("soffice")


def _docx(kind, params):
    built = build(kind, params, "docx")
    assert built.filename.endswith(".docx")
    assert built.content_type == word.CONTENT_TYPE
    return built.content, Document(io.BytesIO(built.content))


def test_try(cast, plan_2022):
    decision = make_decision(cast)
    content, doc = _docx("decision", {"decision": decision.pk})
    open("/tmp/word/decision.docx", "wb").write(content)
