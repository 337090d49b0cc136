"""Site-wide guard: every form of the portal reads numbers and dates the Vietnamese way.

Walks every module of the portal's apps, finds each Form and ModelForm class defined there, and
fails if a visible field is one of Django's own number or date fields (which read "14,5" as 145
or refuse "1.200") or renders a browser number or date input (which a browser set to English
reads the English way). Hidden fields (a version) carry no typing and are left alone. Templates
are searched for hand-written number and date inputs too.
"""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.widgets import ChoiceWidget

from core import forms as core_forms

APPS = ["core", "units", "campaigns", "tasks", "scoring", "awards"]
SKIPPED_PACKAGES = ("migrations", "management", "templatetags")
# Django's own fields that a person would type a number or date into the English way.
PLAIN = (forms.DecimalField, forms.FloatField, forms.IntegerField, forms.DateField)
OURS = (core_forms.NumberField, core_forms.DateField)


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(f".{part}" in info.name for part in SKIPPED_PACKAGES):
                continue
            yield importlib.import_module(info.name)


def _form_classes():
    found = {}
    for module in _modules():
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


FORMS = _form_classes()


def test_the_guard_finds_the_portals_forms():
    # A walk that found nothing would pass everything.
    assert {"campaigns.forms.CampaignForm", "tasks.forms.TaskForm", "scoring.forms.SheetForm",
            "awards.forms_proposals.VoteForm", "units.forms_registers.InitiativeForm",
            "units.forms_audit.AuditFilterForm"} <= set(FORMS)


def _problems(name, fields):
    problems = []
    for field_name, field in fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput) or widget.is_hidden:
            continue
        if isinstance(field, PLAIN) and not isinstance(field, OURS):
            problems.append(f"{name}.{field_name} is a plain {type(field).__name__}")
        if isinstance(widget, ChoiceWidget):
            continue  # a list to choose from: nothing is typed
        html = widget.render(field_name, None)
        if re.search(r'type="(number|date)"', html):
            problems.append(f"{name}.{field_name} renders {html}")
    return problems


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_visible_number_and_date_field_reads_vietnamese(name):
    # base_fields holds a ModelForm's generated fields too (through formfield_callback).
    assert _problems(name, FORMS[name].base_fields) == []


def test_the_guard_catches_a_plain_field():
    class Careless(forms.Form):
        count = forms.IntegerField()
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        version = forms.IntegerField(widget=forms.HiddenInput)

    assert _problems("Careless", Careless.base_fields) == [
        "Careless.count is a plain IntegerField",
        'Careless.count renders <input type="number" name="count">',
        "Careless.day is a plain DateField",
        'Careless.day renders <input type="date" name="day">',
    ]


def test_fields_made_per_row_read_vietnamese():
    """The vote's and the score sheet's fields are made per nominee and per criterion."""
    from awards.forms_proposals import VoteForm
    from awards.models import Nominee
    from scoring.forms import SheetForm
    from scoring.models import Criterion, Rule, Score

    nominees = [Nominee(pk=1), Nominee(pk=2)]
    assert _problems("VoteForm", VoteForm(nominees=nominees).fields) == []
    scores = [Score(pk=1, applicable=True, points=None, note="",
                    criterion=Criterion(number="3", max_points=10, rule=Rule.MANUAL))]
    sheet = SheetForm(mode="appraise", scores=scores)
    assert "points_1" in sheet.fields
    assert _problems("SheetForm", sheet.fields) == []


def test_no_template_writes_a_number_or_date_input():
    roots = [Path(settings.BASE_DIR) / "templates",
             *(Path(settings.BASE_DIR) / app / "templates" for app in APPS)]
    found = [f"{path}: {match.group(0)}"
             for root in roots if root.exists() for path in root.rglob("*.html")
             for match in re.finditer(r'type="(number|date)"', path.read_text())]
    assert found == []
