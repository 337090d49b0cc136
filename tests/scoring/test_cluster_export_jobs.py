"""A cluster's ranking workbook through the background worker (scoring/jobs.py): a cluster of
more members than core.jobs' direct rows is written there with its progress page; a usual one
comes at once; both hold the same ranking; failures are said in Vietnamese and can be retried;
only the requester reads the file; who cannot read the cluster cannot queue it."""

import datetime

import pytest
from django.urls import reverse

from awards.models import GeneratedDocument
from core import jobs as core_jobs
from scoring import clusters, jobs

from ..export_jobs import (
    body,
    fails_in_vietnamese_then_retried,
    fetch,
    lower_limit,
    only_the_requester_reads,
    queued_from,
    run_saving_progress,
    sheets,
)
from ..factories import UnitFactory
from .test_clusters import _cluster, _marks


@pytest.fixture
def schools(cast):
    return cast.unit_a, cast.unit_b, UnitFactory(name="Trường THPT Nguyễn Du", parent=cast.root)


@pytest.fixture
def ranked(cast, schools):
    """Three schools scored by one another, the round closed: a ranking of three rows."""
    a, b, c = schools
    cluster = _cluster(cast, [a, b, c], name="Cụm trường THPT số 1")
    clusters.open_round(cluster=cluster, deadline=datetime.date(2099, 12, 20), user=cast.office)
    clusters.save_marks(cluster=cluster, scorer=a, user=cast.head_a,
                        marks=_marks(cluster, a, {b: (50, 30), c: (40, 30)}))
    clusters.save_marks(cluster=cluster, scorer=b, user=cast.head_b,
                        marks=_marks(cluster, b, {a: (60, 40), c: (44.5, 36)}))
    return clusters.close_round(cluster=cluster, user=cast.office)


def export_url(cluster):
    return reverse("scoring:cluster_export", args=[cluster.pk])


def ranking_sheet(content):
    """The ranking sheet (the information sheet says the minute it was made)."""
    return sheets(content)[0]


def test_usual_cluster_is_downloaded_at_once(cast, client_for, ranked):
    response = client_for(cast.head_a).get(export_url(ranked))

    assert response.status_code == 200
    assert len(ranking_sheet(body(response))) == 1 + 3
    assert core_jobs.KINDS[jobs.CLUSTER].rows({"cluster": ranked.pk}) == 3
    kept = GeneratedDocument.objects.get()
    assert (kept.kind, kept.status, kept.requested_by) == (jobs.CLUSTER, "done", cast.head_a)


def test_large_cluster_is_written_by_the_worker_with_progress_and_the_same_ranking(
        cast, client_for, ranked, monkeypatch):
    client = client_for(cast.office)
    direct = ranking_sheet(body(client.get(export_url(ranked))))
    monkeypatch.setattr("scoring.cluster_exports.PROGRESS_ROWS", 1)
    lower_limit(monkeypatch, jobs.CLUSTER)

    document = queued_from(client.get(export_url(ranked)))
    assert document.params == {"cluster": ranked.pk, "language": "vi"}
    assert client.get(reverse("awards:document", args=[document.pk]))["Refresh"] == "2"

    assert run_saving_progress(document) == [0, 33, 66, 99, 100]
    document.refresh_from_db()
    assert document.rows == 3
    assert ranking_sheet(fetch(client, document)) == direct
    assert document.filename == "xep-hang-cum-Cum-truong-THPT-so-1-2025.xlsx"


def test_failed_export_is_said_in_vietnamese_and_can_be_retried(cast, client_for, ranked,
                                                                monkeypatch, settings,
                                                                tmp_path):
    lower_limit(monkeypatch, jobs.CLUSTER)
    client = client_for(cast.head_b)
    document = queued_from(client.get(export_url(ranked)))
    fails_in_vietnamese_then_retried(client, document, settings, tmp_path)
    assert len(ranking_sheet(fetch(client, document))) == 1 + 3


def test_only_the_requester_reads_the_job(cast, client_for, ranked, monkeypatch):
    lower_limit(monkeypatch, jobs.CLUSTER)
    document = queued_from(client_for(cast.head_a).get(export_url(ranked)))
    run_saving_progress(document)
    # The other members' heads read the cluster, yet not what head A asked for.
    only_the_requester_reads(client_for, document, cast.head_a,
                             [cast.head_b, cast.office, cast.director, cast.staff])


def test_who_cannot_read_the_cluster_cannot_queue_its_export(cast, client_for, monkeypatch,
                                                             schools):
    _a, b, c = schools
    cluster = _cluster(cast, [b, c], head=b)
    lower_limit(monkeypatch, jobs.CLUSTER)
    for query in ({}, {"background": "1"}):
        assert client_for(cast.head_a).get(export_url(cluster), query).status_code == 404
    assert not GeneratedDocument.objects.exists()
