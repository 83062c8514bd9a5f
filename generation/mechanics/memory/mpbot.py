"""The multiplayer playtest's players for memory's duel (`BOT_PAIR`): real clicks, one look per step."""

from __future__ import annotations

from generation.playtest_multiplayer import MultiplayerBot


class MemoryDuelBot(MultiplayerBot):
    """Perfect memory, as the solo bot: every face seen (its own flips and the rival's) is remembered;
    on its turn it turns a known pair, else a new card and its mate when known."""

    def __init__(self, session, seat: int) -> None:
        super().__init__(session, seat)
        self.known: dict[int, int] = {}

    def step(self) -> None:
        state = self.s.frame.evaluate(
            "() => ({status: GF_DEBUG.status, obs: GF_DEBUG.observe(), mp: GF_DEBUG.multiplayer})"
        )
        obs, mp = state["obs"], state["mp"]
        if state["status"] != "playing" or not obs.get("duel"):
            return
        cards = obs["cards"]
        for i, card in enumerate(cards):
            if card["state"] == "matched":
                self.known.pop(i, None)
            elif card["face"] >= 0:
                self.known[i] = card["face"]
        if mp["turnSeat"] != self.seat or obs["busy"] or obs["pending"] is not None:
            return
        pick = self._pick(cards, obs["open"])
        if pick is None:
            return
        x0, y0, cw, ch, gap = obs["grid"]
        r, c = divmod(pick, obs["cols"])
        self.s.click(x0 + c * (cw + gap) + cw / 2, y0 + r * (ch + gap) + ch / 2)
        self.actions += 1

    def _pick(self, cards: list[dict], open_: list[int]) -> int | None:
        down = [i for i, card in enumerate(cards) if card["state"] == "down" and i not in open_]
        unseen = [i for i in down if i not in self.known]
        if open_:
            first = open_[0]
            mate = [i for i in down if i != first and self.known.get(i) == self.known.get(first)]
            return mate[0] if mate else (unseen[0] if unseen else (down[0] if down else None))
        faces: dict[int, int] = {}
        for i in down:
            if i in self.known:
                if self.known[i] in faces:
                    return faces[self.known[i]]
                faces[self.known[i]] = i
        return unseen[0] if unseen else (down[0] if down else None)


BOT_PAIR = (MemoryDuelBot, MemoryDuelBot)
