"use strict";
const peers = new Map();
GF.multiplayer.on((data) => {
  if (data?.type === "position") peers.set(data.from, { x: data.x, y: data.y });
});
const hooks = {
  onTick(ctx, dt) {
    if (ctx.player) GF.multiplayer.send({ type: "position", x: ctx.player.x, y: ctx.player.y });
  },
  onMessage: (ctx, data) => {
    const { from, kind = "ping", ...rest } = data;
    if (kind === "emote") {
      ctx.say?.(`${from}: ${rest.text}`);
      GF.sound.cue("pickup");
    }
  },
};
