// expect: structure 4
"use strict";
const hooks = {
  onPurchase(ctx) {},
};
