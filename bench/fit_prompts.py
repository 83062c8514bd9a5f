"""Prompts for the mechanic-fit figure of bench/generation.py: does the designer pick a mechanic that
plays what the prompt asks for?

Each row: (prompt, the mechanics that count as a fit). Everyday prompts a stranger types, in the
studio's languages. `HELD_OUT` was written before the designer's role-fit and lemmatised-verb changes
and never run while tuning them (reported separately: it is the honest figure); `TUNING` is what
those changes were checked against.
"""

from __future__ import annotations

FitCase = tuple[str, frozenset[str]]

JUMPERS = frozenset({"platformer", "runner"})
COLLECTORS = frozenset({"snake", "platformer", "runner", "catcher", "dodger", "flappy"})
WORD_GAMES = frozenset({"unscramble", "wordsearch", "spelling", "typing"})

TUNING: list[FitCase] = [
    (
        "a space cat floating between asteroids collecting fish",
        frozenset({"dodger", "platformer", "catcher"}),
    ),
    (
        "eine Weltraumkatze, die zwischen Asteroiden Fische sammelt",
        frozenset({"dodger", "platformer", "catcher"}),
    ),
    (
        "un gato espacial que flota entre asteroides recogiendo peces",
        frozenset({"dodger", "platformer", "catcher"}),
    ),
    ("un chat qui saute sur des nuages", JUMPERS | {"flappy"}),
    ("a dog jumping over puddles", JUMPERS),
    ("el perro salta sobre los charcos", JUMPERS),
    ("ein Hund springt über Pfützen", JUMPERS),
    ("a mouse eating cheese in a maze", frozenset({"maze", "snake"})),
    ("a squirrel collecting acorns", COLLECTORS),
    ("shoot the alien invaders", frozenset({"shooter"})),
    ("catch the falling stars", frozenset({"catcher"})),
    ("a rhythm game to tap on the beat", frozenset({"rhythm"})),
    ("tap the screen to pop balloons", frozenset({"whack"})),
    ("un juego de disparos con naves", frozenset({"shooter", "asteroids"})),
    ("trivia about world capitals", frozenset({"trivia"})),
    ("type the words before they fall", frozenset({"typing"})),
    ("un jeu de course de voitures", frozenset({"racing"})),
    ("стреляй по пришельцам", frozenset({"shooter"})),
    ("a monkey collecting bananas in the jungle", COLLECTORS),
    ("build towers to stop the monsters", frozenset({"towerdefense"})),
]

HELD_OUT: list[FitCase] = [
    ("a knight collecting coins in a dark castle", frozenset({"platformer", "runner", "maze"})),
    ("a penguin sliding on ice avoiding seals", frozenset({"dodger", "runner"})),
    ("shoot down the zombie ducks", frozenset({"shooter"})),
    ("catch the falling pizzas but not the bombs", frozenset({"catcher"})),
    ("a word game for learning english", WORD_GAMES),
    ("guess the capital of each country", frozenset({"trivia"})),
    ("type fast to stop the robots", frozenset({"typing"})),
    ("stack the pancakes as high as you can", frozenset({"stacker"})),
    ("a drum game where you hit notes to the music", frozenset({"rhythm"})),
    ("race your car through the city traffic", frozenset({"racing"})),
    ("defend the castle from waves of goblins with towers", frozenset({"towerdefense"})),
    ("hit the moles before they hide", frozenset({"whack"})),
    ("pop the bubbles by shooting same colours", frozenset({"bubble"})),
    ("table tennis against the computer", frozenset({"pong"})),
    ("a little frog hopping across the road", frozenset({"dodger", "runner", "platformer"})),
    ("un juego de carreras de coches", frozenset({"racing"})),
    ("ein Spiel, in dem man Wörter sucht", frozenset({"wordsearch"})),
    ("un jeu de mémoire avec des animaux", frozenset({"memory"})),
    ("игра, где змейка ест яблоки", frozenset({"snake"})),
    ("a spaceship shooting aliens in space", frozenset({"shooter", "asteroids"})),
    ("help the bee collect honey from flowers", COLLECTORS),
    ("a math game for kids with apples", frozenset({"mathquiz"})),
    ("slide numbered tiles to merge them", frozenset({"merge"})),
    ("push the boxes onto the targets", frozenset({"sokoban"})),
    ("find your way out of the dungeon", frozenset({"maze"})),
    ("a bird flying through the trees without touching them", frozenset({"flappy"})),
    ("spell the animal names correctly", frozenset({"spelling"})),
    ("unscramble the letters to find the fruit", frozenset({"unscramble"})),
    ("a quiz about flags of the world", frozenset({"trivia"})),
    ("dodge the falling meteors with your ship", frozenset({"dodger"})),
    ("un perro que salta charcos", JUMPERS),
    ("a cat jumping between rooftops", JUMPERS),
]
