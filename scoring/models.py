"""Scoring a campaign: a points tree per plan, rounds of assessment, and each unit's result.

A scheme belongs to one campaign. Its criteria hang under the plan's content items (optionally
one level of sub-criteria) and each has a rule that turns the unit's task data into points.
Scores live per round: the self-assessment, the council's appraisal, the unit's explanation, the
final appraisal. A closed round is a snapshot nobody may change; the open round follows the task
data until it closes. Bonus and penalty come from the registers kept in `units`.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, ContentItem
from core.numbers import format_number
from tasks.models import StoredFile, Task
from units.models import InitiativeLevel, Unit, ViolationKind

TWO_PLACES = Decimal("0.01")


def q2(value) -> Decimal:
    """Round to the two decimals every score is shown and stored with."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def shown(value) -> str:
    """A score as people read it in a message: '105' or '7,5' in Vietnamese."""
    return format_number(q2(value), grouping=False)


class Rule(models.TextChoices):
    PROPORTIONAL = "proportional", _("Proportional to the target reached")
    BANDS = "bands", _("Bands of the target reached")
    TIMELINESS = "timeliness", _("Timeliness (deduction per late or returned report)")
    MANUAL = "manual", _("Manual, with evidence")


class Stage(models.TextChoices):
    SETUP = "setup", _("Setting up the scheme")
    SELF = "self", _("Self-assessment")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPLANATION = "explanation", _("Explanation")
    FINAL = "final", _("Final appraisal")
    LOCKED = "locked", _("Locked")


ROUND_ORDER = [Stage.SELF, Stage.APPRAISAL, Stage.EXPLANATION, Stage.FINAL]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", pgettext_lazy("class", "Good")
    PASS = "pass", _("Completed")
    FAIL = "fail", _("Not completed")


class Scheme(models.Model):
    campaign = models.OneToOneField(Campaign, verbose_name=_("campaign"),
                                    on_delete=models.CASCADE, related_name="scheme")
    scale = models.DecimalField(_("scale"), max_digits=6, decimal_places=2, default=100,
                                help_text=_("The maxima of the top-level criteria add up to it."))
    cutoff = models.DateField(
        _("data cut-off date"), null=True, blank=True,
        help_text=_("Task data up to this date is scored; leave empty to score up to today."),
    )
    # Class bands: provinces set their own limits (docs/domain.md: unconfirmed), so they are data.
    band_excellent = models.DecimalField(_("excellent from"), max_digits=6, decimal_places=2,
                                         default=90)
    band_good = models.DecimalField(_("good from"), max_digits=6, decimal_places=2, default=80)
    band_pass = models.DecimalField(_("completed from"), max_digits=6, decimal_places=2,
                                    default=65)
    bonus_grassroots = models.DecimalField(_("bonus per grassroots initiative"), max_digits=5,
                                           decimal_places=2, default=1)
    bonus_province = models.DecimalField(_("bonus per province-level initiative"), max_digits=5,
                                         decimal_places=2, default=2)
    bonus_cap = models.DecimalField(_("bonus cap"), max_digits=5, decimal_places=2, default=5)
    penalty_late_reporting = models.DecimalField(_("penalty per late-reporting violation"),
                                                 max_digits=5, decimal_places=2, default=1)
    penalty_discipline = models.DecimalField(_("penalty per disciplined staff member"),
                                             max_digits=5, decimal_places=2, default=2)
    penalty_complaint = models.DecimalField(_("penalty per upheld complaint"), max_digits=5,
                                            decimal_places=2, default=2)
    penalty_other = models.DecimalField(_("penalty per other violation"), max_digits=5,
                                        decimal_places=2, default=1)
    penalty_cap = models.DecimalField(_("penalty cap"), max_digits=5, decimal_places=2,
                                      default=10)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices,
                             default=Stage.SETUP)
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self):
        return str(self.campaign)

    def get_absolute_url(self):
        return reverse("scoring:overview", args=[self.campaign_id])

    @property
    def is_editable(self) -> bool:
        """Criteria change only before the first round opens: rounds compare like with like."""
        return self.stage == Stage.SETUP

    @property
    def bands(self) -> dict:
        return {"excellent": self.band_excellent, "good": self.band_good,
                "passing": self.band_pass}

    def bonus_rate(self, level: str) -> Decimal:
        return {InitiativeLevel.GRASSROOTS: self.bonus_grassroots,
                InitiativeLevel.PROVINCE: self.bonus_province}[level]

    def penalty_rate(self, kind: str) -> Decimal:
        return {ViolationKind.LATE_REPORTING: self.penalty_late_reporting,
                ViolationKind.DISCIPLINE: self.penalty_discipline,
                ViolationKind.COMPLAINT: self.penalty_complaint,
                ViolationKind.OTHER: self.penalty_other}[kind]


class CriterionQuerySet(models.QuerySet):
    def leaves(self):
        """Criteria that are scored; a criterion with sub-criteria is only their sum."""
        return self.filter(children__isnull=True)


class Criterion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    item = models.ForeignKey(ContentItem, verbose_name=_("content item"),
                             on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", verbose_name=_("parent criterion"),
                               on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    number = models.CharField(_("number"), max_length=10, help_text=_("E.g. 3 or 3.1."))
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    rule = models.CharField(_("rule"), max_length=14, choices=Rule.choices, default=Rule.MANUAL)
    tasks = models.ManyToManyField(
        Task, verbose_name=_("tasks"), blank=True, related_name="criteria",
        help_text=_("Leave empty to use every task of the content item."),
    )
    # [[threshold %, share of the maximum %], …] highest first, e.g. [[100, 100], [80, 75]].
    bands = models.JSONField(_("bands"), default=list, blank=True)
    deduction = models.DecimalField(_("deduction per late or returned report"), max_digits=5,
                                    decimal_places=2, default=Decimal("0.5"))
    guidance = models.TextField(_("evidence expected"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="criterion_unique_number"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0),
                                   name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def is_automatic(self) -> bool:
        return self.rule != Rule.MANUAL


class Round(models.Model):
    """One column of scores. Closing it freezes its scores and results for ever."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("round"), max_length=12,
                            choices=[(s.value, s.label) for s in ROUND_ORDER])
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["scheme_id", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="round_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.scheme}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def position(self) -> int:
        return ROUND_ORDER.index(self.kind)


class SheetQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every unit's sheet; a unit only its own."""
        if viewer.reads_everything:
            return self
        return self.filter(unit_id=viewer.unit_id)


class Sheet(models.Model):
    """A unit's score sheet in one round: its totals, class and rank, and its confirmation."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="score_sheets")
    raw = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=0)
    max_points = models.DecimalField(_("applicable maximum"), max_digits=8, decimal_places=2,
                                     default=0)
    appraised = models.DecimalField(_("score on the scale"), max_digits=8, decimal_places=2,
                                    default=0)
    bonus = models.DecimalField(_("bonus"), max_digits=6, decimal_places=2, default=0)
    penalty = models.DecimalField(_("penalty"), max_digits=6, decimal_places=2, default=0)
    final = models.DecimalField(_("final score"), max_digits=8, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("class"), max_length=10, choices=Grade.choices, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["round_id", "rank", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="sheet_unique_unit"),
        ]
        indexes = [models.Index(fields=["round", "rank"])]

    def __str__(self):
        return f"{self.unit} – {self.round}"


class Score(models.Model):
    """A unit's points on one criterion in one round, with what the task data said."""

    # No index of its own: the unique (round, unit, criterion) and score_breakdown indexes both
    # start with the round, and a recompute from an empty round writes 40,000 rows through
    # every index the table has.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores",
                              db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    applicable = models.BooleanField(default=True)
    data_points = models.DecimalField(_("points from the task data"), max_digits=6,
                                      decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True,
                                 blank=True)
    note = models.TextField(_("explanation or comment"), blank=True)
    # The figures behind data_points (assignments, ratio, late, returned …) for "why".
    facts = models.JSONField(default=dict, blank=True)
    # No index: nothing looks scores up by who last saved them, users are deactivated rather
    # than deleted (deleting one would find its scores by a scan, once), and every automatic
    # score leaves it empty — an index entry of NULL for each of the 40,000 rows a round's
    # first recompute writes.
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+", db_index=False)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["round_id", "unit_id", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "criterion"],
                                    name="score_unique_criterion"),
        ]
        # compute.item_breakdown (the dashboards' department summary) reads a round's points
        # from this index alone, never the wide rows with their facts.
        indexes = [models.Index(fields=["round", "criterion", "applicable", "unit", "points"],
                                name="score_breakdown")]

    def __str__(self):
        return f"{self.criterion.number} – {self.unit}"


class ScoreEvidence(StoredFile):
    """A file a unit attaches to a manually scored criterion (tài liệu kiểm chứng)."""

    upload_folder = "scoring"

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")

    class Meta(StoredFile.Meta):
        verbose_name = _("score evidence")
        verbose_name_plural = _("score evidence")

    def get_absolute_url(self):
        return reverse("scoring:evidence", args=[self.pk])


# -- emulation clusters and blocks (cụm, khối thi đua) --------------------------------------------


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Emulation cluster (cụm)")
    BLOCK = "block", _("Emulation block (khối)")


class ClusterQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every cluster; a unit the clusters it belongs to."""
        if viewer.reads_everything:
            return self
        return self.filter(members__unit_id=viewer.unit_id).distinct()


class Cluster(models.Model):
    """Units that compete together for a year (cụm or khối thi đua), led by a rotating head.

    The members sign a pact (giao ước thi đua: a document and its targets) and at year end score
    each other on the cluster's criteria (`ClusterCriterion`, `PeerMark`); the ranking is kept
    in `ClusterResult`. A unit belongs to at most one cluster of each kind a year
    (`ClusterMember`'s constraint)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(pgettext_lazy("cluster", "kind"), max_length=8,
                            choices=ClusterKind.choices, default=ClusterKind.CLUSTER)
    name = models.CharField(_("name"), max_length=200)
    head = models.ForeignKey(Unit, verbose_name=_("cluster head"), on_delete=models.PROTECT,
                             related_name="+")
    deputy = models.ForeignKey(Unit, verbose_name=_("deputy head"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    targets = models.TextField(_("targets of the pact"), blank=True,
                               help_text=_("One target a line."))
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    # The year-end round: opened by the Office or the head, closed when the meeting has met.
    round_deadline = models.DateField(_("peer scoring deadline"), null=True, blank=True)
    round_opened_at = models.DateTimeField(_("peer scoring opened at"), null=True, blank=True)
    round_closed_at = models.DateTimeField(_("peer scoring closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "name"],
                                    name="cluster_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("scoring:cluster", args=[self.pk])

    @property
    def target_lines(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]

    @property
    def audit_unit_id(self) -> int:
        """The audit trail files a cluster's lines under its head."""
        return self.head_id

    @property
    def round_open(self) -> bool:
        return self.round_opened_at is not None and self.round_closed_at is None

    @property
    def deadline_passed(self) -> bool:
        """Members' marks are refused after the deadline's day (the Office may still close)."""
        return self.round_deadline is not None and timezone.localdate() > self.round_deadline

    @property
    def scoring_started(self) -> bool:
        """Opened once (open or closed): members, head, deputy and criteria are fixed."""
        return self.round_opened_at is not None


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="cluster_memberships")
    # The cluster's year and kind again, so the database itself refuses a second cluster.
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=ClusterKind.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        ordering = ["cluster_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "unit"],
                                    name="one_cluster_of_a_kind_a_year"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.cluster}"


class ClusterPact(StoredFile):
    """The signed pact (giao ước thi đua) of a cluster, as uploaded."""

    upload_folder = "clusters"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="pacts")

    class Meta(StoredFile.Meta):
        verbose_name = _("cluster pact")
        verbose_name_plural = _("cluster pacts")

    def get_absolute_url(self):
        return reverse("scoring:cluster_pact", args=[self.pk])


class ClusterCriterion(models.Model):
    """A criterion members score each other on; the maxima add up to the scheme's usual 100."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cluster criterion")
        verbose_name_plural = _("cluster criteria")
        ordering = ["cluster_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"],
                                    name="cluster_criterion_unique_number"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0),
                                   name="cluster_criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PeerMark(models.Model):
    """The points one member unit gives another on one criterion (never itself)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="marks")
    scorer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(ClusterCriterion, on_delete=models.CASCADE,
                                  related_name="marks")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("peer mark")
        verbose_name_plural = _("peer marks")
        constraints = [
            models.UniqueConstraint(fields=["scorer", "scored", "criterion"],
                                    name="peer_mark_once"),
            models.CheckConstraint(condition=~models.Q(scorer=models.F("scored")),
                                   name="peer_mark_not_self"),
        ]
        # The ranking's two aggregates (clusters.recompute) read only these indexes: in a
        # 100-member block (99,000 marks) they took 90 and 65 ms scanning the table, 23 and
        # 15 ms from the indexes (bench_clusters).
        indexes = [
            models.Index(fields=["cluster", "scored", "criterion", "points"],
                         name="peer_mark_means"),
            models.Index(fields=["cluster", "scored", "scorer"], name="peer_mark_scorers"),
        ]

    def __str__(self):
        return f"{self.scorer} → {self.scored}: {self.criterion.number}"


class ClusterResult(models.Model):
    """A member's place in its cluster: the mean of its peers' points, on the scheme's scale."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    raw = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=0)
    max_points = models.DecimalField(_("maximum"), max_digits=8, decimal_places=2, default=0)
    final = models.DecimalField(_("score"), max_digits=8, decimal_places=2, default=0)
    scorers = models.PositiveSmallIntegerField(_("scored by"), default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("class"), max_length=10, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("cluster result")
        verbose_name_plural = _("cluster results")
        ordering = ["cluster_id", "rank", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_result_once"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.cluster}"
