"""The look vocabulary: settings (palette, art style, background decoration) and moods.

The local designer maps a prompt's words to one setting and one mood; the asset
generator draws the background decoration named by the setting.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    slug: str
    label: str
    words: tuple[str, ...]
    # background, surface, primary, secondary, accent, danger, text, extra...
    colors: tuple[str, ...]
    art_style: str
    decoration: str
    title_words: tuple[str, ...]
    # Mechanic slug -> how well this setting suits it (the designer adds it to the mechanic's score).
    affinity: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Mood:
    slug: str
    words: tuple[str, ...]
    difficulty_shift: float
    lightness_shift: float
    art_style: str | None = None
    title_suffixes: tuple[str, ...] = ("",)


SETTINGS: tuple[Setting, ...] = (
    Setting("space", "outer space",
            ("space", "galaxy", "galactic", "star", "stars", "asteroid", "asteroids", "planet", "planets",
             "cosmic", "alien", "aliens", "rocket", "ufo", "orbit", "spaceship", "nebula", "moon",
             "espacio", "espace", "weltraum", "spazio", "espaço", "космос", "космический", "宇宙"),
            ("#0b1026", "#1c2550", "#4fc3f7", "#b388ff", "#ffd54f", "#ff5252", "#e8eaf6", "#69f0ae", "#ff80ab"),
            "glossy", "stars", ("Cosmic", "Galactic", "Stellar", "Orbital", "Astro")),
    Setting("neon", "neon city",
            ("neon", "cyber", "cyberpunk", "synthwave", "vaporwave", "glow", "glowing", "laser", "tron",
             "futuristic", "electric", "disco"),
            ("#0d0221", "#261447", "#ff2a6d", "#05d9e8", "#f9f871", "#ff6b35", "#f5f3ff", "#7cff6b", "#c77dff"),
            "neon", "grid", ("Neon", "Cyber", "Electric", "Hyper", "Laser"), (("snake", 1.0),)),
    Setting("ocean", "under the sea",
            ("ocean", "sea", "underwater", "fish", "fishes", "coral", "reef", "beach", "mermaid", "shark",
             "submarine", "wave", "waves", "aquarium", "mar", "mer", "meer", "mare", "море", "海"),
            ("#03396c", "#005b96", "#6497b1", "#ffcc5c", "#ff6f69", "#e63946", "#f1faee", "#96ceb4", "#b3cde0"),
            "glossy", "bubbles", ("Deep", "Coral", "Tidal", "Ocean", "Reef")),
    Setting("forest", "enchanted forest",
            ("forest", "woods", "tree", "trees", "garden", "nature", "meadow", "flower", "flowers",
             "mushroom", "elf", "fairy", "bosque", "forêt", "jardin", "wald", "garten", "лес", "森"),
            ("#1b4332", "#2d6a4f", "#95d5b2", "#ffb703", "#fb8500", "#d62828", "#f1faee", "#e9c46a", "#90e0ef"),
            "outlined", "trees", ("Forest", "Mossy", "Wild", "Leafy", "Grove")),
    Setting("jungle", "jungle temple",
            ("jungle", "tropical", "safari", "temple", "ancient", "ruins", "aztec", "maya", "treasure",
             "explorer", "monkey", "tiger", "selva"),
            ("#283618", "#606c38", "#dda15e", "#fefae0", "#bc6c25", "#9b2226", "#fefae0", "#52b788", "#e9d8a6"),
            "outlined", "leaves", ("Jungle", "Lost", "Ancient", "Hidden", "Temple")),
    Setting("desert", "desert dunes",
            ("desert", "sand", "sandy", "egypt", "pyramid", "pyramids", "dune", "dunes", "cactus", "western",
             "cowboy", "oasis", "sahara", "desierto", "désert", "wüste"),
            ("#7f4f24", "#936639", "#ffe8d6", "#ddb892", "#f4a261", "#e76f51", "#fffaf0", "#2a9d8f", "#e9c46a"),
            "flat", "dunes", ("Desert", "Dusty", "Sunny", "Golden", "Mirage")),
    Setting("candy", "candy land",
            ("candy", "candies", "sweets", "sweet", "sugar", "cake", "cakes", "dessert", "chocolate",
             "lollipop", "cupcake", "donut", "donuts", "cookie", "cookies", "bonbons", "caramelos",
             "süßigkeiten", "doces", "dolci", "конфеты"),
            ("#ffe5ec", "#ffc2d1", "#ff4d6d", "#7b2cbf", "#ffb703", "#d00000", "#590d22", "#06d6a0", "#3a86ff"),
            "glossy", "dots", ("Sugar", "Candy", "Sweet", "Frosted", "Jelly"), (("match3", 1.5),)),
    Setting("spooky", "haunted night",
            ("spooky", "haunted", "ghost", "ghosts", "halloween", "horror", "creepy", "graveyard",
             "cemetery", "zombie", "zombies", "vampire", "witch", "pumpkin", "skeleton", "night", "scary",
             "dark", "fantasma", "fantôme", "gespenst", "призрак", "страшный"),
            ("#10002b", "#240046", "#ff9e00", "#9d4edd", "#c8ff00", "#ff0054", "#f8f0ff", "#80ffdb", "#e0aaff"),
            "outlined", "moon", ("Haunted", "Spooky", "Midnight", "Shadow", "Grim"), (("maze", 1.5),)),
    Setting("winter", "frozen north",
            ("winter", "snow", "snowy", "ice", "icy", "frozen", "arctic", "christmas", "xmas", "penguin",
             "polar", "frost", "cold", "invierno", "hiver", "schnee", "зима", "雪"),
            ("#caf0f8", "#90e0ef", "#0077b6", "#00b4d8", "#ff006e", "#d90429", "#03045e", "#8338ec", "#fb8500"),
            "flat", "snow", ("Frosty", "Icy", "Arctic", "Snowy", "Polar")),
    Setting("volcano", "volcano",
            ("volcano", "lava", "fire", "fiery", "magma", "inferno", "hell", "dragon", "dragons", "flame",
             "flames", "burning", "fuego", "feu", "feuer", "огонь"),
            ("#1a0000", "#3d0c02", "#ff7b00", "#ffd000", "#ff3c00", "#ff0000", "#fff3e0", "#ffee32", "#9d0208"),
            "glossy", "embers", ("Molten", "Blazing", "Inferno", "Lava", "Ember")),
    Setting("city", "the city",
            ("city", "urban", "street", "streets", "town", "traffic", "skyscraper", "metro", "subway",
             "downtown", "taxi", "rooftop", "ciudad", "ville", "stadt", "город"),
            ("#22223b", "#4a4e69", "#f2e94e", "#9a8c98", "#ff5d8f", "#ef233c", "#f2e9e4", "#3ddc97", "#4ea8de"),
            "flat", "skyline", ("Urban", "Metro", "Downtown", "City", "Rush-Hour")),
    Setting("retro", "retro arcade",
            ("retro", "8-bit", "8bit", "pixel", "pixels", "classic", "old-school", "oldschool", "gameboy",
             "vintage", "nostalgic", "nokia", "atari"),
            ("#0f380f", "#306230", "#8bac0f", "#9bbc0f", "#e0f8d0", "#c62828", "#e0f8d0", "#6b8e23", "#cddc39"),
            "pixel", "scanlines", ("Retro", "Pixel", "Classic", "8-Bit", "Arcade")),
    Setting("farm", "sunny farm",
            ("farm", "barn", "cow", "cows", "chicken", "pig", "sheep", "countryside", "harvest", "tractor",
             "village", "fruit", "fruits", "apple", "apples", "granja", "ferme", "bauernhof"),
            ("#a7c957", "#6a994e", "#f2e8cf", "#bc4749", "#ffb703", "#9d0208", "#283618", "#386641", "#fb8500"),
            "outlined", "hills", ("Farmyard", "Sunny", "Harvest", "Country", "Meadow")),
    Setting("sky", "open sky",
            ("sky", "cloud", "clouds", "bird", "birds", "flying", "fly", "balloon", "air", "wind", "kite",
             "heaven", "cielo", "ciel", "himmel", "небо"),
            ("#8ecae6", "#bde0fe", "#023047", "#fb8500", "#ffb703", "#d62828", "#023047", "#219ebc", "#ffafcc"),
            "flat", "clouds", ("Sky", "Cloudy", "Breezy", "Soaring", "Airy")),
    Setting("castle", "medieval castle",
            ("castle", "medieval", "knight", "knights", "kingdom", "king", "queen", "princess", "dungeon",
             "fantasy", "wizard", "magic", "sword", "royal", "castillo", "château", "burg", "замок"),
            ("#2b2d42", "#4a4e69", "#e9c46a", "#8d99ae", "#f4a261", "#e63946", "#edf2f4", "#2a9d8f", "#b5838d"),
            "outlined", "towers", ("Royal", "Knightly", "Castle", "Crown", "Dungeon"), (("maze", 0.5),)),
    Setting("school", "classroom",
            ("school", "classroom", "math", "maths", "learn", "learning", "education", "educational",
             "teacher", "student", "abc", "alphabet", "numbers", "homework", "escuela", "école", "schule"),
            ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#d62828", "#fefae0", "#8ab17d", "#a8dadc"),
            "flat", "chalk", ("Clever", "Smart", "Bright", "Brainy", "Study")),
    Setting("gems", "crystal caves",
            ("gem", "gems", "jewel", "jewels", "crystal", "crystals", "diamond", "diamonds", "mine", "cave",
             "caves", "treasure", "gold", "ruby", "emerald", "joyas", "gemas"),
            ("#1b1b3a", "#2f2f5a", "#00f5d4", "#9b5de5", "#fee440", "#f15bb5", "#f8f9fa", "#00bbf9", "#ff8fab"),
            "glossy", "crystals", ("Crystal", "Gem", "Jewel", "Shimmering", "Prism"), (("match3", 1.5),)),
)  # fmt: skip

# When the prompt names no setting: a neutral look, varied by the prompt's fingerprint.
DEFAULT_SETTINGS = ("neon", "space", "forest", "ocean", "candy", "sky", "retro", "city")

MOODS: tuple[Mood, ...] = (
    Mood("cheerful", ("cute", "happy", "cheerful", "fun", "funny", "colorful", "colourful", "bright",
                      "joyful", "silly", "cartoon", "adorable"), -0.1, 0.08, "glossy",
         ("Party", "Fun", "Friends", "")),
    Mood("calm", ("calm", "relaxing", "relaxed", "zen", "peaceful", "chill", "cozy", "cosy", "gentle",
                  "soothing", "lazy", "slow"), -0.2, 0.04, None, ("Zen", "Dreams", "")),
    Mood("kids", ("kids", "kid", "children", "child", "toddler", "toddlers", "baby", "preschool", "family",
                  "niños", "enfants", "kinder"), -0.3, 0.1, "flat", ("Junior", "Buddies", "")),
    Mood("intense", ("intense", "hard", "difficult", "challenging", "insane", "brutal", "frantic",
                     "extreme", "hardcore", "expert", "crazy", "fast", "action"), 0.25, -0.04, None,
         ("Rush", "Frenzy", "Overdrive", "Extreme")),
    Mood("spooky", ("spooky", "creepy", "scary", "dark", "eerie", "gloomy", "haunted", "horror"), 0.05,
         -0.08, "outlined", ("Nights", "Terror", "Shadows", "")),
    Mood("retro", ("retro", "8-bit", "8bit", "pixel", "classic", "old-school", "vintage"), 0.0, 0.0, "pixel",
         ("Classic", "DX", "")),
    Mood("epic", ("epic", "legendary", "heroic", "quest", "adventure", "great"), 0.1, 0.0, None,
         ("Quest", "Legends", "Saga", "Odyssey")),
    Mood("neutral", (), 0.0, 0.0, None, ("", "Rush", "Quest", "Mania", "Deluxe")),
)  # fmt: skip

SETTINGS_BY_SLUG = {s.slug: s for s in SETTINGS}
MOODS_BY_SLUG = {m.slug: m for m in MOODS}


def shift_lightness(hex_color: str, amount: float) -> str:
    """The same hue, lighter (amount > 0) or darker, as #rrggbb."""
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = max(0.0, min(1.0, lum + amount))
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def rotate_hue(hex_color: str, turns: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb((h + turns) % 1.0, lum, s)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def palette_for(setting: Setting, mood: Mood) -> dict:
    """The setting's colours nudged by the mood; always at least four extra colours."""
    colors = list(setting.colors)
    if mood.lightness_shift:
        # Move the background and surface, keep the sprite colours readable on them.
        colors[0] = shift_lightness(colors[0], mood.lightness_shift)
        colors[1] = shift_lightness(colors[1], mood.lightness_shift)
    extra = colors[7:]
    while len(extra) < 4:
        extra.append(rotate_hue(colors[2 + len(extra) % 4], 0.5 + 0.13 * len(extra)))
    names = ("background", "surface", "primary", "secondary", "accent", "danger", "text")
    palette = dict(zip(names, colors[:7], strict=True))
    palette["extra"] = extra
    return palette
