"""The department's organisation: units as a tree, the people in them, and their roles."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .collation import display_name, person_order, search_key, unit_order


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department of Education and Training")
    BOARD = "board", _("Board of directors")
    OFFICE = "office", pgettext_lazy("unit kind", "Office")
    FUNCTIONAL = "functional", _("Functional department")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    SCHOOL = "school", _("School")
    CENTRE = "centre", _("Centre")
    UNION = "union", _("Trade union")


# Units that implement a plan as "phòng thuộc Sở" (offices, departments, the inspectorate) and
# as "đơn vị trực thuộc" (affiliated schools and centres).
INTERNAL_KINDS = (UnitKind.OFFICE, UnitKind.FUNCTIONAL, UnitKind.INSPECTORATE)
AFFILIATED_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)
# The dashboards filter by these groups; the lists their figures link to take the same names.
UNIT_KIND_GROUPS = {"internal": INTERNAL_KINDS, "affiliated": AFFILIATED_KINDS}
KIND_GROUP_LABELS = {"internal": _("Departments of the DoET"), "affiliated": _("Affiliated units")}


class UnitQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every unit's details; anyone else their own unit's."""
        if viewer.reads_everything:
            return self
        return self.filter(pk=viewer.unit_id)

    def active(self):
        return self.filter(is_active=True)

    def assignable(self):
        """Units that may receive new work (tasks, plan duties, imports): active, not merged
        away, and not the department itself. Past work of the others stays where it is."""
        return self.filter(is_active=True, merged_into__isnull=True).exclude(
            parent__isnull=True)

    def merged_into_unit(self, unit):
        """The units merged into `unit`, whose history its page links to."""
        return self.filter(merged_into=unit).order_by("-merged_on", "pk")

    def affiliated(self):
        return self.filter(kind__in=AFFILIATED_KINDS)

    def internal(self):
        return self.filter(kind__in=INTERNAL_KINDS)

    def with_staff_counts(self):
        return self.annotate(
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True)
        )


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("Used in tables and menus.")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(pgettext_lazy("unit", "kind"), max_length=20,
                            choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    headcount = models.PositiveIntegerField(
        _("headcount"),
        null=True,
        blank=True,
        help_text=_("Total staff of the unit, including people without a portal record."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The day a deactivation or a merge took effect: the unit's work before it stays its own.
    inactive_since = models.DateField(_("inactive since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="merged_units",
    )
    merged_on = models.DateField(_("merged on"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = unit_order()
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="unit_not_own_parent"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="unit_not_merged_into_itself"
            ),
            # A merge has both its target and its day, or neither.
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_on__isnull=True)
                | Q(merged_into__isnull=False, merged_on__isnull=False),
                name="unit_merge_has_a_date",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.pk])

    @property
    def label(self):
        return self.short_name or self.name

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def ancestors(self) -> list["Unit"]:
        """The parent, its parent, … up to the department (one query per level: trees are
        three or four levels deep)."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def leading_staff(self):
        """The unit's active unit heads, with their accounts: what a merge or a transfer turns
        into ordinary staff (units.organisation._transfer_all), named on the merge page."""
        return self.staff.active().filter(role=Role.UNIT_HEAD).select_related("user")

    def descendant_ids(self) -> set[int]:
        """Ids of every unit below this one, read level by level (one query per level)."""
        found, level = set(), {self.pk}
        while level:
            level = set(Unit.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            level -= found | {self.pk}
            found |= level
        return found


class StaffCategory(models.TextChoices):
    CADRE = "cadre", _("cán bộ")
    CIVIL_SERVANT = "civil_servant", _("công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("viên chức")
    WORKER = "worker", _("người lao động")


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    OFFICE = "office", pgettext_lazy("role", "Office staff")
    UNION = "union", _("Trade union staff")
    UNIT_HEAD = "unit_head", _("Unit head")
    STAFF = "staff", _("Staff member")
    ADMIN = "admin", _("Administrator")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class StaffMemberQuerySet(models.QuerySet):
    # Bulk writes skip save(): the search key is kept here too, for imports and loaders.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.name_key = search_key(person.full_name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "full_name" in fields:
            objs = list(objs)
            for person in objs:
                person.name_key = search_key(person.full_name)
            fields = [*fields, "name_key"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def active(self):
        return self.filter(is_active=True)

    def with_email(self, email: str):
        """Active people with this e-mail address, whatever its case (an address belongs to
        one active person: see StaffMember.email)."""
        return self.active().filter(email__iexact=email.strip()) if email.strip() else self.none()

    def search(self, text: str):
        """People whose name contains `text`, whatever its accents and case ("nguyen van an"
        finds "Nguyễn Văn An"); a staff code matches too."""
        key = search_key(text)
        if not key:
            return self
        return self.filter(Q(name_key__contains=key) | Q(staff_code__iexact=text.strip()))

    def with_unit_on(self, day):
        """Annotate `unit_then`: the unit each person was in on `day`, from their transfers
        (the last one on or before the day; before any transfer, the unit the first one left;
        never transferred, the unit they are in). Ratings and counts of past years read it, so
        a person moved in 2025 still counts for their 2022 unit."""
        from django.db.models import F, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        transfers = StaffTransfer.objects.filter(staff=OuterRef("pk")).order_by()
        arrived = transfers.filter(on__lte=day).order_by("-on", "-pk").values("to_unit")[:1]
        left = transfers.filter(on__gt=day).order_by("on", "pk").values("from_unit")[:1]
        return self.annotate(unit_then=Coalesce(Subquery(arrived), Subquery(left), F("unit_id"),
                                                output_field=models.IntegerField()))

    def in_unit_on(self, unit, day):
        """The people who were in `unit` on `day` (see with_unit_on)."""
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        return self.with_unit_on(day).filter(unit_then=unit_id)

    def leaders_first(self):
        """Heads and directors first, as a unit's staff list is read: by their portal role, else
        by the position an HR file gives them (imported staff have no role yet, and the head's
        account is created from this list), heads before deputies; then by name (given name
        first, the Vietnamese way: units.collation.person_order)."""
        heads = Q()
        for title in HEAD_TITLES:
            heads |= Q(position__startswith=title)
        return self.annotate(
            leads=Case(When(role__in=[Role.DIRECTOR, Role.UNIT_HEAD], then=Value(0)),
                       When(heads, then=Value(1)),
                       When(position__startswith="Phó ", then=Value(2)),
                       default=Value(3))
        ).order_by("leads", *person_order(), "pk")


# How an education unit's head is titled (as HR files write it): Giám đốc (the department, a
# centre), Hiệu trưởng (a school), Trưởng phòng / Trưởng ban, Chánh Văn phòng / Chánh Thanh
# tra, Chủ tịch Công đoàn. A deputy's title starts with "Phó ".
HEAD_TITLES = ("Giám đốc", "Hiệu trưởng", "Trưởng phòng", "Trưởng ban", "Chánh ", "Chủ tịch")


def staff_date_problems(*, date_of_birth, recruitment_date, sector_start_date,
                        today) -> dict[str, str]:
    """What cannot be right in a person's dates, by field (the staff form and the staff import
    both say it): a birth after today, a start in the sector or the unit before the birth (a
    year typed wrong: 2030 for 2003), or more than a year ahead (a recruitment from the next
    school year is allowed)."""
    problems = {}
    if date_of_birth and date_of_birth > today:
        problems["date_of_birth"] = _("The date of birth is after today: check the year.")
    ahead = today + datetime.timedelta(days=366)
    for name, day in (("recruitment_date", recruitment_date),
                      ("sector_start_date", sector_start_date)):
        if not day:
            continue
        if date_of_birth and day < date_of_birth:
            problems[name] = _("This date is before the date of birth: check the year.")
        elif day > ahead:
            problems[name] = _("This date is more than a year ahead: check the year.")
    return problems


class StaffMember(models.Model):
    full_name = models.CharField(_("full name"), max_length=120)
    # The name without accents or case (units.collation.search_key), kept on save: the search of
    # a 3,000-person unit is one indexed LIKE instead of folding every name in Python.
    name_key = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    # The HR system's number for the person, the stable key of the staff import; optional.
    staff_code = models.CharField(_("staff code"), max_length=40, null=True, blank=True,
                                  unique=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    # The person's own address, as HR's sheet has it; optional (many sheets have none). It is
    # the source of the address of the person's account (units.organisation.save_staff, the
    # staff import and units.invitations.create_accounts copy it to user.email): edit it here,
    # not on the account. One active person per address, checked by the forms and the import
    # (not a database constraint: one import may swap two people's addresses): a shared
    # mailbox could reset both accounts' passwords.
    email = models.EmailField(_("e-mail address"), blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    category = models.CharField(_("category"), max_length=20, choices=StaffCategory.choices)
    role = models.CharField(_("portal role"), max_length=20, choices=Role.choices,
                            default=Role.STAFF)
    recruitment_date = models.DateField(_("recruitment date"), null=True, blank=True)
    # Ngày vào ngành: the first day in the education sector, which may be years before the
    # recruitment at this unit; the seniority medal counts the years from it.
    sector_start_date = models.DateField(
        _("in the education sector since"), null=True, blank=True,
        help_text=_("The first day of service in the education sector (ngày vào ngành)."))
    is_active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True,
                               help_text=_("Retired or moved away: the day they left."))
    reports_for_unit = models.BooleanField(
        _("reports progress for the unit"), default=False,
        help_text=_("Set by the unit head: this person may write and submit the unit's progress "
                    "reports."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        # Every list of people, the Vietnamese way: by unit, then by given name (see
        # units.collation); admin lists, choices and prefetches included.
        ordering = [*unit_order("unit__"), *person_order(), "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @property
    def heads_unit(self) -> bool:
        return self.role == Role.UNIT_HEAD


class StaffTransfer(models.Model):
    """A person's move from one unit to another on a day (a transfer, or a merge of their unit).

    The person's ratings and awards follow them (they hang on the person); which unit they
    counted for in a past year is read from these rows (StaffMemberQuerySet.with_unit_on).
    """

    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(Unit, verbose_name=_("from unit"), on_delete=models.PROTECT,
                                  related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("to unit"), on_delete=models.PROTECT,
                                related_name="+")
    on = models.DateField(_("date of effect"))
    by_merge = models.BooleanField(_("by a merge of units"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff transfer")
        verbose_name_plural = _("staff transfers")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["staff", "on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(from_unit=models.F("to_unit")),
                                   name="transfer_changes_unit"),
        ]

    def __str__(self):
        return f"{self.staff}: {self.from_unit} → {self.to_unit} ({self.on:%d/%m/%Y})"


class UnitChangeKind(models.TextChoices):
    CREATE = "create", _("Created")
    RENAME = "rename", _("Renamed")
    MOVE = "move", _("Moved under another unit")
    DEACTIVATE = "deactivate", _("Deactivated")
    MERGE = "merge", _("Merged into another unit")


class UnitChange(models.Model):
    """One change of the organisation, with the day it took effect (the audit line says when it
    was entered and by whom): a unit's page reads its own history from these rows, e.g. "renamed
    from … on 01/07/2025"."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="changes")
    kind = models.CharField(pgettext_lazy("change", "kind"), max_length=12,
                            choices=UnitChangeKind.choices)
    effective_on = models.DateField(_("date of effect"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("E.g. the number of the decision."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change of the organisation")
        verbose_name_plural = _("changes of the organisation")
        ordering = ["-effective_on", "-pk"]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()} · {self.effective_on:%d/%m/%Y}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete audit lines: the trail is append-only."""


class AuditQuerySet(models.QuerySet):
    """Reads only: a bulk UPDATE or DELETE of audit lines is refused before it reaches SQL
    (on PostgreSQL a trigger refuses it too, for whatever bypasses the ORM)."""

    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: lines cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: lines cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The audit trail is append-only: lines cannot be updated.")

    update.queryset_only = True
    delete.queryset_only = True

    def for_listing(self):
        """What the audit page shows of each line, in a fixed number of queries."""
        return self.select_related("actor__staff_member", "unit", "content_type")


class AuditEntry(models.Model):
    """One append-only line per sensitive change: who, when, from where, what, before and after.

    Lives in `units`, beside the units and people its lines are filed under; every app records
    into it through `core.audit.trail.record` (settings.AUDIT_ENTRY_MODEL names it). Lines
    are only ever inserted: `save()` of a stored line, `delete()` and queryset updates raise
    AppendOnlyError, the admin is read-only, and on PostgreSQL a trigger refuses UPDATE and
    DELETE of the table. The actor and unit are PROTECT: a person or unit named in the trail
    cannot be deleted (deactivate them instead).
    """

    # Set when the line is inserted (never changed afterwards); `core.audit.trail.dated` lets the
    # demo loaders insert lines with the day of the story they tell.
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # The unit the action concerns, so the trail can be searched by unit (null on lines that
    # concern no single unit, and on lines recorded before the field existed).
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: lines cannot be changed.")
        # Always an INSERT: a line restored with its old id must not overwrite a stored one.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: lines cannot be deleted.")

    @property
    def actor_name(self) -> str:
        """Who acted, as people know them: the staff member's full name, else the account's
        name family name first, else the username (empty for lines without a signed-in person,
        such as failed sign-ins)."""
        return display_name(self.actor)

    def changes(self) -> list[tuple[str, str, str]]:
        """(label, before, after) of every value that differs, as people read them (see
        core.audit.display; the trail's page reads a whole page of lines at once)."""
        from core.audit.display import describe

        describe([self])
        return self.rows


class InitiativeLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots")
    PROVINCE = "province", _("Province")


class InitiativeQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)


class Initiative(models.Model):
    """A recognised initiative or solution (sáng kiến, giải pháp) — item 10 of the plan.

    Kept in `units`, the first app of the flow, because scoring gives bonus points for it and
    awards reads it as a condition of titles: both may import from here.
    """

    title = models.CharField(_("Title of the initiative"), max_length=300)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="initiatives")
    authors = models.ManyToManyField(StaffMember, verbose_name=_("authors"), blank=True,
                                     related_name="initiatives")
    level = models.CharField(_("level of recognition"), max_length=12,
                             choices=InitiativeLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.CharField(_("recognition decision"), max_length=120,
                                help_text=_("Number and symbol, e.g. 123/QĐ-SGDĐT."))
    decided_on = models.DateField(_("decision date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "unit__order", "title"]
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self):
        return self.title


class ViolationKind(models.TextChoices):
    LATE_REPORTING = "late_reporting", _("Late or missing reporting")
    DISCIPLINE = "discipline", _("Staff discipline")
    COMPLAINT = "complaint", _("Upheld complaint or denunciation")
    OTHER = "other", _("Other violation")


class DisciplineLevel(models.TextChoices):
    """Disciplinary measures for civil servants and public employees, mildest first."""

    REPRIMAND = "reprimand", _("Reprimand (khiển trách)")
    WARNING = "warning", _("Warning (cảnh cáo)")
    DEMOTION = "demotion", _("Salary or rank demotion (hạ bậc lương, giáng chức)")
    REMOVAL = "removal", _("Removal from post (cách chức)")
    DISMISSAL = "dismissal", _("Dismissal (buộc thôi việc)")

    @classmethod
    def at_or_above(cls, level: str) -> list[str]:
        values = cls.values
        return values[values.index(level):]


class ViolationQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(occurred_on__year=year)


class Violation(models.Model):
    """A violation that costs a unit points (item 8 of the plan) and bars titles."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="violations")
    kind = models.CharField(_("Kind of violation"), max_length=20,
                            choices=ViolationKind.choices)
    occurred_on = models.DateField(_("Date of the violation"))
    description = models.TextField(_("description"))
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="violations")
    discipline_level = models.CharField(_("disciplinary measure"), max_length=12,
                                        choices=DisciplineLevel.choices, blank=True)
    decision = models.CharField(_("decision or record"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "unit__order"]
        indexes = [models.Index(fields=["occurred_on", "unit"])]
        constraints = [
            # A disciplinary measure only makes sense against a person, for a discipline case.
            models.CheckConstraint(
                condition=Q(discipline_level="") | (Q(kind="discipline") & Q(staff__isnull=False)),
                name="violation_discipline_has_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.unit}"


# --- Account security -------------------------------------------------------------------------


class AccountSecurity(models.Model):
    """The password state of one account: Decision 742 asks for a forced change of any password
    someone else set, and for a configurable change period. See units/accounts.py."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"),
                                on_delete=models.CASCADE, related_name="account_security")
    must_change_password = models.BooleanField(
        _("must change the password at next sign-in"), default=False,
        help_text=_("Set when an administrator gives the account a password; cleared when the "
                    "person chooses their own."),
    )
    exempt_from_password_change = models.BooleanField(
        _("never forced to change the password"), default=False,
        help_text=_("For demo accounts that share a known password. Never tick it for a real "
                    "person's account."),
    )
    password_changed_at = models.DateTimeField(_("password last changed"), null=True,
                                               blank=True)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self):
        return str(self.user)


class PasswordHistory(models.Model):
    """Hashes (never the passwords) of a person's last passwords, so none is reused too soon."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user} {self.created_at:%d/%m/%Y}"


class UserSession(AbstractBaseSession):
    """A database session that knows whose it is (units.sessions fills `user_id` on every save),
    so deactivating an account ends its sessions in every process with one DELETE."""

    # Not a foreign key: a session may outlive its user by a request, and must never fail to save.
    user_id = models.IntegerField(null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")


class LoginLockout(AccessAttempt):
    """django-axes' failed sign-ins, shown in the units admin with Vietnamese labels; deleting
    one unlocks that username from that address (see units.admin.LoginLockoutAdmin)."""

    class Meta:
        proxy = True
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")

    def __str__(self):
        # axes' own text ("Attempted Access: <UTC time>") named the audit line's object.
        return f"{self.username} · {self.ip_address}"


class Preference(models.Model):
    """What a person chose once and expects the portal to remember, whichever page they open
    next: the year the year-selecting pages open on (see units.years)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="preference")
    year = models.PositiveSmallIntegerField(_("year last chosen"), null=True, blank=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return f"{self.user} {self.year or ''}".strip()


class Department(models.Model):
    """The department's identity, as printed on every page, document, workbook and e-mail: one
    row (units.identity.current() reads it, cached). Documents already issued keep what they were
    issued with: a decision snapshots these fields when it is registered."""

    name = models.CharField(_("name"), max_length=200,
                            help_text=_("As written in running text, e.g. "
                                        "“Sở Giáo dục và Đào tạo tỉnh X”."))
    short_name = models.CharField(_("short name"), max_length=80,
                                  help_text=_("Shown in the page title, e.g. “Sở GD&ĐT X”."))
    parent_agency = models.CharField(
        _("parent agency as printed"), max_length=200,
        help_text=_("The first line of a document's header, in capitals, e.g. “UBND TỈNH X”."))
    issuing_name = models.CharField(
        _("issuing body as printed"), max_length=200, default="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        help_text=_("The name in the document header, under the parent agency."))
    place = models.CharField(
        _("place before the date"), max_length=80,
        help_text=_("For a provincial body, the province's name: “X, ngày … tháng … năm …”."))
    director_name = models.CharField(_("director"), max_length=120, blank=True)
    director_title = models.CharField(_("director's title as printed"), max_length=120,
                                      default="GIÁM ĐỐC")
    deputy_names = models.TextField(_("deputy directors"), blank=True,
                                    help_text=_("One full name per line."))
    deputy_title = models.CharField(_("deputy directors' title as printed"), max_length=120,
                                    default="PHÓ GIÁM ĐỐC")
    email = models.EmailField(_("contact e-mail"), blank=True)
    logo = models.FileField(_("logo"), upload_to="identity/", blank=True)
    # The register of outgoing documents (units/models_outgoing.py) builds numbers from these.
    symbol = models.CharField(
        _("symbol in document numbers"), max_length=20, default="SGDĐT",
        help_text=_("The department's abbreviation after the kind, e.g. “SGDĐT” in "
                    "“1802/QĐ-SGDĐT”."))
    numbering = models.CharField(
        _("numbering of outgoing documents"), max_length=8, default="per_kind",
        choices=[("per_kind", _("Each kind numbered on its own (QĐ, KH, TB…)")),
                 ("shared", _("One sequence for every kind"))],
        help_text=_("Numbers start again at 01 on 1 January either way (Decree 30/2020, "
                    "Article 15)."))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department identity")
        verbose_name_plural = _("department identity")

    def __str__(self):
        return self.name

    @property
    def deputies(self) -> list[str]:
        return [line.strip() for line in self.deputy_names.splitlines() if line.strip()]

    def signers(self) -> list[tuple[str, str]]:
        """(name, title) of everyone who signs for the department, the director first."""
        people = [(self.director_name, self.director_title)] if self.director_name else []
        return people + [(name, self.deputy_title) for name in self.deputies]


class EarlierIdentity(models.Model):
    """What the department was called until a change of the state's organisation (a merger of
    provinces, a renaming): its names and place up to and including `until`. A document dated
    on or before that day (units.identity.on) prints these; one dated after, the identity of
    today or of the next change. The director and deputies are not dated: documents carry their
    own signer."""

    until = models.DateField(_("valid until"), unique=True,
                             help_text=_("The last day these names were in force."))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    parent_agency = models.CharField(_("parent agency as printed"), max_length=200)
    issuing_name = models.CharField(_("issuing body as printed"), max_length=200,
                                    default="SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    place = models.CharField(_("place before the date"), max_length=80)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("E.g. the resolution that merged the province."))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("earlier identity of the department")
        verbose_name_plural = _("earlier identities of the department")
        ordering = ["until"]

    def __str__(self):
        return f"{self.name} (→ {self.until:%d/%m/%Y})"


# The register of outgoing documents (sổ đăng ký văn bản đi).
from .models_outgoing import (  # noqa: E402,F401
    DocumentKind,
    DocumentState,
    OutgoingCounter,
    OutgoingDocument,
)
