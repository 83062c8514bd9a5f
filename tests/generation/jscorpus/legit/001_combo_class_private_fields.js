"use strict";
// A combo multiplier kept in a class with private state.
class Combo {
  #count = 0;
  #best = 0;
  static MAX = 8;
  static { Combo.started = Date.now(); }
  get count() { return this.#count; }
  hit() {
    this.#count = Math.min(this.#count + 1, Combo.MAX);
    this.#best = Math.max(this.#best, this.#count);
    return this.#count;
  }
  reset() { this.#count = 0; }
  static isCombo(value) { return #count in value; }
}
const combo = new Combo();
const hooks = {
  onScore(ctx, points) {
    return points * combo.hit();
  },
  onInput(ctx, input) {
    if (input?.action === "miss") combo.reset();
  },
};
