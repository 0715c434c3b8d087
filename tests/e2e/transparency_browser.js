// Renders the public transparency page in Debian's chromium (playwright-core, headless):
// the tree head it was computed from, the inline SVG charts drawn with their bars, and
// nothing loaded from anywhere else, no CSP violation.
// usage: node transparency_browser.js PLAYWRIGHT_DIR BASE_URL TREE_SIZE TREE_ROOT
// Prints "ok NAME" or "FAIL NAME: why" per check; exits 1 on any failure.
const { launch, check, failed } = require('./browser_lib');
const [base, size, root] = process.argv.slice(3);

(async () => {
    const browser = await launch(process.argv[2]);
    const page = await browser.newPage();
    const foreign = [], errors = [];
    page.on('request', r => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    const resp = await page.goto(`${base}/transparency`);
    check('page answers', resp.status() === 200, resp.status());
    check('title', (await page.title()) === 'Transparency report', await page.title());
    const text = async sel => (await page.locator(sel).first().textContent()).trim();
    check('carries the tree size', (await text('#tree-size')) === size, await text('#tree-size'));
    check('carries the tree root', (await text('#tree-root')) === root, await text('#tree-root'));
    check('carries a signature', /^[0-9a-f]{128}$/.test(await text('#tree-signature')),
          await text('#tree-signature'));

    // The reports chart: one bar per category, drawn, the longest the largest value.
    const bars = await page.$$eval('svg[data-chart="notices"] rect.bar', rs => rs.map(r => ({
        label: r.dataset.label, value: Number(r.dataset.value), width: r.getBBox().width })));
    check('reports chart has its bars', bars.length === 2, JSON.stringify(bars));
    const hate = bars.find(b => b.label === 'hate_speech');
    check('hate speech bar', hate && hate.value === 2 && hate.width > 300, JSON.stringify(hate));
    const ncii = bars.find(b => b.label === 'ncii');
    check('bars in proportion', ncii && hate && Math.abs(ncii.width * 2 - hate.width) < 1,
          JSON.stringify(bars));
    const charts = await page.$$eval('svg.chart', s => s.map(x => x.getBoundingClientRect().height));
    check('three charts drawn', charts.length === 3 && charts.every(h => h > 20),
          JSON.stringify(charts));
    const orders = await page.$$eval('table[data-section="orders"] tbody tr', r => r.length);
    check('orders table', orders >= 5, orders);
    check('nothing loaded from elsewhere', foreign.length === 0, foreign.join(' '));
    check('no console errors (CSP)', errors.length === 0, errors.join(' | '));
    await page.screenshot({ path: process.env.SCREENSHOT || '/tmp/transparency.png', fullPage: true });
    await browser.close();
    process.exit(failed() ? 1 : 0);
})().catch(e => { console.log(`FAIL browser: ${e.message}`); process.exit(1); });
