"""purge_signin_attempts keeps the privacy page's promise: staff sign-in records
(axes's attempts, sign-in log and failure log, each with an address) are deleted once
older than SIGNIN_RETENTION_DAYS, and newer ones are kept."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


def make(model, age_days: float, n: int = 0):
    """A record of `model` dated `age_days` ago, from a documentation address."""
    fields = {
        "username": f"editor{n}",
        "ip_address": f"203.0.113.{n + 1}",
        "user_agent": f"browser {n}",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    if model is AccessAttempt:
        fields |= {"get_data": "", "post_data": "", "failures_since_start": 3}
    record = model.objects.create(**fields)
    model.objects.filter(pk=record.pk).update(
        attempt_time=timezone.now() - timedelta(days=age_days)
    )
    return record


def run(*args: str) -> str:
    out = StringIO()
    call_command("purge_signin_attempts", *args, stdout=out)
    return out.getvalue()


def remaining(model) -> set[int]:
    return set(model.objects.values_list("pk", flat=True))


def test_deletes_records_older_than_the_period_and_keeps_newer_ones(settings):
    assert settings.SIGNIN_RETENTION_DAYS == 30
    old, kept = {}, {}
    for model in MODELS:
        old[model] = {make(model, 31, 1).pk, make(model, 400, 2).pk}
        kept[model] = {make(model, 29, 3).pk, make(model, 0, 4).pk}
    output = run()
    assert (
        "Deleted 6 sign-in records older than 30 days (2 attempt counters, "
        "2 sign-in log entries, 2 failure log entries)." in output
    )
    for model in MODELS:
        assert remaining(model) == kept[model], model.__name__


def test_follows_the_setting(settings):
    settings.SIGNIN_RETENTION_DAYS = 7
    for model in MODELS:
        make(model, 8, 1)
        make(model, 6, 2)
    assert "Deleted 3 sign-in records older than 7 days" in run()
    for model in MODELS:
        assert list(model.objects.values_list("username", flat=True)) == ["editor2"]


def test_dry_run_counts_and_deletes_nothing():
    for model in MODELS:
        make(model, 45, 1)
        make(model, 1, 2)
    assert "Would delete 3 sign-in records older than 30 days" in run("--dry-run")
    assert all(model.objects.count() == 2 for model in MODELS)


def test_real_sign_ins_are_kept_then_deleted_once_old(client, settings):
    """Records written by axes itself, through the admin's sign-in form."""
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    get_user_model().objects.create_superuser(
        "editor", "e@example.org", "A-long-pass-phrase-42"
    )
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "wrong password"},
        REMOTE_ADDR="203.0.113.9",
    )
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "A-long-pass-phrase-42"},
        REMOTE_ADDR="203.0.113.10",
    )
    assert AccessLog.objects.filter(ip_address="203.0.113.10").exists()
    assert AccessFailureLog.objects.filter(ip_address="203.0.113.9").exists()
    run()
    assert AccessLog.objects.exists() and AccessFailureLog.objects.exists()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.update(attempt_time=timezone.now() - timedelta(days=31))
    run()
    assert not any(model.objects.exists() for model in MODELS)


@pytest.mark.parametrize("days", [0, -5])
def test_refuses_a_period_that_would_delete_everything(settings, days):
    settings.SIGNIN_RETENTION_DAYS = days
    make(AccessLog, 0)
    with pytest.raises(CommandError, match="1 or more"):
        run()
    assert AccessLog.objects.count() == 1


def test_refuses_a_period_shorter_than_the_lockout(settings):
    """Deleting a counter still inside its lockout would let the guessing go on."""
    settings.SIGNIN_RETENTION_DAYS = 1
    settings.AXES_COOLOFF_TIME = timedelta(days=2)
    make(AccessAttempt, 1.5)
    with pytest.raises(CommandError, match="shorter than the lockout"):
        run()
    assert AccessAttempt.objects.count() == 1


def test_the_environment_variable_sets_the_period(monkeypatch):
    import importlib

    import neuroinfo.settings as module

    monkeypatch.setenv("NEUROINFO_SIGNIN_RETENTION_DAYS", "90")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
    try:
        assert importlib.reload(module).SIGNIN_RETENTION_DAYS == 90
    finally:
        monkeypatch.delenv("NEUROINFO_SIGNIN_RETENTION_DAYS")
        importlib.reload(module)


def test_the_readme_crontab_runs_every_daily_clean_up():
    """Each command that keeps a retention promise is in the README's daily list."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    crontab = set(
        re.findall(r"^ +[\d*]+ [\d*]+ \* \* \* .*manage\.py (\w+)", readme, re.M)
    )
    commands = root / "neuroinfo/management/commands"
    purges = {p.stem for p in commands.glob("purge_*.py")}
    assert purges >= {"purge_feedback", "purge_signin_attempts"}
    assert crontab >= purges | {"clearsessions", "review_digest"}
