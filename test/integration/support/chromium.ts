// Debian's chromium driven by playwright-core (no browser download): installed with apt-get when
// missing (.ci/run installs it too), launched headless. What the report's checks measure in the page.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The browser binary, installing Debian's package first when it is not there (needs root, as the cluster does). */
export function ensureChromium(): string {
  if (!existsSync(CHROMIUM)) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
  return CHROMIUM;
}

export function launch(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

export interface PageFacts {
  h1: number;
  h2: string[];
  landmarks: string[];
  timelineRows: { kind: string; label: string }[];
  failedTests: string[];
  /** Failure details shown without any interaction (open <details>, visible). */
  visibleFailureDetails: number;
  /** Text whose colour against its background is below WCAG AA (4.5:1, 3:1 for large text). */
  lowContrast: { text: string; ratio: number }[];
  /** The page's width beyond the viewport (horizontal scrolling of the whole page). */
  overflowX: number;
}

/** Structure, contrast and layout of a loaded report page. */
export function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const rgb = (c: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      const p = (m?.[1] ?? "0,0,0,0").split(",").map((x) => Number(x.trim()));
      return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return [255, 255, 255, 1];
    };
    const lowContrast: { text: string; ratio: number }[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
      if (!own || el.getClientRects().length === 0 || el.closest(".sr")) continue;
      const style = getComputedStyle(el);
      const a = lum(rgb(style.color));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) lowContrast.push({ text: (el.textContent ?? "").trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100 });
    }
    return {
      h1: document.querySelectorAll("h1").length,
      h2: Array.from(document.querySelectorAll("h2")).map((h) => (h.textContent ?? "").trim()),
      landmarks: ["header", "nav", "main", "footer"].filter((t) => document.querySelector(t)),
      timelineRows: Array.from(document.querySelectorAll("table.timeline tbody tr")).map((tr) => ({ kind: tr.className.replace("k-", ""), label: (tr.querySelector("th")?.textContent ?? "").trim() })),
      failedTests: Array.from(document.querySelectorAll("table.tests tr.t-failed td.id, table.tests tr.t-error td.id")).map((td) => (td.textContent ?? "").trim()),
      visibleFailureDetails: Array.from(document.querySelectorAll("tr.detail details[open] pre")).filter((p) => p.getClientRects().length > 0).length,
      lowContrast,
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}
