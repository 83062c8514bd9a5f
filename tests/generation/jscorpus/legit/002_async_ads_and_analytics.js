"use strict";
const hooks = {
  async onGameOver(ctx, result) {
    try {
      const shown = await GF.ads.show("continue");
      GF.analytics.track("continue_offer", { shown: Boolean(shown), score: result?.score ?? 0 });
    } catch {
      GF.analytics.track("continue_offer_failed", {});
    }
  },
};
