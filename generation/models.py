"""The mechanics table, and the playtest's verdict cache.

Mechanic: one row per mechanic in code, kept in sync by `sync_mechanics`. Code owns every column
but `is_active`: staff may switch a mechanic off; a mechanic that leaves the code is switched off by
the sync (its row stays, for the games made with it).

PlaytestVerdict: a playtest's verdict, kept under the hash of what decided it (generation/verdicts.py).
"""

from django.db import models


class Mechanic(models.Model):
    class Category(models.TextChoices):
        PUZZLE = "puzzle", "Puzzle"
        ACTION = "action", "Action"
        ARCADE = "arcade", "Arcade"
        CASUAL = "casual", "Casual"
        EDUCATIONAL = "educational", "Educational"
        RHYTHM = "rhythm", "Rhythm"
        WORD = "word", "Word"
        STRATEGY = "strategy", "Strategy"

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    genre = models.CharField(max_length=40)
    category = models.CharField(max_length=20, choices=Category.choices)
    params_schema = models.JSONField(default=dict, blank=True, help_text="JSON Schema of the parameters.")
    level_schema = models.JSONField(default=dict, blank=True, help_text="JSON Schema of one level.")
    example_prompts = models.JSONField(default=list, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    js_path = models.CharField(max_length=200, help_text="The Phaser scene, relative to the repository.")
    dart_template = models.CharField(
        max_length=200, help_text="The Flame template, relative to the repository."
    )
    is_active = models.BooleanField(default=True, help_text="Offered to designers and players.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class PlaytestVerdict(models.Model):
    """A playtest's verdict, reused for a bundle of the same content judged by the same engine.

    `key` hashes the bundle's content, the engine's fingerprint (the playtest's and the mechanic's
    sources, the limits, Chromium's version) and the bot's time cap. Only passes, and capped smoke
    runs that failed nothing but what the cap cut short, are kept (generation.verdicts.storable).
    """

    key = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    engine = models.CharField(max_length=64, help_text="Fingerprint of the engine that judged.")
    mechanic = models.CharField(max_length=40)
    seconds = models.FloatField(null=True, blank=True, help_text="The bot's time cap asked for.")
    report = models.JSONField(help_text="PlaytestReport.as_dict() of the run.")
    screenshot_png = models.BinaryField(default=b"", blank=True)
    final_png = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hits = models.PositiveIntegerField(default=0)
    last_hit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mechanic} {self.content_hash[:12]}"
