// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const g = Reflect.get(ctx, "scene");
  },
};
