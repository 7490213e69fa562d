# Smoke test of 127.0.0.1:5000/incluster/playwright:1.65, fed to `sh -s` in the image by build.sh
# (uid 1000, no network): Playwright Test runs a CommonJS test with the global @playwright/test,
# and Debian's chromium renders a page (no sandbox, as in a restricted pod).
set -eu
echo "uid=$(id -u):$(id -g) home=$HOME pwd=$(pwd)"
echo "node $(node --version), npm $(npm --version), playwright $(playwright --version | sed 's/^Version //'), $(chromium --version 2>/dev/null)"
test -w "$HOME" && test -w /workspace && echo "HOME and /workspace writable"
d="$(mktemp -d)" && cd "$d"
echo '{"name": "smoke", "private": true}' >package.json
echo 'module.exports = { use: { launchOptions: { executablePath: process.env.CHROMIUM_PATH } } };' >playwright.config.js
cat >a.spec.js <<'JS'
const { test, expect } = require("@playwright/test");
test("chromium renders", async ({ page }) => {
  await page.setContent("<h1>incluster</h1>");
  await expect(page.locator("h1")).toHaveText("incluster");
});
JS
if out="$(playwright test --reporter=line 2>&1)"; then printf '%s\n' "$out" | grep -E 'passed|failed'
else printf '%s\n' "$out"; echo "FAILED: playwright test"; exit 1; fi
