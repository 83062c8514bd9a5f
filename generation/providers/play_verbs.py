"""The verbs of play in the studio's other languages, read as the English verbs the mechanics'
vocabularies weigh ("salta" -> saltar -> jump, "sammelt" -> sammeln -> collect, "стреляй" ->
стрелять -> shoot).

A prompt word counts when it is one of these lemmas, when simplemma's dictionary reduces it to one
(in the prompt's language, as generation/cast.py detects it; the forms are read once into the
cast's language tables, `verb_forms`), or, for lemmas of six letters or more, when it
starts with the lemma less its last two letters and is at most three letters longer, and the lemmatiser does not
know it (the forms the
lemmatiser does not know: "saute" -> saut(er)). Only prompts not in English are read this way.
"""

from __future__ import annotations

from functools import cache

# English verb -> its lemmas in es, fr, de, it, pt, nl, pl, ru (infinitives, as simplemma gives them).
PLAY_VERBS: dict[str, tuple[str, ...]] = {
    "jump": ("saltar", "brincar", "sauter", "springen", "hüpfen", "saltare", "pular", "springen",
             "skakać", "skoczyć", "прыгать", "прыгнуть"),
    "run": ("correr", "courir", "laufen", "rennen", "correre", "lopen", "rennen", "biegać", "biec",
            "бегать", "бежать"),
    "collect": ("recoger", "recolectar", "coleccionar", "juntar", "ramasser", "collecter", "récolter",
                "sammeln", "einsammeln", "raccogliere", "collezionare", "coletar", "recolher", "verzamelen",
                "zbierać", "собирать", "собрать"),
    "eat": ("comer", "manger", "essen", "fressen", "mangiare", "eten", "jeść", "есть", "съесть"),
    "shoot": ("disparar", "tirer", "schießen", "sparare", "atirar", "schieten", "strzelać", "стрелять",
              "застрелить"),
    "dodge": ("esquivar", "esquiver", "ausweichen", "schivare", "desviar", "ontwijken", "unikać",
              "уворачиваться", "увернуться"),
    "avoid": ("evitar", "éviter", "vermeiden", "evitare", "vermijden", "omijać", "избегать"),
    "catch": ("atrapar", "coger", "attraper", "fangen", "prendere", "acchiappare", "pegar", "apanhar",
              "vangen", "łapać", "złapać", "ловить", "поймать"),
    "fly": ("volar", "voler", "fliegen", "volare", "voar", "vliegen", "latać", "лететь", "летать"),
    "escape": ("escapar", "huir", "échapper", "fuir", "fliehen", "entkommen", "fuggire", "scappare",
               "fugir", "ontsnappen", "uciekać", "убегать", "сбежать"),
    "race": ("competir", "courser", "rasen", "gareggiare", "racen", "ścigać", "гонять"),
    "drive": ("conducir", "manejar", "conduire", "fahren", "guidare", "dirigir", "rijden", "jechać",
              "ехать", "водить"),
    "stack": ("apilar", "empiler", "stapeln", "impilare", "empilhar", "stapelen", "układać",
              "складывать"),
    "build": ("construir", "construire", "bauen", "costruire", "bouwen", "budować", "строить"),
    "defend": ("defender", "défendre", "verteidigen", "difendere", "verdedigen", "bronić", "защищать"),
    "type": ("teclear", "escribir", "taper", "tippen", "digitare", "digitar", "typen", "pisać",
             "печатать"),
    "spell": ("deletrear", "épeler", "buchstabieren", "compitare", "soletrar", "spellen", "literować"),
    "guess": ("adivinar", "deviner", "raten", "indovinare", "adivinhar", "raden", "zgadywać", "угадать",
              "угадывать"),
    "hit": ("golpear", "frapper", "schlagen", "colpire", "bater", "slaan", "uderzać", "ударять", "бить"),
    "match": ("combinar", "emparejar", "associer", "kombinieren", "abbinare", "combinar", "combineren",
              "dopasować", "соединять"),
    "push": ("empujar", "pousser", "schieben", "spingere", "empurrar", "duwen", "pchać", "толкать"),
    "find": ("encontrar", "buscar", "trouver", "chercher", "finden", "suchen", "trovare", "cercare",
             "achar", "procurar", "vinden", "zoeken", "znaleźć", "szukać", "найти", "искать"),
    "remember": ("recordar", "memorizar", "souvenir", "mémoriser", "erinnern", "merken", "ricordare",
                 "lembrar", "onthouden", "pamiętać", "запоминать", "помнить"),
    "count": ("contar", "compter", "zählen", "contare", "tellen", "liczyć", "считать"),
    "merge": ("fusionar", "fusionner", "verschmelzen", "fondere", "fundir", "samenvoegen", "łączyć",
              "объединять"),
    "pop": ("reventar", "éclater", "platzen", "scoppiare", "estourar", "knallen", "pękać", "лопать"),
    "throw": ("lanzar", "tirar", "lancer", "werfen", "lanciare", "jogar", "gooien", "rzucać", "бросать"),
}  # fmt: skip


# Words that begin like a verb's stem but are not verbs ("contra" is not contar).
NOT_VERBS = frozenset({"contra", "contre", "content", "contento", "corrida", "saltos", "tirada"})


@cache
def _lemma_index() -> tuple[dict[str, str], dict[str, str]]:
    """lemma -> English verb, and stem (lemma less two letters, for lemmas of 6+) -> English verb."""
    lemmas: dict[str, str] = {}
    stems: dict[str, str] = {}
    for english, forms in PLAY_VERBS.items():
        for form in forms:
            lemmas.setdefault(form, english)
            if len(form) >= 6:
                stems.setdefault(form[:-2], english)
    return lemmas, stems


def english_play_verbs(tokens: list[str], lang: str) -> dict[str, str]:
    """The prompt's words (lower case) that are verbs of play in `lang`, each with its English verb."""
    if lang == "en":
        return {}
    lemmas, stems = _lemma_index()
    found: dict[str, str] = {}
    for token in tokens:
        lemma = _lemmatise(token, lang)
        english = lemmas.get(token) or lemmas.get(lemma)
        if english is None and lemma == token and token not in NOT_VERBS:
            # A form the lemmatiser does not know ("saute", "attrape"): the lemma's stem and a short ending.
            for size in range(min(len(token) - 1, 9), 3, -1):
                verb = stems.get(token[:size])
                if verb and len(token) <= size + 3:
                    english = verb
                    break
        if english:
            found[token] = english
    return found


def verb_form_wanted(form: str, lemma: str) -> bool:
    """Whether an entry of simplemma's dictionary (lower case) matters to `english_play_verbs`: a form
    of a verb of play, or a form the stem rule would otherwise take for one ("saltos" -> salto)."""
    lemmas, stems = _lemma_index()
    if lemma in lemmas:
        return True
    return form != lemma and any(form[:size] in stems for size in range(4, min(len(form) - 1, 9) + 1))


def _lemmatise(token: str, lang: str) -> str:
    """The token's lemma as simplemma's dictionary gives it, for the forms that matter here.

    Read from the cast's language table (built once by `manage.py cast_index`, cached under
    VAR_DIR): loading simplemma's whole dictionary for a language takes 1 to 5 s (Polish, Russian),
    which the first prompt in that language would otherwise wait for."""
    from generation.cast import LEMMATISED, cast_index

    if lang not in LEMMATISED:
        return token
    return cast_index().language(lang).verb_forms.get(token, token)
