"""Prompts for the cast figure of bench/generation.py: does the game depict the prompt's main subject?

Each row: (prompt, the pictures that count as its main subject, the role it should play or None
for any). `TUNING` is what generation/cast.py was tuned on; `HELD_OUT` was written beside it and
never run while tuning (reported separately: it is the honest figure).
"""

from __future__ import annotations

CastCase = tuple[str, tuple[str, ...], str | None]

TUNING: list[CastCase] = [
    ("A space cat collecting fish between asteroids", ("cat",), "hero"),
    ("Un gato espacial que recoge peces entre asteroides", ("cat",), "hero"),
    ("Eine Weltraumkatze sammelt Fische zwischen Asteroiden", ("cat",), "hero"),
    ("Un chat de l'espace qui attrape des poissons entre les astéroïdes", ("cat",), "hero"),
    ("Космический кот собирает рыбу между астероидами", ("cat",), "hero"),
    ("Un gatto spaziale che raccoglie pesci tra gli asteroidi", ("cat",), "hero"),
    ("Um gato espacial que coleta peixes entre asteroides", ("cat",), "hero"),
    ("太空猫在小行星之间收集鱼", ("cat",), "hero"),
    ("a dog jumping over puddles collecting bones", ("dog",), "hero"),
    ("un perro saltando charcos", ("dog",), "hero"),
    ("a kangaroo dodging boomerangs", ("kangaroo",), "hero"),
    ("a snake eating apples in a garden", ("snake",), "hero"),
    ("a platformer in a jungle with a monkey collecting bananas", ("monkey",), "hero"),
    ("a maze where the enemies are bees and the hero is a cat", ("cat",), "hero"),
    ("🐍🍎", ("snake",), "hero"),
]

HELD_OUT: list[CastCase] = [
    ("a penguin sliding on ice and catching fish", ("penguin",), "hero"),
    ("a frog hopping across lily pads avoiding snakes", ("frog",), "hero"),
    ("an owl flying through a dark forest collecting stars", ("owl",), "hero"),
    ("a robot collecting batteries on mars", ("robot",), "hero"),
    ("a bee collecting flowers while avoiding spiders", ("honeybee",), "hero"),
    ("a pirate ship dodging cannonballs", ("pirate-flag", "sailboat", "ship", "passenger-ship"), None),
    ("match three fruits: strawberries, lemons and grapes", ("strawberry", "lemon", "grapes"), "tile"),
    ("a memory game with farm animals: cows, pigs and chickens", ("cow", "pig", "chicken"), "tile"),
    ("un conejo que come zanahorias y esquiva lobos", ("rabbit",), "hero"),
    ("ein Hund, der Knochen sammelt und Katzen ausweicht", ("dog",), "hero"),
    ("une tortue qui mange des fraises", ("turtle",), "hero"),
    ("лиса собирает грибы в лесу", ("fox",), "hero"),
    ("un drago che sputa fuoco contro i cavalieri", ("dragon",), "hero"),
    ("一只熊猫吃竹子", ("panda",), "hero"),
    ("ペンギンが魚を集める", ("penguin",), "hero"),
    ("a unicorn running over rainbows collecting candy", ("unicorn",), "hero"),
    ("a ghost hunter catching ghosts in a haunted house", ("ghost",), None),
    ("a squirrel collecting acorns before winter", ("chipmunk", "squirrel"), "hero"),
]
