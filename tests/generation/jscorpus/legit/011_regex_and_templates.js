"use strict";
const WORD = /^(?<head>[a-z])(?<tail>[a-z]*)$/iu;
const hooks = {
  onInput(ctx, input) {
    const match = WORD.exec(String(input.text ?? ""));
    if (!match) return;
    const { head, tail } = match.groups;
    const pretty = `${head.toUpperCase()}${tail} (${tail.length + 1} letters)`;
    ctx.say?.(pretty);
    const raw = String.raw`\n is not a newline here`;
    console.debug(raw.length);
  },
};
