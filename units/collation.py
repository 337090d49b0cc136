"""Vietnamese alphabetical order, the same on SQLite and on PostgreSQL, and the one rule for
ordering people.

PostgreSQL sorts with ICU's vi-VN collation (CLDR: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư as
letters; the tones none < huyền < hỏi < ngã < sắc < nặng as accents, compared only where the
letters are equal; lower case before upper case after that). SQLite knows nothing of it: by
character code "Đào" came after "Võ" and "Chuyên" before "Chơn". `sort_key` below computes the
same order in Python, level by level as ICU does, and `register_sqlite_collation` installs it on
every SQLite connection under the name `COLLATION`; a migration (units 0006) creates a
PostgreSQL ICU collation of the same name. Queries then say `vi(expression)` (a `Collate`)
and sort alike on both databases; tests/units/test_collation.py checks the two orders agree.

People are ordered by given name (the last word), then by the rest of the name (family name,
then middle names), as Vietnamese official lists are: `person_order()` for querysets,
`person_key()` for lists sorted in Python (the PDFs), and `display_name()` for a person's name
as written, family name first.
"""

import functools
import unicodedata

from django.db.models import CharField, F, Func, Q, TextField, Transform
from django.db.models.functions import Collate

COLLATION = "vietnamese"

# Characters other than letters in CLDR's root order (ICU 72, checked against PostgreSQL 15 in
# tests/units/test_collation.py): spaces, punctuation, symbols, then digits. Only those a name
# of a person or a unit may contain; anything else sorts after the letters by character code.
_OTHERS = (
    "_-\u2010\u2012\u2013\u2014\u2015,;:!?.\u2026\u00b7'\u2018\u2019\"\u201c\u201d"
    "\u00ab\u00bb()[]{}\u00a7@*/\\&#%\u2022`^\u00b0+\u00f7\u00d7<=>|~$0123456789"
)
# The Vietnamese alphabet, with the letters of foreign names where CLDR puts them.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {char: index for index, char in enumerate(" " + _OTHERS + _LETTERS, start=1)}
# Third-level weights: lower case (and anything without case) first, then variants such as the
# ellipsis (three full stops), then upper case, then the no-break space and hyphen (which
# differ from the plain ones only at this level, as case does).
_LOWER, _COMPAT, _UPPER, _NO_BREAK = 1, 2, 3, 4
_THIRD_LEVEL_VARIANTS = {"\u2026": ("...", _COMPAT),
                         "\u00a0": (" ", _NO_BREAK), "\u2011": ("\u2010", _NO_BREAK)}
_FALLBACK = len(_PRIMARY) + 2  # characters not listed: after "z", by character code

# The letters that combine a base letter with a shape mark (breve, circumflex, horn).
_SHAPED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
           ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# Accents, compared at the second level: the five tones in CLDR's Vietnamese order (huyền,
# hỏi, ngã, sắc, nặng), then the accents of foreign names (é, ü, ç…) in root order.
_ACCENTS = {mark: weight for weight, mark in enumerate(
    "\u0300\u0309\u0303\u0301\u0323"  # grave, hook above, tilde, acute, dot below
    "\u0306\u0302\u030c\u030a\u0308\u030b\u0307\u0304\u0328\u0327",  # breve … cedilla
    start=2)}


# Letters CLDR sorts as another letter with an accent: the eth "Ð" (U+00D0) that old Vietnamese
# encodings left in place of "Đ" sorts as "D" in ICU, not as "Đ".
_VARIANTS = {"ð": ("d", 60)}


def _elements(text: str) -> list[tuple[int, int, int]]:
    """ICU-like collation elements (primary, secondary, tertiary) of a text: one per letter,
    digit, space or sign, and one per accent (no primary weight, as in ICU)."""
    elements: list[list[int]] = []
    base = None  # the last letter, which a following shape mark turns into ă, â, ê, ô, ơ, ư
    between = 0  # the highest combining class of the accents since that letter
    for char in unicodedata.normalize("NFD", text):
        if combining := unicodedata.combining(char):
            shaped = _SHAPED.get((base[3], char)) if base else None
            if shaped and between < combining:
                # NFD puts a dot below (class 220) before the circumflex (230): "ậ" is a, dot
                # below, circumflex. As in ICU, the shape still joins its letter across accents
                # of a lower class, not across one of the same class ("á" then a breve).
                base[0], base[3] = _PRIMARY[shaped], shaped
            else:
                # Accents foreign to Vietnamese and not listed: after those listed.
                elements.append([0, _ACCENTS.get(char, 40 + ord(char) % 200), 1, ""])
                between = max(between, combining)
            continue
        between = 0
        if unicodedata.category(char) == "Cf":  # zero-width and other invisible characters
            continue
        lower, tertiary = char.lower(), _LOWER
        if lower != char:
            tertiary = _UPPER
        elif char in _THIRD_LEVEL_VARIANTS:
            lower, tertiary = _THIRD_LEVEL_VARIANTS[char]
        for letter in lower:
            if letter in _VARIANTS:
                like, accent = _VARIANTS[letter]
                base = [_PRIMARY[like], 1, tertiary, letter]
                elements += [base, [0, accent, 1, ""]]
            else:
                base = [_PRIMARY.get(letter, _FALLBACK + ord(letter)), 1, tertiary, letter]
                elements.append(base)
    return [(p, s, t) for p, s, t, _letter in elements]


def _pack(weights) -> bytes:
    # Three bytes per weight, none of them 0 or 1 (those separate the levels).
    return b"".join(bytes((2 + (w >> 14 & 0x7F), 2 + (w >> 7 & 0x7F), 2 + (w & 0x7F)))
                    for w in weights)


@functools.lru_cache(maxsize=32768)
def sort_key(text: str) -> bytes:
    """The text's position in Vietnamese order, as bytes compared byte by byte (like an ICU
    sort key): the letters, then the accents, then the case, then the text itself, which is
    how PostgreSQL breaks ties between texts ICU finds equal (different Unicode forms)."""
    elements = _elements(text)
    return b"\x01".join((
        _pack(p for p, _s, _t in elements if p),
        _pack(s for _p, s, _t in elements),
        _pack(t for _p, _s, t in elements),
    )) + b"\x00" + text.encode()


def compare(a: str | None, b: str | None) -> int:
    """-1, 0 or 1 as `a` sorts before, with or after `b` (the SQLite collation's contract)."""
    key_a, key_b = sort_key(a or ""), sort_key(b or "")
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: installs the Vietnamese collation (and the lower case of
    every letter, for searches) on a SQLite connection.

    Registered per connection and only used by queries (never declared on a column), so the
    database file stays readable by any SQLite tool that does not know the collation.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
        connection.connection.create_function(LOWER_FUNCTION, 1, _lower, deterministic=True)


def vi(expression) -> Collate:
    """`expression` (a field's path or an expression) compared in Vietnamese order, on either
    database. Used in queries, not declared on columns (`db_collation`): a SQLite file whose
    columns named a collation only the portal registers could not be read by other tools
    (the sqlite3 shell, `manage.py dbshell`), and a PostgreSQL database keeps its own default
    collation whatever it is, since every ordering that matters says which one it wants."""
    return Collate(F(expression) if isinstance(expression, str) else expression, COLLATION)


def unit_order(path: str = "") -> list:
    """order_by() arguments for units: their order in the organisation, then their name in
    Vietnamese order; `path` leads to the unit ("unit__", "proposal__unit__")."""
    return [F(f"{path}order").asc(), vi(f"{path}name").asc()]


# -- searching -----------------------------------------------------------------------------------
# SQLite's LIKE and lower() fold the case of ASCII letters only: "ánh" did not find "Ánh" on
# SQLite while PostgreSQL found it. Both now compare the lower case of every letter; accents
# still count ("Ha" does not find "Hà"), as on PostgreSQL.

LOWER_FUNCTION = "vi_lower"


def _lower(text):
    return None if text is None else text.lower()


class UnicodeLower(Transform):
    """`field__unicode_lower`: the text in lower case, every letter of it, on both databases."""

    lookup_name = "unicode_lower"

    @property
    def output_field(self):
        return TextField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL
        # Under the ICU collation, whatever the database's default: a C default would lower
        # ASCII letters only.
        sql, params = compiler.compile(self.lhs)
        return f'lower(({sql}) COLLATE "{COLLATION}")', params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"{LOWER_FUNCTION}({sql})", params


CharField.register_lookup(UnicodeLower)
TextField.register_lookup(UnicodeLower)


def contains_text(*paths: str, text: str) -> Q:
    """Rows where any of the fields at `paths` contains `text`, whatever the case of letters."""
    query = Q()
    for path in paths:
        query |= Q(**{f"{path}__unicode_lower__contains": text.lower()})
    return query


# -- people -----------------------------------------------------------------------------------
# A full name is written family name first ("Lý Thanh Phong"): the given name is the last word.
# Both databases split it the same way as `split_name`: at the last space.


def split_name(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name): ("Lý Thanh", "Phong")."""
    rest, space, given = full_name.rpartition(" ")
    return (rest.rstrip(" "), given) if space else ("", full_name)


def person_key(full_name: str) -> tuple[bytes, bytes]:
    """Python sort key of a person: the given name, then the family and middle names."""
    rest, given = split_name(full_name or "")
    return sort_key(given), sort_key(rest)


class GivenName(Func):
    """The last word of a full name ("Phong" of "Lý Thanh Phong")."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL
        return super().as_sql(compiler, connection, template="substring(%(expressions)s "
                              "from '[^ ]*$')", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # rtrim(x, <x without spaces>) strips the last word, leaving the name up to its last
        # space; what follows that is the given name. SQLite has no regular expressions.
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"substr({sql}, length(rtrim({sql}, replace({sql}, ' ', ''))) + 1)",
                params * 3)


class FamilyName(Func):
    """Everything before the given name ("Lý Thanh" of "Lý Thanh Phong"), no trailing space."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL
        return super().as_sql(compiler, connection, template="regexp_replace(%(expressions)s, "
                              "' *[^ ]*$', '')", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rtrim(rtrim({sql}, replace({sql}, ' ', '')), ' ')", params * 2


def person_order(full_name: str = "full_name") -> list:
    """order_by() arguments that list people the Vietnamese way: given name, then family and
    middle names, both in Vietnamese order; `full_name` is the path to the name
    ("staff__full_name" from an award). The same order as sorted(key=person_key).

    Rows without a person (an award to the unit itself) come first on both databases, which
    otherwise disagree on where NULL sorts.
    """
    return [vi(GivenName(F(full_name))).asc(nulls_first=True),
            vi(FamilyName(F(full_name))).asc(nulls_first=True)]


def display_name(user) -> str:
    """A signed-in person's name as written, family name first ("Lý Thanh Phong"): their staff
    record's full name, else the account's name in Vietnamese order, else the username.

    Django's get_full_name() writes "first last", which for a Vietnamese account (first name
    "Phong", last name "Lý Thanh") reads backwards.
    """
    if user is None:
        return ""
    staff = getattr(user, "staff_member", None)
    if staff is not None:
        return staff.full_name
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()



# -- searching --------------------------------------------------------------------------------


def search_key(text: str | None) -> str:
    """`text` without accents, shapes or case, spaces collapsed: "Nguyễn  Văn Ấn" and a
    decomposed "Nguyễn Văn Ấn" both give "nguyen van an", as people type them without accents.
    Stored beside names (StaffMember.name_key) so a search is one LIKE on both databases."""
    folded = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
