"""Fill the mechanics table from the code (the same sync `manage.py sync_mechanics` runs)."""

from django.db import migrations


def sync(apps, schema_editor):
    from generation.services import mechanic_sync

    mechanic_sync(model=apps.get_model("generation", "Mechanic"))


class Migration(migrations.Migration):
    dependencies = [("generation", "0001_initial")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
