"""The factory's periodic tasks for beat (django-celery-beat's database scheduler)."""

from django.db import migrations

RECONCILE = ("batches: reconcile", "batches.tasks.reconcile_task")
POSTLAUNCH = ("batches: post-launch review", "batches.tasks.postlaunch_daily_task", "30", "3")


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=RECONCILE[0], defaults={"task": RECONCILE[1], "interval": every_minute, "crontab": None, "enabled": True}
    )
    name, task, minute, hour = POSTLAUNCH
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": task, "crontab": daily, "interval": None, "enabled": True}
    )


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[RECONCILE[0], POSTLAUNCH[0]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("batches", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
