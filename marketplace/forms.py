from django import forms

from games.models import Game
from marketplace import selectors


class BrowseForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    category = forms.ChoiceField(required=False, choices=[("", "All categories"), *Game.Category.choices])
    price = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any price"),
            ("free", "Free"),
            ("paid", "Paid"),
            ("under-2", "Under €2"),
            ("under-5", "Under €5"),
        ],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("new", "Newest"),
            ("popular", "Best selling"),
            ("price", "Price: low to high"),
            ("-price", "Price: high to low"),
            ("rating", "Top rated"),
        ],
    )

    def filters(self) -> dict:
        if not (self.is_bound and self.is_valid()):
            return {}
        data = self.cleaned_data
        out = {
            "q": data["q"].strip() or None,
            "category": data["category"] or None,
            "sort": data["sort"] or "new",
        }
        price = data["price"]
        if price == "free":
            out["free"] = True
        elif price == "paid":
            out["free"] = False
        elif price == "under-2":
            out["max_price_cents"] = 199
        elif price == "under-5":
            out["max_price_cents"] = 499
        return {k: v for k, v in out.items() if v is not None}


class ListingForm(forms.Form):
    game = forms.ChoiceField(label="Game")
    price = forms.CharField(
        max_length=12,
        label="Price (€)",
        help_text="0 for free. At most two decimals, like 2.99.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "2.99", "autocomplete": "off"}),
    )
    blurb = forms.CharField(
        required=False, max_length=280, label="Pitch (optional)", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, games=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["game"].choices = [(str(g.pk), g.title) for g in games]


class PriceForm(forms.Form):
    price = forms.CharField(
        max_length=12, label="Price (€)", widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


def listable_games(user):
    """The seller's public, active games that are not on sale now."""
    on_sale = selectors.listings_of_seller(user=user).filter(is_active=True).values_list("game_id", flat=True)
    return (
        Game.objects.filter(creator=user, status=Game.Status.ACTIVE, is_public=True)
        .exclude(pk__in=on_sale)
        .only("id", "title")
        .order_by("title")
    )
