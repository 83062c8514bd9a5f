import pytest

from batches import inline, services
from batches.models import StepRun


@pytest.fixture(autouse=True)
def factory_dirs(settings, tmp_path):
    """Every test gets its own staging, repositories and media folders."""
    settings.FACTORY_DIR = tmp_path / "factory"
    settings.REPOSITORIES_DIR = tmp_path / "repos"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPOSITORY_BACKEND = "local"
    settings.FACTORY_RETRY_BACKOFF = 0
    settings.FACTORY_MAX_RETRIES = 2
    return tmp_path


class Factory:
    """Drives the factory in this process: attempts run inline, callbacks after each commit."""

    def __init__(self, capture, staff):
        self.capture = capture
        self.staff = staff

    def __call__(self, fn, *args, **kwargs):
        """Call a service with its on-commit callbacks run (attempts land in the inline queue)."""
        with self.capture(execute=True):
            return fn(*args, **kwargs)

    def batch(self, **kwargs):
        kwargs.setdefault("created_by", self.staff)
        kwargs.setdefault("brief", "Short arcade games for a coffee break")
        kwargs.setdefault("count", 1)
        kwargs.setdefault("seed", 7)
        return self(services.batch_create, **kwargs)

    def drain(self, *, until_step: int | None = None) -> int:
        """Run queued attempts; with until_step, attempts of later steps stay queued (pending)."""
        ran = 0
        held = []
        while inline.pending():
            queue = inline._queue.get()
            run_id = queue[0]
            step = StepRun.objects.filter(pk=run_id).values_list("step", flat=True).first()
            if until_step is not None and step is not None and step > until_step:
                held.append(queue.popleft())
                continue
            with self.capture(execute=True):
                inline.run_next()
            ran += 1
        for run_id in held:
            inline.enqueue(run_id)
        return ran


@pytest.fixture
def factory(django_capture_on_commit_callbacks, staff):
    with inline.inline_dispatch():
        yield Factory(django_capture_on_commit_callbacks, staff)
