// The main journeys through the Rapport UI in headless Chromium (DESIGN §7, issue 5).
// Run by crates/rapport/tests/it/browser.rs against a real `rapport serve`; it passes the
// address, the admin's credentials, Chromium's path and where to save screenshots.
//
// Every page is also checked for what must never happen: a CSP violation, a script
// error, a dialog opened by stored markup, or a page wider than a 375 px phone. Every
// page that gets a screenshot is first checked for WCAG AA contrast (text, placeholders,
// field borders; some also for the focus outline at every Tab stop) and for layout shift
// since it loaded; partial updates are measured on their own (checks.mjs). The last step
// fails listing every element below AA and every page whose CLS reaches 0.1.

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import assert from "node:assert/strict";
import { contrast, focusStops, layoutShift, now } from "./checks.mjs";

const base = process.env.RAPPORT_URL;
const email = process.env.RAPPORT_EMAIL;
const password = process.env.RAPPORT_PASSWORD;
const shots = process.env.RAPPORT_SHOTS;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
  ],
});

const problems = [];
const steps = [];
// What the contrast and layout-shift checks measured, and what they found below the bar.
const figures = [];
const a11y = [];

async function newPage(viewport = { width: 1280, height: 900 }, locale = "en-US") {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.on("console", (m) => {
    // A form sent back with its errors answers 422, which Chromium logs; that is the design.
    const formErrors = /status of 422/.test(m.text());
    if (m.type() === "error" && !formErrors) problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on("dialog", async (d) => {
    // Only the delete confirmations may ask anything.
    if (d.type() !== "confirm") problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    await d.dismiss();
  });
  return page;
}

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    steps.push(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    steps.push(`FAIL ${name}: ${e.message}`);
    throw e;
  }
}

function fixed(n) {
  return n.toFixed(4);
}

// Records the layout shift measured for `name`; CLS (shifts without recent input) must
// stay under 0.1, the "good" threshold.
function shifted(name, s) {
  const where = s.sources.length ? ` [${s.sources.join("; ")}]` : "";
  figures.push(`layout shift ${name}: CLS ${fixed(s.cls)}, raw ${fixed(s.raw)} (${s.count} entries)${where}`);
  if (s.cls >= 0.1) a11y.push(`${name}: CLS ${fixed(s.cls)} is not under 0.1${where}`);
}

// Layout shift while `action` runs on the page as it is (a partial update, no navigation).
async function shiftDuring(page, name, action) {
  const since = await now(page);
  await action();
  // htmx settles a swap 20 ms after it lands; give it a little more.
  await page.waitForTimeout(150);
  shifted(name, await layoutShift(page, since));
}

// Contrast of what the page shows now, and its layout shift since it loaded.
async function check(page, name) {
  shifted(`${name} (since load)`, await layoutShift(page));
  const c = await contrast(page);
  a11y.push(...c.failures.map((f) => `${name}: ${f}`));
  let line = `contrast ${name}: ${c.texts} texts, ${c.controls} fields, ${c.failures.length} below AA`;
  if (c.skipped.length) line += `; skipped ${c.skipped.length}: ${c.skipped.join("; ")}`;
  figures.push(line);
}

// Checks the page (`check`), saves its screenshot and, with `focus`, walks it with Tab
// checking every focus outline; focus and scroll are put back afterwards.
async function shot(page, name, { focus = false } = {}) {
  await check(page, name);
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  if (focus) {
    const f = await focusStops(page);
    a11y.push(...f.failures.map((x) => `${name}: ${x}`));
    const walked = f.whole ? "the whole page" : `the first ${f.stops} stops`;
    let line = `focus ${name}: ${f.stops} Tab stops (${walked}), ${f.failures.length} below 3:1`;
    if (f.skipped.length) line += `; skipped ${f.skipped.length}: ${f.skipped.join("; ")}`;
    figures.push(line);
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
  }
}

async function signIn(page) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login\?next=/);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
}

const stamp = Date.now().toString(36);
const companyName = `Vistula Robotics ${stamp}`;
const dealName = `Robot arms for ${stamp}`;
const callSubject = `Discovery call ${stamp}`;

try {
  const page = await newPage();

  await step("sign in", async () => {
    await page.goto(`${base}/login`);
    await shot(page, "login", { focus: true });
    await signIn(page);
    await page.waitForSelector("h1");
    await shot(page, "home-empty");
  });

  await step("Ctrl+K focuses the global search", async () => {
    await page.keyboard.press("Control+k");
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert.equal(focused, "global-search");
  });

  let companyUrl;
  await step("create a company", async () => {
    await page.goto(`${base}/companies`);
    await page.click(`a[href="/companies/new"]`);
    await page.fill("#f-name", companyName);
    await page.fill("#f-domain", `vistula-${stamp}.example`);
    await page.fill("#f-industry", "Robotics");
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    companyUrl = page.url();
    assert.equal(await page.textContent("h1"), companyName);
  });

  await step("Ctrl+K and typing shows matching records; arrows and Enter open one", async () => {
    await page.goto(`${base}/contacts`);
    const hit = page.locator(`#quick-results a:has-text("${companyName}")`);
    await shiftDuring(page, "quick search results while typing", async () => {
      await page.keyboard.press("Control+k");
      await page.keyboard.type(companyName.slice(0, 12));
      await hit.waitFor();
    });
    await shot(page, "quick-search");
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement?.closest("#quick-results") !== null);
    assert.ok(focused, "ArrowDown moves into the results");
    await check(page, "quick-search with a result focused");
    await Promise.all([page.waitForURL(companyUrl), page.keyboard.press("Enter")]);
  });

  let contactUrl;
  await step("add a contact at the company, typed by name", async () => {
    await page.goto(`${base}/contacts/new`);
    await page.fill("#f-first_name", "Ewa");
    await page.fill("#f-last_name", `Nowak ${stamp}`);
    await page.fill("#f-company_id", companyName);
    await page.fill("#f-emails", `ewa.${stamp}@vistula.example`);
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    contactUrl = page.url();
    assert.ok(await page.isVisible(`dd a:has-text("${companyName}")`));
  });

  await step("log a call on the contact; it shows on the timeline", async () => {
    await page.check("input[name=kind][value=call]");
    await page.fill("#q-subject", callSubject);
    await page.fill("#q-body", "Needs 40 arms by March.");
    await page.click("form.quick button[type=submit]");
    await page.waitForURL(/saved=1/);
    assert.ok(await page.isVisible(`#timeline a:has-text("${callSubject}")`));
    // The call is saved by a post and the page comes back with it on the timeline.
    shifted("the contact page after logging a call", await layoutShift(page));
    await shot(page, "contact", { focus: true });
  });

  await step("edit in place keeps the page and saves", async () => {
    await shiftDuring(page, "inline edit: the form replaces the details", async () => {
      await page.click("a.button[href$='/edit']");
      await page.waitForSelector("#details-body #record-form");
    });
    await check(page, "contact editing in place");
    await page.fill("#f-title", "Head of Procurement");
    await page.click("#details-body button[type=submit]");
    await page.waitForURL(/saved=1/);
    assert.ok(await page.isVisible(`dd:has-text("Head of Procurement")`));
    shifted("the contact page after saving the edit", await layoutShift(page));
  });

  let dealUrl;
  await step("a form with a mistake keeps what was typed, then creates the opportunity", async () => {
    await page.goto(`${base}/opportunities/new`);
    await page.fill("#f-name", dealName);
    await page.fill("#f-company_id", companyName);
    await page.fill("#f-amount", "12 000,50 zł");
    await page.click("#record-form button[type=submit]");
    await page.waitForSelector("#f-amount-error");
    assert.equal(await page.inputValue("#f-name"), dealName);
    await shot(page, "opportunity-form-error", { focus: true });
    await page.fill("#f-amount", "120000");
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    dealUrl = page.url();
  });

  async function columnOf(name) {
    return page.evaluate((n) => {
      const card = [...document.querySelectorAll("[data-card]")].find((c) => c.dataset.name === n);
      return card?.closest("[data-stage]")?.querySelector("h2")?.textContent?.trim();
    }, name);
  }

  async function dragTo(name, stageTitle) {
    const card = page.locator(`[data-card][data-name="${name}"]`);
    const target = page.locator(`[data-stage]:has(h2:text-is("${stageTitle}")) .cards`);
    // The board scrolls sideways; bring the target column into view first.
    await target.scrollIntoViewIfNeeded();
    const from = await card.boundingBox();
    const to = await target.boundingBox();
    await page.mouse.move(from.x + 20, from.y + 10);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + 30, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 20, { steps: 10 });
    await page.mouse.up();
  }

  await step("drag the opportunity to Proposal on the board", async () => {
    await page.goto(`${base}/opportunities/board`);
    assert.equal(await columnOf(dealName), "Prospecting");
    await shot(page, "board", { focus: true });
    await Promise.all([page.waitForURL(/moved=1/), dragTo(dealName, "Proposal")]);
    assert.equal(await columnOf(dealName), "Proposal");
    assert.ok(await page.isVisible("#board-status.notice"));
    await shot(page, "board-moved");
  });

  await step("dropping on Won asks what the rule needs, then moves", async () => {
    await page.goto(`${base}/opportunities/board`);
    await dragTo(dealName, "Closed Won");
    await page.waitForSelector("#move-dialog[open]");
    await shot(page, "board-won-dialog");
    await page.fill("#d-amount", "118000");
    await page.fill("#d-close", "2026-11-30");
    await Promise.all([page.waitForURL(/moved=1/), page.click("#move-dialog button.primary")]);
    assert.equal(await columnOf(dealName), "Closed Won");
  });

  await step("the keyboard alternative moves a card back", async () => {
    await page.goto(`${base}/opportunities/board`);
    const select = page.locator(`[data-card][data-name="${dealName}"] select[name=stage_id]`);
    await select.focus();
    const negotiation = await select.locator("option", { hasText: "Negotiation" }).getAttribute("value");
    await select.selectOption(negotiation);
    await page.keyboard.press("Tab");
    await Promise.all([page.waitForURL(/moved=1/), page.keyboard.press("Enter")]);
    assert.equal(await columnOf(dealName), "Negotiation");
    shifted("the board after a move by keyboard", await layoutShift(page));
  });

  await step("convert a lead into a contact, a company and a deal", async () => {
    await page.goto(`${base}/leads/new`);
    await page.fill("#f-first_name", "Jan");
    await page.fill("#f-last_name", `Lis ${stamp}`);
    await page.fill("#f-company_name", `Lis Logistics ${stamp}`);
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await page.click("a.button[href$='/convert']");
    await page.waitForURL(/\/convert$/);
    await page.check("input[name=company_mode][value=new]");
    await page.check("input[name=opportunity]");
    await page.fill("#cv-opp-amount", "5000");
    await shot(page, "lead-convert");
    await page.click("main form button[type=submit]");
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    assert.ok(await page.isVisible(`dd a:has-text("Lis Logistics ${stamp}")`));
  });

  await step("the opportunity is on home and on the company's page", async () => {
    await page.goto(`${base}/`);
    assert.ok(await page.isVisible(`.recent a:has-text("${dealName}")`));
    await shot(page, "home");
    await page.goto(companyUrl);
    assert.ok(await page.isVisible(`a:has-text("${dealName}")`));
    assert.ok(await page.isVisible(`#timeline a:has-text("${callSubject}")`));
    await shot(page, "company");
    await page.goto(dealUrl);
    assert.ok(await page.isVisible(`#timeline li:has-text("moved it to Proposal")`));
    await shot(page, "opportunity");
  });

  await step("an admin adds a custom field; the company form has it at once", async () => {
    await page.click(`header a[href="/settings/users"]`);
    await page.waitForURL(/\/settings\/users$/);
    await shot(page, "settings-users");
    await page.click(`nav.tabs a[href="/settings/fields"]`);
    await page.click(`nav.tabs.sub a[href="/settings/fields?object=company"]`);
    const key = `tier_${String(stamp).slice(-6)}`;
    await page.fill("#cf-key", key);
    await page.fill("#cf-label", "Tier");
    await page.selectOption("#cf-kind", "select");
    await page.fill("#cf-options", "Gold\nSilver");
    await Promise.all([page.waitForURL(/done=created/), page.click("form[action='/settings/fields'] button[type=submit]")]);
    assert.ok(await page.isVisible(`#custom-fields code:has-text("custom.${key}")`));
    await shot(page, "settings-fields", { focus: true });
    await page.goto(`${base}/companies/new`);
    await page.selectOption(`select[name="custom.${key}"]`, "Gold");
    await page.fill("#f-name", `Tiered ${stamp}`);
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    assert.ok(await page.isVisible(`dd:has-text("Gold")`));
    for (const [url, name] of [
      [`${base}/settings/roles`, "settings-roles"],
      [`${base}/settings/pipelines`, "settings-pipelines"],
      [`${base}/settings/access?object=company`, "settings-access"],
      [`${base}/settings/audit`, "settings-audit"],
    ]) {
      await page.goto(url);
      await shot(page, name);
    }
  });

  await step("dollars stay apart on the board until an admin sets a rate, then add up in euros", async () => {
    const dollars = `Dollar deal ${stamp}`;
    await page.goto(`${base}/opportunities/new`);
    await page.fill("#f-name", dollars);
    await page.fill("#f-amount", "1000");
    await page.fill("input[name=amount__currency]", "USD");
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    await page.goto(`${base}/opportunities/board`);
    const column = page.locator("[data-stage]", { has: page.locator(`[data-card][data-name="${dollars}"]`) });
    assert.match(await column.locator(".figures").innerText(), /\$1,000\.00 \(no rate\)/);
    assert.ok(await page.isVisible(".no-rate-note a[href='/settings/exchange-rates']"));
    await page.click(".no-rate-note a[href='/settings/exchange-rates']");
    await page.waitForURL(/\/settings\/exchange-rates$/);
    await page.fill("#r-currency", "USD");
    await page.fill("#r-from", "2000-01-01");
    await page.fill("#r-rate", "0.9");
    await Promise.all([page.waitForURL(/done=created/), page.click("form[action='/settings/exchange-rates'] button[type=submit]")]);
    assert.match(await page.locator("#rates-now").innerText(), /1 USD = 0\.9 EUR/);
    await shot(page, "settings-exchange-rates", { focus: true });
    await page.goto(`${base}/opportunities/board`);
    const figures = await column.locator(".figures").innerText();
    assert.doesNotMatch(figures, /no rate/);
    assert.match(figures, /€/);
    assert.ok(!(await page.isVisible(".no-rate-note")));
  });

  await step("a planned meeting shows on the calendar", async () => {
    await page.goto(contactUrl);
    await page.check("input[name=kind][value=meeting]");
    await page.fill("#q-subject", `Site visit ${stamp}`);
    await page.fill("#q-due", "2030-05-15T10:30");
    await page.click("form.quick button[type=submit]");
    await page.waitForURL(/saved=1/);
    await page.goto(`${base}/calendar?view=week&date=2030-05-15`);
    assert.ok(await page.isVisible(`.cal a:has-text("Site visit ${stamp}")`));
    await shot(page, "calendar-week");
    await page.goto(`${base}/calendar?view=month&date=2030-05-15`);
    assert.ok(await page.isVisible(`.cal a:has-text("Site visit ${stamp}")`));
    await shot(page, "calendar-month", { focus: true });
  });

  await step("lists filter, sort and export", async () => {
    await page.goto(`${base}/companies`);
    await page.selectOption(".filter-row select[name=ff] >> nth=0", "industry");
    await page.fill(".filter-row input[name=fv] >> nth=0", "Robotics");
    await page.click("#list-query button[type=submit]");
    await page.waitForURL(/filter%5Bindustry%5D%5Beq%5D=Robotics/);
    assert.ok(await page.isVisible(`#records a:has-text("${companyName}")`));
    // Filters, sorting and paging are plain links and forms: each answer is a new page.
    shifted("the list after filtering", await layoutShift(page));
    await page.click(`#records th a:has-text("Name")`);
    await page.waitForURL(/sort=/);
    await shot(page, "companies-list", { focus: true });
  });

  await step("stored markup shows as text and runs nowhere", async () => {
    const payloads = [
      `<img src=x onerror="window.__xss=1">`,
      `<script>window.__xss=1</script>`,
      `"><svg onload="window.__xss=1">`,
    ];
    await page.goto(`${base}/contacts/new`);
    await page.fill("#f-first_name", payloads[0]);
    await page.fill("#f-last_name", payloads[1]);
    await page.fill("#f-title", payloads[2]);
    await page.fill("#f-description", payloads.join(" "));
    await page.click("#record-form button[type=submit]");
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    for (const url of [page.url(), `${base}/contacts?sort=-created_at`, `${base}/search?q=window`]) {
      await page.goto(url);
      assert.equal(await page.evaluate(() => window.__xss), undefined, `markup ran on ${url}`);
    }
    await page.goto(`${base}/contacts?sort=-created_at`);
    assert.ok((await page.textContent("#records")).includes(payloads[0]));
    await shot(page, "xss-as-text");
  });

  await step("switch to Polish and see the whole page in Polish", async () => {
    await page.goto(`${base}/profile`);
    await page.selectOption("#locale", "pl");
    await page.click("form[action='/profile'] button[type=submit]");
    await page.waitForURL(/done=profile/);
    await page.goto(`${base}/`);
    assert.equal(await page.getAttribute("html", "lang"), "pl");
    const chrome = await page.textContent("header");
    for (const english of ["Home", "Companies", "Contacts", "Opportunities", "Activities", "Sign out"]) {
      assert.ok(!chrome.includes(english), `"${english}" left in the Polish header`);
    }
    const main = await page.textContent("main");
    for (const english of ["Overdue", "Due today", "My open pipeline", "Recent activity"]) {
      assert.ok(!main.includes(english), `"${english}" left in the Polish home page`);
    }
    await shot(page, "home-pl");
    await page.goto(contactUrl);
    await shot(page, "contact-pl");
    await page.goto(`${base}/settings/users`);
    const settings = await page.textContent("main");
    for (const english of ["Users", "Add a user", "Last sign-in", "May sign in"]) {
      assert.ok(!settings.includes(english), `"${english}" left in the Polish settings`);
    }
    await shot(page, "settings-users-pl");
    await page.goto(`${base}/profile`);
    await page.selectOption("#locale", "en");
    await page.click("form[action='/profile'] button[type=submit]");
    await page.waitForURL(/done=profile/);
  });

  await step("usable on a 375 px phone", async () => {
    const phone = await newPage({ width: 375, height: 812 });
    await signIn(phone);
    for (const [url, name] of [
      [`${base}/`, "phone-home"],
      [`${base}/contacts`, "phone-contacts"],
      [contactUrl, "phone-contact"],
      [`${base}/opportunities/board`, "phone-board"],
      [`${base}/calendar?view=month`, "phone-calendar"],
      [`${base}/settings/users`, "phone-settings-users"],
      [`${base}/settings/pipelines/new`, "phone-settings-pipeline"],
    ]) {
      await phone.goto(url);
      await shot(phone, name);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      const wide = await phone.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > 376)
          .slice(0, 5)
          .map((el) => `${el.tagName}.${el.className}`)
          .join(", "),
      );
      assert.ok(width <= 375, `${url} is ${width} px wide on a 375 px screen (${wide})`);
    }
    // On a phone the quick results and the inline edit form have the least room.
    await phone.goto(`${base}/contacts`);
    await shiftDuring(phone, "phone: quick search results while typing", async () => {
      await phone.fill("#global-search", companyName.slice(0, 12));
      await phone.locator(`#quick-results a:has-text("${companyName}")`).waitFor();
    });
    await shot(phone, "phone-quick-search");
    await phone.goto(contactUrl);
    await shiftDuring(phone, "phone: inline edit, the form replaces the details", async () => {
      await phone.click("a.button[href$='/edit']");
      await phone.waitForSelector("#details-body #record-form");
    });
  });

  await step("keyboard focus is visible", async () => {
    await page.goto(`${base}/contacts`);
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return `${el.className} ${s.outlineStyle} ${s.outlineWidth}`;
    });
    assert.match(outline, /solid 3px/, `the first focus stop shows no outline: ${outline}`);
  });

  await step("every page checked meets WCAG AA contrast and has CLS under 0.1", async () => {
    assert.ok(a11y.length === 0, `${a11y.length} found:\n  ${a11y.join("\n  ")}`);
  });

  await step("signing out ends the session", async () => {
    await page.click("header button[type=submit]");
    await page.waitForURL(/\/login\?signed_out=1/);
    await page.goto(dealUrl);
    assert.match(page.url(), /\/login\?next=/);
  });
} finally {
  await browser.close();
  console.log(steps.join("\n"));
  if (figures.length) console.log("accessibility figures:\n  " + figures.join("\n  "));
  if (problems.length) {
    console.log("problems:\n" + problems.join("\n"));
    process.exitCode = 1;
  }
}
