from django import template

from marketplace import ledger, money

register = template.Library()


@register.inclusion_tag("admin/marketplace/_ledger_check.html")
def ledger_balance_panel():
    """The admin index's "ledger balances" check: the sum of every entry, per currency, must be 0."""
    check = ledger.ledger_check()
    return {
        "check": check,
        "totals": [
            (code, money.format_cents(total, code)) for code, total in check.total_by_currency.items()
        ],
    }
