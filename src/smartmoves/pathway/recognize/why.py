"""The Recognize page's first question, why and who: the catalysts and the champion."""

from __future__ import annotations

from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account
from smartmoves.pathway.recognize.catalysts import CatalystsView, list_catalysts
from smartmoves.pathway.recognize.champion import ChampionPage, show_champion
from smartmoves.settings import Settings

__all__ = ["WhyAndWho", "why_and_who"]


class WhyAndWho(View):
    catalysts: CatalystsView
    champion: ChampionPage


def why_and_who(settings: Settings, account: Account) -> WhyAndWho:
    """The catalysts with their verdicts and the champion with their warnings."""
    return WhyAndWho(
        catalysts=list_catalysts(settings, account), champion=show_champion(settings, account)
    )
