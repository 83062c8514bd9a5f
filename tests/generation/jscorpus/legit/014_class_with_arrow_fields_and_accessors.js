"use strict";
class Spawner {
  rate = 1;
  timer = 0;
  spawned = [];
  onSpawn = (thing) => { this.spawned.push(thing); };
  set difficulty(value) { this.rate = 1 + Number(value) * 2; }
  get difficulty() { return (this.rate - 1) / 2; }
  tick(dt) {
    this.timer += dt;
    while (this.timer > 1000 / this.rate) {
      this.timer -= 1000 / this.rate;
      this.onSpawn({ at: Date.now(), lane: Math.floor(Math.random() * 3) });
    }
  }
}
const spawner = new Spawner();
const hooks = {
  onLevelStart(ctx, level) { spawner.difficulty = level / 10; },
  onTick(ctx, dt) { spawner.tick(dt); },
};
