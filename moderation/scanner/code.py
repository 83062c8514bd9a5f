"""Game code: the logic.js checker's findings become moderation labels, its strings get scanned.

The generator's checker (`generation.jscheck.logic_check`) refuses anything in a `logic.js` that
could reach outside the sandbox; each finding it reports becomes the label `code:<its code>`
(`code:network`, `code:storage`, `code:code_from_string`...) with score 1.0. The text a game
shows its players lives in the string literals, which are scanned like any other text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# '...', "..." and `...` literals (escapes kept as written; good enough to read words from).
STRING_LITERAL = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""")
MAX_FINDINGS = 20


@dataclass(frozen=True)
class CodeFindings:
    labels: tuple[str, ...]
    reasons: tuple[str, ...]
    strings: str


def code_findings(source: str) -> CodeFindings:
    from generation.services import logic_check

    result = logic_check(source=source)
    labels: list[str] = []
    reasons: list[str] = []
    for issue in result.issues[:MAX_FINDINGS]:
        label = f"code:{issue.code}"
        if label not in labels:
            labels.append(label)
        reasons.append(str(issue))
    strings = "\n".join(next(g for g in m.groups() if g is not None) for m in STRING_LITERAL.finditer(source))
    return CodeFindings(labels=tuple(labels), reasons=tuple(reasons), strings=strings)
