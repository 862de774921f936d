// Browser end-to-end test of the dashboard against a running system (`make demo` or scripts/dev):
// register, link the demo store through the simulator's OAuth, ask "Why did sales drop last week?", watch the
// progress, see the finding and a rendered chart, approve a discount proposal, then find the discount in the
// simulator. Screenshots of every step go to tests/artifacts/e2e/.
//
//   ALATAR_E2E_URL      the dashboard / API base URL (default http://127.0.0.1:8080)
//   ALATAR_E2E_SIM_URL  the Shopify simulator (default http://127.0.0.1:8090)
//   ALATAR_E2E_SHOP     the shop to link (default demo.myshopify.test)
//   ALATAR_E2E_CHROMIUM the browser (default /usr/bin/chromium, Debian's package)
//   ALATAR_E2E_TIMEOUT_MS how long the analysis may take (default 240000)
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = (process.env.ALATAR_E2E_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const simUrl = (process.env.ALATAR_E2E_SIM_URL ?? 'http://127.0.0.1:8090').replace(/\/$/, '');
const shop = process.env.ALATAR_E2E_SHOP ?? 'demo.myshopify.test';
const analysisTimeout = Number(process.env.ALATAR_E2E_TIMEOUT_MS ?? 240_000);
const artifacts = path.resolve(here, '../../tests/artifacts/e2e');
const question = 'Why did sales drop last week?';

let step = 0;
async function shot(page, name) {
    step += 1;
    const file = path.join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`e2e: ${name} (${path.relative(process.cwd(), file)})`);
}

// Waits for `ready` unless the page shows an error banner first (Polaris renders critical banners as role=alert):
// a failure then names what the merchant would see instead of ending in a bare timeout.
async function expectOrAlert(page, ready, what) {
    const alert = page.getByRole('alert').first();
    const winner = await Promise.race([
        ready.then(() => 'ready'),
        alert.waitFor({ timeout: 0 }).then(() => 'alert', () => 'ready'),
    ]);
    if (winner === 'alert') {
        await shot(page, `error-${what}`);
        throw new Error(`${what}: the page shows an error: ${(await alert.innerText()).replace(/\s+/g, ' ')}`);
    }
}

async function waitForResult(page, what) {
    await expectOrAlert(page, page.getByRole('heading', { name: 'Finding' }).waitFor({ timeout: analysisTimeout }), what);
    await page.locator('.alatar-chart svg').first().waitFor({ timeout: 60_000 });
    const marks = await page.locator('.alatar-chart svg .mark-line path, .alatar-chart svg .mark-rect path, .alatar-chart svg .mark-arc path, .alatar-chart svg path').count();
    if (marks === 0) throw new Error(`${what}: the chart rendered no marks`);
}

// The sales-drop answer's discount: a short code for a product whose sales fell while it is still in stock.
async function discountProposal(page) {
    const discount = page.locator('[data-proposal-kind="CREATE_DISCOUNT_CODE"]').first();
    if (await discount.count() === 0) {
        await shot(page, 'error-no-discount');
        throw new Error('the sales-drop answer has no CREATE_DISCOUNT_CODE proposal');
    }
    return discount;
}

async function simGraphql(query, variables) {
    const grant = await fetch(`${simUrl}/_sim/shops/${shop}/tokens`, { method: 'POST', body: '{}' }).then((r) => r.json());
    const res = await fetch(`${simUrl}/shops/${shop}/admin/api/2026-01/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': grant.access_token },
        body: JSON.stringify({ query, variables }),
    });
    return res.json();
}

async function main() {
    await rm(artifacts, { recursive: true, force: true }); // the screenshots of this run only
    await mkdir(artifacts, { recursive: true });
    const browser = await chromium.launch({
        executablePath: process.env.ALATAR_E2E_CHROMIUM ?? '/usr/bin/chromium',
        headless: true, // Playwright gives each launch a fresh, empty profile
        args: [
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync',
        ],
    });
    const consoleErrors = [];
    try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
        page.on('pageerror', (e) => consoleErrors.push(String(e)));
        // GraphQL errors and refused subscriptions are reported, so a failure names the API's answer.
        page.on('response', async (r) => {
            if (!r.url().endsWith('/graphql')) return;
            const text = await r.text().catch(() => '');
            if (r.status() >= 400 || text.includes('"errors"')) {
                consoleErrors.push(`HTTP ${r.status()} ${r.request().postData()?.slice(0, 200)} -> ${text.slice(0, 400)}`);
            }
        });
        page.on('websocket', (ws) => {
            ws.on('framereceived', (f) => {
                const text = String(f.payload);
                if (/"type":"error"|"errors":\[/.test(text)) consoleErrors.push(`ws <- ${text.slice(0, 400)}`);
            });
        });

        // 1. Register.
        const email = `e2e-${Date.now()}@alatar.test`;
        await page.goto(`${baseUrl}/register`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill('e2e-password-long-enough');
        await shot(page, 'register');
        await page.getByRole('button', { name: 'Create account' }).click();
        await expectOrAlert(page, page.waitForURL('**/stores'), 'register');

        // 2. Link the demo store: the OAuth round trip through the simulator and back.
        await page.getByLabel('Shop domain').fill(shop);
        await shot(page, 'link-store');
        await page.getByRole('button', { name: 'Link store' }).click();
        await expectOrAlert(page, page.waitForURL(/\/stores\?linked=/, { timeout: 60_000 }), 'link-store');
        await page.getByText(`${shop} is linked`).waitFor();
        await shot(page, 'store-linked');

        // 3. Ask.
        await page.goto(`${baseUrl}/`);
        await page.getByRole('button', { name: question }).click();
        await shot(page, 'ask');
        await page.getByRole('button', { name: 'Ask', exact: true }).click();
        await expectOrAlert(page, page.waitForURL(/\/requests\//), 'ask');

        // 4. Progress from the subscription, then the result: the finding, a rendered chart, recommendations.
        await page.getByRole('heading', { name: 'Plan' }).or(page.getByRole('heading', { name: 'Finding' })).first().waitFor();
        await shot(page, 'progress');
        await waitForResult(page, 'analysis');
        await page.getByRole('heading', { name: 'Recommendations' }).waitFor();
        await shot(page, 'result');

        // 5. The answer's discount proposal (next to the restock of what ran out), approved.
        const proposal = await discountProposal(page);
        await proposal.scrollIntoViewIfNeeded();
        await shot(page, 'proposal');
        const proposalId = await proposal.getAttribute('data-proposal-id');
        await proposal.getByRole('button', { name: 'Approve' }).click();
        await expectOrAlert(page, proposal.getByText('Done in your store').waitFor({ timeout: 120_000 }), 'approve');
        await shot(page, 'approved');

        // 6. The discount exists in the simulator: the proposal's parameters name it.
        const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('alatar.session')).token);
        const requestId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
        const detail = await fetch(`${baseUrl}/graphql`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: 'query($id: ID!){ analysisRequest(id: $id){ proposals { id parameters } } }', variables: { id: requestId } }),
        }).then((r) => r.json());
        const params = detail.data.analysisRequest.proposals.find((p) => p.id === proposalId).parameters;
        const code = params.code ?? params.discountCode ?? params.title;
        const found = await simGraphql('query($code: String!){ codeDiscountNodeByCode(code: $code){ id } }', { code });
        if (!found.data?.codeDiscountNodeByCode?.id) throw new Error(`discount ${code} not found in the simulator: ${JSON.stringify(found)}`);
        console.log(`e2e: discount ${code} is in the simulator as ${found.data.codeDiscountNodeByCode.id}`);

        // The result screen at phone width.
        await page.setViewportSize({ width: 390, height: 844 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, 'result-phone');
        await context.close();
        console.log('e2e: passed');
    } finally {
        await browser.close();
        if (consoleErrors.length) console.log(`e2e: browser console errors:\n  ${consoleErrors.join('\n  ')}`);
    }
}

main().catch((e) => {
    console.error(`e2e: FAILED: ${e.stack ?? e}`);
    process.exit(1);
});
