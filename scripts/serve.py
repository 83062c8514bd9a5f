"""The web process (Procfile `web`): uvicorn on WEB_HOST:WEB_PORT, proxy headers as settings say.

Refuses to start with DEBUG on anywhere but a loopback address.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")

if __name__ == "__main__":
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from gamefactory.serving import debug_bind_problem, uvicorn_args

    try:
        problem = debug_bind_problem(settings, settings.WEB_HOST)
    except ImproperlyConfigured as exc:
        sys.exit(f"Refusing to start: {exc}")
    if problem:
        sys.exit(problem)
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    os.execv(uvicorn, [uvicorn, *uvicorn_args(settings), *sys.argv[1:]])
