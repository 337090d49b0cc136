"""Commendation: the catalogue of titles and forms, the law of each period as data, year-end
ratings, and every award ever conferred.

Titles (danh hiệu thi đua) and forms of commendation (hình thức khen thưởng) are kept apart —
mixing them is a known cause of corrupted national data. Which conditions a title needs depends
on the legal period of the year (the 2003 law with Decree 91/2017 for 2022; Law 06/2022/QH15
from 2024): conditions and quotas are rows, so a changed decree is an edit, not a release.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring.models import Grade, shown
from units.collation import display_name, person_order, unit_order
from units.models import DisciplineLevel, InitiativeLevel, StaffMember, Unit


class AwardKind(models.TextChoices):
    TITLE = "title", _("Emulation title")
    FORM = "form", _("Form of commendation")


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class AwardLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class Cycle(models.TextChoices):
    """How an award is nominated: what starts a proposal for it."""

    ANNUAL = "annual", _("Annual, from the year-end review")
    TOPIC = "topic", _("By topic, at the end of a campaign")
    EXTRAORDINARY = "extraordinary", _("Extraordinary, for an outstanding deed")
    SENIORITY = "seniority", _("Seniority, for years of service")


class Award(models.Model):
    """One entry of the catalogue: a title or a form of commendation."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(pgettext_lazy("award", "kind"), max_length=10,
                            choices=AwardKind.choices)
    subject = models.CharField(_("awarded to"), max_length=12, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=12, choices=AwardLevel.choices)
    authority = models.CharField(_("deciding authority"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The council's vote a nominee needs, as a share of all its members (not of those present).
    vote_percent = models.DecimalField(
        # xgettext:no-python-format
        _("council vote needed (% of members)"), max_digits=5, decimal_places=2, default=50,
        help_text=_("The share of all council members who must vote for a nominee."))
    vote_strict = models.BooleanField(_("strictly more than the share"), default=True,
                                      help_text=_("Ticked: more than half; unticked: at least."))
    vote_source = models.CharField(_("source of the vote rule"), max_length=300, blank=True)
    # Year-end ratings start only the annual awards: a topic award is proposed when its
    # campaign ends, an extraordinary one after the deed, a seniority one from years of service
    # (Decree 152/2025 Art. 4: topic and extraordinary awards do not count toward merit awards).
    cycle = models.CharField(_("nomination"), max_length=14, choices=Cycle.choices,
                             default=Cycle.ANNUAL)
    proposal_only = models.BooleanField(
        _("proposed only"), default=False,
        help_text=_("Decided above the Department (the Prime Minister, a ministry): the "
                    "Department proposes it and records the conferral, it issues no decision."))
    description = models.TextField(_("what it is for"), blank=True)
    source = models.CharField(_("legal source"), max_length=300, blank=True,
                              help_text=_("The article and document that create the award."))
    confirmed = models.BooleanField(_("confirmed"), default=True,
                                    help_text=_("Untick when the entry still has to be checked "
                                                "against the document."))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def decided_here(self) -> bool:
        """Whether a decision of the Department confers it: a grassroots award not reserved to
        a higher authority. An award of the province or above goes up as a dossier, and the
        upper level's decision is recorded on that dossier (awards/services_dossier.py)."""
        return self.level == AwardLevel.GRASSROOTS and not self.proposal_only

    def not_decided_here(self) -> str:
        """Why the Department cannot decide it itself (the decision form and the service say
        it)."""
        return _("%(award)s is decided by %(authority)s, not by the Department: build its "
                 "dossier (Commendation → Dossiers), send it upward and record the decision "
                 "there when it arrives; the awards then enter the award history.") % {
                     "award": self.name, "authority": self.authority or _("a higher authority")}


class Rating(models.TextChoices):
    """A civil servant's or public employee's year-end rating, best first."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETED = "completed", _("Completed tasks")
    FAILED = "failed", _("Did not complete tasks")

    @classmethod
    def at_least(cls, rating: str) -> list[str]:
        values = cls.values
        return values[:values.index(rating) + 1]


class YearRating(models.Model):
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("year-end rating")
        verbose_name_plural = _("year-end ratings")
        ordering = ["-year", *person_order("staff__full_name"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="rating_once_a_year"),
        ]

    def __str__(self):
        return f"{self.staff} {self.year}: {self.get_rating_display()}"


class LegalPeriodQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The period whose law applies to `year` (None when none is entered): a year's titles
        are judged after 31 December, by the law in force then."""
        return self.filter(Q(last_year__isnull=True) | Q(last_year__gte=year),
                           first_year__lte=year).order_by("-first_year").first()

    def for_date(self, day: datetime.date):
        """The period in force on `day`: awards outside the annual cycle (extraordinary,
        topic, seniority) are judged by the law of their decision date. A period without
        dates counts from 1 January of its first year to 31 December of its last."""
        for period in self.order_by("-first_year"):
            if period.starts <= day and (period.ends is None or day <= period.ends):
                return period
        return None


class LegalPeriod(models.Model):
    """The law, decrees and circulars that apply to the years from `first_year` to `last_year`."""

    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    basis = models.TextField(_("legal basis"), help_text=_("The law, decrees and circulars, one "
                                                            "per line."))
    excellent_cap = models.DecimalField(
        # xgettext:no-python-format
        _("excellent at most (% of those rated good or better)"), max_digits=5,
        decimal_places=2, null=True, blank=True,
        help_text=_("The most staff of a unit who may be rated “Completed tasks excellently”, as "
                    "a percentage of those rated “Completed tasks well” or better. Empty: no "
                    "cap."))
    excellent_cap_source = models.CharField(_("source of the cap"), max_length=300, blank=True)
    # A decree can take effect mid-year (Decree 152/2025 on 01/07/2025): the days say which law
    # a decision dated inside the year falls under; `first_year`/`last_year` stay the years
    # whose year-end review the period judges.
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)

    objects = LegalPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal period")
        verbose_name_plural = _("legal periods")
        ordering = ["first_year"]

    def __str__(self):
        return self.name

    @property
    def starts(self) -> datetime.date:
        return self.starts_on or datetime.date(self.first_year, 1, 1)

    @property
    def ends(self) -> datetime.date | None:
        if self.ends_on:
            return self.ends_on
        return datetime.date(self.last_year, 12, 31) if self.last_year else None


class Predicate(models.TextChoices):
    """The building blocks of a condition; `years` > 1 means in each of the last N years."""

    RATING = "rating", _("Rated at least …")
    MONTHS_SERVED = "months_served", _("Months since recruitment at the end of the year")
    NO_DISCIPLINE = "no_discipline", _("No discipline at or above …")
    INITIATIVES = "initiatives", _("Recognised initiatives at or above a level")
    HOLDS = "holds", _("Holds another award (N consecutive years)")
    MEMBERS_HOLDING = "members_holding", _("Share of members holding an award")
    MEMBERS_RATED = "members_rated", _("Share of members rated at least …")
    ONE_MEMBER_HOLDING = "one_member_holding", _("At least one member holds an award")
    NO_MEMBER_DISCIPLINE = "no_member_discipline", _("No member disciplined at or above …")
    CAMPAIGN_CLASS = "campaign_class", _("The unit's campaign class at least …")
    HOLDS_TIMES = "holds_times", _("Held another award N times within the last years")
    SECTOR_YEARS = "sector_years", _("Years in the education sector (fewer for women)")
    REGISTERED = "registered", _("Registered for the title at the start of the year")


# The catalogue page's words for each predicate (Condition.summary).
SUMMARIES = {
    Predicate.RATING: _("Rated “%(rating)s” or better"),
    Predicate.MONTHS_SERVED: _("At least %(number)s months' service by 31 December"),
    Predicate.NO_DISCIPLINE: _("No discipline at “%(discipline)s” or above"),
    Predicate.INITIATIVES: _("%(number)s recognised initiative(s) at %(initiative)s level or "
                             "above"),
    Predicate.HOLDS: _("Holds “%(award)s”"),
    Predicate.HOLDS_TIMES: _("Held “%(award)s” %(number)s time(s)"),
    Predicate.MEMBERS_HOLDING: (_("At least %(number)s %% of members hold “%(award)s”"),
                                _("More than %(number)s %% of members hold “%(award)s”")),
    Predicate.MEMBERS_RATED: (
        _("At least %(number)s %% of members rated “%(rating)s” or better"),
        _("More than %(number)s %% of members rated “%(rating)s” or better")),
    Predicate.ONE_MEMBER_HOLDING: _("At least one member holds “%(award)s”"),
    Predicate.NO_MEMBER_DISCIPLINE: _("No member disciplined at “%(discipline)s” or above"),
    Predicate.CAMPAIGN_CLASS: _("Campaign class “%(grade)s” or better"),
    Predicate.SECTOR_YEARS: _("%(number)s full years in the education sector"),
    Predicate.REGISTERED: _("Registered for the title at the start of the year"),
}

NO_SOURCE = _("Give the source of this condition: the article and the document it comes from "
              "(e.g. “Luật 06/2022/QH15, Điều 24”). A condition you cannot trace yet is entered "
              "with its best source and “confirmed” unticked.")


class Condition(models.Model):
    """One condition of an award in a legal period. Conditions with the same `alternative` must
    all be met; meeting every condition of any one alternative is enough."""

    period = models.ForeignKey(LegalPeriod, on_delete=models.CASCADE, related_name="conditions")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="conditions")
    alternative = models.PositiveSmallIntegerField(_("alternative"), default=1)
    predicate = models.CharField(_("condition"), max_length=24, choices=Predicate.choices)
    number = models.DecimalField(_("figure"), max_digits=6, decimal_places=2, null=True,
                                 blank=True, help_text=_("Months, a count or a percentage."))
    strict = models.BooleanField(_("strictly above"), default=False,
                                 help_text=_("For a share: more than the figure, not at least."))
    years = models.PositiveSmallIntegerField(_("consecutive years"), default=1)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    discipline_level = models.CharField(_("disciplinary measure"), max_length=12,
                                        choices=DisciplineLevel.choices, blank=True)
    initiative_level = models.CharField(_("initiative level"), max_length=12,
                                        choices=InitiativeLevel.choices, blank=True)
    grade = models.CharField(_("campaign class"), max_length=10, choices=Grade.choices,
                             blank=True)
    other_award = models.ForeignKey(Award, verbose_name=_("award held"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    # The seniority medals ask fewer years of women (e.g. 20 years, 15 for women).
    women_number = models.DecimalField(_("figure for women"), max_digits=6, decimal_places=2,
                                       null=True, blank=True,
                                       help_text=_("When the rule asks less of women; empty: "
                                                   "the same figure."))
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("Article and document the condition comes from."),
                              error_messages={"blank": NO_SOURCE})
    confirmed = models.BooleanField(_("confirmed"), default=True,
                                    help_text=_("Untick when the figure still has to be checked "
                                                "against the document."))

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["period", "award__order", "alternative", "id"]
        constraints = [
            # A condition nobody can trace to a document is not law: refused even by a script.
            models.CheckConstraint(condition=~Q(source=""), name="condition_has_source"),
        ]

    def __str__(self):
        return f"{self.award} – {self.get_predicate_display()}"

    @property
    def summary(self) -> str:
        """The condition in words, as the catalogue page lists it ("Xếp loại từ “Hoàn thành
        tốt nhiệm vụ” trở lên, 2 năm liên tục"); a predicate without words here shows its
        name."""
        figures = {
            "rating": self.get_rating_display(), "grade": self.get_grade_display(),
            "discipline": self.get_discipline_level_display(),
            "initiative": str(self.get_initiative_level_display()).lower(),
            "award": self.other_award.name if self.other_award_id else "",
            "number": shown(self.number) if self.number is not None else "",
            "women": shown(self.women_number) if self.women_number is not None else "",
            "years": self.years}
        wording = SUMMARIES.get(self.predicate)
        if isinstance(wording, tuple):  # (at least, more than)
            wording = wording[self.strict]
        text = str(wording % figures) if wording else str(self.get_predicate_display())
        if self.predicate == Predicate.SECTOR_YEARS and self.women_number is not None:
            text += " " + _("(%(women)s for women)") % figures
        if self.years > 1:
            running = self.predicate in (Predicate.RATING, Predicate.HOLDS)
            text += ", " + (_("%(years)s consecutive years") if running
                            else _("within %(years)s years")) % figures
        return text

    def clean(self):
        # Blank is the field's own message (NO_SOURCE); spaces only are blank too.
        if self.source and not self.source.strip():
            raise ValidationError({"source": NO_SOURCE})
        self.source = (self.source or "").strip()


class Quota(models.Model):
    """At most `percent` % of a unit's holders of `base_award` may receive `award`."""

    period = models.ForeignKey(LegalPeriod, on_delete=models.CASCADE, related_name="quotas")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="quotas")
    base_award = models.ForeignKey(Award, verbose_name=_("share of the holders of"),
                                   on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("at most (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    confirmed = models.BooleanField(_("confirmed"), default=True)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self):
        return f"{self.award} ≤ {self.percent} % {self.base_award}"


class ConferralQuerySet(models.QuerySet):
    def standing(self):
        """Conferrals not revoked."""
        return self.filter(revoked_at__isnull=True)


class Conferral(models.Model):
    """An award conferred on a person or a unit for a year: the history titles are read from.

    Rows come from the portal's decisions or are entered for earlier years; a revoked award
    keeps its row with the reason.
    """

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT,
                              related_name="conferrals")
    year = models.PositiveSmallIntegerField(_("year"))
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="conferrals")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="conferrals",
                             help_text=_("For a person, the unit they worked at."))
    decision = models.CharField(_("decision"), max_length=120)
    decided_on = models.DateField(_("decision date"))
    # Set for awards conferred by a decision issued in the portal; earlier years keep the text.
    issued_by = models.ForeignKey("Decision", verbose_name=_("issued by decision"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="conferrals")
    # Set for awards an upper level decided on a dossier the Department sent
    # (models_dossier): `decision` then holds the upper decision's number.
    dossier = models.ForeignKey("Dossier", verbose_name=_("proposed in dossier"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="conferrals")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = ConferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("conferral")
        verbose_name_plural = _("award history")
        ordering = ["-year", "award__order"]
        constraints = [
            models.UniqueConstraint(fields=["award", "year", "staff"],
                                    condition=Q(staff__isnull=False),
                                    name="conferral_once_per_person"),
            models.UniqueConstraint(fields=["award", "year", "unit"],
                                    condition=Q(staff__isnull=True),
                                    name="conferral_once_per_unit"),
        ]
        indexes = [models.Index(fields=["year", "award"])]

    def __str__(self):
        return f"{self.award} {self.year} – {self.staff or self.unit}"


class ProposalStage(models.TextChoices):
    """A unit's list on its way from draft to decision, in order."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed for completeness")
    NOTICE = "notice", _("Public notice")
    VOTED = "voted", _("Voted by the council")
    APPROVED = "approved", _("Approved by the director")


# From the public notice on, a list is shown to all staff (transparency before the decision).
PUBLIC_STAGES = {ProposalStage.NOTICE, ProposalStage.VOTED, ProposalStage.APPROVED}


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every list; others their own unit's and the public ones."""
        if viewer.reads_everything:
            return self
        return self.filter(Q(stage__in=PUBLIC_STAGES) | Q(unit_id=viewer.unit_id))


class Proposal(models.Model):
    """A unit's commendation list for a year: its people and the unit itself.

    The head drafts and submits it; the Office and the Union check it is complete; it is shown
    to all staff for a set number of days; the emulation council votes on each nominee; the
    director approves; decisions then confer the awards. A returned list goes back to draft.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="proposals")
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=10, choices=ProposalStage.choices,
                             default=ProposalStage.DRAFT)
    summary = models.TextField(_("the unit's achievements"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    # The unit's signed letter (tờ trình) the list is sent with (models_unit_dossier.py).
    sent_on = models.DateField(_("letter dated"), null=True, blank=True)
    sent_number = models.CharField(_("number of the letter"), max_length=60, blank=True)
    # The parts of the checklist the Office asks to fix (Part values), and why it was recalled.
    return_parts = models.JSONField(_("parts to fix"), default=list, blank=True)
    recall_reason = models.TextField(_("why the unit recalled it"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    notice_from = models.DateField(_("on notice from"), null=True, blank=True)
    notice_until = models.DateField(_("on notice until"), null=True, blank=True)
    voted_on = models.DateField(_("council meeting"), null=True, blank=True)
    council_members = models.PositiveSmallIntegerField(_("council members"), null=True,
                                                       blank=True)
    council_present = models.PositiveSmallIntegerField(_("members present"), null=True,
                                                       blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation proposal")
        verbose_name_plural = _("commendation proposals")
        ordering = ["-year", *unit_order("unit__")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_proposal_a_year"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @property
    def editable(self) -> bool:
        return self.stage == ProposalStage.DRAFT


class Nominee(models.Model):
    """One person (or, without `staff`, the unit itself) proposed for one award."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="nominees")
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT,
                              related_name="+")
    staff = models.ForeignKey(StaffMember, verbose_name=_("staff member"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.TextField(_("achievements"))
    # Filled when the conditions were not all met on saving: the proposer's reason to go on.
    justification = models.TextField(_("justification"), blank=True)
    eligible = models.BooleanField(_("met the conditions when proposed"), default=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    passed = models.BooleanField(_("passed the vote"), null=True, blank=True)
    decision = models.ForeignKey("Decision", verbose_name=_("decision"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="nominees")

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["award__order", *person_order("staff__full_name"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "award", "staff"],
                                    condition=Q(staff__isnull=False),
                                    name="nominated_once_per_person"),
            models.UniqueConstraint(fields=["proposal", "award"],
                                    condition=Q(staff__isnull=True),
                                    name="nominated_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.award} – {self.staff or self.proposal.unit}"

    @property
    def audit_unit_id(self) -> int:
        """The unit the audit trail files this nominee under (see core.audit.trail.record)."""
        return self.proposal.unit_id


class NoticeComment(models.Model):
    """A comment left on a list while it is on public notice; kept for the council."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    nominee = models.ForeignKey(Nominee, verbose_name=_("about"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("notice comment")
        verbose_name_plural = _("notice comments")
        ordering = ["at"]

    def __str__(self):
        return self.text[:60]

    @property
    def author_name(self) -> str:
        """The author as written in Vietnamese, family name first ("Lý Thanh Phong")."""
        return display_name(self.author)


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every decision; others those naming their unit."""
        if viewer.reads_everything:
            return self
        return self.filter(conferrals__unit_id=viewer.unit_id).distinct()


class Decision(models.Model):
    """A signed decision conferring one award on the approved nominees of a year.

    Issuing it writes a Conferral per awardee; revoking it keeps every row and marks each
    conferral revoked with the reason.
    """

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT,
                              related_name="decisions")
    year = models.PositiveSmallIntegerField(_("year"))
    # Unique within a year, not for ever: numbers start again at 01 every year (Decree 30).
    # The Department's own are held unique by the register of outgoing documents
    # (units.OutgoingDocument, which links back here); the upper level's by their services.
    number = models.CharField(_("number"), max_length=60, db_index=True,
                              help_text=_("As on the signed document, e.g. 1802/QĐ-SGDĐT."))
    signed_on = models.DateField(_("signed on"))
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=120)
    # The header as issued (parent agency, agency, place, the agency in running text), copied
    # when the decision is registered: its PDF, made again years later, still reads as signed
    # after the department's identity changes (a merger, a rename). Empty: read from the plan.
    letterhead = models.JSONField(_("letterhead as issued"), default=dict, blank=True,
                                  editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    # Set for a decision of the upper level (the province, the Ministry) on a dossier the
    # Department sent (services_dossier.decide): registered here so that its awards are paid
    # like the Department's own (payout list, fund ledger). Its document is the upper level's:
    # the portal prints no decision for it, and only its issuer revokes it.
    dossier = models.OneToOneField("Dossier", verbose_name=_("decided on the dossier"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="upper_decision")
    issuer = models.CharField(_("issued by"), max_length=200, blank=True,
                              help_text=_("The upper level that issued it; empty for the "
                                          "Department's own decisions."))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        constraints = [
            # An upper decision always says who issued it.
            models.CheckConstraint(condition=Q(dossier__isnull=True) | ~Q(issuer=""),
                                   name="upper_decision_names_its_issuer"),
        ]

    def __str__(self):
        return self.number

    @property
    def from_upper_level(self) -> bool:
        return self.dossier_id is not None


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(models.Model):
    """A document made for a person — by the background worker, or at once in the request
    (every Excel and PDF download is kept too): what was asked, how far it got, the file."""

    kind = models.CharField(_("document"), max_length=40)
    # What the person asked for, as the page named it; empty for the kinds of awards.documents,
    # which name themselves (awards/views/documents.py `_title`).
    title = models.CharField(_("title of the document"), max_length=300, blank=True)
    params = models.JSONField(default=dict)
    file_format = models.CharField(_("format"), max_length=5)  # pdf or xlsx
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=DocumentStatus.choices,
                              default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.kind} {self.file_format} ({self.status})"

class WordTemplate(models.Model):
    """The department's own Word template for one kind of document (awards.documents.word):
    used instead of the built-in layout for the .docx of that kind, until the administrator
    removes it. Stored only after it rendered with sample data."""

    kind = models.CharField(_("document"), max_length=40, unique=True)
    file = models.FileField(upload_to="word-templates/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")

    def __str__(self):
        return f"{self.kind}: {self.original_name}"


# Bonus money: base salary and coefficients by date, the reward fund, payout lists.
from .models_bonus import AwardCoefficient, BaseSalary, FundIncome, Payout  # noqa: E402,F401

# Where a certificate's texts go on the department's pre-printed blanks.
from .models_certificate import CertificateLayout  # noqa: E402,F401
from .models_clusters import ClusterMinutes, ClusterProposal  # noqa: E402, F401

# Dossiers sent up the levels (hồ sơ đề nghị khen thưởng).
from .models_dossier import (  # noqa: E402,F401
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierRequirement,
    DossierStatus,
    SentNominee,
    UpperRevocation,
)

# Emulation registration lives in its own module; imported here so Django finds its models.
from .models_registration import (  # noqa: E402,F401
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    UnitRegistration,
)

# A decision's PDF signed digitally (awards/services_signing.py).
from .models_signature import SignedDecision  # noqa: E402,F401

# Awards outside the annual cycle (topic, extraordinary, seniority).
from .models_special import SpecialProposal, SpecialStatus  # noqa: E402,F401

# A unit's list as a dossier to the Department: its required parts, uploads and history.
from .models_unit_dossier import (  # noqa: E402,F401
    ProposalAttachment,
    ProposalEvent,
    ProposalRequirement,
    ProposalStep,
)
