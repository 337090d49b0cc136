"""How the audit trail's lines read: every key by its Vietnamese name, every value as people
write it — an object by its name, a status by its label, a date as dd/mm/yyyy, a number with a
decimal comma, yes or no — never as raw JSON with ids.

Each app says, from its AppConfig.ready (`<app>/audit_keys.py`), what its actions are called
(`name_actions`), how the keys it records read (`explain`) and how its objects are named
(`name_objects`); a key that is a field of the line's object reads as that field. `describe`
then shows a page of lines, naming every object they mention with one query per kind of object,
whatever the number of lines.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

VALUE_LENGTH = 300  # on the page; the Excel export keeps every value whole
NONE = "—"


@dataclass(frozen=True)
class Key:
    """How one recorded key reads.

    `label` names it (with "%(key)s" for keys that are themselves data, such as a criterion's
    number); `model` ("app_label.Model") is the kind of object whose ids the value holds — one
    id, a list of ids, or a mapping keyed by ids; `each` is how the values of such a mapping
    read; `choices` maps stored values to labels; `parts` name the items of a list value in
    order; `fields_of` reads a mapping's keys as the fields of that model; `order` is the order
    a mapping's keys are read in.
    """

    label: object
    model: str | None = None
    each: "Key | None" = None
    choices: object = None
    parts: tuple = ()
    fields_of: str | None = None
    order: tuple = ()

    def named(self, key: str) -> str:
        return str(self.label) % {"key": key} if "%(key)s" in str(self.label) else str(self.label)


ACTIONS: dict[str, object] = {}  # "action" → what the trail's page calls it
KEYS: dict[str, Key] = {}  # "key", or "action:key" for a key that reads differently there
# "app_label.Model" → (the fields that name one, how to join them: None for " – ")
NAMES: dict[str, tuple[tuple[str, ...], Callable | None]] = {}
DEFAULT_NAMES = ("full_name", "name", "title", "number", "code", "username")


def name_actions(labels: dict) -> None:
    """Say what the trail's page (and its search) calls each of these actions."""
    ACTIONS.update(labels)


def action_label(code: str) -> str:
    """The Vietnamese (or English) name of an action; the code itself for an unknown one."""
    return str(ACTIONS.get(code, code))


def explain(key: str, label, *, action: str | tuple[str, ...] | None = None, **how) -> None:
    """Say how `key` reads on the trail's page (in the lines of `action` only, when given)."""
    actions = (action,) if isinstance(action, str) else action
    for one in actions or (None,):
        KEYS[f"{one}:{key}" if one else key] = Key(label, **how)


def name_objects(model: str, *paths: str, shown: Callable | None = None) -> None:
    """Name the objects of `model` by these fields, read in one query: their values joined by
    " – " (empty ones left out), or `shown(*values)`."""
    NAMES[model] = (paths, shown)


def key_for(action: str, key: str, model=None, *, top: bool = True) -> Key | None:
    """The reading of `key` in a line of `action` about an object of `model`: the action's own
    ("action:*" for any key at the top of its line), else the portal-wide one, else the
    model's field of that name; None if nothing says."""
    found = KEYS.get(f"{action}:{key}") or (top and KEYS.get(f"{action}:*")) or KEYS.get(key)
    if found is not None:
        return found
    return _field_key(model, key)


def _field_key(model, key) -> Key | None:
    if model is None or not key:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    if not hasattr(found, "verbose_name"):
        return None  # a reverse relation, not a field of the row
    related = found.related_model._meta.label if found.is_relation and found.related_model \
        else None
    return Key(capfirst(found.verbose_name), model=related,
               choices=dict(found.flatchoices) if found.choices else None)


# --- A page of lines ----------------------------------------------------------------------


@dataclass
class _Names:
    """The names of the objects a page mentions: asked for while reading the lines once, then
    read with one query per model, then used while reading them again."""

    wanted: dict = field(default_factory=lambda: defaultdict(set))
    found: dict = field(default_factory=dict)
    ready: bool = False

    def __call__(self, model: str, pk) -> str:
        key = str(pk)
        if not self.ready:
            self.wanted[model].add(key)
            return key
        name = self.found.get((model, key))
        return _("no. %(id)s (no longer exists)") % {"id": key} if name is None else name

    def read(self) -> None:
        for label, pks in self.wanted.items():
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                continue
            paths, shown = NAMES.get(label) or (_default_paths(model), None)
            ids = [pk for pk in pks if pk.isdigit()] if _integer_pk(model) else list(pks)
            choices = [_choices_of(model, path) for path in paths]
            for row in model._base_manager.filter(pk__in=ids).values_list("pk", *paths):
                values = [chosen.get(value, value) if chosen else value
                          for value, chosen in zip(row[1:], choices, strict=True)]
                name = shown(*values) if shown else " – ".join(
                    str(value) for value in values if value not in (None, ""))
                self.found[(label, str(row[0]))] = name or str(row[0])
        self.ready = True


def _default_paths(model) -> tuple[str, ...]:
    names = {f.name for f in model._meta.concrete_fields}
    return tuple(n for n in DEFAULT_NAMES if n in names)[:1] or ("pk",)


def _integer_pk(model) -> bool:
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField",
                                                 "BigIntegerField", "SmallAutoField")


def _choices_of(model, path):
    current = model
    found = None
    for part in path.split("__"):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        current = found.related_model or current
    return dict(found.flatchoices) if found is not None and found.choices else None


def describe(entries, *, length: int | None = VALUE_LENGTH) -> None:
    """Set `rows` — [(label, before, after)] of every value that changed, as text — on each
    audit line of `entries`, naming the objects they mention in one query per model."""
    entries = list(entries)
    names = _Names()
    for entry in entries:
        _rows(entry, names, length)  # only to learn which objects are named
    names.read()
    for entry in entries:
        entry.rows = _rows(entry, names, length)


def _model_of(entry):
    if not entry.content_type_id:
        return None
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()  # cached


def _as_dict(value) -> dict:
    if value is None:
        return {}
    return value if isinstance(value, dict) else {"": value}


def _ordered(keys, model, first=()) -> list:
    """Keys in the order people expect — `first`, then the model's fields in its order, then
    the order the apps explained them — not the order the database kept them in (PostgreSQL's
    jsonb keeps its own)."""
    fields = [f.name for f in model._meta.get_fields()] if model is not None else []
    known = list(KEYS)

    def rank(key):
        if key in first:
            return (0, first.index(key), ())
        if key in fields:
            return (1, fields.index(key), ())
        if key in known:
            return (2, known.index(key), ())
        # Keys that are data, such as criteria numbers: "2" before "10", "3" before "3.1".
        return (3, 0, tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                            for part in re.split(r"(\d+)", str(key)) if part))

    return sorted(keys, key=rank)


def _rows(entry, names, length):
    model = _model_of(entry)
    before, after = _as_dict(entry.before), _as_dict(entry.after)
    keys = _ordered(set(before) | set(after), model)
    missing = object()
    rows = []
    for key in keys:
        if before.get(key, missing) == after.get(key, missing):
            continue
        how = key_for(entry.action, key, model) or Key(key or _("Value"))
        was = _shown(before.get(key), how, names, entry.action, model)
        now = _shown(after.get(key), how, names, entry.action, model)
        if was != now:  # nothing → empty text is no change to a reader
            rows.append((how.named(key), _cut(was, length), _cut(now, length)))
    return rows


def _cut(text: str, length: int | None) -> str:
    if length is None or len(text) <= length:
        return text
    return text[:length] + "…"


# --- One value ----------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _shown(value, how: Key, names: Callable, action: str, model) -> str:
    # "None" is str(None), as some lines stored an empty value.
    if value is None or value == "None" or value == "":
        return NONE
    if how.model and isinstance(value, dict):
        each = how.each or Key("")  # one object a line: the page keeps the line breaks
        lines = sorted(f"{names(how.model, pk)}: {_shown(inner, each, names, action, model)}"
                       for pk, inner in value.items())  # by name: the same on every database
        return "\n".join(lines) or NONE
    if how.model and isinstance(value, list):
        return ", ".join(names(how.model, pk) for pk in value) or NONE
    if how.model and _is_id(value):
        return names(how.model, value)
    if how.choices is not None and isinstance(value, str | int) and not isinstance(value, bool):
        return str(dict(how.choices).get(value, value))
    if isinstance(value, dict):
        inner_model = apps.get_model(how.fields_of) if how.fields_of else model
        parts = []
        for key in _ordered(value, inner_model, how.order):
            inner = value[key]
            inner_how = key_for(action, key, inner_model, top=False) or Key(key)
            parts.append(f"{inner_how.named(key)}: "
                         f"{_shown(inner, inner_how, names, action, inner_model)}")
        return ", ".join(parts) or NONE
    if isinstance(value, list):
        if how.parts and len(how.parts) == len(value):
            return ", ".join(f"{part}: {_scalar(item)}"
                             for part, item in zip(how.parts, value, strict=True))
        if how.each is not None:
            return ", ".join(f"({_shown(item, how.each, names, action, model)})"
                             for item in value) or NONE
        return ", ".join(_scalar(item) for item in value) or NONE
    return _scalar(value)


def _is_id(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit())


def _scalar(value) -> str:
    """A plain value as people read it: yes/no, dates dd/mm/yyyy (moments in local time),
    numbers with a decimal comma."""
    if value is None or value == "None" or value == "":
        return NONE
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float | Decimal):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return formats.date_format(datetime.date.fromisoformat(value), "d/m/Y")
        if _ISO_MOMENT.match(value):
            moment = parse_datetime(value)
            if moment is not None:
                local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
                return formats.date_format(local, "d/m/Y H:i")
        if _DECIMAL.match(value):
            try:
                return formats.number_format(Decimal(value), use_l10n=True)
            except InvalidOperation:
                return value
    if isinstance(value, list | dict):
        return "; ".join(_scalar(v) for v in (value.values() if isinstance(value, dict)
                                               else value))
    return str(value)
