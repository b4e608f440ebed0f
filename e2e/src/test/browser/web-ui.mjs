// Drives Debian's headless Chromium through the Temporal Web UI, as an operator looking for a
// rollout would. Prints one JSON document on stdout; exits 1 (with the reason on stderr and in the
// JSON) when the UI does not show what it should, 2 when it cannot run at all. Modes:
//
// details: the workflows list filtered by a visibility query, then the workflow's page with its
//   search attributes, memo and user metadata.
//   node web-ui.mjs details --ui http://127.0.0.1:8233 --workflow-id staging.api \
//     --query 'TrafficService="api"' --phase Paused [--absent staging.web] --out e2e/target/web-ui
//   --absent names a workflow that the query must filter out (repeatable).
//
// columns: the steps of docs/web-ui.md: a saved view made from a link (--saved-view NAME, of
//   --query), then the rollouts' search attributes added as columns through the table's
//   configuration drawer; reports the headers, each row's cells by header and what the UI stored.
//   node web-ui.mjs columns --ui ... --query 'TrafficEnv="demo"' --saved-view 'demo rollouts'
//
// outcome: a closed rollout's page in a browser with no configuration: its result's phase and
//   message, and its current details (User Metadata).
//   node web-ui.mjs outcome --ui ... --workflow-id demo.api
//
// decoded: a rollout whose payloads are encrypted, in a UI whose codec endpoint is the worker's
//   codec server (--allow-host lets the page reach it): its input shows every --expect text, and
//   its memo's status the --phase.
//   node web-ui.mjs decoded --ui ... --workflow-id secret.api --allow-host 127.0.0.1:7281 \
//     --expect token=abc --expect ops@example.com --phase Paused
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const CHROMIUM = process.env.TRAFFICCTL_CHROMIUM || '/usr/bin/chromium';
// Chromium as the machine's closed network wants it: no background connections, no QUIC, no
// component or sync traffic.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT_MS = 30_000;

// What each mode needs.
const MODES = {
  details: ['ui', 'workflow-id', 'query', 'phase'],
  columns: ['ui', 'query', 'saved-view'],
  outcome: ['ui', 'workflow-id'],
  decoded: ['ui', 'workflow-id', 'expect', 'phase'],
};
// The columns docs/web-ui.md sets: Temporal's Run ID, Type and Start out, the rollouts' search
// attributes in.
const REMOVED_COLUMNS = ['Run ID', 'Type', 'Start'];
const ADDED_COLUMNS = ['TrafficStrategy', 'TrafficPhase', 'TrafficVersion', 'TrafficWeight'];
// What docs/web-ui.md shows (docs/images/web-ui-*.png are copies): the page right of the
// navigation, from the list's title to its rows, and from the rollout's name to its metadata.
const DOCS_LIST = { x: 270, y: 64, width: 1160, height: 330 };
const DOCS_METADATA = { x: 270, y: 110, width: 1160, height: 490 };

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ui: { type: 'string' },
    namespace: { type: 'string', default: 'default' },
    'workflow-id': { type: 'string' },
    query: { type: 'string' },
    phase: { type: 'string' },
    absent: { type: 'string', multiple: true, default: [] },
    'saved-view': { type: 'string' },
    expect: { type: 'string', multiple: true },
    'allow-host': { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'web-ui' },
  },
});
const mode = positionals[0] ?? 'details';
if (!MODES[mode]) {
  cannotRun(`unknown mode ${mode} (${Object.keys(MODES).join(', ')})`);
}
for (const name of MODES[mode]) {
  if (!opts[name]) {
    cannotRun(`missing --${name} (mode ${mode})`);
  }
}

function cannotRun(message) {
  process.stderr.write(`web-ui: ${message}\n`);
  process.stdout.write(JSON.stringify({ ok: false, error: message }, null, 2) + '\n');
  process.exit(2);
}

if (!existsSync(CHROMIUM)) {
  cannotRun(
    `${CHROMIUM} not found: install Debian's chromium (apt-get install --no-install-recommends chromium)`,
  );
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  cannotRun(
    `playwright-core is not installed next to ${import.meta.dirname}: run npm ci --prefix ${import.meta.dirname} (${e.message})`,
  );
}

const ui = opts.ui.replace(/\/+$/, '');
const workflowId = opts['workflow-id'];
const out = resolve(opts.out);
mkdirSync(out, { recursive: true });
const result = {
  ok: false,
  mode,
  ui,
  query: opts.query,
  workflow_id: workflowId,
  expected_phase: opts.phase,
  list: null,
  details: null,
  screenshots: {},
  blocked_requests: [],
};

const profile = mkdtempSync(join(tmpdir(), 'trafficctl-web-ui-'));
let context;
let page;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  // The page stays on the dev server (and the hosts --allow-host names, a codec server on this
  // machine): anything else (the UI's news feed) is refused here, before a name lookup leaves the
  // machine.
  const allowedHosts = new Set([new URL(ui).host, ...opts['allow-host']]);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (allowedHosts.has(url.host) || url.protocol === 'data:' || url.protocol === 'blob:') {
      return route.continue();
    }
    result.blocked_requests.push(url.origin + url.pathname);
    return route.abort('blockedbyclient');
  });
  page = context.pages()[0] ?? (await context.newPage());

  if (mode === 'details') {
    result.list = await workflowsList(page);
    result.screenshots.list = await screenshot(page, 'list.png');
    result.details = await workflowDetails(page);
  } else if (mode === 'columns') {
    result.saved_view = await savedView(page);
    result.columns = await configuredColumns(page);
  } else if (mode === 'decoded') {
    result.decoded = await decoded(page);
  } else {
    result.outcome = await outcome(page);
  }
  result.ok = true;
} catch (e) {
  result.error = e.message.split('\n')[0];
  process.stderr.write(`web-ui: ${e.message}\n`);
  if (page) {
    result.screenshots.failure = await screenshot(page, 'failure.png').catch(() => null);
    result.failure_url = page.url();
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exit(result.ok ? 0 : 1);

/** The workflows list with the query in its URL; the row of the workflow, reloaded until it shows. */
async function workflowsList(page) {
  const url = `${ui}/namespaces/${encodeURIComponent(opts.namespace)}/workflows?query=${encodeURIComponent(opts.query)}`;
  const link = page.getByRole('link', { name: workflowId, exact: true });
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    await page.goto(url);
    try {
      await link.first().waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        throw new Error(
          `the workflows list for ${opts.query} shows no row ${workflowId} within ${TIMEOUT_MS / 1000}s`,
        );
      }
    }
  }
  const rows = await page.locator('table tbody tr').evaluateAll((trs) =>
    trs.map((tr) =>
      Array.from(tr.querySelectorAll('td'))
        .map((td) => td.innerText.trim())
        .filter((text) => text.length > 0),
    ),
  );
  const row = rows.find((cells) => cells.includes(workflowId));
  if (!row) {
    throw new Error(`no table row names ${workflowId}: ${JSON.stringify(rows)}`);
  }
  for (const other of opts.absent) {
    if (rows.some((cells) => cells.includes(other))) {
      throw new Error(`the list for ${opts.query} also shows ${other}: ${JSON.stringify(rows)}`);
    }
  }
  // The filter the UI shows it applied (a chip such as 'TrafficService = "api"').
  const filters = (await page.locator('button', { hasText: '=' }).allInnerTexts())
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 0);
  return { url: page.url(), rows, row, absent: opts.absent, filters };
}

/** The workflow's page: its search attributes and memo tabs, each parsed from the JSON shown. */
async function workflowDetails(page) {
  await page.getByRole('link', { name: workflowId, exact: true }).first().click();
  await page.waitForURL(
    (u) => u.pathname.includes(`/workflows/${encodeURIComponent(workflowId)}/`),
    { timeout: TIMEOUT_MS },
  );
  await page.getByRole('heading', { name: workflowId }).first().waitFor();
  const runId = decodeURIComponent(
    new URL(page.url()).pathname.split(`/workflows/${encodeURIComponent(workflowId)}/`)[1].split('/')[0],
  );

  await page.getByRole('tab', { name: 'Search Attributes' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/search-attributes'));
  const searchAttributes = await shownJson(page, 'TrafficPhase');
  const phase = searchAttributes.TrafficPhase;
  const details = {
    url: page.url(),
    run_id: runId,
    search_attributes: searchAttributes,
  };
  if (phase !== opts.phase) {
    throw new Error(
      `the workflow's page shows TrafficPhase ${JSON.stringify(phase)}, expected ${JSON.stringify(opts.phase)}`,
    );
  }
  await page.getByText(`"${opts.phase}"`).first().scrollIntoViewIfNeeded();
  result.screenshots.details = await screenshot(page, 'details.png');

  await page.getByRole('tab', { name: 'Memo' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/memo'));
  const memo = await shownJson(page, '"status"');
  const status = memo.fields?.status ?? memo.status;
  details.memo_url = page.url();
  details.memo_status = status;
  if (status?.phase !== opts.phase || status?.workflow_id !== workflowId) {
    throw new Error(
      `the memo's status shows phase ${JSON.stringify(status?.phase)} of ${JSON.stringify(status?.workflow_id)}, expected ${opts.phase} of ${workflowId}`,
    );
  }
  result.screenshots.memo = await screenshot(page, 'memo.png');

  // The summary the CLI set at start and the current details the workflow keeps: what the
  // rollout does or waits for, in words.
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  // The details are Markdown: the phase is in bold, so the words span several elements.
  const wanted = `${opts.phase}:`;
  const text = await frameText(page, (t) => t.includes('Current Details') && t.includes(wanted));
  if (!text.includes(wanted)) {
    throw new Error(`the User Metadata tab shows no "${wanted}": ${text.slice(0, 800)}`);
  }
  details.metadata_text = text;
  result.screenshots.metadata = await screenshot(page, 'metadata.png');
  return details;
}

/** The workflows list's address, filtered by {@code query}, with {@code extra} parameters. */
function listUrl(query, extra = {}) {
  const params = new URLSearchParams({ query, ...extra });
  return `${ui}/namespaces/${encodeURIComponent(opts.namespace)}/workflows?${params}`;
}

/**
 * A saved view made from a link: the list's URL with its query and {@code savedQuery=NAME}, which
 * the UI keeps (in the browser's local storage) and shows as a button above the list.
 */
async function savedView(page) {
  const name = opts['saved-view'];
  await page.goto(listUrl(opts.query, { savedQuery: name }));
  await page.locator('table tbody tr').first().waitFor();
  // The view's menu above the list names it, with Edit, Duplicate and Share beside it.
  const button = page.getByRole('button', { name, exact: true });
  await button.first().waitFor({ state: 'visible' });
  const stored = await page.evaluate(() => localStorage.getItem('saved-workflow-queries'));
  const views = JSON.parse(stored ?? '{}')[opts.namespace] ?? [];
  const view = views.find((v) => v.name === name);
  if (!view) {
    throw new Error(`no saved view ${JSON.stringify(name)} in local storage: ${stored}`);
  }
  return { name: view.name, query: view.query, button_visible: await button.first().isVisible() };
}

/**
 * The table's configuration drawer, as docs/web-ui.md says to use it: Run ID, Type and Start
 * removed, the rollouts' search attributes added; then the list with those columns.
 */
async function configuredColumns(page) {
  await page.getByRole('button', { name: 'Configure Columns' }).click();
  for (const label of REMOVED_COLUMNS) {
    await page.getByRole('button', { name: `Remove ${label} column`, exact: true }).click();
  }
  for (const label of ADDED_COLUMNS) {
    await page.getByRole('button', { name: `Add ${label} column`, exact: true }).click();
  }
  await page.getByRole('button', { name: 'Close Workflows Table configuration' }).click();
  const last = ADDED_COLUMNS[ADDED_COLUMNS.length - 1];
  await page.locator('table thead th', { hasText: last }).first().waitFor({ state: 'visible' });
  // The drawer slides out: wait until it is gone before the screenshot.
  await page
    .getByRole('button', { name: `Remove ${last} column` })
    .waitFor({ state: 'hidden' })
    .catch(() => {});
  const headers = await page
    .locator('table thead th')
    .evaluateAll((ths) =>
      // The first column's header is the select-all checkbox: no column of the list's own.
      ths.map((th) => (th.querySelector('input[type=checkbox]') ? '' : th.innerText.trim())),
    );
  const rows = await page.locator('table tbody tr').evaluateAll((trs, heads) =>
    trs.map((tr) => {
      const cells = {};
      Array.from(tr.querySelectorAll('td')).forEach((td, i) => {
        if (heads[i]) cells[heads[i]] = td.innerText.trim();
      });
      return cells;
    }),
    headers,
  );
  const stored = await page.evaluate(() =>
    localStorage.getItem('namespace-workflow-table-columns'),
  );
  result.screenshots.columns = await screenshot(page, 'columns.png');
  result.screenshots.docs = await screenshot(page, 'web-ui-columns.png', DOCS_LIST);
  return {
    url: page.url(),
    headers: headers.filter((h) => h.length > 0),
    rows,
    stored: JSON.parse(stored ?? 'null'),
  };
}

/**
 * A closed rollout's page, with nothing configured: the phase and message in its result (beside
 * its input, on the page's first tab) and the current details under User Metadata.
 */
async function outcome(page) {
  await page.goto(listUrl(`WorkflowId="${workflowId}"`));
  await page.getByRole('link', { name: workflowId, exact: true }).first().click();
  const path = `/workflows/${encodeURIComponent(workflowId)}/`;
  await page.waitForURL((u) => u.pathname.includes(path));
  const code = page.locator('.cm-content').filter({ hasText: '"workflow_id"' }).first();
  await code.waitFor({ state: 'visible' });
  const text = await code.innerText();
  const field = (name) => {
    const match = text.match(new RegExp(`"${name}":\\s*("(?:[^"\\\\]|\\\\.)*")`));
    return match ? JSON.parse(match[1]) : null;
  };
  const shown = { status: { phase: field('phase'), message: field('message') } };
  result.screenshots.outcome = await screenshot(page, 'outcome.png');
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  const metadata = await frameText(
    page,
    (t) => t.includes('Current Details') && / at \d+% on /.test(t),
  );
  result.screenshots.metadata = await screenshot(page, 'outcome-metadata.png');
  result.screenshots.docs = await screenshot(page, 'web-ui-outcome.png', DOCS_METADATA);
  return { url: page.url(), result: shown, metadata_text: metadata };
}

/**
 * An encrypted rollout's page in a UI with a codec endpoint: the input (beside the result, on the
 * first tab) decoded, shown once it holds every --expect text; then the memo's status, decoded too.
 * Without the codec the UI shows the payloads' encrypted bytes, and this times out.
 */
async function decoded(page) {
  const codecCalls = [];
  page.on('requestfinished', (request) => {
    if (new URL(request.url()).pathname.endsWith('/decode')) {
      codecCalls.push(request.url());
    }
  });
  await page.goto(listUrl(`WorkflowId="${workflowId}"`));
  await page.getByRole('link', { name: workflowId, exact: true }).first().click();
  await page.waitForURL((u) => u.pathname.includes(`/workflows/${encodeURIComponent(workflowId)}/`));
  // Encrypted, the input shows as {"metadata": ..., "data": ...}: its fields appear once decoded.
  const input = page.locator('.cm-content').filter({ hasText: '"service"' }).first();
  try {
    await input.waitFor({ state: 'visible' });
  } catch (e) {
    const shown = await page.locator('.cm-content').allInnerTexts().catch(() => []);
    throw new Error(
      `no decoded input (with "service") on the page; the code viewers show: ${JSON.stringify(shown).slice(0, 600)}`,
    );
  }
  const text = await wholeText(input);
  const missing = opts.expect.filter((wanted) => !text.includes(wanted));
  if (missing.length > 0) {
    throw new Error(`the decoded input lacks ${JSON.stringify(missing)}: ${text.slice(0, 600)}`);
  }
  result.screenshots.decoded = await screenshot(page, 'decoded-input.png');

  await page.getByRole('tab', { name: 'Memo' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/memo'));
  const memo = await shownJson(page, '"phase"');
  const status = memo.fields?.status ?? memo.status;
  if (status?.phase !== opts.phase) {
    throw new Error(
      `the decoded memo shows phase ${JSON.stringify(status?.phase)}, expected ${opts.phase}`,
    );
  }
  result.screenshots.memo = await screenshot(page, 'decoded-memo.png');
  return { url: page.url(), input_text: text, memo_status: status, codec_calls: codecCalls };
}

/**
 * All the text of a code viewer: it renders only the lines near its visible part, so it is
 * scrolled from top to bottom and what each position showed is put together.
 */
async function wholeText(content) {
  return content.evaluate(async (el) => {
    const scroller = el.closest('.cm-scroller') ?? el.parentElement;
    const seen = [];
    const step = Math.max(100, Math.floor(scroller.clientHeight / 2));
    for (let top = 0; ; top += step) {
      scroller.scrollTop = top;
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      seen.push(el.innerText);
      if (top >= scroller.scrollHeight) break;
    }
    scroller.scrollTop = 0;
    return seen.join('\n');
  });
}

/**
 * The text of the page and every frame in it (the UI renders Markdown in sandboxed frames, so
 * words span several elements), polled until {@code done} accepts it; the last text read.
 */
async function frameText(page, done) {
  const deadline = Date.now() + TIMEOUT_MS;
  let text = '';
  while (Date.now() < deadline) {
    const parts = [];
    for (const frame of page.frames()) {
      parts.push(await frame.locator('body').innerText().catch(() => ''));
    }
    text = parts.join(' ').replace(/\s+/g, ' ');
    if (done(text)) break;
    await page.waitForTimeout(250);
  }
  return text;
}

/** The JSON document the current tab shows (a code viewer), once it contains {@code marker}. */
async function shownJson(page, marker) {
  const code = page.locator('.cm-content').filter({ hasText: marker }).first();
  await code.waitFor({ state: 'visible' });
  const text = await code.innerText();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`the page shows no JSON document with ${marker}: ${text.slice(0, 500)}`);
  }
}

/** The whole page as {@code name}; with {@code clip} (x, y, width, height), that part of it. */
async function screenshot(page, name, clip) {
  const path = join(out, name);
  await page.screenshot(clip ? { path, clip } : { path, fullPage: true });
  return { path, bytes: statSync(path).size };
}

