"use strict";
const hooks = {
  async onLevelEnd(ctx, result) {
    const tasks = [GF.ads.show("level_bonus"), Promise.resolve(result.score)];
    const [ad, score] = await Promise.allSettled(tasks);
    const fastest = await Promise.race([Promise.resolve(1), new Promise((r) => setTimeout(() => r(2), 5))]);
    GF.analytics.track("bonus", { ad: ad.status, score: score.value, fastest });
  },
};
