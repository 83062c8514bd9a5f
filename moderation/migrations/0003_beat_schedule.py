"""Moderation's periodic task for beat: the email outbox's sweeper."""

from django.db import migrations

SWEEPER = ("moderation: email pending notices", "moderation.tasks.notices_email_pending_task")


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEPER[0], defaults={"task": SWEEPER[1], "interval": every_5_minutes, "crontab": None, "enabled": True}
    )


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEPER[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_audit_log_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
