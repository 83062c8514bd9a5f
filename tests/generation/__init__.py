import pytest

# The shared mechanic checks assert in a helper module: give their failures pytest's full report.
pytest.register_assert_rewrite("tests.generation.mechanic_checks")
