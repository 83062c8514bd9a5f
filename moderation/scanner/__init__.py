"""The scanning pipeline: engines score a text, thresholds in settings turn scores into a verdict.

Engines, offline first:

- `wordlist`: the per-language word lists (`wordlists.py`) over every spelling of every word
  (`normalize.py`: confusables, leetspeak, separators, repeats); a hit scores 1.0.
- `profanity`: alt-profanity-check's classifier (`classifier.py`), on the text as written and
  as de-obfuscated, the higher of the two.
- `code:<finding>`: for `kind="game_code"`, the logic.js checker's findings (`code.py`), 1.0 each;
  the code's string literals go through the text engines.
- `openai:<category>`: with `OPENAI_API_KEY`, OpenAI's moderation endpoint (`openai_engine.py`).

`decide` compares every score with the thresholds of its label (`MODERATION_LABEL_THRESHOLDS`,
by full label or by the part before `:`) or of the kind (`MODERATION_THRESHOLDS`): at or above
`refuse` refuses, at or above `hold` holds. `content_scanner` is `settings.CONTENT_SCANNER`: it
scans, records the decision (`ContentScan`) and answers a `gamefactory.content.ContentVerdict`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings

from gamefactory.content import ContentVerdict
from moderation.scanner import classifier, openai_engine
from moderation.scanner.normalize import text_forms
from moderation.scanner.wordlists import wordlists

WORDLIST = "wordlist"
PROFANITY = "profanity"
ALLOW, HOLD, REFUSE = "allow", "hold", "refuse"
# Kinds the owner cannot wait on: a hold verdict refuses (gamefactory/content.py).
NO_HOLD_KINDS = frozenset({"chat"})

FIELD_NAMES = {
    "prompt": "prompt",
    "title": "title",
    "description": "description",
    "display_name": "display name",
    "bio": "bio",
    "listing": "listing",
    "chat": "message",
    "game_code": "game code",
    "upload": "game package",
    "report": "text",
}


@dataclass(frozen=True)
class ScanResult:
    kind: str
    action: str
    scores: dict[str, float]
    labels: tuple[str, ...]  # what crossed a threshold, and where word-list hits came from
    reason: str
    engines: tuple[str, ...]
    details: dict = field(default_factory=dict)
    duration_us: int = 0

    def verdict(self, *, reference: str = "") -> ContentVerdict:
        return ContentVerdict(
            action=self.action,
            labels=self.labels,
            scores=dict(self.scores),
            reason=self.reason,
            reference=reference,
        )


def thresholds_for(*, kind: str, label: str) -> dict[str, float]:
    by_label = settings.MODERATION_LABEL_THRESHOLDS
    if label in by_label:
        return by_label[label]
    prefix = label.split(":", 1)[0]
    if prefix != label and prefix in by_label:
        return by_label[prefix]
    table = settings.MODERATION_THRESHOLDS
    return table.get(kind) or table["default"]


def _blocks_at_all(kind: str) -> bool:
    table = settings.MODERATION_THRESHOLDS
    limits = table.get(kind) or table["default"]
    return min(limits["hold"], limits["refuse"]) <= 1.0


def decide(*, kind: str, scores: dict[str, float]) -> tuple[str, list[str]]:
    """The action the scores call for, and the labels that called for it (strongest first)."""
    refused, held = [], []
    if _blocks_at_all(kind):
        for label, score in scores.items():
            limits = thresholds_for(kind=kind, label=label)
            if score >= limits["refuse"]:
                refused.append((score, label))
            elif score >= limits["hold"]:
                held.append((score, label))
    if refused:
        return REFUSE, [label for _, label in sorted(refused, reverse=True)]
    if held:
        if kind in NO_HOLD_KINDS:
            return REFUSE, [label for _, label in sorted(held, reverse=True)]
        return HOLD, [label for _, label in sorted(held, reverse=True)]
    return ALLOW, []


def _reason(*, kind: str, action: str, labels: list[str]) -> str:
    what = FIELD_NAMES.get(kind, "text")
    readable = ", ".join(
        dict.fromkeys(label.replace("openai:", "").replace("code:", "code: ") for label in labels)
    )
    if action == REFUSE:
        if any(label.startswith("code:") for label in labels):
            return f"This {what} does things games may not do here ({readable})."
        return f"This {what} is not allowed on GameFactory: it reads as offensive ({readable}). Please rephrase it."
    if action == HOLD:
        return f"This {what} is held for review ({readable}): it stays private until a moderator has looked at it."
    return ""


def _score_text(text: str, scores: dict[str, float], details: dict) -> None:
    forms = text_forms(text)
    hits = wordlists().match(forms)
    if hits:
        scores[WORDLIST] = 1.0
        details["wordlist"] = [{"entry": h.entry, "language": h.language} for h in hits]
    model = classifier.model()
    probability = model.probability(text)
    deobfuscated = forms.deobfuscated
    if deobfuscated and deobfuscated != text.casefold():
        probability = max(probability, model.probability(deobfuscated))
    scores[PROFANITY] = max(scores.get(PROFANITY, 0.0), round(probability, 6))


def scan_text(*, kind: str, text: str, use_openai: bool | None = None) -> ScanResult:
    """Score `text` with every engine and decide. No database access."""
    started = time.perf_counter_ns()
    text = (text or "")[: settings.MODERATION_SCAN_MAX_CHARS]
    scores: dict[str, float] = {}
    details: dict = {}
    engines = [WORDLIST, PROFANITY]
    if kind == "game_code":
        from moderation.scanner.code import code_findings

        findings = code_findings(text)
        engines.append("logic_check")
        for label in findings.labels:
            scores[label] = 1.0
        if findings.reasons:
            details["code"] = list(findings.reasons)
        if findings.strings.strip():
            _score_text(findings.strings, scores, details)
    else:
        _score_text(text, scores, details)
    if use_openai is None:
        use_openai = openai_engine.enabled()
    if use_openai and kind != "game_code":
        engines.append("openai")
        found = openai_engine.openai_scores(text)
        if found is None:
            details["openai"] = "unavailable"
        else:
            scores.update(found)
    action, deciding = decide(kind=kind, scores=scores)
    labels = list(deciding)
    labels += [f"wordlist:{hit['language']}" for hit in details.get("wordlist", [])]
    if details.get("openai") == "unavailable":
        labels.append(openai_engine.UNAVAILABLE)
    return ScanResult(
        kind=kind,
        action=action,
        scores=scores,
        labels=tuple(dict.fromkeys(labels)),
        reason=_reason(kind=kind, action=action, labels=deciding),
        engines=tuple(engines),
        details=details,
        duration_us=(time.perf_counter_ns() - started) // 1000,
    )


def content_scanner(*, kind: str, text: str, field: str, user=None) -> ContentVerdict:
    """`settings.CONTENT_SCANNER`: scan, record the decision, answer the verdict."""
    from moderation.services import scan_record

    result = scan_text(kind=kind, text=text)
    scan = scan_record(result=result, text=text, field=field, user=user)
    return result.verdict(reference=str(scan.pk))
