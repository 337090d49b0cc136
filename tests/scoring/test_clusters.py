"""Emulation clusters and blocks: definition and its refusals, the head's rotation, peer scoring
and its ranking, the meeting's proposal reaching the commendation lists, and who may do what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards import services_clusters
from awards.documents import province_proposal
from awards.models import Award, Nominee, Proposal, ProposalStage
from awards.models_clusters import COLLECTIVE_CERTIFICATE_CODE, FLAG_CODE, ClusterProposal
from core.uploads import check_evidence
from scoring import clusters
from scoring.models import (
    Cluster,
    ClusterKind,
    ClusterMember,
    ClusterResult,
    PeerMark,
)
from units.models import AuditEntry, Role

from ..factories import UnitFactory, person
from ..helpers import ROLES, changed_tables, db_snapshot, expect

PDF = b"%PDF-1.4 minutes\n%%EOF"
CRITERIA = [("1", "Chất lượng giáo dục", Decimal(60)), ("2", "Phong trào", Decimal(40))]


def _cluster(cast, units, *, year=2025, name="Cụm 1", head=None, deputy=None,
             kind=ClusterKind.CLUSTER):
    cluster = Cluster(year=year, kind=kind, name=name, head=head or units[0], deputy=deputy)
    return clusters.save_cluster(cluster=cluster, units=units, criteria=CRITERIA,
                                 user=cast.office)


@pytest.fixture
def three(cast):
    unit_c = UnitFactory(name="Trường THPT Nguyễn Du", code="c", parent=cast.root)
    head_c = person(Role.UNIT_HEAD, unit_c, "head_c", full_name="Vũ Văn Chí")
    return [cast.unit_a, cast.unit_b, unit_c], head_c


def _upload(name="giao-uoc.pdf"):
    upload = SimpleUploadedFile(name, PDF)
    return {"checked": check_evidence(upload), "upload": upload}


class World:
    """A cluster of unit A and another school (never unit B) taken through every step — edited,
    its pact, peer scoring opened, scored and closed, the meeting's proposal with its minutes —
    so that every cluster line of the audit trail and every object its pages guard exist."""

    def __init__(self, cast):
        self.unit_c = UnitFactory(name="Trường THPT Lê Quý Đôn", code="cum-c", parent=cast.root)
        self.cluster = _cluster(cast, [cast.unit_a, self.unit_c], name="Cụm trường THPT số 1")
        self.cluster.targets = "100% giáo viên đạt chuẩn"
        clusters.save_cluster(cluster=self.cluster, units=[cast.unit_a, self.unit_c],
                              user=cast.office)
        spare = _cluster(cast, [cast.unit_a, self.unit_c], name="Khối tạm",
                         kind=ClusterKind.BLOCK)
        clusters.delete_cluster(cluster=spare, user=cast.office)  # never opened: deleted
        self.pact = clusters.add_pact(cluster=self.cluster, user=cast.office, **_upload())
        clusters.open_round(cluster=self.cluster, deadline=datetime.date(2099, 12, 20),
                            user=cast.office)
        self.cluster = clusters.extend_round(
            cluster=self.cluster, deadline=datetime.date(2099, 12, 31), reason="Trường xin thêm",
            version=Cluster.objects.get(pk=self.cluster.pk).version, user=cast.office)
        clusters.save_marks(cluster=self.cluster, scorer=self.unit_c, user=cast.office,
                            marks=_marks(self.cluster, self.unit_c, {cast.unit_a: (55, 35)}))
        self.cluster = clusters.close_round(cluster=self.cluster, user=cast.office)
        self.proposal = services_clusters.record_proposal(
            cluster=self.cluster, held_on=datetime.date(2025, 12, 22), present=2,
            flag_unit=cast.unit_a, flag_votes=2, commended=[], commendation=None,
            user=cast.office, **_upload("bien-ban.pdf"))
        self.minutes = self.proposal.minutes.get()


# --- definition and its refusals -------------------------------------------------------------


def test_save_cluster_audits_members_and_head(cast, three):
    units, _head = three
    cluster = _cluster(cast, units, deputy=units[1])

    line = AuditEntry.objects.get(action="cluster.create")
    assert line.after["members"] == sorted(u.pk for u in units)
    assert line.after["head"] == units[0].pk and line.after["deputy"] == units[1].pk
    assert [m.unit for m in cluster.members.all()] == units


def test_save_cluster_unit_in_two_clusters_of_a_kind_refused_nothing_stored(cast, three):
    units, _head = three
    _cluster(cast, units[:2])
    before = db_snapshot()

    with pytest.raises(ValidationError) as refused:
        _cluster(cast, [units[1], units[2]], name="Cụm 2", head=units[2])

    assert "đã thuộc" in " ".join(refused.value.messages)
    assert changed_tables(before, db_snapshot()) == []


def test_save_cluster_same_unit_in_a_block_accepted(cast, three):
    units, _head = three
    _cluster(cast, units[:2])

    _cluster(cast, units[1:], name="Khối THPT", head=units[1], kind=ClusterKind.BLOCK)

    assert ClusterMember.objects.filter(unit=units[1]).count() == 2


def test_save_cluster_head_not_member_refused_nothing_stored(cast, three):
    units, _head = three
    before = db_snapshot()

    with pytest.raises(ValidationError) as refused:
        _cluster(cast, units[:2], head=units[2])

    assert "không phải là thành viên" in " ".join(refused.value.messages)
    assert changed_tables(before, db_snapshot()) == []


def test_cluster_form_head_not_member_shows_vietnamese_message(cast, three, client_for):
    units, _head = three
    response = client_for(cast.office).post(reverse("scoring:cluster_create"), {
        "year": "2025", "kind": "cluster", "name": "Cụm 1",
        "units": [units[0].pk, units[1].pk], "head": units[2].pk, "criteria": ""})

    assert response.status_code == 200
    assert "không phải là thành viên của cụm" in response.content.decode()
    assert not Cluster.objects.exists()


# --- rotation --------------------------------------------------------------------------------


def test_copy_year_next_member_becomes_head(cast, three):
    units, _head = three
    _cluster(cast, units, head=units[1], deputy=units[2])

    made = clusters.copy_year(year=2026, user=cast.office)

    assert len(made) == 1
    copied = made[0]
    assert (copied.year, copied.head, copied.deputy) == (2026, units[2], units[0])
    assert [c.title for c in copied.criteria.all()] == [c[1] for c in CRITERIA]


def test_copy_year_last_member_head_wraps_to_first(cast, three):
    units, _head = three
    _cluster(cast, units, head=units[2])

    copied = clusters.copy_year(year=2026, user=cast.office)[0]

    assert copied.head == units[0]


def test_copy_year_twice_refused(cast, three):
    units, _head = three
    _cluster(cast, units)
    clusters.copy_year(year=2026, user=cast.office)

    with pytest.raises(ValidationError):
        clusters.copy_year(year=2026, user=cast.office)
    assert Cluster.objects.filter(year=2026).count() == 1


# --- peer scoring and ranking ----------------------------------------------------------------


def _marks(cluster, scorer, by_unit):
    criteria = list(cluster.criteria.all())
    return {(unit.pk, c.pk): Decimal(points) for unit, row in by_unit.items()
            for c, points in zip(criteria, row, strict=True)}


def test_peer_scoring_ranks_by_mean_of_peers(cast, three):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)

    clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                        marks=_marks(cluster, a, {b: (50, 30), c: (40, 30)}))
    clusters.save_marks(cluster=cluster, scorer=b, user=cast.head_b,
                        marks=_marks(cluster, b, {a: (60, 40), c: (44, 36)}))
    clusters.save_marks(cluster=cluster, scorer=c, user=cast.head_b,
                        marks=_marks(cluster, c, {a: (50, 30), b: (56, 34)}))

    results = {r.unit: r for r in ClusterResult.objects.filter(cluster=cluster)}
    # a: (60+50)/2 + (40+30)/2 = 90; b: (50+56)/2 + (30+34)/2 = 85; c: (40+44)/2 + (30+36)/2 = 75.
    assert [results[u].final for u in (a, b, c)] == [Decimal(90), Decimal(85), Decimal(75)]
    assert [results[u].rank for u in (a, b, c)] == [1, 2, 3]
    assert results[a].grade == "excellent" and results[a].scorers == 2


def test_peer_scoring_own_unit_refused(cast, three):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)

    with pytest.raises(ValidationError):
        clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                            marks=_marks(cluster, a, {a: (60, 40)}))
    assert not PeerMark.objects.exists()


def test_peer_scoring_above_maximum_refused(cast, three):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)

    with pytest.raises(ValidationError) as refused:
        clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                            marks=_marks(cluster, a, {b: (61, 40)}))
    assert "0 đến 60" in " ".join(refused.value.messages)
    assert not PeerMark.objects.exists()


def test_peer_scoring_page_saves_marks_and_audits(cast, three, client_for):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    c1, c2 = cluster.criteria.all()
    data = {f"m_{b.pk}_{c1.pk}": "55,5", f"m_{b.pk}_{c2.pk}": "30",
            f"m_{c.pk}_{c1.pk}": "40", f"m_{c.pk}_{c2.pk}": ""}

    response = client_for(cast.head_a).post(reverse("scoring:cluster_score", args=[cluster.pk]),
                                            data)

    assert response.status_code == 302
    assert PeerMark.objects.get(scorer=a, scored=b, criterion=c1).points == Decimal("55.5")
    assert PeerMark.objects.filter(scorer=a).count() == 3
    line = AuditEntry.objects.get(action="cluster.marks")
    assert line.after["1"][str(b.pk)] == "55.5" and line.before["1"][str(b.pk)] is None


# --- the meeting's proposal reaches the commendation lists -------------------------------------


def _closed(cast, three):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    clusters.save_marks(cluster=cluster, scorer=b, user=cast.head_b,
                        marks=_marks(cluster, b, {a: (60, 40), c: (30, 20)}))
    return clusters.close_round(cluster=cluster, user=cast.office)


def test_meeting_proposal_puts_flag_candidate_on_the_units_list(cast, three, client_for):
    cluster = _closed(cast, three)
    (a, b, c), _head = three

    response = client_for(cast.office).post(
        reverse("awards:cluster_proposal", args=[cluster.pk]),
        {"held_on": "22/12/2025", "present": "3", "flag_unit": a.pk, "flag_votes": "3",
         "minutes": SimpleUploadedFile("bien-ban.pdf", PDF)})

    assert response.status_code == 302
    nominee = Nominee.objects.get(proposal__unit=a, proposal__year=2025, staff=None)
    assert nominee.award.code == FLAG_CODE
    assert "22/12/2025" in nominee.summary
    assert AuditEntry.objects.filter(action="cluster.proposal").count() == 1
    lists = client_for(cast.office).get(reverse("awards:proposals") + "?year=2025")
    assert "Cụm 1" in lists.content.decode() and a.name in lists.content.decode()


def test_meeting_proposal_puts_bang_khen_candidate_on_its_units_list(cast, three, client_for):
    cluster = _closed(cast, three)
    (a, b, c), _head = three
    client = client_for(cast.office)
    url = reverse("awards:cluster_proposal", args=[cluster.pk])
    certificate = Award.objects.get(code=COLLECTIVE_CERTIFICATE_CODE)

    form = client.get(url).content.decode()
    response = client.post(url, {
        "held_on": "22/12/2025", "present": "3", "flag_unit": a.pk, "flag_votes": "3",
        "commended": [c.pk], "commendation": certificate.pk,
        "minutes": SimpleUploadedFile("bien-ban.pdf", PDF)})

    # The form offers the collective Bằng khen of the province (it offered nothing before).
    assert f'value="{certificate.pk}" selected' in form and certificate.name in form
    assert response.status_code == 302
    nominee = Nominee.objects.get(proposal__unit=c, proposal__year=2025, staff=None)
    assert nominee.award == certificate and "22/12/2025" in nominee.summary
    assert nominee.proposal.stage == ProposalStage.DRAFT
    line = AuditEntry.objects.get(action="cluster.proposal")
    assert line.after["commended"] == [c.pk] and line.after["commendation"] == certificate.pk
    page = client.get(url).content.decode()
    assert certificate.name in page and c.name in page


def test_flag_candidate_approved_on_its_list_is_in_the_province_proposal(cast, three):
    cluster = _closed(cast, three)
    (a, b, c), _head = three
    services_clusters.record_proposal(
        cluster=cluster, held_on=datetime.date(2025, 12, 22), present=3, flag_unit=a,
        flag_votes=3, commended=[], commendation=None, user=cast.office,
        **_upload("bien-ban.pdf"))
    # The list then follows its usual path (tested in tests/awards); here only its end.
    Proposal.objects.filter(unit=a, year=2025).update(stage=ProposalStage.APPROVED)
    Nominee.objects.filter(proposal__unit=a).update(passed=True)

    listed = list(province_proposal.nominees_of(2025))

    assert [(n.proposal.unit, n.award.code) for n in listed] == [(a, FLAG_CODE)]


def test_meeting_proposal_list_already_sent_refused_nothing_stored(cast, three, client_for):
    cluster = _closed(cast, three)
    (a, b, c), _head = three
    Proposal.objects.create(unit=a, year=2025, stage=ProposalStage.SUBMITTED)
    office = client_for(cast.office)
    before = db_snapshot()

    response = office.post(
        reverse("awards:cluster_proposal", args=[cluster.pk]),
        {"held_on": "22/12/2025", "present": "3", "flag_unit": a.pk, "flag_votes": "3",
         "minutes": SimpleUploadedFile("bien-ban.pdf", PDF)})

    assert response.status_code == 200
    assert "đã được gửi" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []
    assert not ClusterProposal.objects.exists()


# --- who may do what -------------------------------------------------------------------------

# (name, args from (cast, cluster), method, expected per role). head_a heads the cluster's head
# unit; head_b's unit is a member; staff of unit a reads.
MATRIX = [
    ("scoring:clusters", lambda cl: [], "get", expect(200)),
    ("scoring:cluster", lambda cl: [cl.pk], "get", expect(200)),
    ("scoring:cluster_create", lambda cl: [], "get", expect(403, office=200, admin=200)),
    ("scoring:cluster_edit", lambda cl: [cl.pk], "get", expect(403, office=200, admin=200)),
    ("scoring:cluster_copy", lambda cl: [], "post", expect(403, office=302, admin=302)),
    ("scoring:cluster_pact_upload", lambda cl: [cl.pk], "post",
     expect(403, office=302, admin=302)),
    ("scoring:cluster_round", lambda cl: [cl.pk, "close"], "post",
     expect(403, office=302, admin=302, head_a=302)),
    ("scoring:cluster_score", lambda cl: [cl.pk], "get", expect(403, head_a=200, head_b=200)),
    # Only the Office moves the deadline; an empty post is the form again with its errors.
    ("scoring:cluster_extend", lambda cl: [cl.pk], "get", expect(403, office=200, admin=200)),
    ("scoring:cluster_extend", lambda cl: [cl.pk], "post", expect(403, office=200, admin=200)),
    ("awards:cluster_proposal", lambda cl: [cl.pk], "get", expect(200)),
    ("scoring:cluster_export", lambda cl: [cl.pk], "get", expect(200)),
    # The page says why an opened cluster cannot be deleted; the post is refused with it.
    ("scoring:cluster_delete", lambda cl: [cl.pk], "get", expect(403, office=200, admin=200)),
    ("scoring:cluster_delete", lambda cl: [cl.pk], "post", expect(403, office=302, admin=302)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_cluster_pages_role_gets_expected_status(cast, client_for, role, name, args, method,
                                                 expected):
    cluster = _cluster(cast, [cast.unit_a, cast.unit_b])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)

    response = getattr(client_for(cast.users()[role]), method)(
        reverse(name, args=args(cluster)))

    assert response.status_code == expected[role], f"{role} {method} {name}"


def test_cluster_page_of_another_units_cluster_is_404(cast, client_for, three):
    (a, b, c), head_c = three
    cluster = _cluster(cast, [b, c], head=b)

    assert client_for(cast.head_a).get(cluster.get_absolute_url()).status_code == 404
    assert client_for(head_c).get(cluster.get_absolute_url()).status_code == 200


def test_peer_scoring_page_over_maximum_keeps_typing_and_says_why(cast, three, client_for):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    c1, _c2 = cluster.criteria.all()

    response = client_for(cast.head_a).post(reverse("scoring:cluster_score", args=[cluster.pk]),
                                            {f"m_{b.pk}_{c1.pk}": "61,5"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="61,5"' in page and "không lớn hơn 60" in page
    assert not PeerMark.objects.exists()


# --- query counts ------------------------------------------------------------------------------

QUERIES_CLUSTER_PAGE, QUERIES_CLUSTER_LIST = 9, 4


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_cluster_pages_keep_their_query_count_with_more_members(cast, three, client_for):
    (a, b, c), _head = three
    small = _cluster(cast, [a, b])
    client = client_for(cast.office)
    few = (_count(client, small.get_absolute_url()),
           _count(client, reverse("scoring:clusters") + "?year=2025"))
    more = [UnitFactory(parent=cast.root) for _ in range(4)]
    big = _cluster(cast, [c, *more], name="Cụm 2", head=c)
    clusters.open_round(cluster=big, deadline=datetime.date(2099, 12, 20), user=cast.office)
    clusters.save_marks(cluster=big, scorer=c, user=cast.office,
                        marks=_marks(big, c, {unit: (50, 30) for unit in more}))

    many = (_count(client, big.get_absolute_url()),
            _count(client, reverse("scoring:clusters") + "?year=2025"))

    assert few == many == (QUERIES_CLUSTER_PAGE, QUERIES_CLUSTER_LIST)


def test_cluster_form_from_a_stale_page_refused_typing_kept(cast, three, client_for):
    units, _head = three
    cluster = _cluster(cast, units[:2])
    url = reverse("scoring:cluster_edit", args=[cluster.pk])
    typed = {"year": "2025", "kind": "cluster", "name": "Cụm trường số 1",
             "units": [units[0].pk, units[1].pk], "head": units[0].pk, "criteria": "",
             "version": str(cluster.version)}
    clusters.save_cluster(cluster=Cluster.objects.get(pk=cluster.pk), units=units[:2],
                          version=cluster.version, user=cast.office)  # someone else saved

    response = client_for(cast.office).post(url, typed)

    page = response.content.decode()
    assert response.status_code == 200 and "Cụm trường số 1" in page
    assert Cluster.objects.get(pk=cluster.pk).name == "Cụm 1"


# --- the deadline, what is fixed once scoring opens, deletion, the workbook -------------------


def _opened_with_marks(cast, three):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c])
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                        marks=_marks(cluster, a, {b: (50, 30), c: (40, 30)}))
    return cluster


def _past_deadline(cluster):
    Cluster.objects.filter(pk=cluster.pk).update(round_deadline=datetime.date(2025, 12, 20))
    return Cluster.objects.get(pk=cluster.pk)


def test_peer_marks_after_the_deadline_refused_nothing_stored(cast, three):
    (a, b, c), _head = three
    cluster = _past_deadline(_opened_with_marks(cast, three))
    before = db_snapshot()

    with pytest.raises(ValidationError) as refused:
        clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                            marks=_marks(cluster, a, {b: (60, 40)}))

    message = " ".join(refused.value.messages)
    assert "20/12/2025" in message and "quá hạn" in message and "Văn phòng" in message
    assert changed_tables(before, db_snapshot()) == []


def test_peer_scoring_page_after_the_deadline_reads_only_and_refuses_a_post(cast, three,
                                                                              client_for):
    (a, b, c), _head = three
    cluster = _past_deadline(_opened_with_marks(cast, three))
    c1, _c2 = cluster.criteria.all()
    client = client_for(cast.head_a)
    url = reverse("scoring:cluster_score", args=[cluster.pk])

    page = client.get(url).content.decode()
    before = db_snapshot()
    posted = client.post(url, {f"m_{b.pk}_{c1.pk}": "55"})

    assert "20/12/2025" in page and 'name="m_' not in page and "Lưu điểm" not in page
    assert posted.status_code == 200 and "Văn phòng" in posted.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_office_closes_the_round_after_the_deadline(cast, three, client_for):
    cluster = _past_deadline(_opened_with_marks(cast, three))

    response = client_for(cast.office).post(
        reverse("scoring:cluster_round", args=[cluster.pk, "close"]))

    assert response.status_code == 302
    assert Cluster.objects.get(pk=cluster.pk).round_closed_at is not None


def _extend_data(cluster, deadline, reason="Hai trường xin thêm thời gian do bão"):
    return {"deadline": deadline, "reason": reason, "version": str(cluster.version)}


def _in_days(days) -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=days):%d/%m/%Y}"


def test_extend_round_after_the_deadline_moves_it_audits_and_members_score_again(
        cast, three, client_for):
    (a, b, c), _head = three
    cluster = _past_deadline(_opened_with_marks(cast, three))
    client = client_for(cast.office)
    url = reverse("scoring:cluster_extend", args=[cluster.pk])

    shown = client.get(cluster.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    response = client.post(url, _extend_data(cluster, _in_days(10)))

    assert "Gia hạn chấm chéo" in shown and url in shown
    assert "20/12/2025" in page and "Lý do gia hạn" in page
    assert response.status_code == 302
    extended = Cluster.objects.get(pk=cluster.pk)
    new = timezone.localdate() + datetime.timedelta(days=10)
    assert extended.round_deadline == new and not extended.deadline_passed
    assert extended.version == cluster.version + 1
    line = AuditEntry.objects.get(action="cluster.round_extend")
    assert line.before == {"deadline": "2025-12-20"}
    assert line.after == {"deadline": new.isoformat(),
                          "reason": "Hai trường xin thêm thời gian do bão"}
    # The members may score again.
    clusters.save_marks(cluster=extended, scorer=a, user=cast.head_a,
                        marks=_marks(extended, a, {b: (60, 40)}))
    assert PeerMark.objects.get(cluster=cluster, scorer=a, scored=b, criterion__number="1"
                                ).points == 60


@pytest.mark.parametrize(("deadline", "reason", "says"), [
    ("yesterday", "Trường xin thêm", "trước hôm nay"),
    ("31/02/2099", "Trường xin thêm", "dd/mm/yyyy"),
    ("in 10 days", "   ", "bắt buộc"),
    ("15/12/2099", "Trường xin thêm", "sau hạn hiện tại (20/12/2099)"),
])
def test_extend_round_bad_input_says_why_nothing_stored(cast, three, client_for, deadline,
                                                         reason, says):
    cluster = _opened_with_marks(cast, three)
    typed = {"yesterday": _in_days(-1), "in 10 days": _in_days(10)}.get(deadline, deadline)
    client = client_for(cast.office)
    before = db_snapshot()

    response = client.post(
        reverse("scoring:cluster_extend", args=[cluster.pk]),
        _extend_data(cluster, typed, reason))

    assert response.status_code == 200
    assert says in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_extend_round_from_a_stale_page_refused_typing_kept(cast, three, client_for):
    cluster = _opened_with_marks(cast, three)
    typed = _extend_data(cluster, "30/12/2099", "Trường Nguyễn Du xin thêm")
    clusters.extend_round(cluster=cluster, deadline=datetime.date(2099, 12, 28),
                          reason="Bão", version=cluster.version, user=cast.office)
    client = client_for(cast.office)
    before = db_snapshot()

    response = client.post(
        reverse("scoring:cluster_extend", args=[cluster.pk]), typed)

    page = response.content.decode()
    assert response.status_code == 200 and "Trường Nguyễn Du xin thêm" in page
    assert "30/12/2099" in page and "tải lại" in page.lower()
    assert Cluster.objects.get(pk=cluster.pk).round_deadline == datetime.date(2099, 12, 28)
    assert changed_tables(before, db_snapshot()) == []


def test_extend_round_of_a_closed_round_refused_nothing_stored(cast, three, client_for):
    cluster = clusters.close_round(cluster=_opened_with_marks(cast, three), user=cast.office)
    client = client_for(cast.office)
    before = db_snapshot()

    with pytest.raises(ValidationError):
        clusters.extend_round(cluster=cluster, deadline=datetime.date(2099, 12, 31),
                              reason="Muộn", version=cluster.version, user=cast.office)
    response = client.post(reverse("scoring:cluster_extend", args=[cluster.pk]),
                           _extend_data(cluster, "31/12/2099"), follow=True)

    assert "không mở" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_save_cluster_members_after_opening_refused_nothing_stored(cast, three):
    (a, b, c), _head = three
    cluster = _opened_with_marks(cast, three)
    before = db_snapshot()

    with pytest.raises(ValidationError) as refused:
        clusters.save_cluster(cluster=Cluster.objects.get(pk=cluster.pk), units=[a, b],
                              user=cast.office)

    assert "không còn thay đổi được" in " ".join(refused.value.messages)
    assert changed_tables(before, db_snapshot()) == []


def test_save_cluster_criteria_after_closing_refused_nothing_stored(cast, three):
    (a, b, c), _head = three
    cluster = clusters.close_round(cluster=_opened_with_marks(cast, three), user=cast.office)
    before = db_snapshot()

    with pytest.raises(ValidationError):
        clusters.save_cluster(cluster=Cluster.objects.get(pk=cluster.pk), units=[a, b, c],
                              criteria=[("1", "Chất lượng", Decimal(50)),
                                        ("2", "Phong trào", Decimal(50))], user=cast.office)

    assert changed_tables(before, db_snapshot()) == []


def test_cluster_form_after_opening_renames_and_keeps_members_and_criteria(cast, three,
                                                                           client_for):
    (a, b, c), _head = three
    cluster = _opened_with_marks(cast, three)
    url = reverse("scoring:cluster_edit", args=[cluster.pk])
    client = client_for(cast.office)

    page = client.get(url).content.decode()
    # Ticking fewer members and typing other criteria: the fixed fields ignore the post.
    response = client.post(url, {"year": "2025", "kind": "cluster", "name": "Cụm số 1 mới",
                                 "units": [a.pk, b.pk], "head": b.pk, "criteria": "X; 100",
                                 "targets": "Đạt chuẩn", "version": str(cluster.version)})

    saved = Cluster.objects.get(pk=cluster.pk)
    assert "không còn thay đổi" in page or "cố định" in page
    assert response.status_code == 302
    assert (saved.name, saved.head_id, saved.targets) == ("Cụm số 1 mới", a.pk, "Đạt chuẩn")
    assert list(saved.members.values_list("unit_id", flat=True)) == [a.pk, b.pk, c.pk]
    assert saved.criteria.count() == 2 and PeerMark.objects.filter(cluster=saved).count() == 4
    line = AuditEntry.objects.filter(action="cluster.edit").latest("pk")
    assert line.before["name"] == "Cụm 1" and line.after["name"] == "Cụm số 1 mới"


def test_delete_cluster_never_opened_deleted_and_audited(cast, three, client_for):
    units, _head = three
    cluster = _cluster(cast, units, name="Cụm trường THPT số 9")
    clusters.add_pact(cluster=cluster, user=cast.office, **_upload())
    url = reverse("scoring:cluster_delete", args=[cluster.pk])
    client = client_for(cast.office)

    page = client.get(url).content.decode()
    response = client.post(url)

    assert "Cụm trường THPT số 9" in page and units[2].name in page
    assert response.status_code == 302
    assert not Cluster.objects.exists() and not ClusterMember.objects.exists()
    line = AuditEntry.objects.get(action="cluster.delete")
    assert line.before["name"] == "Cụm trường THPT số 9" and line.after is None
    assert sorted(line.before["members"]) == sorted(u.pk for u in units)


def test_delete_cluster_after_opening_refused_with_the_reason(cast, three, client_for):
    cluster = _opened_with_marks(cast, three)
    url = reverse("scoring:cluster_delete", args=[cluster.pk])
    client = client_for(cast.office)
    before = db_snapshot()

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "Xóa cụm</button>" not in page and "không thể xóa" in page
    assert "không thể xóa" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_cluster_export_has_the_ranking_and_the_departments_header(cast, three, client_for):
    (a, b, c), _head = three
    cluster = _cluster(cast, [a, b, c], name="Cụm trường THPT số 1")
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                        marks=_marks(cluster, a, {b: (50, 30), c: (40, 30)}))
    clusters.save_marks(cluster=cluster, scorer=b, user=cast.head_b,
                        marks=_marks(cluster, b, {a: (60, 40), c: (44.5, 36)}))
    clusters.close_round(cluster=cluster, user=cast.office)

    response = client_for(cast.head_b).get(reverse("scoring:cluster_export", args=[cluster.pk]))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Thứ hạng", "Đơn vị", "1. Chất lượng giáo dục (tối đa 60)",
                       "2. Phong trào (tối đa 40)", "Tổng điểm (thang 100)", "Xếp loại",
                       "Số đơn vị chấm")
    # a: 60 + 40 = 100 from b alone; b: 50 + 30 = 80 from a; c: (40+44,5)/2 + (30+36)/2 = 75,25.
    assert [row[:4] for row in rows[1:]] == [(1, a.name, 60, 40), (2, b.name, 50, 30),
                                             (3, c.name, 42.25, 33)]
    assert [(row[4], row[6]) for row in rows[1:]] == [(100, 1), (80, 1), (75.25, 2)]
    assert sheet.oddHeader.left.text  # the department's printed header
    assert response["Content-Disposition"].endswith('.xlsx"')
