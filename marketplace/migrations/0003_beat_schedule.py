"""The periodic tasks `make run`'s beat (django-celery-beat's database scheduler) runs for the marketplace."""

from django.db import migrations

SCHEDULE = (
    # name, task, minute, hour, day_of_week
    ("marketplace: prune idempotency keys", "marketplace.tasks.idempotency_keys_prune_task", "17", "*", "*"),
    ("marketplace: payout reports", "marketplace.tasks.payout_reports_build_task", "30", "1", "1"),
)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_week in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0002_ledger_triggers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
