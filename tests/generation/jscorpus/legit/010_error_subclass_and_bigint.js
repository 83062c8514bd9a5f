"use strict";
class RuleError extends Error {
  constructor(message, level) {
    super(message);
    this.name = "RuleError";
    this.level = level;
  }
}
const BIG = 2n ** 40n;
const hooks = {
  onLevelEnd(ctx, result) {
    if (!(result instanceof Object)) throw new RuleError("bad result", 0);
    const total = BigInt(result.score) + BIG;
    GF.analytics.track("total", { total: total.toString(), ok: total > 0n });
  },
};
