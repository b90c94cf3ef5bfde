// Shared set-up for the browser tests: Debian's Chromium, driven by
// playwright-core (installed by .ci/run into .ci/node_modules).
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../.ci/node_modules/"));
const { chromium } = require("playwright-core");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export function check(cond, message) {
  if (!cond) {
    throw new Error("check failed: " + message);
  }
}

// Runs `body(browser)` and exits 0 on success, 1 with the error otherwise.
export async function run(body) {
  const browser = await launch();
  try {
    await body(browser);
    console.log("ok");
  } catch (e) {
    console.error(e && e.stack ? e.stack : String(e));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
