"""Run inside `manage.py shell` by factory_batch.py: one batch's step and playtest figures, as JSON.

Reads the StepRun timings (dispatched, started, finished) and the playtest reports the build steps
stored (`<label>-playtest.json` artifacts); prints one JSON object on the last line of stdout.
"""

import json
import os

from django.core.files.storage import default_storage

from batches.models import Artifact, StepRun

batch_id = os.environ["GF_BENCH_BATCH"]
runs = StepRun.objects.filter(production__batch_id=batch_id)
steps: dict[int, dict[str, list[float]]] = {}
for run in runs:
    row = steps.setdefault(run.step, {"busy": [], "wait": [], "failed": []})
    if run.started_at and run.finished_at:
        (row["busy"] if run.state == "completed" else row["failed"]).append(
            (run.finished_at - run.started_at).total_seconds()
        )
    if run.started_at and run.dispatched_at:
        row["wait"].append(max(0.0, (run.started_at - run.dispatched_at).total_seconds()))
playtests: list[dict] = []
for artifact in Artifact.objects.filter(production__batch_id=batch_id, name__endswith="-playtest.json"):
    try:
        with default_storage.open(artifact.storage_path) as handle:
            report = json.loads(handle.read())
    except (OSError, ValueError):
        continue
    playtests.append(
        {
            "step": artifact.step,
            "label": artifact.name.removesuffix("-playtest.json"),
            "passed": bool(report.get("passed")),
            "duration_s": report.get("duration_s") or 0.0,
            "timings": report.get("timings") or {},
            "cached": bool(report.get("cached_from")),
            "mechanic": report.get("mechanic", ""),
        }
    )
print(json.dumps({"steps": steps, "playtests": playtests}))
