"""Find the word-list entries that are ordinary words of another studio language, and write them
to moderation/wordlists/collisions.json (the scanner leaves them out).

French "bite" is English "bite", Turkish "am" is English "am", French "con" is Spanish "with".
A single word of language L is left out when it is common (Zipf frequency >= 3.5, about once in
300,000 words) in another studio language L2 and more common there than in L.

Needs `wordfreq` (not a dependency of the project: its data is 57 MB). Run it again after the
lists change:

    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq
    /tmp/wf/bin/python scripts/moderation_wordlist_collisions.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parent.parent
# Japanese and Chinese entries are matched inside the text, not as words (and wordfreq needs
# extra tokenizers for them): only the spaced languages are compared.
LANGUAGES = ("en", "es", "pt", "it", "fr", "de", "nl", "pl", "tr", "ru", "ar")
COMMON = 3.5
MARGIN = 0.0


def folded(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().strip()


def main() -> None:
    extra = json.loads((ROOT / "moderation/wordlists/extra.json").read_text())
    out: dict[str, list[str]] = {}
    for language in LANGUAGES:
        entries = json.loads((ROOT / "node_modules/naughty-words" / f"{language}.json").read_text())
        entries += extra.get(language, [])
        for entry in entries:
            word = folded(entry)
            if " " in word or not word.isalpha():
                continue
            own = zipf_frequency(word, language)
            for other in LANGUAGES:
                if other == language:
                    continue
                there = zipf_frequency(word, other)
                if there >= COMMON and there > own + MARGIN:
                    out.setdefault(language, []).append(entry)
                    print(f"{language} {entry!r}: {own:.1f} in {language}, {there:.1f} in {other}")
                    break
    out = {"_about": __doc__.strip().splitlines()[0], **{k: sorted(set(v)) for k, v in out.items()}}
    path = ROOT / "moderation/wordlists/collisions.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
