"""Today's numbers, live: the watermark table and the every-minute beat row."""

from django.db import migrations, models

LIVE_TASK = ("analytics: today, live", "analytics.tasks.metrics_aggregate_live_task")


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task = LIVE_TASK
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")  # limits.LIVE_EVERY
    PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": task, "interval": every, "crontab": None, "enabled": True}
    )


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=LIVE_TASK[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_daily_metrics_plural"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveWatermark",
            fields=[
                ("timezone", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("received_until", models.DateTimeField()),
                ("computed_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(create_schedule, delete_schedule),
    ]
