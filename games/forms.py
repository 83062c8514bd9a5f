from django import forms

from games import limits
from games.models import Game


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=limits.SEARCH_MAX_CHARS, label="Search")
    category = forms.ChoiceField(required=False, choices=[("", "All categories"), *Game.Category.choices])
    difficulty = forms.ChoiceField(required=False, choices=[("", "Any difficulty"), *Game.Difficulty.choices])
    sort = forms.ChoiceField(
        required=False, choices=[("new", "Newest"), ("rating", "Top rated"), ("plays", "Most played")]
    )
    tag = forms.SlugField(required=False, max_length=limits.TAG_MAX_CHARS)


class StudioForm(forms.Form):
    prompt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "A snake in a neon city that gets faster..."}),
        help_text="Describe the game you want. A sentence is enough.",
        strip=False,
    )
    template = forms.ChoiceField(required=False, label="Template (optional)")

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "Let the designer choose")] + [
            (t["slug"], t["name"]) for t in templates
        ]


class ChangeForm(forms.Form):
    prompt = forms.CharField(
        label="What should change?",
        max_length=limits.CHANGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Make it harder, with more levels"}),
    )


class GameEditForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Words separated by commas.")

    class Meta:
        model = Game
        fields = ["title", "description", "category", "difficulty", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
